package client

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"sync"

	"github.com/invitekit/clerkinvitations/gen"
)

// Auto-paging. [Client.ListAll] and [Client.ListInstanceAll] walk every
// page of a list and yield one invitation at a time:
//
//	for inv, err := range c.ListAll(ctx, "org_123", client.ListParams{Status: client.Statuses{client.StatusPending}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(inv.EmailAddress)
//	}
//
// They page with limit and offset: Limit in the parameters is the page size
// (default [MaxPageSize]) and Offset where to start. Every page after the
// first starts at the last item of the page before it, so 1,234
// invitations take 3 requests, at offsets 0, 499 and 998. The parameters
// are passed by value, so the caller's are never changed.
//
// The first page tells how many invitations match (total_count); the
// iterator then fetches the pages after it several at a time
// ([DefaultPageConcurrency], or [WithPageConcurrency]) while it yields, in
// order, the page it has. At most that many pages are in flight or waiting
// to be yielded at any moment, the one being yielded included: memory stays
// bounded by the concurrency times the page size, however long the list.
// Each page is decoded as it arrives and released once yielded; only the
// ids seen are kept, so that none is yielded twice. Every request goes
// through the client's pipeline, so the walk keeps to its request limit
// ([WithRequestLimit]) and a 429 slows the whole walk down (every page
// waits out its Retry-After) instead of failing it. Options given to an
// iterator apply to every page of the walk; a [WithRequestLimit] among them
// is one limit for the whole walk.
//
// Iteration stops after the last page, at the first error (yielded once,
// with a zero invitation, after the invitations of the pages before it),
// or when the loop breaks. A break cancels the requests in flight and sends
// no more; the iterator returns once they have ended, so no request
// outlives the loop. Each request uses ctx, so cancelling it ends the
// iteration with the context's error.
//
// Offset paging over a list that changes while it is read is not a
// snapshot, but the walk is exact about what stays: every invitation in
// the list for the whole walk is yielded once, in the list's order, at any
// concurrency and whatever order the pages come back in, while others are
// created or leave the list (revoked, or no longer matching the filter).
// Those created or leaving meanwhile may or may not be yielded. A page that
// does not begin with the last item yielded shows that the list shifted;
// the walk then looks for its place (see paging_join.go) instead of
// skipping what moved. With a page size of 1 pages cannot overlap and
// this does not hold.
//
// A walk never ends short in silence: a page shorter than asked for while
// its total_count counts more is followed on from its last item, and a
// walk that cannot go on exactly (the list ends before its total_count, a
// page brings nothing new, as from a server that ignores the offset, or
// the list changes faster than the walk can find its place) ends with a
// [PagingError]. So every request makes progress or the walk stops.

// DefaultPageConcurrency is how many pages the iterators have in flight or
// waiting to be yielded, unless [WithPageConcurrency] says otherwise. Eight
// pages of 500 take a list of 20,000 invitations in six round trips
// instead of forty, and stay well within Clerk's request limit.
const DefaultPageConcurrency = 8

// WithPageConcurrency sets how many pages [Client.ListAll] and
// [Client.ListInstanceAll] may have in flight or waiting to be yielded
// (default [DefaultPageConcurrency]). 1 fetches one page after another.
// Memory for a walk is about n pages of decoded invitations.
func WithPageConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("clerk: WithPageConcurrency: %d is not a number of pages (at least 1)", n)
		}
		s.pageConcurrency = n
		return nil
	}
}

// ListAll yields every invitation of an organization that matches params.
//
// Clerk API: GET /organizations/{organization_id}/invitations (ListOrganizationInvitations), once per page.
func (c *Client) ListAll(ctx context.Context, organizationID string, params ListParams, opts ...Option) iter.Seq2[Invitation, error] {
	return paginate(ctx, c, opts, &gen.OpListOrganizationInvitations, params.Limit, params.Offset,
		func(ctx context.Context, s *settings, limit, offset int) ([]Invitation, int64, error) {
			p := params // a copy per page: ranging twice, even at once, is safe
			p.Limit, p.Offset = limit, offset
			page, err := gen.ListOrganizationInvitations(ctx, s, organizationID, p)
			if err != nil {
				return nil, 0, err
			}
			return page.Data, page.TotalCount, nil
		}, func(inv *Invitation) string { return inv.ID })
}

