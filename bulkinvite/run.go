package bulkinvite

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Run invites people to cfg.OrganizationID and returns when every person
// of the journal's organization is settled, when cfg.IdleTimeout passes
// without progress, or when ctx ends.
//
// people are added to the journal first; someone the journal already
// holds keeps their entry, so calling Run again with the same people
// resumes the run. people may be nil to resume from the journal alone.
// Every person is checked before anything is sent: an invalid one, or one
// address given twice, fails the call with a *[client.ValidationError]
// naming the person's index, and nothing is sent.
//
// Run returns the summary with a nil error when it ended because everyone
// is settled, whether or not some failed (see [Summary.OK]). It returns the
// summary and an error when it stopped early: ctx's error, a refused key
// (401), a journal that could not be written, or the idle timeout (an
// *[IdleError]).
//
// Before sending, Run lists the organization's pending invitations and
// settles everyone who has one with no create (see [ListPending] and
// [Config.SkipServerCheck]); a failed listing fails the call, matching
// [ErrServerCheck], with nothing sent.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk and
// POST /organizations/{organization_id}/invitations to invite, GET
// /organizations/{organization_id}/invitations to list the pending
// invitations first and to check, POST
// /organizations/{organization_id}/invitations/{invitation_id}/revoke for
// resends (see [Resend]).
func Run(ctx context.Context, cfg Config, people []client.CreateParams) (*Summary, error) {
	r, err := newRunner(ctx, cfg, people, "")
	if err != nil {
		return nil, err
	}
	return r.run(ctx)
}

// runner is one run: the state of every person, owned by the goroutine
// that runs the loop, and the requests in flight, which report back over
// results.
type runner struct {
	cfg   Config
	clock Clock
	log   *slog.Logger

	all      []*Entry
	queue    []*Entry // queued, in order; bulk or single
	singles  []*Entry // queued, to be sent alone (a bulk refusal did not say who)
	checks   []*Entry // needing a check
	revokes  []*Entry // resends whose old invitation is to be revoked
	due      map[*Entry]time.Time
	failures map[*Entry]int // failed checks or revokes in a row

	bulk, single channel
	aux          int // checks and revokes in flight
	results      chan outcome

	start, lastSettled time.Time
	settled            int        // people settled by this run
	rates              rateWindow // how fast they settle (see Progress.Rate)
	found              int        // of them, settled from the server's pending invitations
	fatal              error
}

// newRunner prepares a run of people, narrowed to one address if only is
// set.
func newRunner(ctx context.Context, cfg Config, people []client.CreateParams, only string) (*runner, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("bulkinvite: Config.Client is nil")
	case cfg.Store == nil:
		return nil, errors.New("bulkinvite: Config.Store is nil")
	case cfg.OrganizationID == "":
		return nil, errors.New("bulkinvite: Config.OrganizationID is empty")
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
		due:      map[*Entry]time.Time{},
		failures: map[*Entry]int{},
		results:  make(chan outcome),
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	inFlight := cfg.Limits.inFlight()
	r.bulk = channel{kind: ChannelBulk, limit: cfg.Limits.Bulk, maxInFlight: inFlight}
	r.single = channel{kind: ChannelCreate, limit: cfg.Limits.Create, maxInFlight: inFlight}
	if err := r.load(ctx, people, only); err != nil {
		return nil, err
	}
	return r, nil
}

// load reconciles the journal with people (see [Reconcile]), writes what
// changed, and files every person under what the run does next.
func (r *runner) load(ctx context.Context, people []client.CreateParams, only string) error {
	stored, err := r.cfg.Store.Load(ctx, r.cfg.OrganizationID)
	if err != nil {
		return err
	}
	now := r.clock.Now()
	opts := ReconcileOptions{OrganizationID: r.cfg.OrganizationID, RetryFailed: r.cfg.RetryFailed, Only: only, Now: now}
	var plan *Plan
	if r.cfg.SkipServerCheck || only != "" { // a resend's pending invitation is the one to revoke
		plan, err = Reconcile(stored, people, opts)
	} else {
		plan, err = ReconcileWithServer(ctx, r.cfg.Client, stored, people, opts)
	}
	if err != nil {
		return err
	}
	if r.found = len(plan.Found); r.found > 0 {
		r.log.Info("bulkinvite: settled from the server's pending invitations", "organization", r.cfg.OrganizationID, "found", r.found)
	}
	if len(plan.Changed) > 0 {
		changed := make([]Entry, len(plan.Changed))
		for k, i := range plan.Changed {
			changed[k] = plan.Entries[i]
		}
		if err := r.cfg.Store.Put(ctx, changed...); err != nil {
			return err
		}
	}
	for i := range plan.Entries {
		r.all = append(r.all, &plan.Entries[i])
	}
	for _, i := range plan.Send {
		r.queue = append(r.queue, r.all[i])
	}
	for _, i := range plan.Check {
		r.checkLater(r.all[i], now, r.cfg.CheckDelay)
	}
	for _, i := range plan.Revoke {
		r.revokes = append(r.revokes, r.all[i])
	}
	// Pace from the requests of earlier runs, so that a restart does not
	// spend again what they spent (those of people outside a narrowed run
	// too).
	for _, e := range stored {
		if !e.SentAt.IsZero() {
			r.channelOf(e.Channel).seed(e.SentAt)
		}
	}
	return nil
}

