package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// endpoint names an operation: its operationId (used in errors and logs)
// and its HTTP method.
type endpoint struct {
	op     string
	method string
}

// The seven operations, by the operationIds of api/openapi.yaml.
var (
	epListInstance = endpoint{"ListInstanceOrganizationInvitations", http.MethodGet}
	epCreate       = endpoint{"CreateOrganizationInvitation", http.MethodPost}
	epList         = endpoint{"ListOrganizationInvitations", http.MethodGet}
	epBulkCreate   = endpoint{"CreateOrganizationInvitationBulk", http.MethodPost}
	epListPending  = endpoint{"ListPendingOrganizationInvitations", http.MethodGet}
	epGet          = endpoint{"GetOrganizationInvitation", http.MethodGet}
	epRevoke       = endpoint{"RevokeOrganizationInvitation", http.MethodPost}
)

// buildFunc makes the request for one attempt with one of gen's request
// builders. base is the base URL (with a trailing slash); body is nil for
// requests without one.
type buildFunc func(base string, body io.Reader) (*http.Request, error)

// Header values shared by every request; never modified.
var (
	acceptJSON     = []string{"application/json"}
	apiVersionHdr  = []string{APIVersion}
	contentTypeHdr = []string{"application/json"}
)

// call performs a call and returns its decoded answer.
func call[T any](ctx context.Context, c *Client, opts []Option, ep endpoint, build buildFunc, body []byte) (*T, error) {
	out := new(T)
	if err := c.send(ctx, opts, ep, build, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// send performs a call: it builds and sends the request, and decodes a 2xx
// answer into out. body, if not nil, is the request's JSON, marshalled once
// by the caller.
func (c *Client) send(ctx context.Context, opts []Option, ep endpoint, build buildFunc, body []byte, out any) error {
	s, err := c.s.apply(opts)
	if err != nil {
		return err
	}
	return s.attempt(ctx, ep, build, body, out)
}

// attempt sends the request once and interprets the answer.
func (s *settings) attempt(ctx context.Context, ep endpoint, build buildFunc, body []byte, out any) error {
	authorization, err := s.auth(ctx)
	if err != nil {
		return err // a *KeyError; nothing was sent
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := build(s.baseURL, rd)
	if err != nil {
		return &RequestError{Operation: ep.op, Err: err}
	}
	req = req.WithContext(ctx)
	h := req.Header
	for name, values := range s.headers {
		h[name] = values
	}
	h.Set("Authorization", authorization)
	h["Accept"] = acceptJSON
	h["Clerk-Api-Version"] = apiVersionHdr
	h["User-Agent"] = []string{s.userAgent}
	if body != nil {
		h["Content-Type"] = contentTypeHdr
	} else {
		delete(h, "Content-Type")
	}

	resp, err := s.doer.Do(req)
	if err != nil {
		return &RequestError{Operation: ep.op, Err: err}
	}
	defer closeBody(resp.Body)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := decodeJSON(resp.Body, s.maxBody, out); err != nil {
			return &DecodeError{Operation: ep.op, StatusCode: resp.StatusCode, Err: err}
		}
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBodyBytes))
	if err != nil && len(raw) == 0 {
		// The status line arrived but the body broke off; the status is
		// still the answer.
		raw = nil
	}
	return newAPIError(ep.op, resp, raw, keyOf(authorization), time.Now())
}

// decodeJSON decodes one JSON value from r into out, reading at most limit
// bytes.
func decodeJSON(r io.Reader, limit int64, out any) error {
	lr := &cappedReader{r: r, left: limit}
	err := json.NewDecoder(lr).Decode(out)
	if lr.over {
		return ErrResponseTooLarge
	}
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF // an empty body is not a value
	}
	return err
}

// cappedReader reads from r until left bytes have been read, then reports
// an error (and remembers that the limit was passed).
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte would pass the limit: find out whether there is one.
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n > 0 {
			c.over = true
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// closeBody drains a little of what is left of a body, so the connection
// can be reused, and closes it.
func closeBody(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}