// ListInstanceAll yields every invitation of the instance that matches
// params, each with its organization's public data.
//
// Clerk API: GET /organization_invitations (ListInstanceOrganizationInvitations), once per page.
func (c *Client) ListInstanceAll(ctx context.Context, params ListInstanceParams, opts ...Option) iter.Seq2[InstanceInvitation, error] {
	return paginate(ctx, c, opts, &gen.OpListInstanceOrganizationInvitations, params.Limit, params.Offset,
		func(ctx context.Context, s *settings, limit, offset int) ([]InstanceInvitation, int64, error) {
			p := params
			p.Limit, p.Offset = limit, offset
			page, err := gen.ListInstanceOrganizationInvitations(ctx, s, p)
			if err != nil {
				return nil, 0, err
			}
			return page.Data, page.TotalCount, nil
		}, func(inv *InstanceInvitation) string { return inv.ID })
}

// fetchFunc fetches the page of size limit at offset: its items and the
// total_count it reports.
type fetchFunc[T any] func(ctx context.Context, s *settings, limit, offset int) ([]T, int64, error)

// paginate walks the pages of size limit (MaxPageSize when zero) from
// offset, fetching each with fetch under the client's settings changed by
// opts, and yields the items whose id it has not yielded before.
func paginate[T any](ctx context.Context, c *Client, opts []Option, op *gen.Operation, limit, offset int, fetch fetchFunc[T], id func(*T) string) iter.Seq2[T, error] {
	if limit == 0 {
		limit = MaxPageSize
	}
	return func(yield func(T, error) bool) {
		s, err := c.s.apply(opts)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		w := &walk[T]{ctx: ctx, s: s, op: op, limit: limit, fetch: fetch, id: id, yield: yield}
		w.run(offset)
	}
}

// walk is one iteration over a list.
type walk[T any] struct {
	ctx   context.Context
	s     *settings
	op    *gen.Operation
	limit int
	fetch fetchFunc[T]
	id    func(*T) string
	yield func(T, error) bool

	seen    map[string]struct{} // the ids yielded so far
	last    string              // the id of the last item yielded: the next page should begin with it
	yielded int
	idle    int // pages in a row that brought nothing new

	pages   context.Context // the context of the pages after the first
	running sync.WaitGroup
	window  []*page[T] // requested and not yet yielded, in order
	next    int        // where the next page to request starts
	end     int64      // total_count as last reported
}

// page is one page of a walk: requested, and then fetched once done is
// closed. reread marks a page requested to find the walk's place again.
type page[T any] struct {
	offset int
	reread bool
	done   chan struct{}
	cancel context.CancelFunc
	items  []T
	total  int64
	err    error
}

// maxIdle is how many pages in a row may bring nothing new while the walk
// looks for its place in a list that changed, before it gives up.
const maxIdle = 16

// run fetches the first page at offset alone, since only its total_count
// tells how many pages follow, then the others with up to
// s.pageConcurrency of them in flight or waiting to be yielded. Every page
// after the first starts at the last item of the page before it, so that
// a walk can tell whether the list shifted between the two (see join).
func (w *walk[T]) run(offset int) {
	items, total, err := w.fetch(w.ctx, w.s, w.limit, offset)
	if err != nil {
		w.fail(err)
		return
	}
	w.seen = make(map[string]struct{}, min(max(total-int64(offset), 0), maxPresized))
	// The pages after the first are fetched by goroutines under a context
	// of the walk's own, which ending the walk in any way cancels; the
	// walk returns only once they have all returned.
	ctx, cancel := context.WithCancel(w.ctx)
	w.pages = ctx
	defer func() {
		cancel()
		w.running.Wait()
	}()
	p := &page[T]{offset: offset, items: items, total: total}
	w.end, w.next = total, offset+w.step()
	for {
		if len(w.window) == 0 && len(p.items) == w.limit {
			// While this page is yielded, the pages that follow it if it
			// is where the walk expects it (it is one of the n).
			w.next = p.offset + w.step()
			w.end = p.total
			w.fill(w.s.pageConcurrency-1, false)
		}
		next, reread, goOn := w.take(p)
		if !goOn {
			return
		}
		if reread || len(w.window) == 0 || w.window[0].offset != next {
			w.drop()
			w.next = next
		}
		room := w.s.pageConcurrency
		if len(p.items) < w.limit || reread {
			room = 1 // where pages after this one start is not known yet
		}
		w.fill(room, reread)
		p = w.window[0]
		<-p.done
		w.window = slices.Delete(w.window, 0, 1)
		if err := p.err; err != nil {
			w.fail(err)
			return
		}
		if err := w.ctx.Err(); err != nil {
			// The caller's context ended while the page was on its way:
			// end as a sequential walk would, at the next request.
			w.fail(&RequestError{Operation: w.op.ID, Err: context.Cause(w.ctx)})
			return
		}
	}
}

