package client_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// pager serves the three lists over a fixed set of invitations with limit
// and offset, and records the query of every page request. failAt makes
// the request for the page at that offset fail with 422 (0: none); before
// runs before each response, under the lock, to change the data between
// pages.
type pager struct {
	mu      sync.Mutex
	items   []client.Invitation
	queries []url.Values
	failAt  int
	before  func(p *pager, request int)
	maxPage int   // if set, no page holds more, whatever the limit
	claim   int64 // if set, the total_count every page reports
}

func newPager(n int) *pager {
	p := &pager{}
	for i := range n {
		p.items = append(p.items, invitation(i))
	}
	return p
}

func invitation(i int) client.Invitation {
	return client.Invitation{
		Object: "organization_invitation", ID: fmt.Sprintf("orginv_%04d", i),
		EmailAddress: fmt.Sprintf("u%04d@example.com", i), Role: "org:member", RoleName: "Member",
		Status: client.StatusPending, PublicMetadata: client.Metadata(`{}`), CreatedAt: int64(i),
	}
}

func (p *pager) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := r.URL.Query()
	p.queries = append(p.queries, q)
	n := len(p.queries)
	if p.before != nil {
		p.before(p, n)
	}
	limit, offset := 10, 0
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	if p.failAt != 0 && offset == p.failAt {
		clerkStatus(422, "")(w, r)
		return
	}
	page := []client.Invitation{}
	if offset < len(p.items) {
		if p.maxPage > 0 {
			limit = min(limit, p.maxPage)
		}
		page = p.items[offset:min(offset+limit, len(p.items))]
	}
	body := map[string]any{"data": page, "total_count": cmp.Or(p.claim, int64(len(p.items)))}
	if r.URL.Path == "/v1/organization_invitations" {
		var data []map[string]any
		for _, inv := range page {
			var m map[string]any
			b, _ := json.Marshal(inv)
			_ = json.Unmarshal(b, &m)
			m["public_organization_data"] = map[string]any{"id": "org_1", "name": "One", "slug": "one", "has_image": false}
			data = append(data, m)
		}
		body["data"] = data
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (p *pager) requests() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.queries...)
}

// byOffset returns the requests sorted by their offset: a parallel walk
// sends them in no fixed order.
func byOffset(reqs []url.Values) []url.Values {
	offset := func(q url.Values) int { n, _ := strconv.Atoi(q.Get("offset")); return n }
	slices.SortStableFunc(reqs, func(a, b url.Values) int { return offset(a) - offset(b) })
	return reqs
}

// pageAt is the offset of the kth page (from 0) of a walk from offset 0
// with pages of limit: each page starts at the last item of the one before.
func pageAt(k, limit int) int { return k * (limit - 1) }

// concurrencies are the two ways a walk can go: one page at a time, and
// the default.
var concurrencies = []struct {
	name string
	n    int
}{{"sequential", 1}, {"parallel", client.DefaultPageConcurrency}}

func TestListAllWalksEveryPage(t *testing.T) {
	p := newPager(1234)
	c := newRecorder(t, p.serve).client()
	params := client.ListParams{Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderOldestFirst}

	var ids []string
	for inv, err := range c.ListAll(context.Background(), "org_1", params) {
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	require.Len(t, ids, 1234)
	for i, id := range ids {
		require.Equal(t, fmt.Sprintf("orginv_%04d", i), id, "in the server's order")
	}
	reqs := byOffset(p.requests())
	require.Len(t, reqs, 3, "1,234 invitations at 500 a page")
	for i, q := range reqs {
		assert.Equal(t, "500", q.Get("limit"))
		wantOffset := strconv.Itoa(pageAt(i, 500)) // each page from the last item of the one before
		if i == 0 {
			wantOffset = "" // zero is the API's default and is left out
		}
		assert.Equal(t, wantOffset, q.Get("offset"))
		assert.Equal(t, "pending", q.Get("status"), "filters carried to every page")
		assert.Equal(t, "+created_at", q.Get("order_by"))
	}
}

func TestListAllPageSizeAndStart(t *testing.T) {
	p := newPager(1234)
	c := newRecorder(t, p.serve).client()
	n := 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 100, Offset: 34}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1200, n)
	assert.Len(t, p.requests(), 13, "pages of 100 overlapping by one: 34, 133, … 1222")
}

func TestListAllStopsOnBreak(t *testing.T) {
	p := newPager(1234)
	c := newRecorder(t, p.serve).client(client.WithPageConcurrency(1))
	n := 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{}) {
		require.NoError(t, err)
		n++
		if n == 5 {
			break
		}
	}
	assert.Len(t, p.requests(), 1, "a break makes no further request")

	n = 0
	for range c.ListAll(context.Background(), "org_1", client.ListParams{}) {
		n++
		if n == 500 {
			break // exactly at the end of the first page
		}
	}
	assert.Len(t, p.requests(), 2, "and neither does a break at a page boundary")
	// A parallel walk's break: TestParallelBreakCancelsWhatIsInFlight.
}

