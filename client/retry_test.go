package client_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// op is one of the seven operations, called with valid input.
type op struct {
	name     string
	post     bool
	response string // a 200 body for it
	call     func(ctx context.Context, c *client.Client) error
}

var allOps = []op{
	{"ListInstance", false, instancePageJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.ListInstance(ctx, client.ListInstanceParams{})
		return err
	}},
	{"Create", true, invitationJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
		return err
	}},
	{"List", false, pageJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.List(ctx, "org_1", client.ListParams{})
		return err
	}},
	{"BulkCreate", true, pageJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{
			{EmailAddress: "ada@example.com", Role: "org:member"}, {EmailAddress: "grace@example.com", Role: "org:admin"},
		})
		return err
	}},
	{"ListPending", false, pageJSON, func(ctx context.Context, c *client.Client) error {
		//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
		_, err := gen.ListPendingOrganizationInvitations(ctx, c, "org_1", gen.ListPendingOrganizationInvitationsParams{})
		return err
	}},
	{"Get", false, invitationJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.Get(ctx, "org_1", "orginv_1")
		return err
	}},
	{"Revoke", true, invitationJSON, func(ctx context.Context, c *client.Client) error {
		_, err := c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{RequestingUserID: "user_1"})
		return err
	}},
}

// A server behaviour for the matrix. response gets the 1-based number of the
// request; closedPort means no server at all.
type behaviour struct {
	name       string
	response   func(n int, okBody string) http.HandlerFunc
	closedPort bool
	timeout    time.Duration // the HTTP client's timeout, for hangs
}

// expect is the outcome of a cell: the error kind ("ok", "APIError 503",
// "RequestError", "DecodeError"), the requests the server saw, and whether
// the error says the outcome is unknown.
type expect struct {
	outcome string
	seen    int
	unknown bool
}

