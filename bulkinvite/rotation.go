package bulkinvite

import (
	"container/heap"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// chunk is what one turn of the rotation gives an organization: up to
// this many people, one bulk create's worth.
const chunk = client.MaxBulkInvitations

// orgRun is one organization of a run: how many of its people are in
// each state, and those queued, by ID. A run holds nothing more of a
// queued person: it loads the entry from the store when it sends.
type orgRun struct {
	id        string
	counts    Counts
	unsettled int
	queue     idQueue // to send, in order
	alone     idQueue // to send one by one: a bulk with them was refused without saying for whom
	turn      uint64  // its place in the rotation: lower goes first
	heap      *turnHeap
	at        int // its index in heap
}

// rotation is the order in which a run's organizations send: round-robin
// over those with people queued, one turn at a time. A turn gives an
// organization one chunk, up to ten of its people, and sends it to the
// back. A bulk create takes the next organization in turn that has ten
// queued, so that bulks go full, and only when none has ten the next in
// turn with fewer. The single creates take the next turn too, and then
// take that organization's chunk one person at a time, unless the
// organization runs out first. People to be sent alone go first on the
// single creates.
type rotation struct {
	full, part turnHeap // organizations with chunk or more queued; with fewer
	next       uint64   // the next turn to give
	sticky     *orgRun  // whose chunk the single creates are taking
	stickyLeft int      // how many more of it they take
	lonely     []*orgRun
	queued     int // people queued in every organization, alone ones included
	alone      int // of them, those to be sent alone
}

// hasBulk reports whether a bulk create has anyone to send.
func (rt *rotation) hasBulk() bool { return rt.full.Len()+rt.part.Len() > 0 }

// hasSingle reports whether a single create has anyone to send.
func (rt *rotation) hasSingle() bool { return rt.hasBulk() || len(rt.lonely) > 0 }

// place keeps o in the heap its queue calls for: it enters the rotation
// at the back when it gets people, and leaves it when it has none.
func (rt *rotation) place(o *orgRun) {
	var want *turnHeap
	switch n := o.queue.len(); {
	case n >= chunk:
		want = &rt.full
	case n > 0:
		want = &rt.part
	}
	if o.heap == want {
		return
	}
	if o.heap == nil {
		o.turn = rt.next
		rt.next++
	} else {
		heap.Remove(o.heap, o.at)
	}
	if want != nil {
		heap.Push(want, o)
	}
}

// endTurn sends o, whose turn was just taken, to the back of the rotation.
func (rt *rotation) endTurn(o *orgRun) {
	o.turn = rt.next
	rt.next++
	heap.Fix(o.heap, o.at)
}

// bulk takes the next bulk's people: the chunk of the next organization
// in turn with a full one, or else of the next in turn.
func (rt *rotation) bulk() (*orgRun, []int64) {
	h := &rt.full
	if h.Len() == 0 {
		h = &rt.part
	}
	if h.Len() == 0 {
		return nil, nil
	}
	o := (*h)[0]
	rt.endTurn(o)
	ids := o.queue.take(chunk)
	rt.queued -= len(ids)
	rt.place(o)
	return o, ids
}

// single takes the next single create's person.
func (rt *rotation) single() (*orgRun, int64, bool) {
	if len(rt.lonely) > 0 {
		o := rt.lonely[0]
		id := o.alone.take(1)[0]
		if o.alone.len() == 0 {
			rt.lonely = rt.lonely[1:]
		}
		rt.queued--
		rt.alone--
		return o, id, true
	}
	o := rt.sticky
	if o == nil || rt.stickyLeft == 0 || o.queue.len() == 0 {
		if o = rt.first(); o == nil {
			return nil, 0, false
		}
		rt.endTurn(o)
		rt.sticky, rt.stickyLeft = o, chunk
	}
	id := o.queue.take(1)[0]
	rt.stickyLeft--
	rt.queued--
	rt.place(o)
	return o, id, true
}

// first is the organization whose turn is next, or nil.
func (rt *rotation) first() *orgRun {
	switch {
	case rt.full.Len() == 0 && rt.part.Len() == 0:
		return nil
	case rt.part.Len() == 0:
		return rt.full[0]
	case rt.full.Len() == 0 || rt.part[0].turn < rt.full[0].turn:
		return rt.part[0]
	}
	return rt.full[0]
}

// requeue puts people of o back at the front of its queue, or of those it
// sends alone.
func (rt *rotation) requeue(o *orgRun, ids []int64, alone bool) {
	rt.queued += len(ids)
	if !alone {
		o.queue.pushFront(ids)
		rt.place(o)
		return
	}
	if o.alone.len() == 0 {
		rt.lonely = append(rt.lonely, o)
	}
	o.alone.pushFront(ids)
	rt.alone += len(ids)
}

// Rotation is how long one turn of each of this many organizations takes
// at the pace a run keeps to these limits (half a percent under them, see
// [Limits]), when they have ten people or more queued: bulks take a turn
// each, the single creates one per ten requests. At Clerk's limits that
// is 74.6 turns an hour: a rotation of 1,000 organizations takes 13 h 24
// min. Organizations of equal size finish within one rotation of one
// another, give or take the ten single creates of a chunk sent one by one
// and one bulk. It is zero when the limits pace nothing.
func (l Limits) Rotation(organizations int) time.Duration {
	turns := l.Bulk.pacedPerHour() + l.Create.pacedPerHour()/chunk
	if turns <= 0 || !l.paced() {
		return 0
	}
	return time.Duration(float64(organizations) / turns * float64(time.Hour))
}

// pacedPerHour is how many requests an hour a run sends at most under the
// limit: Requests in every Per and its margin.
func (l Limit) pacedPerHour() float64 {
	if l.Requests <= 0 || l.Per <= 0 {
		return 0
	}
	return float64(l.Requests) * float64(time.Hour) / float64(l.Per+l.margin())
}

// turnHeap orders organizations by turn.
type turnHeap []*orgRun

func (h turnHeap) Len() int           { return len(h) }
func (h turnHeap) Less(i, j int) bool { return h[i].turn < h[j].turn }
func (h turnHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].at, h[j].at = i, j
}
func (h *turnHeap) Push(x any) {
	o := x.(*orgRun)
	o.heap, o.at = h, len(*h)
	*h = append(*h, o)
}
func (h *turnHeap) Pop() any {
	old := *h
	o := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	o.heap, o.at = nil, -1
	return o
}

