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
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// Parallel paging against the fake, on the in-memory network inside
// testing/synctest bubbles: the holds below are on the bubble's clock, so
// the order in which pages come back is the same however busy the machine
// is. A middleware in front of the fake (pageTraffic) sees every list
// request as it arrives, before the fake serves it, and can hold it back by
// its offset, so that pages come back out of order, or answer it itself.
// Pages after the first start at the last item of the page before
// (pageAt).

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

// fakeWith starts a fake behind tr, on the in-memory network, holding n
// invitations of org_1, created in order (so oldest first lists them as
// created), and a client for it. Call it inside a bubble.
func fakeWith(t *testing.T, tr *pageTraffic, n int, opts ...client.Option) (*fake.Server, *client.Client) {
	t.Helper()
	srv := fake.NewServer(fake.WithMiddleware(tr.middleware), fake.WithInMemoryNetwork())
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(opts...)
	require.NoError(t, err)
	seed(t, c, n, "p")
	return srv, c
}

// seed creates n invitations of org_1, prefix0000@example.com and on, in
// that order, in bulk.
func seed(t *testing.T, c *client.Client, n int, prefix string) {
	t.Helper()
	for from := 0; from < n; from += client.MaxBulkInvitations {
		var batch []client.CreateParams
		for i := from; i < min(n, from+client.MaxBulkInvitations); i++ {
			batch = append(batch, client.CreateParams{EmailAddress: fmt.Sprintf("%s%04d@example.com", prefix, i), Role: "org:member", Notify: client.Bool(false)})
		}
		_, err := c.BulkCreate(context.Background(), "org_1", batch)
		require.NoError(t, err)
	}
}

// Pages held back so that, in every group of four, the last comes back
// first: the items still come out in the list's order, each once, on both
// iterators.
func TestParallelWalkYieldsInOrderWhatArrivesOutOfOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit, conc = 50, 4
		tr := &pageTraffic{hold: func(_ http.ResponseWriter, _ *http.Request, offset, _ int) (time.Duration, bool) {
			if offset == 0 {
				return 0, false
			}
			return time.Duration(3-offset/(limit-1)%4) * 15 * time.Millisecond, false
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
		require.Len(t, served, 26, "1,234 at 50 a page, each page from the last item of the one before")
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
	})
}

// An invitation created during a newest-first walk shifts every later
// page by one: the item pushed onto the next page is not yielded twice,
// the newcomer (before the walk's place) is not yielded, and the walk
// follows the list to its new end.
func TestParallelWalkDedupesAndFollowsAGrowingList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 10
		created := make(chan struct{})
		var newcomer atomic.Value
		tr := &pageTraffic{}
		srv, c := fakeWith(t, tr, 30, client.WithPageConcurrency(3))
		other, err := srv.NewClient()
		require.NoError(t, err)
		tr.hold = func(_ http.ResponseWriter, r *http.Request, offset, nth int) (time.Duration, bool) {
			switch {
			case offset == pageAt(1, limit) && nth == 1: // served after the newcomer
				inv, err := other.Create(r.Context(), "org_1", client.CreateParams{EmailAddress: "new@example.com", Role: "org:member"})
				if assert.NoError(t, err) {
					newcomer.Store(inv.ID)
				}
				close(created)
			case offset == pageAt(2, limit) && nth == 1:
				<-created
			}
			return 0, false
		}
		var original []string
		for _, inv := range srv.Invitations() {
			original = append(original, inv.ID)
		}

		var got []string
		for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit}) {
			require.NoError(t, err)
			got = append(got, inv.ID)
		}
		slices.Reverse(original) // newest first
		assert.Equal(t, original, got, "every original invitation once, in order")
		assert.NotContains(t, got, newcomer.Load(), "the newcomer landed before the walk's place")
		arrived, _, _ := tr.snapshot()
		assert.Subset(t, arrived, []int{0, 9, 18, 27})
	})
}

