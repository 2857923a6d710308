package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// The hostile-server matrix: every operation of the client against a fake
// that misbehaves in each way the fake can (see fake.Fault), with short
// timeouts. For each cell it checks the kind of error, whether the error
// reports an unknown outcome, how many requests the server saw, and that
// the secret key shows in no printed or marshalled form of the error.

// hostileKey is the key the fake accepts; its secret part is what must
// never show.
const hostileKey = "sk_test_hOsTiLeSeCrEt0123456789abcdefXYZ"

// hostileOp is one operation, called against the fake.
type hostileOp struct {
	name string
	id   string // the operationId, as fake.Request.Operation records it
	post bool
	call func(ctx context.Context, c *client.Client, invitationID string) error
}

var hostileOps = []hostileOp{
	{"ListInstance", fake.OpListInstance, false, func(ctx context.Context, c *client.Client, _ string) error {
		_, err := c.ListInstance(ctx, client.ListInstanceParams{})
		return err
	}},
	{"Create", fake.OpCreate, true, func(ctx context.Context, c *client.Client, _ string) error {
		_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "new@example.com", Role: "org:member"})
		return err
	}},
	{"List", fake.OpList, false, func(ctx context.Context, c *client.Client, _ string) error {
		_, err := c.List(ctx, "org_1", client.ListParams{})
		return err
	}},
	{"BulkCreate", fake.OpBulkCreate, true, func(ctx context.Context, c *client.Client, _ string) error {
		_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{
			{EmailAddress: "b1@example.com", Role: "org:member"}, {EmailAddress: "b2@example.com", Role: "org:member"},
		})
		return err
	}},
	{"Get", fake.OpGet, false, func(ctx context.Context, c *client.Client, id string) error {
		_, err := c.Get(ctx, "org_1", id)
		return err
	}},
	{"Revoke", fake.OpRevoke, true, func(ctx context.Context, c *client.Client, id string) error {
		_, err := c.Revoke(ctx, "org_1", id, client.RevokeParams{})
		return err
	}},
}

// outcome is what a cell came to.
type outcome struct {
	Kind    string // "ok", "APIError 302", "RequestError", "DecodeError"
	Unknown bool   // OutcomeUnknown(err)
	Seen    int    // requests of the operation the server saw; -n: at least n
}

// hostileAttempt bounds one attempt in the matrix; hostileCall the call.
const (
	hostileAttempt = 150 * time.Millisecond
	hostileCall    = 3 * time.Second
)

var misbehaviours = []struct {
	name      string
	fault     fake.Fault
	get, post outcome
}{
	{"none", fake.Fault{}, outcome{"ok", false, 1}, outcome{"ok", false, 1}},
	{"no response at all", fake.Fault{Hang: true},
		outcome{"RequestError", false, 4}, outcome{"RequestError", true, 1}},
	{"stall after the headers", fake.Fault{StallBody: true},
		outcome{"DecodeError", false, 4}, outcome{"DecodeError", true, 1}},
	{"trickle the body a byte at a time", fake.Fault{Trickle: 20 * time.Millisecond},
		outcome{"DecodeError", false, 4}, outcome{"DecodeError", true, 1}},
	{"half the body, then a reset", fake.Fault{Partial: true},
		outcome{"DecodeError", false, 4}, outcome{"DecodeError", true, 1}},
	{"2xx with {}", fake.Fault{Status: 200, Body: "{}"},
		outcome{"DecodeError", false, 1}, outcome{"DecodeError", true, 1}},
	{"2xx with null", fake.Fault{Status: 200, Body: "null"},
		outcome{"DecodeError", false, 1}, outcome{"DecodeError", true, 1}},
	{"2xx with no body", fake.Fault{Status: 201},
		outcome{"DecodeError", false, 1}, outcome{"DecodeError", true, 1}},
	{"2xx without ids", fake.Fault{Status: 200, Body: `{"object":"organization_invitation","data":[{"object":"organization_invitation","public_metadata":{}}],"public_metadata":{},"total_count":1}`},
		outcome{"DecodeError", false, 1}, outcome{"DecodeError", true, 1}},
	{"301 to the same URL", fake.Fault{Redirect: 301},
		outcome{"APIError 301", false, 1}, outcome{"APIError 301", true, 1}},
	{"302 to the same URL", fake.Fault{Redirect: 302},
		outcome{"APIError 302", false, 1}, outcome{"APIError 302", true, 1}},
	{"303 to the same URL", fake.Fault{Redirect: 303},
		outcome{"APIError 303", false, 1}, outcome{"APIError 303", true, 1}},
	{"307 to the same URL", fake.Fault{Redirect: 307},
		outcome{"APIError 307", false, 1}, outcome{"APIError 307", true, 1}},
	{"308 to the same URL", fake.Fault{Redirect: 308},
		outcome{"APIError 308", false, 1}, outcome{"APIError 308", true, 1}},
	{"400 echoing the key", fake.Fault{Status: 400, EchoKey: true},
		outcome{"APIError 400", false, 1}, outcome{"APIError 400", false, 1}},
	{"500 echoing the key", fake.Fault{Status: 500, EchoKey: true},
		outcome{"APIError 500", false, 4}, outcome{"APIError 500", true, 1}},
	// Go's transport itself sends a GET again, once, when a reused
	// connection breaks: at least 4 (-4) requests for a GET, exactly 1 for
	// a POST.
	{"carried out, then a reset", fake.Fault{Reset: true, After: true},
		outcome{"RequestError", false, -4}, outcome{"RequestError", true, 1}},
}