// idQueue is a queue of entry IDs.
type idQueue struct {
	ids  []int64
	head int
}

func (q *idQueue) len() int { return len(q.ids) - q.head }

func (q *idQueue) push(id int64) { q.ids = append(q.ids, id) }

// take removes and returns up to n IDs from the front.
func (q *idQueue) take(n int) []int64 {
	n = min(n, q.len())
	out := append([]int64(nil), q.ids[q.head:q.head+n]...)
	q.head += n
	if q.head == len(q.ids) {
		q.ids, q.head = q.ids[:0], 0
	} else if q.head > 1024 && q.head > len(q.ids)/2 { // give back the room taken
		q.ids = append(q.ids[:0:0], q.ids[q.head:]...)
		q.head = 0
	}
	return out
}

// pushFront puts ids at the front, in their order.
func (q *idQueue) pushFront(ids []int64) {
	if q.head >= len(ids) {
		q.head -= len(ids)
		copy(q.ids[q.head:], ids)
		return
	}
	q.ids = append(append(make([]int64, 0, len(ids)+q.len()), ids...), q.ids[q.head:]...)
	q.head = 0
}

// dueHeap holds the people whose check or revoke waits for a time.
type dueHeap []dueItem

// dueItem is one person waiting in a dueHeap; seq keeps the order of
// those due at once.
type dueItem struct {
	at  time.Time
	seq uint64
	id  int64
	org *orgRun
}

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueItem)) }
func (h *dueHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// dueQueue is a dueHeap and the latest time it holds, kept as it changes
// so that the ETA need not walk the heap on every progress event. It is
// exact: a pop takes the earliest, so the latest stays until the heap is
// empty, when it is reset.
type dueQueue struct {
	items  dueHeap
	latest time.Time // zero when empty
}

func (q *dueQueue) len() int { return len(q.items) }

// next is when the earliest item is due; only when len() > 0.
func (q *dueQueue) next() time.Time { return q.items[0].at }

// push adds it; Fix in place of heap.Push, so that it is not boxed.
func (q *dueQueue) push(it dueItem) {
	q.items = append(q.items, it)
	heap.Fix(&q.items, len(q.items)-1)
	q.latest = later(q.latest, it.at)
}

func (q *dueQueue) pop() dueItem {
	it := heap.Pop(&q.items).(dueItem)
	if len(q.items) == 0 {
		q.latest = time.Time{}
	}
	return it
}
