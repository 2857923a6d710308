package bulkinvite

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"
)

// begin prepares the run, before anything is sent: the people go into the
// journal; the journal is read once, and each entry of the run taken up
// as [Reconcile] says (what changes is written); the server is asked for
// the pending invitations of those awaited; every person left waiting is
// filed in the rotation, for a check, or for a revoke.
func (r *runner) begin(ctx context.Context, people iter.Seq2[Person, error]) error {
	r.opts.Now = r.clock.Now()
	named, err := r.importPeople(ctx, people)
	if err != nil {
		return err
	}
	st, err := r.scan(ctx, named)
	if err != nil {
		return err
	}
	if err := r.apply(ctx, st.changes, func(e Entry) (Entry, bool) { return takeUp(e, nil, r.opts) }); err != nil {
		return err
	}
	var found []int64
	if !r.cfg.SkipServerCheck && r.opts.Only == "" && len(st.awaiting) > 0 {
		if found, err = r.askServer(ctx, st); err != nil {
			return fmt.Errorf("%w: %w; nothing was sent", ErrServerCheck, err)
		}
	}
	r.file(st, found)
	return nil
}

// importPeople checks people as they come (see intake) and imports them
// into the journal, all or none. It returns the organizations they name,
// or nil when there are none.
func (r *runner) importPeople(ctx context.Context, people iter.Seq2[Person, error]) (map[string]bool, error) {
	if people == nil {
		return nil, nil
	}
	in := newIntake(r.opts.OrganizationID, false)
	named := map[string]bool{}
	r.given = nil
	entries := func(yield func(Entry, error) bool) {
		for p, err := range people {
			var e Entry
			if err == nil {
				e, err = in.admit(p)
			}
			if err != nil {
				yield(Entry{}, err)
				return
			}
			named[e.OrganizationID] = true
			if r.cfg.GivenOnly {
				r.given = append(r.given, entryHash(e))
			}
			e.UpdatedAt = r.opts.Now
			if !yield(e, nil) {
				return
			}
		}
	}
	update := func(stored, given Entry) (Entry, bool) { return takeUp(stored, &given.Params, r.opts) }
	if err := r.cfg.Store.Import(ctx, entries, update); err != nil {
		if d := (*DuplicateError)(nil); errors.As(err, &d) {
			return nil, givenTwice(d.Index, d.First, d.OrganizationID, d.EmailAddress)
		}
		return nil, err
	}
	slices.Sort(r.given)
	if len(named) == 0 {
		return nil, nil
	}
	return named, nil
}

// startScan is what the scan of the journal finds for a run to do.
type startScan struct {
	changes  []int64     // entries that taking up changes (see takeUp), to write
	checks   []dueItem   // to check
	revokes  []dueItem   // to revoke
	awaiting []awaitItem // to send or check: whom the server's pending invitations can settle
	seeds    [2]latestTimes
}

// awaitItem is a person the server's pending invitations can settle: the
// first half of their keyHash, and their entry's ID.
type awaitItem struct {
	h  uint64
	id int64
}