func TestHostileServerMatrix(t *testing.T) {
	var table strings.Builder
	table.WriteString("| misbehaviour | operation | error | outcome unknown | requests seen | key printed |\n|---|---|---|---|---|---|\n")
	for _, m := range misbehaviours {
		for _, o := range hostileOps {
			want := m.get
			if o.post {
				want = m.post
			}
			t.Run(m.name+"/"+o.name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					srv := fake.NewServer(fake.WithSecretKey(hostileKey), fake.WithInMemoryNetwork())
					t.Cleanup(srv.Close)
					c, err := srv.NewClient(
						client.WithAttemptTimeout(hostileAttempt), client.WithTimeout(hostileCall),
						client.WithRetryPolicy(fastRetries()),
					)
					require.NoError(t, err)
					inv, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "old@example.com", Role: "org:member"})
					require.NoError(t, err)
					before := len(srv.Requests())

					if m.fault != (fake.Fault{}) {
						srv.InjectFault(o.id, 100, m.fault)
					}
					err = o.call(context.Background(), c, inv.ID)

					got := outcome{Kind: outcomeOf(err), Unknown: client.OutcomeUnknown(err)}
					for _, r := range srv.Requests()[before:] {
						if r.Operation == o.id {
							got.Seen++
						}
					}
					if want.Seen < 0 && got.Seen >= -want.Seen {
						got.Seen = want.Seen // "at least"
					}
					assert.Equal(t, want, got)
					assertKeyNeverPrinted(t, err, hostileKey)
				})
			})
			fmt.Fprintf(&table, "| %s | %s | %s | %v | %d | no |\n", m.name, o.name, want.Kind, want.Unknown, want.Seen)
		}
	}
	if testing.Verbose() {
		t.Logf("hostile-server matrix, %d cells:\n%s", len(misbehaviours)*len(hostileOps), table.String())
	}
}

// fastRetries is the default policy with waits short enough for tests.
func fastRetries() client.RetryPolicy {
	p := client.DefaultRetryPolicy()
	p.InitialInterval, p.MaxInterval = time.Millisecond, 2*time.Millisecond
	return p
}

// printedForms are the ways a caller may print or log an error.
func printedForms(err error) map[string]string {
	forms := map[string]string{}
	if err == nil {
		return forms
	}
	forms["%v"] = fmt.Sprintf("%v", err)
	forms["%+v"] = fmt.Sprintf("%+v", err)
	forms["%#v"] = fmt.Sprintf("%#v", err)
	forms["%s"] = fmt.Sprintf("%s", err)
	if b, mErr := json.Marshal(err); mErr == nil {
		forms["json"] = string(b)
	} else {
		forms["json"] = mErr.Error()
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		forms["APIError.Body"] = string(apiErr.Body) // %#v prints bytes as numbers
		forms["APIError.Header"] = fmt.Sprint(apiErr.Header)
		forms["APIError.Errors"] = fmt.Sprintf("%+v %v", apiErr.Errors, apiErr.Meta)
	}
	// The concrete error's fields too: %#v of a pointer prints an address.
	for e := err; e != nil; e = errors.Unwrap(e) {
		forms[fmt.Sprintf("%T %%+v", e)] += fmt.Sprintf("%+v", e) + " " + fmt.Sprintf("%#v", deref(e))
	}
	return forms
}

