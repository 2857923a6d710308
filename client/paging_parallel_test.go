package client_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// Parallel paging against the fake. A middleware in front of the fake
// (pageTraffic) sees every list request as it arrives, before the fake
// serves it, and can hold it back by its offset, so that pages come back
// out of order, or answer it itself.

// pageTraffic records the list requests a fake receives and shapes their
// timing.
type pageTraffic struct {
	mu        sync.Mutex
	arrived   []int // offsets, in the order the requests arrived
	served    []int // offsets, in the order their responses were sent
	cancelled []int // offsets of requests the client gave up while held back
	open      int   // requests being served now
	mostOpen  int   // the most served at once
	// hold, if set, says how long to hold the request for the page at this
	// offset (its nth request, from 1) before serving it, or responds
	// itself and reports true.
	hold func(w http.ResponseWriter, r *http.Request, offset, nth int) (time.Duration, bool)
}

func isList(r *http.Request) bool {
	return r.Method == http.MethodGet && (r.URL.Path == "/v1/organization_invitations" ||
		strings.HasSuffix(r.URL.Path, "/invitations") && strings.HasPrefix(r.URL.Path, "/v1/organizations/"))
}

func (tr *pageTraffic) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isList(r) {
			next.ServeHTTP(w, r)
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		tr.mu.Lock()
		tr.arrived = append(tr.arrived, offset)
		nth := 0
		for _, o := range tr.arrived {
			if o == offset {
				nth++
			}
		}
		hold := tr.hold
		tr.open++
		tr.mostOpen = max(tr.mostOpen, tr.open)
		tr.mu.Unlock()
		defer func() {
			tr.mu.Lock()
			tr.open--
			tr.mu.Unlock()
		}()
		if hold != nil {
			wait, answered := hold(w, r, offset, nth)
			if answered {
				return
			}
			select {
			case <-time.After(wait):
			case <-r.Context().Done():
				tr.mu.Lock()
				tr.cancelled = append(tr.cancelled, offset)
				tr.mu.Unlock()
				return
			}
		}
		tr.mu.Lock()
		tr.served = append(tr.served, offset)
		tr.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (tr *pageTraffic) snapshot() (arrived, served, cancelled []int) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.arrived), slices.Clone(tr.served), slices.Clone(tr.cancelled)
}

// fakeWith starts a fake behind tr holding n invitations of org_1, created
// in order (so oldest first lists them as created), and a client for it.
func fakeWith(t *testing.T, tr *pageTraffic, n int, opts ...client.Option) (*fake.Server, *client.Client) {
	t.Helper()
	srv := fake.NewServer(fake.WithMiddleware(tr.middleware))
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(opts...)
	require.NoError(t, err)
	invs := make([]client.CreateParams, n)
	for i := range invs {
		invs[i] = client.CreateParams{EmailAddress: fmt.Sprintf("p%04d@example.com", i), Role: "org:member", Notify: client.Bool(false)}
	}
	if n > 0 {
		createAll(t, c, "org_1", invs)
	}
	return srv, c
}

// Pages held back so that, in every group of four, the last comes back
// first: the items still come out in the list's order, each once, on both
// iterators.
func TestParallelWalkYieldsInOrderWhatArrivesOutOfOrder(t *testing.T) {
	const limit, conc = 50, 4
	tr := &pageTraffic{hold: func(_ http.ResponseWriter, _ *http.Request, offset, _ int) (time.Duration, bool) {
		if offset == 0 {
			return 0, false
		}
		return time.Duration(3-offset/limit%4) * 15 * time.Millisecond, false
	}}
	srv, c := fakeWith(t, tr, 1234, client.WithPageConcurrency(conc))
	var want []string
	for _, inv := range srv.Invitations() {
		want = append(want, inv.ID)
	}

	var got []string
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		require.NoError(t, err)
		got = append(got, inv.ID)
	}
	assert.Equal(t, want, got, "every invitation once, in the list's order")
	_, served, _ := tr.snapshot()
	require.Len(t, served, 25, "1,234 at 50 a page")
	assert.False(t, slices.IsSorted(served), "the pages were served out of order: %v", served)
	tr.mu.Lock()
	assert.Equal(t, conc, tr.mostOpen, "as many pages in flight as asked for, never more")
	tr.mu.Unlock()

	got = got[:0]
	for inv, err := range c.ListInstanceAll(context.Background(), client.ListInstanceParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		require.NoError(t, err)
		require.NotNil(t, inv.PublicOrganizationData)
		got = append(got, inv.ID)
	}
	assert.Equal(t, want, got)
}

