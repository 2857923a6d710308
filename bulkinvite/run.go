package bulkinvite

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"time"
)

// Run invites people, each to their organization, and returns when every
// person of the run is settled, when cfg.IdleTimeout passes without
// progress, or when ctx ends. It is [RunSeq] for a list in memory; people
// may be nil to resume from the journal alone.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk and
// POST /organizations/{organization_id}/invitations to invite, GET
// /organization_invitations or GET
// /organizations/{organization_id}/invitations to list the pending
// invitations first (see [ServerCheck]), GET
// /organizations/{organization_id}/invitations to check, POST
// /organizations/{organization_id}/invitations/{invitation_id}/revoke for
// resends (see [Resend]).
func Run(ctx context.Context, cfg Config, people []Person) (*Summary, error) {
	var seq iter.Seq2[Person, error]
	if people != nil {
		seq = People(people)
	}
	return RunSeq(ctx, cfg, seq)
}

// RunSeq invites the people people yields, each to their organization,
// and returns when every person of the run is settled, when
// cfg.IdleTimeout passes without progress, or when ctx ends. The run
// covers the organizations [Config.OrganizationID] says.
//
// people go into the journal first, as they come, in one transaction:
// someone the journal already holds keeps their entry, so calling RunSeq
// again with the same people resumes the run. people may be nil to resume
// from the journal alone. Every person is checked as they come: an
// invalid one, one without an organization or of another organization
// than Config.OrganizationID, or one address given twice for one
// organization, fails the call with a *[client.ValidationError] naming
// the person's index, and nothing is journaled or sent; so does an error
// people yields (a line of a file that cannot be read, say), which RunSeq
// returns as it is. A run holds a few bytes a person in memory (see the
// package documentation), however many people it has.
//
// RunSeq returns the summary with a nil error when it ended because
// everyone is settled, whether or not some failed (see [Summary.OK]). It
// returns the summary and an error when it stopped early: ctx's error, a
// refused key (401), a journal that could not be written, or the idle
// timeout (an *[IdleError]).
//
// Before sending, RunSeq asks the server for the pending invitations of
// its organizations and settles everyone who has one with no create (see
// [ServerCheck] and [Config.SkipServerCheck]); a failed listing fails the
// call, matching [ErrServerCheck], with nothing sent.
//
// Clerk API: as [Run].
func RunSeq(ctx context.Context, cfg Config, people iter.Seq2[Person, error]) (*Summary, error) {
	r, err := newRunner(cfg, "")
	if err != nil {
		return nil, err
	}
	if err := r.begin(ctx, people); err != nil {
		return nil, err
	}
	return r.run(ctx)
}

// runner is one run: the people of each organization, as IDs in the
// journal and counts, owned by the goroutine that runs the loop, and the
// requests in flight, which report back over results.
type runner struct {
	cfg   Config
	clock Clock
	log   *slog.Logger
	opts  ReconcileOptions

	orgs     []*orgRun // the run's organizations, in the order of their first entry
	byOrg    map[string]*orgRun
	given    []uint64 // with Config.GivenOnly: the first half of the keyHash of each person given, sorted
	cover    coverage // which entries are of the run (see covered)
	total    Counts
	rot      rotation
	checks   dueQueue // needing a check
	revokes  dueQueue // resends whose old invitation is to be revoked
	dueSeq   uint64
	failures map[int64]int // failed checks or revokes in a row

	bulk, single channel
	aux          int // checks and revokes in flight
	results      chan outcome
	writes       []Entry       // to journal before anything more is sent
	writeIDs     []int64       // the ID of each of writes
	written      map[int64]int // the index in writes of each ID's record
	flights      []flight      // to send once writes are journaled

	start, lastSettled time.Time
	settled            int        // people settled by this run
	rates              rateWindow // how fast they settle (see Progress.Rate)
	orgsDone           int        // organizations with everyone settled
	serverCheck        *ServerCheck
	fatal              error
}

// person is someone of a run while a request for them is on its way:
// their entry, loaded from the journal, its ID and their organization.
type person struct {
	Entry
	id  int64
	org *orgRun
}

