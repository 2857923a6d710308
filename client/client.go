// Package client is the Go client for the organization invitations of
// Clerk's Backend API: invite people into an organization (one, up to ten,
// or any number), list an organization's or the whole instance's
// invitations, read one, and revoke one.
//
// A [Client] is safe for concurrent use; make one and share it:
//
//	c, err := client.New() // the key comes from CLERK_SECRET_KEY
//	inv, err := c.Create(ctx, "org_123", client.CreateParams{
//		EmailAddress: "ada@example.com",
//		Role:         "org:member",
//	})
//
// Every method takes a context first, the path's ids, then one parameter
// struct whose zero fields mean "the API's default", and [Option] values
// last, which apply to that call only.
//
// Every failure is one of a few error types: *[APIError] for any response
// outside 2xx (with Clerk's error codes, the trace id and Retry-After),
// *[RequestError] when no response came, *[DecodeError] when a successful
// response could not be read, *[ValidationError] for bad input (nothing is
// sent), and *[KeyError] when the key provider fails.
//
// Failed calls are retried only when that is safe (see [RetryPolicy]):
// reads on transient failures, and creates or revokes only when they
// provably were not carried out. A create whose outcome is unknown is never
// sent again; [OutcomeUnknown] reports it, so the caller can look before
// trying again.
//
// A client keeps to Clerk's general request limit by itself (see
// [WithRequestLimit]), and when the API answers 429 the other calls of that
// operation wait out its Retry-After too.
//
// [Client.ListAll] and [Client.ListInstanceAll] page through whole lists as
// iterators, several pages at a time ([WithPageConcurrency]) and in order.
// To invite more people than one [Client.BulkCreate] takes, each exactly
// once, use package bulkinvite, which stands on this one.
//
// Metadata in responses is a [Metadata]: the JSON object as the API sent
// it, decoded when asked for, into a struct of the caller's or a map.
//
// The request and response types are those of package gen, generated from
// the API's OpenAPI document. A Client is also a [gen.Caller], so any
// operation of gen, including one this package does not wrap, can be sent
// through it with its key, retries and errors. Package fake is an in-memory
// Clerk for tests.
package client

import (
	"context"

	"github.com/invitekit/clerkinvitations/api"
	"github.com/invitekit/clerkinvitations/gen"
)

// APIVersion is the version of Clerk's Backend API this client is built
// for. It is sent in the Clerk-API-Version header of every request.
const APIVersion = api.Version

// Client calls the organization-invitation operations of Clerk's Backend
// API. Create it with [New]. It is safe for concurrent use.
type Client struct {
	s settings
}

// New returns a Client configured by opts. Without [WithSecretKey] or
// [WithKeyProvider] it reads the key from the CLERK_SECRET_KEY environment
// variable, and fails with a clear error if there is none.
func New(opts ...Option) (*Client, error) {
	s := defaultSettings()
	if err := s.set(opts); err != nil {
		return nil, err
	}
	if s.auth == nil {
		if err := keyFromEnv(&s); err != nil {
			return nil, err
		}
	}
	if s.doer == nil {
		s.doer = DefaultHTTPClient()
	}
	if !s.limitSet {
		s.limiter = defaultLimit(s.testKey)
	}
	s.settle()
	return &Client{s: s}, nil
}

// Call sends a request built by package gen, with this client's key,
// retries and error types, and decodes a successful response into result.
// It makes a Client a [gen.Caller], so that any generated operation can be
// called through it:
//
//	page, err := gen.ListPendingOrganizationInvitations(ctx, c, "org_123", gen.ListPendingOrganizationInvitationsParams{})
func (c *Client) Call(ctx context.Context, req *gen.Request, result any) error {
	return c.s.Call(ctx, req, result)
}

// with returns what sends one call: the client's own settings, or a copy
// changed by the call's options.
func (c *Client) with(opts []Option) gen.Caller {
	s, err := c.s.apply(opts)
	if err != nil {
		return failedCaller{err}
	}
	return s
}

// failedCaller fails every call with the error of a bad per-call option.
type failedCaller struct{ err error }

func (f failedCaller) Call(context.Context, *gen.Request, any) error { return f.err }

// String describes the client without revealing its key.
func (c *Client) String() string { return "clerk client for " + c.s.baseURL }

// GoString is String, so that %#v does not reveal internals either.
func (c *Client) GoString() string { return c.String() }
