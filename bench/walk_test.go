package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/benchdata"
)

// A walk over a big list through a network with a round trip: 20,000
// invitations in pages of 500 (the API's maximum, 40 pages) from a loopback
// server that holds every response for 20 ms.
const (
	walkTotal    = 20_000
	walkPage     = 500
	walkLatency  = 20 * time.Millisecond
	walkInFlight = 8 // the raw parallel loop's pages in flight
)

// walkPages are the response bodies by offset, built on first use: the
// 40 pages at multiples of 500 that the raw loops ask for, and the 41 that
// ListAll asks for, each of which starts at the last item of the one before
// (offsets 0, 499, 998, …).
var walkPages = sync.OnceValue(func() map[int][]byte {
	pages := map[int][]byte{}
	for _, step := range []int{walkPage, walkPage - 1} {
		for start := 0; start < walkTotal; start += step {
			if pages[start] == nil {
				pages[start] = benchdata.Page(start, min(walkPage, walkTotal-start), walkTotal)
			}
		}
	}
	return pages
})

// walkServer serves the pages by offset, each after walkLatency, with a
// Content-Length.
func walkServer() *httptest.Server {
	pages := walkPages()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		body := pages[offset]
		if body == nil {
			body = []byte(`{"data":[],"total_count":` + strconv.Itoa(walkTotal) + `}`)
		}
		time.Sleep(walkLatency)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
}

// page fetches one page with offset, as raw does.
func (r *raw) page(ctx context.Context, offset int) (*rawPage, error) {
	var out rawPage
	target := r.base + "/organizations/" + url.PathEscape(orgID) + "/invitations?limit=" + strconv.Itoa(walkPage) + "&offset=" + strconv.Itoa(offset)
	err := r.do(ctx, http.MethodGet, target, nil, &out)
	return &out, err
}

// walkSequential is the hand-written loop: one page after another until a
// page is short or total_count is reached. It returns the invitations seen.
func (r *raw) walkSequential(ctx context.Context) (int, error) {
	n := 0
	for offset := 0; ; {
		p, err := r.page(ctx, offset)
		if err != nil {
			return n, err
		}
		n += len(p.Data)
		offset += len(p.Data)
		if len(p.Data) < walkPage || int64(offset) >= p.TotalCount {
			return n, nil
		}
	}
}

// walkParallel is the hand-written parallel loop: the first page, then
// every other page total_count calls for, walkInFlight at a time, each
// decoded as it arrives; then the pages in order.
func (r *raw) walkParallel(ctx context.Context) (int, error) {
	first, err := r.page(ctx, 0)
	if err != nil {
		return 0, err
	}
	pages := make([]*rawPage, (int(first.TotalCount)+walkPage-1)/walkPage)
	pages[0] = first
	errs := make([]error, len(pages))
	slots := make(chan struct{}, walkInFlight)
	var wg sync.WaitGroup
	for k := 1; k < len(pages); k++ {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			pages[k], errs[k] = r.page(ctx, k*walkPage)
		})
	}
	wg.Wait()
	n := 0
	for k, p := range pages {
		if errs[k] != nil {
			return n, errs[k]
		}
		n += len(p.Data)
	}
	return n, nil
}

// walkAll is the library's walk, counting what it yields.
func walkAll(ctx context.Context, c *client.Client, opts ...client.Option) (int, error) {
	n := 0
	for _, err := range c.ListAll(ctx, orgID, client.ListParams{}, opts...) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// BenchmarkWalk20k lists 20,000 invitations through a server that adds
// 20 ms to each response: loop=sequential is a hand-written loop (raw) and
// ListAll with WithPageConcurrency(1) (facade); loop=parallel is a
// hand-written loop with 8 pages in flight once the first page has told
// total_count (raw) and ListAll with its defaults (facade); concurrency=N
// is ListAll with N pages in flight, to choose the default. ListAll runs
// without the client's request limit, which raw has no equivalent of. One
// iteration takes about a second for the sequential loops and a fifth of
// that for the parallel ones.
func BenchmarkWalk20k(b *testing.B) {
	ctx := context.Background()
	srv := walkServer()
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	base := srv.URL + "/v1"
	r := &raw{hc: hc, base: base}
	c := newFacade(b, base, hc)

	run := func(name string, walk func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := walk()
				if err != nil {
					b.Fatal(err)
				}
				if n != walkTotal {
					b.Fatalf("walked %d invitations, not %d", n, walkTotal)
				}
			}
		})
	}
	run("loop=sequential/impl=raw", func() (int, error) { return r.walkSequential(ctx) })
	run("loop=sequential/impl=facade", func() (int, error) { return walkAll(ctx, c, client.WithPageConcurrency(1)) })
	run("loop=parallel/impl=raw", func() (int, error) { return r.walkParallel(ctx) })
	run("loop=parallel/impl=facade", func() (int, error) { return walkAll(ctx, c) })
	for _, n := range []int{2, 4, 8} {
		run(fmt.Sprintf("concurrency=%d", n), func() (int, error) { return walkAll(ctx, c, client.WithPageConcurrency(n)) })
	}
}
