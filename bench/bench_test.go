// Package bench measures what the facade costs on top of what any client
// must do. Each case runs five implementations in the same run:
//
//   - impl=raw: hand-written net/http + encoding/json into plain structs
//     (metadata kept as json.RawMessage), what a careful client gets from
//     the standard library;
//   - impl=gen: the generated request layer (gen's functions) over the
//     barest gen.Caller, the same net/http + encoding/json as raw;
//   - impl=floor: raw's loop with the facade's headers (shared slices,
//     assigned), decoding as the facade does, with
//     github.com/go-json-experiment/json into gen's models (floor_test.go):
//     the floor a library on that decoder can approach;
//   - impl=floor+bound: the floor with each call under
//     context.WithTimeout, as a careful hand-written client bounds its
//     calls;
//   - impl=facade: this library's client package.
//
// over an in-memory RoundTripper (the library's own cost, no sockets) and
// over loopback HTTP. `make bench` runs them and prints medians with each
// implementation's ratio to raw, then the facade's to the floor and to
// floor+bound.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/benchdata"
)

const (
	key   = "sk_test_benchmark_key_0123456789"
	orgID = benchdata.OrgID
	invID = "orginv_2aBcDeFgHiJkLmNoPqRsTuVwXyZ"
)

func invitationJSON(i int) string { return benchdata.Invitation(i) }

func pageJSON(n int) []byte { return benchdata.Page(0, n, n) }

var (
	oneInvitation = []byte(invitationJSON(1))
	page100       = pageJSON(100)
	page500       = pageJSON(500)
)

// memTransport responds to every request with the same body, without sockets.
type memTransport struct{ body []byte }

func (m memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(m.body)),
		ContentLength: int64(len(m.body)),
		Request:       req,
	}, nil
}

// --- raw: net/http and encoding/json into plain structs ---

type rawInviter struct {
	UserID     string  `json:"user_id"`
	FirstName  *string `json:"first_name"`
	LastName   *string `json:"last_name"`
	ImageURL   string  `json:"image_url"`
	HasImage   bool    `json:"has_image"`
	Identifier string  `json:"identifier"`
}

// rawInvitation is what a careful hand-written client decodes an
// invitation into: the nullable fields are pointers and the rest values,
// as in gen's model, and metadata stays raw JSON until it is needed.
type rawInvitation struct {
	Object            string          `json:"object"`
	ID                string          `json:"id"`
	EmailAddress      string          `json:"email_address"`
	Role              string          `json:"role"`
	RoleName          string          `json:"role_name"`
	OrganizationID    string          `json:"organization_id"`
	InviterID         *string         `json:"inviter_id"`
	PublicInviterData *rawInviter     `json:"public_inviter_data"`
	Status            string          `json:"status"`
	PublicMetadata    json.RawMessage `json:"public_metadata"`
	PrivateMetadata   json.RawMessage `json:"private_metadata"`
	URL               *string         `json:"url"`
	ExpiresAt         *int64          `json:"expires_at"`
	CreatedAt         int64           `json:"created_at"`
	UpdatedAt         int64           `json:"updated_at"`
}

type rawPage struct {
	Data       []rawInvitation `json:"data"`
	TotalCount int64           `json:"total_count"`
}

type rawCreate struct {
	EmailAddress string `json:"email_address"`
	Role         string `json:"role"`
}

type raw struct {
	hc   *http.Client
	base string
}