// step is how far one page starts from the one before it: one less than
// the page size, so that they overlap by one item, unless pages hold one.
func (w *walk[T]) step() int { return max(w.limit-1, 1) }

// fill requests pages until the window holds room of them, or the list as
// last reported ends; the first is a reread if reread is set.
func (w *walk[T]) fill(room int, reread bool) {
	for len(w.window) < room && (int64(w.next) < w.end || len(w.window) == 0) {
		ctx, cancel := context.WithCancel(w.pages)
		p := &page[T]{offset: w.next, reread: reread, done: make(chan struct{}), cancel: cancel}
		reread = false
		w.running.Go(func() {
			defer close(p.done)
			defer cancel()
			p.items, p.total, p.err = w.fetch(ctx, w.s, w.limit, p.offset)
		})
		w.window = append(w.window, p)
		w.next += w.step()
	}
}

// drop cancels the pages of the window: they start where the list no
// longer is.
func (w *walk[T]) drop() {
	for _, p := range w.window {
		p.cancel()
	}
	clear(w.window)
	w.window = w.window[:0]
}

// take yields what page p brings after the walk's place, and says where
// the next page starts, whether it is a reread, and whether the walk goes
// on.
func (w *walk[T]) take(p *page[T]) (next int, reread, goOn bool) {
	ids := make([]string, len(p.items))
	for i := range p.items {
		ids[i] = w.id(&p.items[i])
	}
	if w.limit == 1 {
		w.last = "" // pages of one cannot overlap: each is taken as it comes
	}
	j := joinPage(ids, w.last, w.isSeen, p.offset == 0)
	var fresh int
	if j.start >= 0 {
		var ok bool
		if fresh, ok = w.yieldFrom(p.items, j.start); !ok {
			return 0, false, false
		}
	}
	if fresh > 0 {
		w.idle = 0
	} else {
		w.idle++
	}
	more := int64(p.offset+len(p.items)) < p.total
	w.end = p.total // the list may have grown, or shrunk
	switch {
	case j.start < 0:
		return w.lost(p, j)
	case !more:
		return 0, false, false
	case w.idle > maxIdle:
		w.fail(w.pagingError(p, "the list changed faster than the walk could find its place again"))
		return 0, false, false
	case fresh == 0 && !p.reread && !j.atEnd:
		w.stuck(p)
		return 0, false, false
	}
	next = p.offset + len(p.items)
	if w.limit > 1 && len(p.items) > 0 {
		next-- // the last item again, the next page's place
	}
	return next, j.atEnd, true
}

// lost handles a page in which the walk did not find its place: it
// rereads the page, then steps back further each time, or gives up after
// maxIdle pages.
func (w *walk[T]) lost(p *page[T], j joined) (next int, reread, goOn bool) {
	if w.idle > maxIdle {
		w.fail(w.pagingError(p, "the list changed faster than the walk could find its place again"))
		return 0, false, false
	}
	return max(p.offset-j.back(w.idle), 0), true, true
}

// stuck ends the walk at a page that brought nothing new although its
// total_count says more is to come.
func (w *walk[T]) stuck(p *page[T]) {
	why := "it held only invitations yielded before; the server may be ignoring the offset"
	if len(p.items) < w.limit {
		why = "it held fewer invitations than asked for (" + strconv.Itoa(w.limit) + ") and none not yielded before, though total_count counted more"
	}
	w.fail(w.pagingError(p, why))
}

// pagingError is the PagingError that ends the walk at page p.
func (w *walk[T]) pagingError(p *page[T], why string) *PagingError {
	return &PagingError{Offset: p.offset, Items: len(p.items), Expected: p.total, Yielded: w.yielded, why: why}
}

func (w *walk[T]) isSeen(id string) bool {
	_, ok := w.seen[id]
	return ok
}

// yieldFrom yields the items from start on that were not yielded before,
// and reports how many it yielded and whether the loop goes on.
func (w *walk[T]) yieldFrom(items []T, start int) (int, bool) {
	fresh := 0
	for i := start; i < len(items); i++ {
		key := w.id(&items[i])
		if _, dup := w.seen[key]; dup {
			continue
		}
		w.seen[key] = struct{}{}
		w.last = key
		w.yielded++
		fresh++
		if !w.yield(items[i], nil) {
			return fresh, false
		}
	}
	return fresh, true
}

// fail yields err, the walk's last value.
func (w *walk[T]) fail(err error) {
	var zero T
	w.yield(zero, err)
}

// maxPresized bounds the room made for ids up front, so that a wrong
// total_count cannot make the walk allocate more than its pages would.
const maxPresized = 1 << 16