// The lost invitation: a newest-first parallel walk of 1,234 where the
// third page is answered before an invitation is created and the second
// after it. Without overlapping pages the 1,000th invitation fell between
// the two; now every invitation present for the whole walk comes once, in
// order, on both iterators.
func TestParallelWalkLosesNothingWhenALaterPageIsAnsweredFirst(t *testing.T) {
	for _, instance := range []bool{false, true} {
		t.Run(map[bool]string{false: "ListAll", true: "ListInstanceAll"}[instance], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				got, want, newcomer := walkWhileTheListChanges(t, instance, func(c *client.Client, _ []string) string {
					inv, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "new@example.com", Role: "org:member"})
					require.NoError(t, err)
					return inv.ID
				})
				assert.Len(t, uniq(got), len(got), "none twice")
				sameList(t, want, slices.DeleteFunc(got, func(id string) bool { return id == newcomer }))
			})
		})
	}
}

// The same order of answers with an invitation revoked (one the walk had
// yielded) instead: the list shifts back by one, and still every
// invitation that stays pending comes once, in order.
func TestParallelWalkLosesNothingWhenOneIsRevoked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var revoked string
		got, want, _ := walkWhileTheListChanges(t, false, func(c *client.Client, want []string) string {
			revoked = want[100]
			_, err := c.Revoke(context.Background(), "org_1", revoked, client.RevokeParams{})
			require.NoError(t, err)
			return ""
		})
		sameList(t, want, got) // the revoked one was yielded before it was revoked
		assert.Contains(t, got, revoked)
	})
}

// walkWhileTheListChanges walks 1,234 pending invitations newest first at
// the default concurrency and page size, holding the second page back
// until the third has been served and change has been made (it returns an
// id to leave out of the comparison, or ""). It returns the ids yielded and
// the list before the change, newest first.
func walkWhileTheListChanges(t *testing.T, instance bool, change func(c *client.Client, want []string) string) (got, want []string, changed string) {
	laterServed := make(chan struct{})
	var once sync.Once
	var other *client.Client
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
			switch {
			case !isList(r) || offset == 0:
			case offset < 900: // the second page, the first time
				once.Do(func() {
					<-laterServed
					changed = change(other, want)
				})
			default: // the third page, answered before the change
				next.ServeHTTP(w, r)
				select {
				case <-laterServed:
				default:
					close(laterServed)
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := fake.NewServer(fake.WithMiddleware(mw), fake.WithInMemoryNetwork())
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	other = c
	seed(t, c, 1234, "p")
	for _, inv := range srv.Invitations() {
		want = append(want, inv.ID)
	}
	slices.Reverse(want)

	if instance {
		for inv, err := range c.ListInstanceAll(context.Background(), client.ListInstanceParams{Status: client.Statuses{client.StatusPending}}) {
			require.NoError(t, err)
			got = append(got, inv.ID)
		}
	} else {
		for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Status: client.Statuses{client.StatusPending}}) {
			require.NoError(t, err)
			got = append(got, inv.ID)
		}
	}
	return got, want, changed
}

// A break cancels the requests in flight and sends no more: the loop ends
// at once, although the server would hold those requests for a minute.
func TestParallelBreakCancelsWhatIsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
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
				synctest.Wait() // the other pages of the window are on their way
				a, _, _ := tr.snapshot()
				require.Len(t, a, conc)
				break
			}
		}
		assert.Zero(t, time.Since(start), "the held requests were cancelled, not waited for")
		synctest.Wait()
		inFlight := []int{9, 18, 27}
		arrived, served, cancelled := tr.snapshot()
		slices.Sort(cancelled)
		assert.Equal(t, inFlight, cancelled, "the server saw each request in flight cancelled")
		assert.Equal(t, []int{0}, served)
		slices.Sort(arrived)
		assert.Equal(t, append([]int{0}, inFlight...), arrived, "no request after the break")
	})
}

// The first error comes once, after the items of every page before it,
// and nothing follows it, even when pages after the failed one arrived
// first.
func TestParallelWalkYieldsTheFirstErrorOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 10
		tr := &pageTraffic{hold: func(w http.ResponseWriter, r *http.Request, offset, _ int) (time.Duration, bool) {
			switch offset {
			case 0, pageAt(4, limit):
				return 0, false
			case pageAt(3, limit):
				clerkStatus(http.StatusUnprocessableEntity, "")(w, r)
				return 0, true
			}
			return 30 * time.Millisecond, false // the second and third come back after the fourth failed and the fifth arrived
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
		assert.Len(t, ids, 28, "the first three pages (10, 9 and 9 new), then the error of the fourth")
		assert.Len(t, uniq(ids), 28)
	})
}