// deref returns what an error pointer points to, for %#v.
func deref(err error) any {
	switch e := err.(type) {
	case *client.APIError:
		return *e
	case *client.RequestError:
		return *e
	case *client.DecodeError:
		return *e
	}
	return err
}

// assertKeyNeverPrinted fails if key, or its first 16 bytes (the public
// sk_test_ prefix and 8 secret characters), shows in any printed form of
// err, in any letter case (Go changes the case of header names).
func assertKeyNeverPrinted(t *testing.T, err error, key string) {
	t.Helper()
	start := strings.ToLower(key[:16])
	for form, text := range printedForms(err) {
		if strings.Contains(strings.ToLower(text), start) {
			t.Errorf("the key shows in the %s form of the error: %s", form, text)
		}
	}
}

// A redirect to another port or host is never followed, by the default
// client or a caller's *http.Client: the other server sees nothing.
func TestRedirectsToAnotherServerAreNotFollowed(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		reply(200, invitationJSON)(w, r)
	}))
	t.Cleanup(other.Close)
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	for _, status := range []int{301, 302, 303, 307, 308} {
		for name, opts := range map[string][]client.Option{
			"default":          nil,
			"user http.Client": {client.WithHTTPClient(&http.Client{})},
		} {
			srv.InjectFault(fake.OpCreate, 1, fake.Fault{Redirect: status, RedirectTo: other.URL + "/v1/organizations/org_1/invitations"})
			c, err := srv.NewClient(opts...)
			require.NoError(t, err)
			_, err = c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"})
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr, "%d, %s", status, name)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.True(t, client.OutcomeUnknown(err), "a redirected POST may have been carried out")
		}
	}
	assert.Zero(t, reached.Load())
}

// followingDoer is a caller's HTTPDoer that is not an *http.Client and
// follows redirects: the kind of doer WithHTTPClient's documentation warns
// about.
type followingDoer struct{ hc *http.Client }

func (d followingDoer) Do(r *http.Request) (*http.Response, error) { return d.hc.Do(r) }

// A doer that follows a redirect is caught: the call fails instead of
// passing another server's response off as Clerk's.
func TestADoerThatFollowsRedirectsIsCaught(t *testing.T) {
	other := httptest.NewServer(reply(200, invitationJSON))
	t.Cleanup(other.Close)
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(client.WithHTTPClient(followingDoer{&http.Client{}}))
	require.NoError(t, err)

	srv.InjectFault(fake.OpGet, 1, fake.Fault{Redirect: 302, RedirectTo: other.URL + "/v1/organizations/org_1/invitations/orginv_1"})
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	var reqErr *client.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "must not follow redirects")

	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Redirect: 307, RedirectTo: other.URL + "/v1/organizations/org_1/invitations"})
	_, err = c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"})
	require.ErrorAs(t, err, &reqErr)
	assert.True(t, client.OutcomeUnknown(err))
}

// A key placed in the base URL never shows in errors: neither from a
// transport error that quotes the URL nor from a server that quotes the
// path. A base URL with credentials, a query or a fragment is refused.
func TestAKeyInTheBaseURLIsNeverPrinted(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, base := range []string{
		srv.URL + "/" + hostileKey,                                // the fake responds 404 and quotes the path
		closed + "/" + hostileKey,                                 // the connection is refused; the error quotes the URL
		closed + "/" + strings.ReplaceAll(hostileKey, "_", "%5F"), // escaped
	} {
		c, err := client.New(client.WithBaseURL(base), client.WithSecretKey(hostileKey), client.WithoutRetries())
		require.NoError(t, err)
		_, err = c.Get(context.Background(), "org_1", "orginv_1")
		require.Error(t, err)
		assertKeyNeverPrinted(t, err, hostileKey)
	}
	for _, base := range []string{
		"https://user:" + hostileKey + "@api.example.com/v1",
		"https://api.example.com/v1?key=" + hostileKey,
		"https://api.example.com/v1#" + hostileKey,
		"https://api.example.com:" + hostileKey + "/v1", // url.Parse quotes a bad port
		"https://api.example.com:%zz" + hostileKey + "/v1",
	} {
		_, err := client.New(client.WithBaseURL(base), client.WithSecretKey(hostileKey))
		require.Error(t, err, base)
		assertKeyNeverPrinted(t, err, hostileKey)
	}
}