func (r *raw) do(ctx context.Context, method, url string, body []byte, out any) error {
	resp, err := r.send(ctx, method, url, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// send sends one request with the headers every implementation sets and
// returns a 200 response, whose body the caller decodes and closes.
func (r *raw) send(ctx context.Context, method, url string, body []byte) (*http.Response, error) {
	req, err := newRequest(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Clerk-API-Version", "2026-05-12")
	req.Header.Set("User-Agent", "raw-baseline/1.0")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return r.roundTrip(req)
}

// newRequest is a request with body (nil: none) and no headers yet.
func newRequest(ctx context.Context, method, url string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	return http.NewRequestWithContext(ctx, method, url, rd)
}

// roundTrip sends req and returns its response if the status is 200.
func (r *raw) roundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

func (r *raw) get(ctx context.Context) (*rawInvitation, error) {
	var out rawInvitation
	err := r.do(ctx, http.MethodGet, r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations/"+url.PathEscape(invID), nil, &out)
	return &out, err
}

func (r *raw) list(ctx context.Context, limit int) (*rawPage, error) {
	var out rawPage
	err := r.do(ctx, http.MethodGet, r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations?limit="+fmt.Sprint(limit), nil, &out)
	return &out, err
}

func (r *raw) create(ctx context.Context) (*rawInvitation, error) {
	body, err := json.Marshal(rawCreate{EmailAddress: "ada@example.com", Role: "org:member"})
	if err != nil {
		return nil, err
	}
	var out rawInvitation
	err = r.do(ctx, http.MethodPost, r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations", body, &out)
	return &out, err
}

// --- the implementations behind one interface ---

type impl interface {
	get(ctx context.Context) error
	list(ctx context.Context, limit int) error
	create(ctx context.Context) error
}

type rawImpl struct{ r *raw }

func (i rawImpl) get(ctx context.Context) error { _, err := i.r.get(ctx); return err }
func (i rawImpl) list(ctx context.Context, limit int) error {
	_, err := i.r.list(ctx, limit)
	return err
}
func (i rawImpl) create(ctx context.Context) error { _, err := i.r.create(ctx); return err }

// bareCaller is the least a gen.Caller can do: one attempt, the same
// headers as raw, JSON in and out. With it, impl=gen measures the generated
// request layer (checks, path and query building) on its own.
type bareCaller struct{ r *raw }

func (c bareCaller) Call(ctx context.Context, req *gen.Request, result any) error {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return err
		}
	}
	return c.r.do(ctx, req.Operation.Method, c.r.base+"/"+req.Path, body, result)
}

type genImpl struct{ c bareCaller }

func (i genImpl) get(ctx context.Context) error {
	_, err := gen.GetOrganizationInvitation(ctx, i.c, orgID, invID)
	return err
}

func (i genImpl) list(ctx context.Context, limit int) error {
	_, err := gen.ListOrganizationInvitations(ctx, i.c, orgID, gen.ListOrganizationInvitationsParams{Limit: limit})
	return err
}

func (i genImpl) create(ctx context.Context) error {
	_, err := gen.CreateOrganizationInvitation(ctx, i.c, orgID, gen.NewOrganizationInvitation{EmailAddress: "ada@example.com", Role: "org:member"})
	return err
}

type facadeImpl struct{ c *client.Client }

func (i facadeImpl) get(ctx context.Context) error {
	_, err := i.c.Get(ctx, orgID, invID)
	return err
}

func (i facadeImpl) list(ctx context.Context, limit int) error {
	_, err := i.c.List(ctx, orgID, client.ListParams{Limit: limit})
	return err
}

func (i facadeImpl) create(ctx context.Context) error {
	_, err := i.c.Create(ctx, orgID, client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	return err
}

// newFacade is the library's client against base over hc, with opts.
func newFacade(tb testing.TB, base string, hc *http.Client, opts ...client.Option) *client.Client {
	tb.Helper()
	c, err := client.New(append([]client.Option{client.WithBaseURL(base), client.WithSecretKey(key), client.WithHTTPClient(hc), client.WithoutRequestLimit()}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// impls builds the implementations over hc, against base.
func impls(b *testing.B, hc *http.Client, base string) []struct {
	name string
	impl impl
} {
	r := &raw{hc: hc, base: base}
	c := newFacade(b, base, hc)
	return []struct {
		name string
		impl impl
	}{
		{"impl=raw", rawImpl{r}},
		{"impl=gen", genImpl{bareCaller{r}}},
		{"impl=floor", floor{r: r}},
		{"impl=floor+bound", floor{r: r, bound: floorBound}},
		{"impl=facade", facadeImpl{c}},
	}
}

// cases are the calls measured, with the response each needs.
var cases = []struct {
	name string
	body []byte
	call func(ctx context.Context, i impl) error
}{
	{"op=get", oneInvitation, func(ctx context.Context, i impl) error { return i.get(ctx) }},
	{"op=create", oneInvitation, func(ctx context.Context, i impl) error { return i.create(ctx) }},
	{"op=list100", page100, func(ctx context.Context, i impl) error { return i.list(ctx, 100) }},
	{"op=list500", page500, func(ctx context.Context, i impl) error { return i.list(ctx, 500) }},
}

// measure runs call in a benchmark loop, reporting allocations and the
// response's size as bytes per operation.
func measure(b *testing.B, body []byte, call func() error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInMemory: the client's own cost; the transport responds from
// memory.
func BenchmarkInMemory(b *testing.B) {
	ctx := context.Background()
	for _, tc := range cases {
		hc := &http.Client{Transport: memTransport{body: tc.body}}
		for _, im := range impls(b, hc, "https://api.clerk.com/v1") {
			b.Run(tc.name+"/"+im.name, func(b *testing.B) { measure(b, tc.body, func() error { return tc.call(ctx, im.impl) }) })
		}
	}
}

// BenchmarkLoopback: the same over real HTTP on 127.0.0.1, with a tuned
// transport shared by all.
func BenchmarkLoopback(b *testing.B) {
	ctx := context.Background()
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(tc.body)
		}))
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		hc := &http.Client{Transport: tr}
		for _, im := range impls(b, hc, srv.URL+"/v1") {
			b.Run(tc.name+"/"+im.name, func(b *testing.B) { measure(b, tc.body, func() error { return tc.call(ctx, im.impl) }) })
		}
		tr.CloseIdleConnections()
		srv.Close()
	}
}

// BenchmarkSuccessPathExtras: what retries, auth, the request limit, the
// timeouts and per-call options cost a call that succeeds the first time.
// Each variant but the two marked "for comparison" should allocate exactly
// as much as impl=facade in BenchmarkInMemory/op=get.
func BenchmarkSuccessPathExtras(b *testing.B) {
	ctx := context.Background()
	hc := &http.Client{Transport: memTransport{body: oneInvitation}}
	variants := []struct {
		name     string
		opts     []client.Option // given to New
		callOpts []client.Option // given to every call
	}{
		{"variant=retries-off", []client.Option{client.WithoutRetries(), client.WithRetryBudget(0)}, nil},
		{"variant=defaults", nil, nil},
		{"variant=key-provider", []client.Option{client.WithKeyProvider(func(context.Context) (string, error) { return key, nil })}, nil},
		// The request limit every client has unless told otherwise, here
		// one that the benchmark never reaches: what keeping count costs.
		{"variant=request-limit", []client.Option{client.WithRequestLimit(1_000_000_000, time.Second)}, nil},
		// For comparison: without the call and attempt timeouts, what
		// bounding each call costs.
		{"variant=no-timeouts", []client.Option{client.WithTimeout(0), client.WithAttemptTimeout(0)}, nil},
		// For comparison: an option given per call copies the settings for
		// that call (a client-level option costs nothing per call).
		{"variant=per-call-header", nil, []client.Option{client.WithHeader("X-Request-Id", "bench")}},
	}
	for _, v := range variants {
		c := newFacade(b, "https://api.clerk.com/v1", hc, v.opts...)
		b.Run(v.name, func(b *testing.B) {
			measure(b, nil, func() error { _, err := c.Get(ctx, orgID, invID, v.callOpts...); return err })
		})
	}
}

// countingListener counts the TCP connections a server accepts.
type countingListener struct {
	net.Listener
	accepted atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

// BenchmarkConcurrentGet: 64 goroutines call Get against a loopback
// server, and the server counts the TCP connections it accepts: conns/op is
// new connections per request. client=library uses the library's default
// HTTP client; client=stdlib-transport a plain clone of
// http.DefaultTransport (2 idle connections per host), for contrast.
func BenchmarkConcurrentGet(b *testing.B) {
	for _, v := range []struct {
		name string
		opts []client.Option
	}{
		{"client=library", nil},
		{"client=stdlib-transport", []client.Option{client.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})}},
	} {
		b.Run(v.name, func(b *testing.B) { concurrentGets(b, v.opts) })
	}
}

func concurrentGets(b *testing.B, opts []client.Option) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(oneInvitation)
	}))
	cl := &countingListener{Listener: srv.Listener}
	srv.Listener = cl
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // connection churn is the point of one variant
	srv.Start()
	defer srv.Close()

	c, err := client.New(append([]client.Option{client.WithBaseURL(srv.URL + "/v1"), client.WithSecretKey(key), client.WithoutRequestLimit()}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const goroutines = 64
	var requests atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/goroutines + 1
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range per {
				if _, err := c.Get(ctx, orgID, invID); err != nil {
					b.Error(err)
					return
				}
				requests.Add(1)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(cl.accepted.Load())/float64(requests.Load()), "conns/op")
}

// Two bodies just under the client's default response size cap: a page
// of about 12,000 invitations, and one invitation padded with an unknown
// field, whose decoded form is tiny, so that what the call allocates is
// almost all buffering.
var (
	nearCapPage = func() []byte {
		one := len(invitationJSON(0)) + 1
		return pageJSON((client.DefaultMaxResponseBytes - 64) / one)
	}()
	nearCapPadded = func() []byte {
		head := `{"data":[` + invitationJSON(0) + `],"total_count":1,"padding":"`
		return []byte(head + strings.Repeat("x", client.DefaultMaxResponseBytes-len(head)-64) + `"}`)
	}()
)

// unsizedTransport is memTransport without a Content-Length, as a chunked
// or compressed response arrives.
type unsizedTransport struct{ body []byte }

func (m unsizedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := memTransport(m).RoundTrip(req)
	resp.ContentLength = -1
	return resp, err
}

// BenchmarkNearTheSizeCap: memory for a response just under the default
// 16 MiB cap, with and without a Content-Length. B/op counts every byte the
// call allocates: buffers and the decoded page. The cap-multiple metric is
// B/op divided by the cap. On the padded body, whose decoded form is tiny,
// it is the cost of buffering alone: at most 1 with a Content-Length and 2
// without. On the page of invitations the decoded page itself takes about
// 2.8 times the body, for every implementation alike.
func BenchmarkNearTheSizeCap(b *testing.B) {
	ctx := context.Background()
	bodies := []struct {
		name string
		body []byte
	}{{"body=padded", nearCapPadded}, {"body=page", nearCapPage}}
	for _, bd := range bodies {
		for _, sized := range []bool{true, false} {
			var rt http.RoundTripper = memTransport{body: bd.body}
			length := "length=known"
			if !sized {
				rt, length = unsizedTransport{body: bd.body}, "length=unknown"
			}
			hc := &http.Client{Transport: rt}
			for _, im := range impls(b, hc, "https://api.clerk.com/v1") {
				if im.name == "impl=gen" || strings.HasPrefix(im.name, "impl=floor") {
					continue // gen reads bodies like raw; the floors keep their buffers
				}
				b.Run(bd.name+"/"+length+"/"+im.name, func(b *testing.B) {
					b.ReportAllocs()
					var total uint64
					var ms runtime.MemStats
					for b.Loop() {
						runtime.ReadMemStats(&ms)
						before := ms.TotalAlloc
						if err := im.impl.list(ctx, 500); err != nil {
							b.Fatal(err)
						}
						runtime.ReadMemStats(&ms)
						total += ms.TotalAlloc - before
					}
					b.ReportMetric(float64(total)/float64(b.N)/client.DefaultMaxResponseBytes, "cap-multiple")
				})
			}
		}
	}
}