func (r *runner) channelOf(c Channel) *channel {
	if c == ChannelBulk {
		return &r.bulk
	}
	return &r.single
}

// run is the loop: send what may go, wait for a response or for the next
// moment something may go, and record what happened.
func (r *runner) run(parent context.Context) (*Summary, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	r.start = r.clock.Now()
	r.lastSettled = r.start
	r.log.Info("bulkinvite: run starts", "organization", r.cfg.OrganizationID, "people", len(r.all),
		"bulk", r.cfg.Limits.Bulk.String(), "create", r.cfg.Limits.Create.String())
	r.report("started")
	stopping := false
	for {
		now := r.clock.Now()
		if !stopping {
			r.dispatch(ctx, now)
			if r.fatal == nil && now.Sub(r.lastSettled) >= r.cfg.IdleTimeout {
				r.fatal = &IdleError{Timeout: r.cfg.IdleTimeout}
			}
			if r.fatal != nil {
				stopping = true
			}
		}
		if r.inFlight() == 0 && (stopping || r.waiting() == 0) {
			break
		}
		var timer <-chan time.Time
		if wake := r.nextWake(); !stopping && !wake.IsZero() {
			timer = r.clock.After(max(wake.Sub(now), time.Millisecond))
		}
		select {
		case o := <-r.results:
			r.handle(ctx, o)
		case <-timer:
		case <-ctx.Done():
			if !stopping {
				stopping = true
				if r.fatal == nil {
					r.fatal = parent.Err()
				}
				cancel() // requests in flight end, and report back
			}
		}
		if stopping {
			cancel()
		}
	}
	sum := r.summary()
	r.log.Info("bulkinvite: run ends", "organization", r.cfg.OrganizationID, "settled", sum.Counts.Settled(),
		"people", len(r.all), "failed", len(sum.Failed), "unsettled", len(sum.Unsettled), "elapsed", sum.Elapsed)
	r.report("ended")
	return sum, r.fatal
}

func (r *runner) inFlight() int { return r.bulk.inFlight + r.single.inFlight + r.aux }

// waiting is how many people are not settled and not in flight.
func (r *runner) waiting() int {
	return len(r.queue) + len(r.singles) + len(r.checks) + len(r.revokes)
}

// nextWake is the earliest time at which something that waits on time
// may go: a channel's next slot, a check or a revoke that is due.
func (r *runner) nextWake() time.Time {
	var wake time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (wake.IsZero() || t.Before(wake)) {
			wake = t
		}
	}
	if len(r.queue) > 0 {
		earliest(r.bulk.wake())
	}
	if len(r.queue)+len(r.singles) > 0 {
		earliest(r.single.wake())
	}
	if r.aux < auxInFlight {
		for _, e := range r.checks {
			earliest(r.due[e])
		}
		for _, e := range r.revokes {
			earliest(r.due[e])
		}
	}
	return wake
}

// dispatch sends everything that may go now.
func (r *runner) dispatch(ctx context.Context, now time.Time) {
	r.revokes = r.launchDue(ctx, now, r.revokes, r.revoke)
	r.checks = r.launchDue(ctx, now, r.checks, r.check)
	for r.fatal == nil {
		sent := false
		if len(r.queue) > 0 && r.bulk.ready(now) {
			n := min(len(r.queue), client.MaxBulkInvitations)
			batch := slices.Clone(r.queue[:n])
			r.queue = r.queue[n:]
			r.send(ctx, now, &r.bulk, batch)
			sent = true
		}
		if len(r.queue)+len(r.singles) > 0 && r.single.ready(now) && r.fatal == nil {
			var e *Entry
			if len(r.singles) > 0 {
				e, r.singles = r.singles[0], r.singles[1:]
			} else {
				e, r.queue = r.queue[0], r.queue[1:]
			}
			r.send(ctx, now, &r.single, []*Entry{e})
			sent = true
		}
		if !sent {
			return
		}
	}
}

// launchDue starts the checks or revokes of list that are due, as far as
// the room in flight allows, and returns the rest.
func (r *runner) launchDue(ctx context.Context, now time.Time, list []*Entry, start func(context.Context, *Entry)) []*Entry {
	rest := list[:0]
	for _, e := range list {
		if r.aux < auxInFlight && !now.Before(r.due[e]) && r.fatal == nil {
			delete(r.due, e)
			r.aux++
			start(ctx, e)
			continue
		}
		rest = append(rest, e)
	}
	return rest
}