// Memory stays bounded: with a slow consumer, the pages requested never
// outrun the pages fully yielded by more than the concurrency, and the
// window is used to its full size.
func TestParallelWalkHoldsAtMostConcurrencyPages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit, conc, total = 10, 3, 300
		tr := &pageTraffic{}
		_, c := fakeWith(t, tr, total, client.WithPageConcurrency(conc))
		i, ahead := 0, 0
		for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: limit, OrderBy: client.OrderOldestFirst}) {
			require.NoError(t, err)
			yielded := 0 // pages fully yielded before this item's: 10 items, then 9 new each
			if i >= limit {
				yielded = 1 + (i-limit)/(limit-1)
			}
			arrived, _, _ := tr.snapshot()
			require.LessOrEqual(t, len(arrived), yielded+conc, "item %d", i)
			ahead = max(ahead, len(arrived)-yielded)
			i++
			time.Sleep(500 * time.Microsecond) // a consumer slower than the server
		}
		assert.Equal(t, total, i)
		assert.Equal(t, conc, ahead, "the window fills while the consumer works")
	})
}

// A 429 with a Retry-After within the retry policy, in the middle of a
// parallel walk, slows the walk down but does not fail it: the page is
// retried after the pause, the pages requested after it wait out the same
// pause, and every invitation comes once.
func TestA429SlowsAParallelWalkDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 10
		var mu sync.Mutex
		var limitedAt time.Time
		arrivedAt := map[int]time.Time{} // the last arrival of each page
		second := pageAt(1, limit)
		tr := &pageTraffic{hold: func(w http.ResponseWriter, r *http.Request, offset, nth int) (time.Duration, bool) {
			mu.Lock()
			defer mu.Unlock()
			arrivedAt[offset] = time.Now()
			if offset == second && nth == 1 {
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
				// A slow first item: the second page, requested with the
				// first, has had its 429 before the third is requested.
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
		assert.Equal(t, []int{0, 9, 9, 18, 27, 36, 45, 54}, arrived, "the limited page once more, nothing else")
		mu.Lock()
		defer mu.Unlock()
		for _, offset := range arrived[1:] {
			assert.GreaterOrEqual(t, arrivedAt[offset].Sub(limitedAt), time.Second, "the page at %d waited out the pause", offset)
		}
	})
}

// A parallel walk keeps to the client's request limit: 34 pages under a
// limit of 10 requests per 200 ms (a burst of one, then 45 a second) take
// at least the 33 × 22 ms the limit spaces them by, on the bubble's clock.
func TestParallelWalkKeepsToTheRequestLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
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
		assert.GreaterOrEqual(t, time.Since(start), 33*22*time.Millisecond)
		assert.Less(t, time.Since(start), 2*33*22*time.Millisecond, "and no slower than the limit needs")
		arrived, _, _ := tr.snapshot()
		assert.Len(t, arrived, 34)
	})
}

// The parameters are the caller's: every page carries its filters, the
// walk changes none of them, and two walks of one iterator at once do not
// disturb each other.
func TestParallelWalksKeepTheCallersParameters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
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
		assert.Equal(t, 20, lists, "ten pages for each walk: 5, 14, … 86")
	})
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

// sameList checks that got is want, and if not says briefly how they
// differ: which of want are missing, and where the order first differs.
func sameList(t *testing.T, want, got []string) {
	t.Helper()
	if slices.Equal(want, got) {
		return
	}
	in := uniq(got)
	var missing []int
	for i, id := range want {
		if !in[id] {
			missing = append(missing, i)
		}
	}
	first := 0
	for first < min(len(want), len(got)) && want[first] == got[first] {
		first++
	}
	t.Errorf("yielded %d of %d; missing (by position in the list): %v; the first difference at %d", len(got), len(want), missing, first)
}

func uniq(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}