// scan reads the journal once and files each entry the run covers, as
// taking it up leaves it (see [coverage]): counted, and queued in its
// organization, to check, to revoke, or settled. named are the
// organizations the people name (nil for none).
func (r *runner) scan(ctx context.Context, named map[string]bool) (*startScan, error) {
	st := &startScan{seeds: [2]latestTimes{{keep: r.bulk.limit.Requests}, {keep: r.single.limit.Requests}}}
	var byName func(string) bool
	if named != nil {
		byName = func(org string) bool { return named[org] }
	}
	r.cover = newCoverage(r.opts, byName, r.cfg.GivenOnly)
	if err := r.presize(ctx, st); err != nil {
		return nil, err
	}
	err := r.cfg.Store.Scan(ctx, "", func(id int64, e Entry) error {
		if !e.SentAt.IsZero() { // pace from every request of earlier runs: the limits are the instance's
			st.seeds[channelIndex(e.Channel)].add(e.SentAt)
		}
		covered, h, hashed := r.covered(e)
		if !covered {
			return nil
		}
		o := r.organization(e.OrganizationID)
		next, changed := takeUp(e, nil, r.opts)
		if changed {
			st.changes = append(st.changes, id)
		}
		o.counts[next.State]++
		if !next.State.Final() {
			o.unsettled++
		}
		switch next.State {
		case StateQueued:
			o.queue.push(id)
		case StateCheck:
			st.checks = append(st.checks, dueItem{id: id, org: o})
		case StateRevoking:
			st.revokes = append(st.revokes, dueItem{id: id, org: o})
		}
		if awaited(next.State) {
			if !hashed {
				h = entryHash(e)
			}
			st.awaiting = append(st.awaiting, awaitItem{h, id})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.settleCoverage()
	return st, nil
}

// presize makes room for the queues and the awaiting of the scan, if the
// store counts its entries cheaply (as a Journal does, in SQL): so that
// they take what they hold, not what growing by appends leaves over.
func (r *runner) presize(ctx context.Context, st *startScan) error {
	c, ok := r.cfg.Store.(counter)
	if !ok || r.opts.Only != "" {
		return nil
	}
	counts, err := c.CountByOrganization(ctx)
	if err != nil {
		return err
	}
	awaiting := 0
	for _, oc := range counts {
		if !r.cover.organization(Entry{OrganizationID: oc.OrganizationID}) {
			continue
		}
		queued := oc.Counts[StateQueued]
		if r.opts.RetryFailed {
			queued += oc.Counts[StateFailed]
		}
		r.organization(oc.OrganizationID).queue.ids = make([]int64, 0, queued)
		awaiting += queued + oc.Counts[StateCheck] + oc.Counts[StateSent]
	}
	st.awaiting = make([]awaitItem, 0, awaiting)
	return nil
}

// covered reports whether the run covers e (see coverage). Under
// GivenOnly it hashes e's key to tell (hashed), and returns the hash h
// for the caller to use again.
func (r *runner) covered(e Entry) (ok bool, h uint64, hashed bool) {
	if !r.cover.organization(e) {
		return false, 0, false
	}
	if !r.cover.givenOnly {
		return true, 0, false
	}
	h = entryHash(e)
	_, ok = slices.BinarySearch(r.given, h) // a hash shared by chance takes someone up: as without GivenOnly
	return ok, h, true
}

// settleCoverage leaves out the organizations the run does not cover
// after all, and sums the counts up.
func (r *runner) settleCoverage() {
	if r.cover.unsettledOnly() {
		r.orgs = slices.DeleteFunc(r.orgs, func(o *orgRun) bool {
			if o.unsettled == 0 {
				delete(r.byOrg, o.id)
				return true
			}
			return false
		})
	}
	for _, o := range r.orgs {
		for s, n := range o.counts {
			r.total[s] += n
		}
		if o.unsettled == 0 {
			r.orgsDone++
		}
	}
}

// organization is the run's organization id, added if it is new.
func (r *runner) organization(id string) *orgRun {
	if o, ok := r.byOrg[id]; ok {
		return o
	}
	o := &orgRun{id: id, counts: Counts{}, at: -1}
	r.byOrg[id] = o
	r.orgs = append(r.orgs, o)
	return o
}

// batchSize is how many entries a run reads or writes at once outside its
// loop.
const batchSize = 500

// apply changes the entries of ids as change says, batchSize at a time,
// and writes those it changes.
func (r *runner) apply(ctx context.Context, ids []int64, change func(Entry) (Entry, bool)) error {
	for len(ids) > 0 {
		n := min(len(ids), batchSize)
		entries, err := r.cfg.Store.Get(ctx, ids[:n]...)
		if err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
		changed := entries[:0]
		for _, e := range entries {
			if next, ok := change(e); ok {
				changed = append(changed, next)
			}
		}
		if len(changed) > 0 {
			if err := r.cfg.Store.Put(ctx, changed...); err != nil {
				return fmt.Errorf("bulkinvite: journal: %w", err)
			}
		}
		ids = ids[n:]
	}
	return nil
}

// file puts every person left waiting where the run takes them from: the
// queues of the rotation, the checks (after the check delay) and the
// revokes, but for those the server settled (found, sorted). The window
// of each channel is seeded from the requests earlier runs sent.
func (r *runner) file(st *startScan, found []int64) {
	gone := func(id int64) bool { _, ok := slices.BinarySearch(found, id); return ok }
	for _, o := range r.orgs {
		if len(found) > 0 {
			o.queue.ids = slices.DeleteFunc(o.queue.ids, gone)
		}
		r.rot.queued += o.queue.len()
		r.rot.place(o)
	}
	for _, list := range []struct {
		items []dueItem
		q     *dueQueue
		delay time.Duration
	}{{st.checks, &r.checks, r.cfg.CheckDelay}, {st.revokes, &r.revokes, 0}} {
		for _, it := range list.items {
			if !gone(it.id) {
				r.dueSeq++
				it.at, it.seq = r.opts.Now.Add(list.delay), r.dueSeq
				list.q.push(it)
			}
		}
	}
	for i, ch := range []*channel{&r.bulk, &r.single} {
		for _, t := range st.seeds[i].sorted() {
			ch.seed(t)
		}
	}
}

// channelIndex is the index of a channel in startScan.seeds.
func channelIndex(c Channel) int {
	if c == ChannelBulk {
		return 0
	}
	return 1
}

// latestTimes keeps the latest distinct times it is given, as many as a
// channel's window counts (keep), in memory that does not grow with the
// journal.
type latestTimes struct {
	keep  int
	times []time.Time
}

func (l *latestTimes) add(t time.Time) {
	if l.keep <= 0 {
		return
	}
	l.times = append(l.times, t)
	if len(l.times) >= 2*l.keep+64 {
		l.times = l.sorted()
	}
}

// sorted returns the latest keep distinct times, oldest first.
func (l *latestTimes) sorted() []time.Time {
	slices.SortFunc(l.times, time.Time.Compare)
	l.times = slices.CompactFunc(l.times, time.Time.Equal)
	return l.times[max(len(l.times)-l.keep, 0):]
}
