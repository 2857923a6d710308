// Package paging walks a list that pages with limit and offset, several
// pages at a time, and yields every item once, in the list's order.
//
// Every page after the first starts at the last item of the page before
// it, so 1,234 items in pages of 500 take 3 requests, at offsets 0, 499
// and 998, and a page that does not begin with the last item yielded
// shows that the list shifted between the two reads (join.go says how the
// walk then finds its place again). The first page is fetched alone: its
// total_count tells how many pages follow, and those are fetched up to
// Config.Concurrency at a time while the walk yields, in order, the page
// it has. At most that many pages are in flight or waiting to be yielded,
// the one being yielded included, so memory stays bounded by the
// concurrency times the page size; only the ids seen are kept, so that
// none is yielded twice.
//
// The walk is exact about what stays: every item in the list for the whole
// walk is yielded once, in the list's order, at any concurrency and
// whatever order the pages come back in, while others are created or leave
// the list. With a page size of 1 pages cannot overlap and this does not
// hold. A walk never ends short in silence: one that cannot go on exactly
// (the list ends before its total_count, a page brings nothing new, the
// list changes faster than the walk can find its place) ends with the
// error Config.Stopped makes. So every request makes progress or the walk
// stops.
package paging

import (
	"context"
	"slices"
	"strconv"
	"sync"
)

// Config is what one walk reads and how.
type Config[T any] struct {
	// Limit is the page size, at least 1.
	Limit int
	// Concurrency is how many pages may be in flight or waiting to be
	// yielded at once, at least 1.
	Concurrency int
	// Fetch fetches the page of size limit at offset: its items and the
	// total_count it reports.
	Fetch func(ctx context.Context, limit, offset int) ([]T, int64, error)
	// ID is an item's id; no id is yielded twice.
	ID func(*T) string
	// Ended is the error the walk ends with when ctx ended while a page
	// was on its way, as a walk one page at a time would have at its next
	// request.
	Ended func(ctx context.Context) error
	// Stopped is the error the walk ends with when it cannot go on
	// exactly.
	Stopped func(Stop) error
}

// Stop is where and why a walk could not go on exactly.
type Stop struct {
	// Offset is where the page that ended the walk started.
	Offset int
	// Items is how many items that page held.
	Items int
	// Expected is the total_count that page reported.
	Expected int64
	// Yielded is how many items the walk had yielded.
	Yielded int
	// Why says which case it is, in words that call the items
	// invitations, which is what this module walks.
	Why string
}

// Walk yields the items of the pages from offset on whose ids it has not
// yielded before. It stops after the last page, at the first error
// (yielded once, with a zero item, after the items of the pages before
// it), or when yield returns false. However it stops, it cancels the
// pages in flight and returns only once their fetches have returned.
func Walk[T any](ctx context.Context, cfg Config[T], offset int, yield func(T, error) bool) {
	w := &walk[T]{Config: cfg, ctx: ctx, yield: yield}
	w.run(offset)
}

// walk is one iteration over a list.
type walk[T any] struct {
	Config[T]
	ctx   context.Context
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
// w.Concurrency of them in flight or waiting to be yielded. Every page
// after the first starts at the last item of the page before it, so that
// a walk can tell whether the list shifted between the two (see join).
func (w *walk[T]) run(offset int) {
	items, total, err := w.Fetch(w.ctx, w.Limit, offset)
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
		if len(w.window) == 0 && len(p.items) == w.Limit && int64(p.offset+len(p.items)) < p.total {
			// While this page is yielded, the pages that follow it if it
			// is where the walk expects it (it is one of the n), when it
			// says that more follow.
			w.next = p.offset + w.step()
			w.end = p.total
			w.fill(w.Concurrency-1, false)
		}
		next, reread, goOn := w.take(p)
		if !goOn {
			return
		}
		if reread || len(w.window) == 0 || w.window[0].offset != next {
			w.drop()
			w.next = next
		}
		room := w.Concurrency
		if len(p.items) < w.Limit || reread {
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
			w.fail(w.Ended(w.ctx))
			return
		}
	}
}

// step is how far one page starts from the one before it (see pageStep).
func (w *walk[T]) step() int { return pageStep(w.Limit) }

// fill requests pages until the window holds room of them, or the list as
// last reported ends; the first is a reread if reread is set. A page whose
// only item would be the last one of the page before it is not requested:
// it could bring nothing new.
func (w *walk[T]) fill(room int, reread bool) {
	overlap := int64(min(w.Limit-1, 1))
	for len(w.window) < room && (int64(w.next)+overlap < w.end || len(w.window) == 0) {
		ctx, cancel := context.WithCancel(w.pages)
		p := &page[T]{offset: w.next, reread: reread, done: make(chan struct{}), cancel: cancel}
		reread = false
		w.running.Go(func() {
			defer close(p.done)
			defer cancel()
			p.items, p.total, p.err = w.Fetch(ctx, w.Limit, p.offset)
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
		ids[i] = w.ID(&p.items[i])
	}
	if w.Limit == 1 {
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
		w.fail(w.stopped(p, "the list changed faster than the walk could find its place again"))
		return 0, false, false
	case fresh == 0 && !p.reread && !j.atEnd:
		w.stuck(p)
		return 0, false, false
	}
	next = p.offset + len(p.items)
	if w.Limit > 1 && len(p.items) > 0 {
		next-- // the last item again, the next page's place
	}
	return next, j.atEnd, true
}

// lost handles a page in which the walk did not find its place: it
// rereads the page, then steps back further each time, or gives up after
// maxIdle pages.
func (w *walk[T]) lost(p *page[T], j joined) (next int, reread, goOn bool) {
	if w.idle > maxIdle {
		w.fail(w.stopped(p, "the list changed faster than the walk could find its place again"))
		return 0, false, false
	}
	return max(p.offset-j.back(w.idle), 0), true, true
}

// stuck ends the walk at a page that brought nothing new although its
// total_count says more is to come.
func (w *walk[T]) stuck(p *page[T]) {
	why := "it held only invitations yielded before; the server may be ignoring the offset"
	if len(p.items) < w.Limit {
		why = "it held fewer invitations than asked for (" + strconv.Itoa(w.Limit) + ") and none not yielded before, though total_count counted more"
	}
	w.fail(w.stopped(p, why))
}

// stopped is the error that ends the walk at page p.
func (w *walk[T]) stopped(p *page[T], why string) error {
	return w.Stopped(Stop{Offset: p.offset, Items: len(p.items), Expected: p.total, Yielded: w.yielded, Why: why})
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
		key := w.ID(&items[i])
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