func clerkStatus(status int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"errors":[{"code":"e%d","message":"m","long_message":"status %d"}]}`, status, status)
	}
}

func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.(*net.TCPConn).SetLinger(0) // a reset, not a clean close
	_ = conn.Close()
}

var behaviours = []struct {
	behaviour
	get, post expect
}{
	{behaviour{name: "200", response: func(_ int, ok string) http.HandlerFunc { return reply(200, ok) }},
		expect{"ok", 1, false}, expect{"ok", 1, false}},
	{behaviour{name: "503, 503, 200", response: func(n int, ok string) http.HandlerFunc {
		if n <= 2 {
			return clerkStatus(503, "")
		}
		return reply(200, ok)
	}}, expect{"ok", 3, false}, expect{"APIError 503", 1, true}},
	{behaviour{name: "429 Retry-After 1, then 200", response: func(n int, ok string) http.HandlerFunc {
		if n == 1 {
			return clerkStatus(429, "1")
		}
		return reply(200, ok)
	}}, expect{"ok", 2, false}, expect{"ok", 2, false}},
	{behaviour{name: "500 always", response: func(int, string) http.HandlerFunc { return clerkStatus(500, "") }},
		expect{"APIError 500", 4, false}, expect{"APIError 500", 1, true}},
	{behaviour{name: "502 always", response: func(int, string) http.HandlerFunc { return clerkStatus(502, "") }},
		expect{"APIError 502", 4, false}, expect{"APIError 502", 1, true}},
	{behaviour{name: "429 always", response: func(int, string) http.HandlerFunc { return clerkStatus(429, "") }},
		expect{"APIError 429", 4, false}, expect{"APIError 429", 4, false}},
	{behaviour{name: "400", response: func(int, string) http.HandlerFunc { return clerkStatus(400, "") }},
		expect{"APIError 400", 1, false}, expect{"APIError 400", 1, false}},
	{behaviour{name: "hang", timeout: 40 * time.Millisecond, response: func(int, string) http.HandlerFunc {
		return func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	}}, expect{"RequestError", 4, false}, expect{"RequestError", 1, true}},
	{behaviour{name: "reset before reading the request", response: func(int, string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { drop(w) }
	}}, expect{"RequestError", 4, false}, expect{"RequestError", 1, true}},
	{behaviour{name: "reset after reading the request", response: func(int, string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { _, _ = io.ReadAll(r.Body); drop(w) }
	}}, expect{"RequestError", 4, false}, expect{"RequestError", 1, true}},
	{behaviour{name: "close mid-body", response: func(_ int, ok string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(ok)))
			_, _ = io.WriteString(w, ok[:len(ok)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
	}}, expect{"DecodeError", 4, false}, expect{"DecodeError", 1, true}},
	{behaviour{name: "malformed JSON", response: func(int, string) http.HandlerFunc { return reply(200, `{"id": "orginv_1",,}`) }},
		expect{"DecodeError", 1, false}, expect{"DecodeError", 1, true}},
	{behaviour{name: "closed port", closedPort: true},
		expect{"RequestError", 0, false}, expect{"RequestError", 0, false}},
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.ResponseWriter.(http.Hijacker).Hijack()
}

// matrixServer serves one cell and counts what it saw.
type matrixServer struct {
	mu     sync.Mutex
	n      int
	bodies []string
	got429 int
	extra  []string // headers that must never be sent, if they were
}

// counts is a copy of what a matrixServer saw.
type counts struct {
	n, got429     int
	bodies, extra []string
}

func (ms *matrixServer) snapshot() counts {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return counts{ms.n, ms.got429, append([]string(nil), ms.bodies...), append([]string(nil), ms.extra...)}
}

func outcomeOf(err error) string {
	var (
		apiErr *client.APIError
		reqErr *client.RequestError
		decErr *client.DecodeError
	)
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &apiErr):
		return fmt.Sprintf("APIError %d", apiErr.StatusCode)
	case errors.As(err, &reqErr):
		return "RequestError"
	case errors.As(err, &decErr):
		return "DecodeError"
	}
	return fmt.Sprintf("%T", err)
}

// The fault-injection matrix: every operation against every server
// behaviour. GETs are retried through transient failures; a POST is sent
// again only when it provably was not carried out (a refused connection, a
// 429), and otherwise reports an unknown outcome. No create is ever seen
// twice by a server that may have carried out the first one.
func TestFaultInjectionMatrix(t *testing.T) {
	var table strings.Builder
	table.WriteString("| behaviour | method | outcome | requests seen | outcome unknown |\n|---|---|---|---|---|\n")
	duplicates := 0
	for _, b := range behaviours {
		for _, o := range allOps {
			want := b.get
			if o.post {
				want = b.post
			}
			t.Run(b.name+"/"+o.name, func(t *testing.T) {
				ms := &matrixServer{}
				var base string
				if b.closedPort {
					ln, err := net.Listen("tcp", "127.0.0.1:0")
					require.NoError(t, err)
					base = "http://" + ln.Addr().String() + "/v1"
					require.NoError(t, ln.Close())
				} else {
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						body, _ := io.ReadAll(r.Body)
						ms.mu.Lock()
						ms.n++
						n := ms.n
						ms.bodies = append(ms.bodies, string(body))
						for _, h := range []string{"Idempotency-Key", "X-Idempotency-Key"} {
							if r.Header.Get(h) != "" {
								ms.extra = append(ms.extra, h)
							}
						}
						ms.mu.Unlock()
						r.Body = io.NopCloser(strings.NewReader(string(body)))
						sw := &statusWriter{ResponseWriter: w}
						b.response(n, o.response)(sw, r)
						if sw.status == http.StatusTooManyRequests {
							ms.mu.Lock()
							ms.got429++ // refused before any work: provably not carried out
							ms.mu.Unlock()
						}
					}))
					srv.Config.ErrorLog = quietLog
					t.Cleanup(srv.Close)
					base = srv.URL + "/v1"
				}
				var waits []time.Duration
				opts := []client.Option{
					client.WithBaseURL(base), client.WithSecretKey(testKey),
					client.WithClock(time.Now, func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }),
				}
				if b.timeout > 0 {
					opts = append(opts, client.WithHTTPClient(&http.Client{Timeout: b.timeout}))
				}
				c, err := client.New(opts...)
				require.NoError(t, err)

				err = o.call(context.Background(), c)
				seen := ms.snapshot() // handlers of timed-out requests may still be running
				got := expect{outcomeOf(err), seen.n, client.OutcomeUnknown(err)}
				assert.Equal(t, want, got)
				assert.Empty(t, seen.extra, "no idempotency header may be sent: Go's transport would replay POSTs itself")
				for _, body := range seen.bodies {
					assert.Equal(t, seen.bodies[0], body, "every attempt sends the same body")
				}
				if err != nil {
					assert.NotContains(t, err.Error(), testKey)
				}
				if o.post && seen.n-seen.got429 > 1 {
					duplicates++
					t.Errorf("the server may have carried out this POST %d times", seen.n-seen.got429)
				}
				if b.name == "429 Retry-After 1, then 200" {
					assert.Equal(t, []time.Duration{time.Second}, waits, "Retry-After is honoured")
				}
			})
			method := "GET"
			if o.post {
				method = "POST"
			}
			fmt.Fprintf(&table, "| %s | %s %s | %s | %d | %v |\n", b.name, method, o.name, want.outcome, want.seen, want.unknown)
		}
	}
	assert.Zero(t, duplicates)
	if testing.Verbose() {
		t.Logf("fault-injection matrix (%d cells), duplicate creates observed: %d\n%s", len(behaviours)*len(allOps), duplicates, table.String())
	}
}

// Retry-After, in seconds or as a date, sets the wait on 429 and 503; a
// past date falls back to the backoff; an absurd value is not waited for.
func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, header string
		status       int
		waits        []time.Duration
		seen         int
		retryAfter   time.Duration // on the final error, when the call fails
	}{
		{"seconds on 429", "3", 429, []time.Duration{3 * time.Second}, 2, 0},
		{"seconds on 503", "2", 503, []time.Duration{2 * time.Second}, 2, 0},
		{"a date", "Sun, 22 Nov 2026 12:00:05 GMT", 429, []time.Duration{5 * time.Second}, 2, 0},
		{"a past date: backoff", "Sun, 22 Nov 2026 11:00:00 GMT", 503, nil, 2, 0},
		{"garbage: backoff", "tomorrow-ish", 429, nil, 2, 0},
		{"absurd: not waited for", "86400000", 429, nil, 1, 24 * time.Hour},
		{"above the policy's cap", "31", 503, nil, 1, 31 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n int
			var mu sync.Mutex
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				first := n == 1
				mu.Unlock()
				if first {
					clerkStatus(tc.status, tc.header)(w, r)
					return
				}
				reply(200, invitationJSON)(w, r)
			})
			c := rec.client(client.WithClock(func() time.Time { return now }, rec.sleep))
			_, err := c.Get(context.Background(), "org_1", "orginv_1")
			assert.Len(t, rec.requests(), tc.seen)
			waits := rec.waited()
			if tc.waits != nil {
				assert.Equal(t, tc.waits, waits)
			}
			if tc.seen == 1 {
				var apiErr *client.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.retryAfter, apiErr.RetryAfter)
				assert.Empty(t, waits)
				return
			}
			require.NoError(t, err)
			if tc.waits == nil {
				require.Len(t, waits, 1)
				assert.InDelta(t, 500*time.Millisecond, waits[0], float64(125*time.Millisecond), "the backoff's first step")
			}
		})
	}
}

// A deadline shorter than the wait: the call returns at once with the
// error, RetryAfter set, instead of sleeping past the deadline.
func TestDeadlineShorterThanRetryAfter(t *testing.T) {
	rec := newRecorder(t, clerkStatus(429, "20"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := rec.client().Get(ctx, "org_1", "orginv_1")
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 20*time.Second, apiErr.RetryAfter)
	assert.Len(t, rec.requests(), 1)
	assert.Empty(t, rec.waited())
}

// Cancelled while waiting to retry: the call returns promptly, with the
// context's error wrapped around the last API error.
func TestCancelDuringTheWait(t *testing.T) {
	rec := newRecorder(t, clerkStatus(503, "10"))
	waiting := make(chan struct{})
	c := rec.client(client.WithClock(time.Now, func(ctx context.Context, d time.Duration) error {
		close(waiting)                  // the client is now between attempts
		return client.RealSleep(ctx, d) // a real wait
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-waiting
		cancel()
	}()
	start := time.Now()
	_, err := c.Get(ctx, "org_1", "orginv_1")
	assert.Less(t, time.Since(start), 5*time.Second, "no full 10 s wait")
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "context canceled while waiting to retry; last failure: clerk: GetOrganizationInvitation: 503")
	assert.Len(t, rec.requests(), 1)
}

// Every attempt asks the key provider again and carries the per-call
// options; the body is the same bytes each time.
func TestEveryAttemptIsComplete(t *testing.T) {
	var n int
	var mu sync.Mutex
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		if k < 3 {
			clerkStatus(429, "")(w, r)
			return
		}
		reply(200, invitationJSON)(w, r)
	})
	var keys int
	c := rec.client(client.WithKeyProvider(func(context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		keys++
		return fmt.Sprintf("sk_test_rotated_%d", keys), nil
	}))
	_, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"},
		client.WithHeader("X-Request-Id", "job-7"))
	require.NoError(t, err)
	reqs := rec.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, fmt.Sprintf("Bearer sk_test_rotated_%d", i+1), r.Header.Get("Authorization"))
		assert.Equal(t, "job-7", r.Header.Get("X-Request-Id"))
		assert.Equal(t, reqs[0].Body, r.Body)
	}
}

func TestRetryPolicyPerCallAndOff(t *testing.T) {
	rec := newRecorder(t, clerkStatus(503, ""))
	c := rec.client(client.WithMaxRetries(1))
	_, err := c.Get(context.Background(), "org_1", "orginv_1")
	require.Error(t, err)
	assert.Len(t, rec.requests(), 2, "the client's policy: one retry")

	_, err = c.Get(context.Background(), "org_1", "orginv_1", client.WithoutRetries())
	require.Error(t, err)
	assert.Len(t, rec.requests(), 3, "retries off for this call")

	p := client.DefaultRetryPolicy()
	p.MaxRetries = 5
	_, err = c.Get(context.Background(), "org_1", "orginv_1", client.WithRetryPolicy(p))
	require.Error(t, err)
	assert.Len(t, rec.requests(), 9, "a per-call policy")
}

// The explicit opt-in retries a create whose outcome is unknown: the
// documented risk, duplicates, is real.
func TestRetryUnknownOutcomeOptIn(t *testing.T) {
	rec := newRecorder(t, clerkStatus(503, ""))
	p := client.DefaultRetryPolicy()
	p.RetryUnknownOutcome = true
	_, err := rec.client(client.WithRetryPolicy(p)).Create(context.Background(), "org_1",
		client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	assert.True(t, client.OutcomeUnknown(err))
	assert.Len(t, rec.requests(), 4)
}

// Retries are logged with operation, attempt, reason and delay; never the
// key or a body.
func TestRetryLogging(t *testing.T) {
	var mu sync.Mutex
	var n int
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		switch k {
		case 1:
			clerkStatus(503, "2")(w, r)
		default:
			clerkStatus(500, "")(w, r)
		}
	})
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	c := rec.client(client.WithLogger(logger), client.WithMaxRetries(1))
	_, err := c.Get(context.Background(), "org_1", "orginv_1")
	require.Error(t, err)
	_, err = c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	require.Error(t, err)
	assert.Equal(t,
		`level=INFO msg="clerk: retrying" operation=GetOrganizationInvitation attempt=1 reason="status 503" delay=2s`+"\n"+
			`level=WARN msg="clerk: outcome unknown; not retried" operation=CreateOrganizationInvitation attempt=1 reason="status 500" delay=0s`+"\n",
		logs.String())
	assert.NotContains(t, logs.String(), testKey)
	assert.NotContains(t, logs.String(), "ada@example.com")
}

// Many goroutines against a failing server, under -race: the budget caps
// the retries of all of them together; successes refill it.
func TestRetryBudgetUnderConcurrency(t *testing.T) {
	var mu sync.Mutex
	failing := true
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		f := failing
		mu.Unlock()
		if f {
			clerkStatus(503, "")(w, r)
			return
		}
		reply(200, invitationJSON)(w, r)
	})
	c := rec.client(client.WithRetryBudget(50)) // 10 retries at 5 tokens each
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Get(context.Background(), "org_1", "orginv_1")
			assert.Error(t, err)
		}()
	}
	wg.Wait()
	assert.Len(t, rec.requests(), 32+10, "32 first attempts and the 10 retries the budget paid for")
	assert.Zero(t, client.BudgetLeft(c))

	mu.Lock()
	failing = false
	mu.Unlock()
	for range 7 {
		_, err := c.Get(context.Background(), "org_1", "orginv_1")
		require.NoError(t, err)
	}
	assert.Equal(t, 7, client.BudgetLeft(c), "each first-attempt success earns a token back")
}

// WithMaxRetryAfter(0) hands every Retry-After back to the caller at once,
// and leaves the rest of the policy as it was.
func TestWithMaxRetryAfterZeroReturnsAtOnce(t *testing.T) {
	rec := newRecorder(t, clerkStatus(http.StatusTooManyRequests, "3"))
	c := rec.client(client.WithMaxRetryAfter(0))
	_, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3*time.Second, apiErr.RetryAfter)
	assert.Len(t, rec.requests(), 1)
	assert.Empty(t, rec.waited())

	rec.setHandler(clerkStatus(http.StatusServiceUnavailable, ""))
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	assert.Error(t, err)
	assert.Len(t, rec.requests(), 1+4, "the retries themselves are untouched")
	_, err = client.New(client.WithSecretKey(testKey), client.WithMaxRetryAfter(-time.Second))
	assert.ErrorContains(t, err, "WithMaxRetryAfter")
}
