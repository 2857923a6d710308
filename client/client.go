// Package client is the Go client for the organization invitations of
// Clerk's Backend API: invite people into an organization (one, up to ten,
// or any number), list an organization's or the whole instance's
// invitations, read one, and revoke one.
//
// A Client is safe for concurrent use; make one and share it:
//
//	c, err := client.New() // the key comes from CLERK_SECRET_KEY
//	inv, err := c.Create(ctx, "org_123", client.CreateParams{
//		EmailAddress: "ada@example.com",
//		Role:         "org:member",
//	})
//
// Every failure is one of a few error types: *APIError for any answer
// outside 2xx (with Clerk's error codes, the trace id and Retry-After),
// *RequestError when no answer came, *DecodeError when a successful answer
// could not be read, *ValidationError for bad input (nothing is sent), and
// *KeyError when the key provider fails.
//
// Failed calls are retried only when that is safe (see RetryPolicy): reads
// on transient failures, and creates or revokes only when they provably
// were not carried out. A create whose outcome is unknown is never sent
// again; its error satisfies OutcomeUnknown, so the caller can look before
// trying again.
//
// ListAll, ListInstanceAll and ListPendingAll page through whole lists as
// iterators; CreateMany invites any number of people in chunks of ten.
// Package fake is an in-memory Clerk for tests.
package client

import (
	"github.com/invitekit/clerkinvitations/api"
)

// APIVersion is the version of Clerk's Backend API this client is built
// for. It is sent in the Clerk-API-Version header of every request.
const APIVersion = api.Version

// Client calls the organization-invitation operations of Clerk's Backend
// API. Create it with New. It is safe for concurrent use.
type Client struct {
	s settings
}

// New returns a Client configured by opts. Without WithSecretKey or
// WithKeyProvider it reads the key from the CLERK_SECRET_KEY environment
// variable, and fails with a clear error if there is none.
func New(opts ...Option) (*Client, error) {
	s := defaultSettings()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if s.auth == nil {
		if err := keyFromEnv(&s); err != nil {
			return nil, err
		}
	}
	if s.doer == nil {
		s.doer = DefaultHTTPClient()
	}
	return &Client{s: s}, nil
}

// String describes the client without revealing its key.
func (c *Client) String() string { return "clerk client for " + c.s.baseURL }

// GoString is String, so that %#v does not reveal internals either.
func (c *Client) GoString() string { return c.String() }