func TestListAllYieldsAnErrorOnce(t *testing.T) {
	for _, cc := range concurrencies {
		t.Run(cc.name, func(t *testing.T) {
			p := newPager(1834)
			p.failAt = pageAt(2, 500)
			c := newRecorder(t, p.serve).client(client.WithPageConcurrency(cc.n))
			var items, errs int
			var last error
			for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{}) {
				if err != nil {
					errs++
					last = err
					continue
				}
				require.Zero(t, errs, "nothing follows the error")
				items++
			}
			assert.Equal(t, 999, items, "two pages before the failure (the second from the first's last item)")
			assert.Equal(t, 1, errs, "the error comes once and ends the iteration")
			assert.True(t, client.HasCode(last, "e422"))
			if cc.n == 1 {
				assert.Len(t, p.requests(), 3)
			} else {
				assert.Len(t, p.requests(), 4, "the page after the failed one was in flight")
			}
		})
	}
}

func TestListAllInvalidParams(t *testing.T) {
	p := newPager(10)
	c := newRecorder(t, p.serve).client()
	var errs []error
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 501}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	var vErr *client.ValidationError
	assert.ErrorAs(t, errs[0], &vErr)
	assert.Empty(t, p.requests())
}

func TestListAllStopsWhenTheContextEnds(t *testing.T) {
	for _, cc := range concurrencies {
		t.Run(cc.name, func(t *testing.T) {
			p := newPager(1234)
			c := newRecorder(t, p.serve).client(client.WithPageConcurrency(cc.n))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var items int
			var errs []error
			for _, err := range c.ListAll(ctx, "org_1", client.ListParams{}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				items++
				if items == 10 {
					cancel() // while the first page is being read
				}
			}
			assert.Equal(t, 500, items, "the page in hand is finished")
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], context.Canceled)
			if cc.n == 1 {
				assert.Len(t, p.requests(), 1, "no request once the context ended")
			} else {
				assert.LessOrEqual(t, len(p.requests()), 3, "only the pages in flight when it ended")
			}
		})
	}
}

// An invitation created while paging newest-first shifts the list by one:
// the item that moves onto the next page is not yielded twice.
func TestListAllNeverYieldsAnIDTwice(t *testing.T) {
	p := newPager(30)
	p.before = func(p *pager, request int) {
		if request == 2 {
			p.items = append([]client.Invitation{invitation(999)}, p.items...)
		}
	}
	c := newRecorder(t, p.serve).client()
	seen := map[string]int{}
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 10}) {
		require.NoError(t, err)
		seen[inv.ID]++
	}
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
	assert.Len(t, seen, 30, "every original item once; the newcomer landed on a page already read")
	assert.Len(t, p.requests(), 4)
}

func TestEmptyList(t *testing.T) {
	p := newPager(0)
	c := newRecorder(t, p.serve).client()
	for range c.ListAll(context.Background(), "org_1", client.ListParams{}) {
		t.Fatal("nothing to yield")
	}
	assert.Len(t, p.requests(), 1)
}

func TestInstanceAndOrganizationIterators(t *testing.T) {
	p := newPager(1234)
	rec := newRecorder(t, p.serve)
	c := rec.client()
	n := 0
	for inv, err := range c.ListInstanceAll(context.Background(), client.ListInstanceParams{Query: "example.com"}) {
		require.NoError(t, err)
		require.NotNil(t, inv.PublicOrganizationData)
		n++
	}
	assert.Equal(t, 1234, n)
	for _, q := range p.requests() {
		assert.Equal(t, "example.com", q.Get("query"))
	}

	n = 0
	for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 250}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1234, n)
	paths := map[string]int{}
	for _, r := range rec.requests() {
		paths[r.Path]++
	}
	assert.Equal(t, map[string]int{"/v1/organization_invitations": 3, "/v1/organizations/org_1/invitations": 5}, paths)
}

// A page shorter than asked for while total_count counts more is not the
// end: the walk reads on from its last item. A server that caps its pages
// below the limit still has every invitation yielded, once, in order.
func TestShortPagesAreFollowedOn(t *testing.T) {
	for _, cc := range concurrencies {
		t.Run(cc.name, func(t *testing.T) {
			p := newPager(1234)
			p.maxPage = 300
			c := newRecorder(t, p.serve).client(client.WithPageConcurrency(cc.n))
			var ids []string
			for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{}) {
				require.NoError(t, err)
				ids = append(ids, inv.ID)
			}
			require.Len(t, ids, 1234)
			for i, id := range ids {
				require.Equal(t, fmt.Sprintf("orginv_%04d", i), id)
			}
		})
	}
}

// A list that ends before its total_count says (a first page of 2 that
// claims 1,000,000) ends the walk with a PagingError saying how many were
// expected, after the 2, never with a plain end; so does an empty page
// that total_count says is not past the end.
func TestAShortListEndsWithAPagingError(t *testing.T) {
	for _, tc := range []struct {
		name         string
		items        int
		offset       int
		wantYielded  int
		wantRequests int
	}{
		{"two items", 2, 0, 2, 2},
		{"empty", 0, 0, 0, 1},
		{"past the items", 5, 7, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPager(tc.items)
			p.claim = 1_000_000
			c := newRecorder(t, p.serve).client()
			var yielded int
			var errs []error
			for _, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Offset: tc.offset}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				require.Empty(t, errs, "nothing after the error")
				yielded++
			}
			require.Len(t, errs, 1, "a short list is an error")
			var pe *client.PagingError
			require.ErrorAs(t, errs[0], &pe)
			assert.Equal(t, int64(1_000_000), pe.Expected)
			assert.Equal(t, tc.wantYielded, pe.Yielded)
			assert.Equal(t, tc.wantYielded, yielded)
			assert.Contains(t, pe.Error(), "total_count said 1000000")
			assert.Len(t, p.requests(), tc.wantRequests)
		})
	}
}
