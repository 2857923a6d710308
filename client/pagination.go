package client

import (
	"context"
	"fmt"
	"iter"
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
// (default [MaxPageSize], so 1,234 invitations take 3 requests) and Offset
// where to start. The parameters are passed by value, so the caller's are
// never changed.
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
// outlives the loop. A page that brings no invitation not yielded before
// ends the iteration with a [PagingError], so every request makes
// progress. Each request uses ctx, so cancelling it ends the iteration
// with the context's error.
//
// Offset paging over a list that changes while it is read is not a
// snapshot. An invitation created meanwhile shifts the newest-first order by
// one, which would repeat an item: the iterators never yield the same id
// twice. An invitation that leaves the filtered set meanwhile (one revoked
// while pending ones are listed) shifts later ones back by one, and one of
// them can be missed. When a page reports a larger total_count than the
// first, the walk goes on to the new end. Listing oldest first
// ([OrderOldestFirst]), new invitations land at the end and nothing already
// listed moves.

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

// PagingError ends an iteration whose server is not paging: a page held
// only invitations that were yielded already, as when a server ignores the
// offset and returns the same page again. Without it such a server would
// keep the loop sending requests for ever.
type PagingError struct {
	// Offset is where the page that brought nothing new started.
	Offset int
	// Items is how many invitations that page held.
	Items int
}

// Error says which page brought nothing new.
func (e *PagingError) Error() string {
	return "clerk: paging made no progress: the page at offset " + strconv.Itoa(e.Offset) +
		" held " + strconv.Itoa(e.Items) + " invitations, all yielded before; the server may be ignoring the offset"
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
	seen  map[string]struct{} // the ids yielded so far
}

// page is one page of a parallel walk: requested, and then fetched once
// done is closed.
type page[T any] struct {
	offset int
	done   chan struct{}
	items  []T
	total  int64
	err    error
}

// run fetches the first page at offset alone, since only its total_count
// tells how many pages follow, then the others with up to
// s.pageConcurrency of them in flight or waiting to be yielded.
func (w *walk[T]) run(offset int) {
	items, total, err := w.fetch(w.ctx, w.s, w.limit, offset)
	if err != nil {
		w.fail(err)
		return
	}
	w.seen = make(map[string]struct{}, min(max(total-int64(offset), 0), maxPresized))
	n := w.s.pageConcurrency
	if n <= 1 || !w.more(offset, items, total) {
		w.sequential(offset, items, total)
		return
	}

	// The pages after the first are fetched by goroutines under a context
	// of the walk's own, which ending the walk in any way cancels; the
	// walk returns only once they have all returned.
	ctx, cancel := context.WithCancel(w.ctx)
	var running sync.WaitGroup
	defer func() {
		cancel()
		running.Wait()
	}()
	window := make([]*page[T], 0, n) // requested and not yet yielded, in order
	next, end := offset+w.limit, total
	// fill requests pages until the window holds room of them, or the list
	// as last reported ends.
	fill := func(room int) {
		for len(window) < room && int64(next) < end {
			p := &page[T]{offset: next, done: make(chan struct{})}
			running.Go(func() {
				defer close(p.done)
				p.items, p.total, p.err = w.fetch(ctx, w.s, w.limit, p.offset)
			})
			window = append(window, p)
			next += w.limit
		}
	}

	fill(n - 1) // the first page is one of the n while it is yielded
	if !w.yieldPage(offset, items) {
		return
	}
	items = nil // released: only the window is held from here on
	for {
		fill(n)
		if len(window) == 0 {
			return
		}
		p := window[0]
		<-p.done
		copy(window, window[1:])
		window[len(window)-1] = nil
		window = window[:len(window)-1]
		if err := p.err; err != nil {
			cancel()
			w.fail(err)
			return
		}
		if err := w.ctx.Err(); err != nil {
			// The caller's context ended while the page was on its way:
			// end as a sequential walk would, at the next request.
			cancel()
			w.fail(&RequestError{Operation: w.op.ID, Err: context.Cause(w.ctx)})
			return
		}
		more := w.more(p.offset, p.items, p.total)
		if more {
			end = p.total // the list may have grown, or shrunk
			fill(n - 1)   // this page is one of the n while it is yielded
		} else {
			cancel() // whatever is in flight lies past the end
		}
		if !w.yieldPage(p.offset, p.items) || !more {
			return
		}
	}
}

// sequential yields the page in hand and fetches the rest one after
// another.
func (w *walk[T]) sequential(offset int, items []T, total int64) {
	for {
		if !w.yieldPage(offset, items) || !w.more(offset, items, total) {
			return
		}
		offset += len(items)
		var err error
		if items, total, err = w.fetch(w.ctx, w.s, w.limit, offset); err != nil {
			w.fail(err)
			return
		}
	}
}

// more reports whether a page at offset, holding items of a list of total,
// has pages after it: it is full and does not reach total.
func (w *walk[T]) more(offset int, items []T, total int64) bool {
	return len(items) >= w.limit && int64(offset+len(items)) < total
}

// yieldPage yields the items of the page at offset that were not yielded
// before, and reports whether the walk may go on: false when the loop
// stopped, or when the page brought nothing new, which ends the walk with a
// PagingError.
func (w *walk[T]) yieldPage(offset int, items []T) bool {
	fresh := 0
	for i := range items {
		key := w.id(&items[i])
		if _, dup := w.seen[key]; dup {
			continue
		}
		w.seen[key] = struct{}{}
		fresh++
		if !w.yield(items[i], nil) {
			return false
		}
	}
	if fresh == 0 && len(items) > 0 {
		w.fail(&PagingError{Offset: offset, Items: len(items)})
		return false
	}
	return true
}

// fail yields err, the walk's last value.
func (w *walk[T]) fail(err error) {
	var zero T
	w.yield(zero, err)
}

// maxPresized bounds the room made for ids up front, so that a wrong
// total_count cannot make the walk allocate more than its pages would.
const maxPresized = 1 << 16
