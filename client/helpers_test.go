package client_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// testKey is the secret key tests use; assertions check it never leaks.
const testKey = "sk_test_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"

// seen is one request as the test server received it.
type seen struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// recorder is a loopback server that records requests and responds to each
// with the next scripted reply (or the last one, repeatedly).
type recorder struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []seen
	waits   []time.Duration
	skipped time.Duration // the sum of waits: the recorder's clock is ahead of the wall by it
	handler http.HandlerFunc
}

func newRecorder(t *testing.T, handler http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{t: t, handler: handler}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Errorf("reading request body: %v", err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body)) // for the handler, too
		r.mu.Lock()
		r.reqs = append(r.reqs, seen{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, string(body), req.Header.Clone()})
		handler := r.handler
		r.mu.Unlock()
		handler(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// reply responds to every request with status and body as JSON.
func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// sleep records a wait instead of waiting, and moves the recorder's clock
// on by it, as if it had passed.
func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.skipped += d
	r.mu.Unlock()
	return ctx.Err()
}

// now is the wall clock plus every wait skipped so far.
func (r *recorder) now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Now().Add(r.skipped)
}

// waited returns the waits between retries so far.
func (r *recorder) waited() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

// setHandler replaces how the server responds from now on.
func (r *recorder) setHandler(h http.HandlerFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handler = h
}

func (r *recorder) requests() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

// client returns a client of the recorder. Its clock does not sleep: waits
// between retries pass at once (and are recorded by the recorder).
func (r *recorder) client(opts ...client.Option) *client.Client {
	r.t.Helper()
	base := []client.Option{
		client.WithBaseURL(r.srv.URL + "/v1"), client.WithSecretKey(testKey),
		client.WithClock(r.now, r.sleep),
	}
	c, err := client.New(append(base, opts...)...)
	require.NoError(r.t, err)
	return c
}

// invitationJSON is an invitation as the API sends it, nulls included,
// plus a field and a status value the client does not know.
const invitationJSON = `{
  "object": "organization_invitation",
  "id": "orginv_1",
  "email_address": "ada@example.com",
  "role": "org:member",
  "role_name": "Member",
  "organization_id": "org_1",
  "inviter_id": null,
  "public_inviter_data": null,
  "status": "pending",
  "public_metadata": {"team": "compilers"},
  "private_metadata": {},
  "url": null,
  "expires_at": null,
  "created_at": 1778803200000,
  "updated_at": 1778803201000
}`

// invitedByJSON has every nullable field set.
const invitedByJSON = `{
  "object": "organization_invitation",
  "id": "orginv_2",
  "email_address": "grace@example.com",
  "role": "org:admin",
  "role_name": "Admin",
  "organization_id": "org_1",
  "inviter_id": "user_1",
  "public_inviter_data": {"user_id": "user_1", "first_name": "Alan", "last_name": null,
    "image_url": "https://img.example.com/u1.png", "has_image": true, "identifier": "alan@example.com"},
  "status": "someday_new_status",
  "public_metadata": {},
  "private_metadata": {"referral": "conf"},
  "url": "https://accounts.example.com/accept?ticket=t",
  "expires_at": 1781395200000,
  "created_at": 1778803200000,
  "updated_at": 1778803200000,
  "a_field_added_later": {"nested": [1, 2, 3]}
}`

const pageJSON = `{"data": [` + invitationJSON + `,` + invitedByJSON + `], "total_count": 42}`

const instancePageJSON = `{"data": [{
  "object": "organization_invitation", "id": "orginv_3", "email_address": "lin@example.com",
  "role": "org:member", "role_name": "Member", "organization_id": "org_9",
  "inviter_id": null, "public_inviter_data": null, "status": "accepted",
  "public_metadata": {}, "url": null, "expires_at": null,
  "created_at": 1, "updated_at": 2,
  "public_organization_data": {"id": "org_9", "name": "Nine", "slug": "nine", "has_image": false}
}], "total_count": 1}`

const notFoundJSON = `{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No invitation with this id.","meta":{"param_name":"invitation_id"}}],"meta":{"hint":"check the id"},"clerk_trace_id":"trace_404"}`

func ptr[T any](v T) *T { return &v }

// quietLog swallows the server's complaints about connections that tests
// break on purpose.
var quietLog = log.New(io.Discard, "", 0)