// An invitation created during a newest-first walk shifts every later
// page by one: the item pushed onto the next page is not yielded twice,
// and the walk follows the list's new total to its new end, as a
// sequential walk does.
func TestParallelWalkDedupesAndFollowsAGrowingList(t *testing.T) {
	const limit = 10
	created := make(chan struct{})
	var newcomer atomic.Value
	tr := &pageTraffic{}
	srv, c := fakeWith(t, tr, 30, client.WithPageConcurrency(3))
	other, err := srv.NewClient()
	require.NoError(t, err)
	tr.hold = func(_ http.ResponseWriter, r *http.Request, offset, _ int) (time.Duration, bool) {
		switch offset {
		case 10: // served after the newcomer
			inv, err := other.Create(r.Context(), "org_1", client.CreateParams{EmailAddress: "new@example.com", Role: "org:member"})
			if assert.NoError(t, err) {
				newcomer.Store(inv.ID)
			}
			close(created)
		case 20:
			<-created
		}
		return 0, false
	}
	var original []string
	for _, inv := range srv.Invitations() {
		original = append(original, inv.ID)
	}

	seen := map[string]int{}
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit}) {
		require.NoError(t, err)
		seen[inv.ID]++
	}
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
	assert.Len(t, seen, 30)
	for _, id := range original {
		assert.Contains(t, seen, id, "every original invitation")
	}
	assert.NotContains(t, seen, newcomer.Load(), "the newcomer landed on a page already read")
	arrived, _, _ := tr.snapshot()
	slices.Sort(arrived)
	assert.Equal(t, []int{0, 10, 20, 30}, arrived, "the page at 30 exists only in the grown list")
}

// A break cancels the requests in flight and sends no more: the loop ends
// at once, although the server would hold those requests for a minute.
func TestParallelBreakCancelsWhatIsInFlight(t *testing.T) {
	const limit, conc = 10, 4
	tr := &pageTraffic{hold: func(_ http.ResponseWriter, _ *http.Request, offset, _ int) (time.Duration, bool) {
		if offset == 0 {
			return 0, false
		}
		return time.Minute, false
	}}
	_, c := fakeWith(t, tr, 200, client.WithPageConcurrency(conc))
	start := time.Now()
	n := 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		require.NoError(t, err)
		n++
		if n == 5 {
			// By now the other pages of the window are on their way.
			require.Eventually(t, func() bool { a, _, _ := tr.snapshot(); return len(a) == conc }, 5*time.Second, time.Millisecond)
			break
		}
	}
	assert.Less(t, time.Since(start), 10*time.Second, "the held requests were cancelled, not waited for")
	inFlight := []int{10, 20, 30}
	require.Eventually(t, func() bool {
		_, _, cancelled := tr.snapshot()
		slices.Sort(cancelled)
		return slices.Equal(cancelled, inFlight)
	}, 5*time.Second, time.Millisecond, "the server saw each request in flight cancelled")
	time.Sleep(50 * time.Millisecond)
	arrived, served, _ := tr.snapshot()
	assert.Equal(t, []int{0}, served)
	slices.Sort(arrived)
	assert.Equal(t, append([]int{0}, inFlight...), arrived, "no request after the break")
}

// The first error comes once, after the items of every page before it,
// and nothing follows it, even when pages after the failed one arrived
// first.
func TestParallelWalkYieldsTheFirstErrorOnce(t *testing.T) {
	const limit = 10
	tr := &pageTraffic{hold: func(w http.ResponseWriter, r *http.Request, offset, _ int) (time.Duration, bool) {
		switch offset {
		case 0, 40:
			return 0, false
		case 30:
			clerkStatus(http.StatusUnprocessableEntity, "")(w, r)
			return 0, true
		}
		return 30 * time.Millisecond, false // 10 and 20 come back after 30 failed and 40 arrived
	}}
	_, c := fakeWith(t, tr, 100, client.WithPageConcurrency(5))
	var ids []string
	var errs []error
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Empty(t, errs, "nothing follows the error")
		ids = append(ids, inv.ID)
	}
	require.Len(t, errs, 1)
	assert.True(t, client.HasCode(errs[0], "e422"))
	assert.Len(t, ids, 30, "the pages at 0, 10 and 20, then the error of the page at 30")
	assert.Len(t, uniq(ids), 30)
}

// Memory stays bounded: with a slow consumer, the pages requested never
// outrun the pages fully yielded by more than the concurrency, and the
// window is used to its full size.
func TestParallelWalkHoldsAtMostConcurrencyPages(t *testing.T) {
	const limit, conc, total = 10, 3, 300
	tr := &pageTraffic{}
	_, c := fakeWith(t, tr, total, client.WithPageConcurrency(conc))
	i, ahead := 0, 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		require.NoError(t, err)
		yielded := i / limit // pages fully yielded before this item's
		arrived, _, _ := tr.snapshot()
		require.LessOrEqual(t, len(arrived), yielded+conc, "item %d", i)
		ahead = max(ahead, len(arrived)-yielded)
		i++
		time.Sleep(500 * time.Microsecond) // a consumer slower than the server
	}
	assert.Equal(t, total, i)
	assert.Equal(t, conc, ahead, "the window fills while the consumer works")
}

