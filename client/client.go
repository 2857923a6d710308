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