// Header names and values that net/http would refuse to send, and headers
// that would let Go's transport replay a POST, are refused when the option
// is applied, per client or per call; nothing is sent.
func TestBadHeadersAreRefusedBeforeSending(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	bad := []client.Option{
		client.WithHeader("Idempotency-Key", "k1"),
		client.WithHeader("idempotency-key", "k1"),
		client.WithHeader("X-Idempotency-Key", "k1"),
		client.WithHeader("X-Trace", "a\x01b"),
		client.WithHeader("X-Trace", "a\x7fb"),
		client.WithHeader("X-Trace", "a\r\nInjected: yes"),
		client.WithHeader("X-Trace", "a\nb"),
		client.WithHeader("X-Trace", "a\x00b"),
		client.WithHeader("X Trace", "v"),
		client.WithHeader("X-Trace:", "v"),
		client.WithHeader("Transfer-Encoding", "chunked"),
		client.WithUserAgentSuffix("app/1\x01"),
		client.WithUserAgentSuffix("app/1\x7f"),
		client.WithUserAgentSuffix("app/1\r\nX: y"),
	}
	for i, opt := range bad {
		_, err := srv.NewClient(opt)
		assert.Error(t, err, "option %d at New", i)

		c, err := srv.NewClient()
		require.NoError(t, err)
		_, err = c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"}, opt)
		require.Error(t, err, "option %d per call", i)
		assert.False(t, client.OutcomeUnknown(err), "nothing was sent")
	}
	assert.Empty(t, srv.Requests())

	// Tabs and visible text are fine.
	c, err := srv.NewClient(client.WithHeader("X-Trace", "a\tb c"), client.WithUserAgentSuffix("app/1.2 (+https://example.com)"))
	require.NoError(t, err)
	_, err = c.List(context.Background(), "org_1", client.ListParams{})
	require.NoError(t, err)
}

// Without an idempotency header, Go's transport never sends a POST again
// by itself when a connection breaks after the request was written: the
// server sees one request per call, over a reused connection too.
func TestTheTransportNeverReplaysAPost(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	// Warm a keep-alive connection, so that the next POST reuses it: the
	// case in which net/http replays idempotent-looking requests.
	_, err = c.List(context.Background(), "org_1", client.ListParams{})
	require.NoError(t, err)
	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true, After: true})
	_, err = c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"})
	require.True(t, client.OutcomeUnknown(err))
	creates := 0
	for _, r := range srv.Requests() {
		if r.Operation == fake.OpCreate {
			creates++
		}
	}
	assert.Equal(t, 1, creates)
	page, err := c.List(context.Background(), "org_1", client.ListParams{EmailAddress: "a@example.com"})
	require.NoError(t, err)
	assert.Len(t, page.Data, 1, "one invitation, created once")
}