// A 429 with a Retry-After within the retry policy, in the middle of a
// parallel walk, slows the walk down but does not fail it: the page is
// retried after the pause, the pages requested after it wait out the same
// pause, and every invitation comes once.
func TestA429SlowsAParallelWalkDown(t *testing.T) {
	const limit = 10
	var mu sync.Mutex
	var limitedAt time.Time
	arrivedAt := map[int]time.Time{} // the last arrival of each page
	tr := &pageTraffic{hold: func(w http.ResponseWriter, r *http.Request, offset, nth int) (time.Duration, bool) {
		mu.Lock()
		defer mu.Unlock()
		arrivedAt[offset] = time.Now()
		if offset == 10 && nth == 1 {
			limitedAt = time.Now()
			clerkStatus(http.StatusTooManyRequests, "1")(w, r)
			return 0, true
		}
		return 0, false
	}}
	srv, c := fakeWith(t, tr, 60, client.WithPageConcurrency(2))
	var ids []string
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
		require.NoError(t, err)
		if len(ids) == 0 {
			// A slow first item: the page at 10, requested with the first
			// page, has had its 429 before the page at 20 is requested.
			time.Sleep(300 * time.Millisecond)
		}
		ids = append(ids, inv.ID)
	}
	want := []string{}
	for _, inv := range srv.Invitations() {
		want = append(want, inv.ID)
	}
	assert.Equal(t, want, ids, "every invitation once, in order")
	arrived, _, _ := tr.snapshot()
	slices.Sort(arrived)
	assert.Equal(t, []int{0, 10, 10, 20, 30, 40, 50}, arrived, "the limited page once more, nothing else")
	mu.Lock()
	defer mu.Unlock()
	for _, offset := range []int{10, 20, 30, 40, 50} {
		assert.GreaterOrEqual(t, arrivedAt[offset].Sub(limitedAt), 900*time.Millisecond, "the page at %d waited out the pause", offset)
	}
}

// A parallel walk keeps to the client's request limit: 30 pages under a
// limit of 10 requests per 200 ms (a burst of one, then 45 a second) take
// at least the 29 × 22 ms the limit spaces them by, where the walk alone
// takes a few milliseconds. (A loaded machine can only make it slower.)
func TestParallelWalkKeepsToTheRequestLimit(t *testing.T) {
	tr := &pageTraffic{}
	_, c := fakeWith(t, tr, 300, client.WithPageConcurrency(8))
	limited := client.WithRequestLimit(10, 200*time.Millisecond) // one limit for the whole walk
	start := time.Now()
	n := 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 10}, limited) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 300, n)
	assert.GreaterOrEqual(t, time.Since(start), 600*time.Millisecond)
	arrived, _, _ := tr.snapshot()
	assert.Len(t, arrived, 30)
}

// The parameters are the caller's: every page carries its filters, the
// walk changes none of them, and two walks of one iterator at once do not
// disturb each other.
func TestParallelWalksKeepTheCallersParameters(t *testing.T) {
	tr := &pageTraffic{}
	srv, c := fakeWith(t, tr, 95, client.WithPageConcurrency(4))
	params := client.ListParams{Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderEmailAsc, Limit: 10, Offset: 5}
	before := params
	seq := c.ListAll(context.Background(), "org_1", params)
	results := make([][]string, 2)
	var wg sync.WaitGroup
	for k := range results {
		wg.Go(func() {
			for inv, err := range seq {
				if !assert.NoError(t, err) {
					return
				}
				results[k] = append(results[k], inv.ID)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, before, params)
	assert.Len(t, results[0], 90, "from offset 5 on")
	assert.Equal(t, results[0], results[1])
	lists := 0
	for _, r := range srv.Requests() {
		if r.Operation != fake.OpList {
			continue
		}
		lists++
		assert.Contains(t, r.Query, "status=pending")
		assert.Contains(t, r.Query, "order_by=%2Bemail_address")
		assert.Contains(t, r.Query, "limit=10")
	}
	assert.Equal(t, 18, lists, "nine pages for each walk: 5 to 94")
}

func TestBadPageConcurrency(t *testing.T) {
	_, err := client.New(client.WithSecretKey(testKey), client.WithPageConcurrency(0))
	assert.ErrorContains(t, err, "WithPageConcurrency")
	c, err := client.New(client.WithSecretKey(testKey), client.WithBaseURL("http://127.0.0.1:1"))
	require.NoError(t, err)
	var errs []error
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{}, client.WithPageConcurrency(-1)) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "a bad option is the walk's one error")
	assert.ErrorContains(t, errs[0], "WithPageConcurrency")
}

func uniq(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}