// newRunner prepares a run, narrowed to one address of
// cfg.OrganizationID if only is set.
func newRunner(cfg Config, only string) (*runner, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("bulkinvite: Config.Client is nil")
	case cfg.Store == nil:
		return nil, errors.New("bulkinvite: Config.Store is nil")
	case cfg.CheckDelay < 0 || cfg.MaxAttempts < 0 || cfg.IdleTimeout < 0:
		return nil, errors.New("bulkinvite: negative CheckDelay, MaxAttempts or IdleTimeout")
	}
	if err := cfg.Limits.check(); err != nil {
		return nil, err
	}
	if cfg.CheckDelay == 0 {
		cfg.CheckDelay = DefaultCheckDelay
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	r := &runner{
		cfg:      cfg,
		clock:    clockOf(cfg),
		log:      cfg.Logger,
		opts:     ReconcileOptions{OrganizationID: cfg.OrganizationID, RetryFailed: cfg.RetryFailed, Only: only},
		byOrg:    map[string]*orgRun{},
		total:    Counts{},
		failures: map[int64]int{},
		written:  map[int64]int{},
		results:  make(chan outcome),
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	inFlight := cfg.Limits.inFlight()
	r.bulk = channel{kind: ChannelBulk, limit: cfg.Limits.Bulk, maxInFlight: inFlight}
	r.single = channel{kind: ChannelCreate, limit: cfg.Limits.Create, maxInFlight: inFlight}
	return r, nil
}

// run is the loop: send what may go, wait for a response or for the next
// moment something may go, and record what happened.
func (r *runner) run(parent context.Context) (*Summary, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	r.start = r.clock.Now()
	r.lastSettled = r.start
	r.log.Info("bulkinvite: run starts", r.orgAttr(), "people", r.total.Total(),
		"bulk", r.cfg.Limits.Bulk.String(), "create", r.cfg.Limits.Create.String())
	r.report("started", nil)
	stopping := false
	for {
		now := r.clock.Now()
		if !stopping {
			r.dispatch(ctx, now)
			if r.fatal == nil && now.Sub(r.lastSettled) >= r.cfg.IdleTimeout {
				r.fatal = &IdleError{Timeout: r.cfg.IdleTimeout}
			}
		}
		r.flush(ctx)
		stopping = stopping || r.fatal != nil
		if r.inFlight() == 0 && (stopping || r.waiting() == 0) {
			break
		}
		var timer <-chan time.Time
		if wake := r.nextWake(); !stopping && !wake.IsZero() {
			timer = r.clock.After(max(wake.Sub(now), time.Millisecond))
		}
		select {
		case o := <-r.results:
			r.handle(o)
			r.drain()
		case <-timer:
		case <-ctx.Done():
			if !stopping {
				stopping = true
				if r.fatal == nil {
					r.fatal = parent.Err()
				}
			}
		}
		if stopping {
			cancel() // requests in flight end, and report back
		}
	}
	return r.end(ctx)
}

// drain handles the responses that are waiting already, so that their
// records go to the journal together.
func (r *runner) drain() {
	for {
		select {
		case o := <-r.results:
			r.handle(o)
		default:
			return
		}
	}
}

// end writes what is left to write and sums the run up.
func (r *runner) end(ctx context.Context) (*Summary, error) {
	r.flush(ctx)
	sum, err := r.summary(context.WithoutCancel(ctx))
	if err != nil && r.fatal == nil {
		r.fatal = err
	}
	if sum == nil {
		return nil, r.fatal
	}
	r.log.Info("bulkinvite: run ends", r.orgAttr(), "settled", sum.Counts.Settled(),
		"people", sum.Counts.Total(), "failed", sum.Counts[StateFailed], "unsettled", sum.Counts.Total()-sum.Counts.Settled(),
		"elapsed", sum.Elapsed)
	r.report("ended", nil)
	return sum, r.fatal
}

// orgAttr names the run's organization in its log lines, or says how many
// it has.
func (r *runner) orgAttr() slog.Attr {
	if len(r.orgs) == 1 {
		return slog.String("organization", r.orgs[0].id)
	}
	return slog.Int("organizations", len(r.orgs))
}

func (r *runner) inFlight() int { return r.bulk.inFlight + r.single.inFlight + r.aux }

// waiting is how many people are not settled and not in flight.
func (r *runner) waiting() int { return r.rot.queued + r.checks.len() + r.revokes.len() }

// nextWake is the earliest time at which something that waits on time
// may go: a channel's next slot, a check or a revoke that is due.
func (r *runner) nextWake() time.Time {
	var wake time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (wake.IsZero() || t.Before(wake)) {
			wake = t
		}
	}
	if r.rot.hasBulk() {
		earliest(r.bulk.wake())
	}
	if r.rot.hasSingle() {
		earliest(r.single.wake())
	}
	if r.aux < auxInFlight {
		for _, q := range []*dueQueue{&r.checks, &r.revokes} {
			if q.len() > 0 {
				earliest(q.next())
			}
		}
	}
	return wake
}