// Every call ends within its bound, whatever the server does: with the
// attempt and call timeouts shortened, a server that never responds, one
// that stalls after the headers and one that trickles the body all give an
// error that matches context.DeadlineExceeded, within the call timeout,
// although the caller's context has no deadline. In a bubble, on the
// fake's in-memory network, the bound holds exactly, however busy the
// machine is.
func TestEveryCallEndsWithinItsBound(t *testing.T) {
	const (
		attempt = 100 * time.Millisecond
		call    = 400 * time.Millisecond
	)
	faults := map[string]fake.Fault{
		"no response":    {Hang: true},
		"stalled body":   {StallBody: true},
		"trickled body":  {Trickle: 10 * time.Millisecond},
		"stalled, POST":  {StallBody: true},
		"no response, 0": {Hang: true},
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewServer(fake.WithInMemoryNetwork())
				t.Cleanup(srv.Close)
				opts := []client.Option{client.WithTimeout(call), client.WithAttemptTimeout(attempt)}
				if strings.HasSuffix(name, ", 0") {
					opts[1] = client.WithAttemptTimeout(0) // only the call timeout bounds it
				}
				c, err := srv.NewClient(opts...)
				require.NoError(t, err)
				inv, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"})
				require.NoError(t, err)

				srv.InjectFault(fake.AnyOperation, 100, f)
				start := time.Now()
				if strings.HasSuffix(name, "POST") {
					_, err = c.Revoke(context.Background(), "org_1", inv.ID, client.RevokeParams{})
				} else {
					_, err = c.Get(context.Background(), "org_1", inv.ID)
				}
				elapsed := time.Since(start)
				require.Error(t, err)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.LessOrEqual(t, elapsed, call, "the call outlasted its bound")
				want := attempt // the first attempt's timeout ends the call
				if strings.HasSuffix(name, ", 0") {
					want = call
				}
				assert.Equal(t, want, elapsed, "exactly, on the bubble's clock")
			})
		})
	}
}

// The same bounds on real loopback sockets, where the point is the
// transport's own behaviour: a server that never responds ends the call
// within its bound plus wide slack for a loaded machine.
func TestACallToAHangingSocketEnds(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(client.WithTimeout(400*time.Millisecond), client.WithAttemptTimeout(100*time.Millisecond))
	require.NoError(t, err)
	srv.InjectFault(fake.AnyOperation, 100, fake.Fault{Hang: true})
	start := time.Now()
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second, "the call outlasted its bound by far")
}

// The default bounds are what README promises: 90 s for a call, 30 s for
// each attempt.
func TestDefaultTimeouts(t *testing.T) {
	assert.Equal(t, 90*time.Second, client.DefaultTimeout)
	assert.Equal(t, 30*time.Second, client.DefaultAttemptTimeout)
	_, err := client.New(client.WithSecretKey(testKey), client.WithTimeout(-time.Second))
	assert.Error(t, err)
	_, err = client.New(client.WithSecretKey(testKey), client.WithAttemptTimeout(-time.Second))
	assert.Error(t, err)
}

// An iterator over a server that ignores the offset stops after the first
// page that brings nothing new, with a PagingError, instead of sending
// requests for ever.
func TestIteratorsStopWhenTheServerIgnoresTheOffset(t *testing.T) {
	for _, cc := range []struct {
		name string
		n    int
	}{{"sequential", 1}, {"parallel", client.DefaultPageConcurrency}} {
		t.Run(cc.name, func(t *testing.T) {
			srv := fake.NewServer()
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(client.WithPageConcurrency(cc.n))
			require.NoError(t, err)
			for i := range 7 {
				_, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: fmt.Sprintf("p%d@example.com", i), Role: "org:member"})
				require.NoError(t, err)
			}
			srv.InjectFault(fake.OpList, 1000, fake.Fault{IgnoreOffset: true})
			srv.InjectFault(fake.OpListInstance, 1000, fake.Fault{IgnoreOffset: true})
			before := len(srv.Requests())

			var items int
			var last error
			for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 2}) {
				if err != nil {
					last = err
					continue
				}
				items++
			}
			var pagingErr *client.PagingError
			require.ErrorAs(t, last, &pagingErr)
			assert.Equal(t, 2, items)
			assert.Equal(t, 1, pagingErr.Offset, "the second page, from the first page's last item")
			if cc.n == 1 {
				assert.Len(t, srv.Requests()[before:], 2, "one page of items, one page that brought nothing new")
			} else {
				// The first page, then the six others of 7 invitations in
				// pages of 2 that overlap by one, at once; the guard cancels
				// those not yet yielded, which may or may not have reached
				// the server.
				assert.GreaterOrEqual(t, len(srv.Requests()[before:]), 2)
				assert.LessOrEqual(t, len(srv.Requests()[before:]), 7)
			}

			last, items = nil, 0
			for _, err := range c.ListInstanceAll(context.Background(), client.ListInstanceParams{Limit: 3}) {
				if err != nil {
					last = err
					continue
				}
				items++
			}
			require.ErrorAs(t, last, &pagingErr)
			assert.Equal(t, 3, items)
		})
	}
}