// dispatch prepares everything that may go now: the requests go once
// their people are journaled as sent (see flush).
func (r *runner) dispatch(ctx context.Context, now time.Time) {
	r.launchDue(ctx, now, &r.revokes, r.revoke)
	r.launchDue(ctx, now, &r.checks, r.check)
	for r.fatal == nil {
		sent := false
		if r.rot.hasBulk() && r.bulk.ready(now) {
			o, ids := r.rot.bulk()
			r.send(ctx, now, &r.bulk, o, ids)
			sent = true
		}
		if r.fatal == nil && r.rot.hasSingle() && r.single.ready(now) {
			o, id, _ := r.rot.single()
			r.send(ctx, now, &r.single, o, []int64{id})
			sent = true
		}
		if !sent {
			return
		}
	}
}

// launchDue starts the checks or revokes of h that are due, as far as the
// room in flight allows.
func (r *runner) launchDue(ctx context.Context, now time.Time, q *dueQueue, start func(context.Context, *person)) {
	for q.len() > 0 && r.aux < auxInFlight && !now.Before(q.next()) && r.fatal == nil {
		it := q.pop()
		p, err := r.load(ctx, it.org, it.id)
		if err != nil {
			q.push(it)
			return
		}
		r.aux++
		start(ctx, p[0])
	}
}

// later schedules a check or revoke of p at.
func (r *runner) later(q *dueQueue, p *person, at time.Time) {
	r.dueSeq++
	q.push(dueItem{at: at, seq: r.dueSeq, id: p.id, org: p.org})
}

// load reads the entries of ids, of organization o: from the records
// not yet written, or else from the journal.
func (r *runner) load(ctx context.Context, o *orgRun, ids ...int64) ([]*person, error) {
	out := make([]*person, len(ids))
	var missing []int64
	for i, id := range ids {
		if k, ok := r.written[id]; ok {
			out[i] = &person{Entry: r.writes[k], id: id, org: o}
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	entries, err := r.cfg.Store.Get(context.WithoutCancel(ctx), missing...)
	if err != nil {
		r.fatal = fmt.Errorf("bulkinvite: journal: %w", err)
		return nil, r.fatal
	}
	for i := range out {
		if out[i] == nil {
			out[i] = &person{Entry: entries[0], id: ids[i], org: o}
			entries = entries[1:]
		}
	}
	return out, nil
}

// record keeps p's entry to be written before anything more is sent.
func (r *runner) record(p *person) {
	if k, ok := r.written[p.id]; ok {
		r.writes[k] = p.Entry
		return
	}
	r.written[p.id] = len(r.writes)
	r.writes = append(r.writes, p.Entry)
	r.writeIDs = append(r.writeIDs, p.id)
}

// count files a change of p's state, from was.
func (r *runner) count(p *person, was State) { r.moved(p.org, was, p.State) }

// moved files a change of state of a person of o.
func (r *runner) moved(o *orgRun, from, to State) {
	if from == to {
		return
	}
	o.counts.move(from, to)
	r.total.move(from, to)
	if from.Final() == to.Final() {
		return
	}
	before := o.unsettled
	if to.Final() {
		o.unsettled--
	} else {
		o.unsettled++
	}
	switch {
	case before > 0 && o.unsettled == 0:
		r.orgsDone++
	case before == 0 && o.unsettled > 0:
		r.orgsDone--
	}
}
