// Package bulkinvite invites many people to a Clerk organization, each
// exactly once, in runs that may last hours under Clerk's rate limits and
// survive crashes.
//
// A run keeps a journal (see [Store]; by default an SQLite file opened with
// [OpenJournal]) with one [Entry] per person. The entry is written before
// each request and after each response, so that a run stopped at any moment,
// even by SIGKILL, continues where it was when started again with the same
// journal: nothing is sent twice and nothing is lost.
//
//	journal, err := bulkinvite.OpenJournal("invites.db")
//	...
//	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{
//		Client:         c,
//		OrganizationID: "org_123",
//		Store:          journal,
//		Limits:         bulkinvite.ProductionLimits(),
//	}, people)
//
// A run uses both ways to invite at once, bulk creates of ten and single
// creates, each paced to its own limit ([Limits]), so that a large run
// approaches Clerk's ceiling of about 750 people an hour. A 429 pauses
// the channel that got it for its Retry-After, however long; it never
// fails anyone.
//
// When a request ends without a clear outcome (the connection broke after
// sending, a 5xx, an unreadable success), the run does not guess and does
// not send again blindly: it looks the address up among the organization's
// pending invitations, records the invitation if it exists, and sends
// again only if it does not. Clerk refuses a second pending invitation for
// one address, which the run reads as "already there", so even a request
// that lands late cannot invite anyone twice. People who already had a
// pending invitation, or who already belong to the organization, are
// outcomes of their own ([StateAlreadyInvited], [StateAlreadyMember]).
//
// Every person ends created, already invited, already a member, or failed
// with a reason; only if the API stays unreachable until the run ends can
// someone be left unsettled ([StateCheck] or [StateQueued]), for the next
// run to settle.
package bulkinvite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Config describes a run.
type Config struct {
	// Client sends the requests. Its request limit (see
	// [client.WithRequestLimit]) bounds all of the run's requests
	// together; its retry policy retries what is safe to retry.
	Client *client.Client
	// OrganizationID is the organization to invite people to.
	OrganizationID string
	// Store is the run's journal.
	Store Store
	// Limits paces the two create endpoints. Set it: ProductionLimits(),
	// DevelopmentLimits(), or NoLimits() for servers without limits.
	Limits Limits
	// CheckDelay is how long after a request with no clear outcome the run
	// looks for its invitation (default 5 s), so that a request the server
	// is still working on can land first.
	CheckDelay time.Duration
	// MaxAttempts is how many requests that reached the API may be sent
	// for one person before the run gives up on them (default 5). A
	// refusal for the rate limit does not count.
	MaxAttempts int
	// RetryFailed sends again the people the journal holds as failed
	// (after the cause, say an unknown role, has been fixed), with their
	// params from people when people names them. Without it a failed
	// person stays failed.
	RetryFailed bool
	// IdleTimeout ends the run when nobody has been settled for this long
	// (default 2 h): while the API stays unreachable, say. The run also
	// ends when its context does.
	IdleTimeout time.Duration
	// Clock tells the time and waits; nil is the system's clock. Tests
	// and simulations give a faster one.
	Clock Clock
	// Progress, if set, is called after every change, from the run's own
	// goroutine: keep it quick.
	Progress func(Progress)
	// Logger, if set, receives the run's events: pauses, outcomes that
	// need a check, failures, and the end.
	Logger *slog.Logger
}

// Clock is the time source of a run.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// After delivers the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// clockOf is cfg's clock, or the system's.
func clockOf(cfg Config) Clock {
	if cfg.Clock != nil {
		return cfg.Clock
	}
	return systemClock{}
}

// Progress is a run's state after a change.
type Progress struct {
	// Counts is how many people are in each state.
	Counts Counts
	// Elapsed is the time since this run started.
	Elapsed time.Duration
	// Rate is how many people this run has settled an hour so far.
	Rate float64
	// ETA estimates the time until everyone is settled, from the pacing
	// (or, when nothing is paced, from Rate); zero when unknown.
	ETA time.Duration
	// Event says what changed, in a few words.
	Event string
}

// Summary is the outcome of a run.
type Summary struct {
	// Counts is how many people are in each state.
	Counts Counts
	// Failed are the people the API refused, with the reasons.
	Failed []Entry
	// Unsettled are the people the run could not settle before it ended.
	Unsettled []Entry
	// Elapsed is how long the run took.
	Elapsed time.Duration
}

// Complete reports whether every person is settled.
func (s *Summary) Complete() bool { return len(s.Unsettled) == 0 }

// OK reports whether every person was invited, or already was invited or
// a member.
func (s *Summary) OK() bool { return s.Complete() && len(s.Failed) == 0 }

// Defaults of a Config.
const (
	DefaultCheckDelay  = 5 * time.Second
	DefaultMaxAttempts = 5
	DefaultIdleTimeout = 2 * time.Hour
)

// maxBackoff caps the waits after failures that say nothing of the
// server's limits (a refused connection, a failed check).
const maxBackoff = 5 * time.Minute

// auxInFlight is how many checks and revokes may be in flight at once.
const auxInFlight = 4

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
// (401), a journal that could not be written, or the idle timeout.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk and
// POST /organizations/{organization_id}/invitations to invite, GET
// /organizations/{organization_id}/invitations to check, POST
// /organizations/{organization_id}/invitations/{invitation_id}/revoke for
// resends (see [Resend]).
func Run(ctx context.Context, cfg Config, people []client.CreateParams) (*Summary, error) {
	r, err := newRunner(ctx, cfg, people)
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
	settled            int // people settled by this run
	fatal              error
}

// channel is one of the two create endpoints and its pacing.
type channel struct {
	kind        Channel
	limit       Limit
	inFlight    int
	maxInFlight int
	next        time.Time   // the earliest the next request may go
	reached     []time.Time // when its last requests reached Clerk at the latest (limits.go)
	pausedUntil time.Time   // a 429's Retry-After, or a backoff
	backoff     time.Duration
}

func (c *channel) ready(now time.Time) bool {
	return c.inFlight < c.maxInFlight && !now.Before(c.next) && !now.Before(c.pausedUntil)
}

// wake is when the channel may send next, if it is waiting on time.
func (c *channel) wake() time.Time {
	if c.inFlight >= c.maxInFlight {
		return time.Time{}
	}
	return later(c.next, c.pausedUntil)
}

func newRunner(ctx context.Context, cfg Config, people []client.CreateParams) (*runner, error) {
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
	if err := r.load(ctx, people); err != nil {
		return nil, err
	}
	return r, nil
}

// load reads the journal, adds the people it lacks, and turns the requests
// that were in flight when an earlier run stopped into checks.
func (r *runner) load(ctx context.Context, people []client.CreateParams) error {
	org := r.cfg.OrganizationID
	seen := make(map[string]int, len(people))
	for i, p := range people {
		if err := client.ValidateCreate(org, p); err != nil {
			return indexed(err, i)
		}
		key := entryKey(org, p.EmailAddress)
		if j, dup := seen[key]; dup {
			return &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "].email_address",
				Reason: strconv.Quote(p.EmailAddress) + " is also person [" + strconv.Itoa(j) + "]"}
		}
		seen[key] = i
	}
	stored, err := r.cfg.Store.Load(ctx, org)
	if err != nil {
		return err
	}
	now := r.clock.Now()
	given := make(map[string]client.CreateParams, len(people))
	for _, p := range people {
		given[entryKey(org, p.EmailAddress)] = p
	}
	known := make(map[string]bool, len(stored))
	var changed []Entry
	for i := range stored {
		e := &stored[i]
		known[e.Key()] = true
		switch {
		case e.State == StateSent:
			e.State, e.MaybeCreated, e.UpdatedAt = StateCheck, true, now
			e.Reason = "the run stopped while a request for this person was in flight"
			changed = append(changed, *e)
		case e.State == StateFailed && r.cfg.RetryFailed:
			if p, ok := given[e.Key()]; ok {
				e.Params = p
			}
			e.State, e.Attempts, e.UpdatedAt = StateQueued, 0, now
			e.Reason = "sent again after failing: " + e.Reason
			changed = append(changed, *e)
		}
		r.all = append(r.all, e)
	}
	for _, p := range people {
		e := &Entry{OrganizationID: org, Params: p, State: StateQueued, UpdatedAt: now}
		if known[e.Key()] {
			continue
		}
		r.all = append(r.all, e)
		changed = append(changed, *e)
	}
	if len(changed) > 0 {
		if err := r.cfg.Store.Put(ctx, changed...); err != nil {
			return err
		}
	}
	for _, e := range r.all {
		switch e.State {
		case StateQueued:
			r.queue = append(r.queue, e)
		case StateCheck:
			r.checkLater(e, now, r.cfg.CheckDelay)
		case StateRevoking:
			r.revokes = append(r.revokes, e)
		}
		// Pace from the requests of earlier runs, so that a restart does
		// not spend again what they spent.
		if !e.SentAt.IsZero() {
			r.channelOf(e.Channel).seed(e.SentAt)
		}
	}
	return nil
}

// keep narrows the run to the person with this key.
func (r *runner) keep(key string) {
	other := func(e *Entry) bool { return e.Key() != key }
	r.all = slices.DeleteFunc(r.all, other)
	r.queue = slices.DeleteFunc(r.queue, other)
	r.checks = slices.DeleteFunc(r.checks, other)
	r.revokes = slices.DeleteFunc(r.revokes, other)
}

// indexed renames a validation error's field after the person's index.
func indexed(err error, i int) error {
	var v *client.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	return &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "]." + v.Field, Reason: v.Reason}
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
				r.fatal = fmt.Errorf("bulkinvite: nobody settled for %v; stopping", r.cfg.IdleTimeout)
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

// outcome is what a request in flight came to.
type outcome struct {
	ch      *channel // the create channel, or nil for a check or revoke
	entries []*Entry
	kind    string // "create", "check" or "revoke"
	list    *client.InvitationList
	inv     *client.Invitation
	err     error
}

// send journals the people as sent, then sends them through ch.
func (r *runner) send(ctx context.Context, now time.Time, ch *channel, batch []*Entry) {
	changed := make([]Entry, len(batch))
	params := make([]client.CreateParams, len(batch))
	for i, e := range batch {
		e.State, e.Channel, e.SentAt, e.UpdatedAt = StateSent, ch.kind, now, now
		e.Attempts++
		changed[i], params[i] = *e, e.Params
	}
	if err := r.cfg.Store.Put(context.WithoutCancel(ctx), changed...); err != nil {
		// Nothing is sent without its record. The journal still says what
		// it said, so a later run starts from there.
		r.fatal = fmt.Errorf("bulkinvite: journal: %w", err)
		for _, e := range batch {
			e.State = StateQueued
			e.Attempts--
		}
		r.queue = append(batch, r.queue...)
		return
	}
	ch.inFlight++
	ch.plan(now)
	r.log.Debug("bulkinvite: sending", "channel", string(ch.kind), "people", len(batch))
	c, org := r.cfg.Client, r.cfg.OrganizationID
	go func() {
		o := outcome{ch: ch, entries: batch, kind: "create"}
		// A Retry-After is the run's to wait: it pauses the channel, on the
		// run's clock, and lets the other one go on.
		opts := client.WithMaxRetryAfter(0)
		if ch.kind == ChannelBulk {
			o.list, o.err = c.BulkCreate(ctx, org, params, opts)
		} else {
			o.inv, o.err = c.Create(ctx, org, params[0], opts)
		}
		r.results <- o
	}()
}

// check looks for the pending invitation of a person whose request had no
// clear outcome.
func (r *runner) check(ctx context.Context, e *Entry) {
	c, org, email := r.cfg.Client, r.cfg.OrganizationID, e.Params.EmailAddress
	go func() {
		o := outcome{entries: []*Entry{e}, kind: "check"}
		o.list, o.err = c.List(ctx, org, client.ListParams{EmailAddress: email, Status: client.StatusPending})
		r.results <- o
	}()
}

// revoke revokes the invitation a resend replaces.
func (r *runner) revoke(ctx context.Context, e *Entry) {
	c, org, id := r.cfg.Client, r.cfg.OrganizationID, e.Replaces
	go func() {
		o := outcome{entries: []*Entry{e}, kind: "revoke"}
		o.inv, o.err = c.Revoke(ctx, org, id, client.RevokeParams{})
		r.results <- o
	}()
}

// handle records what a request came to and decides what follows.
func (r *runner) handle(ctx context.Context, o outcome) {
	now := r.clock.Now()
	var changed []*Entry
	var event string
	switch o.kind {
	case "create":
		o.ch.inFlight--
		o.ch.settle(o.entries[0].SentAt, now)
		changed, event = r.created(now, o)
	case "check":
		r.aux--
		changed, event = r.checked(now, o)
	case "revoke":
		r.aux--
		changed, event = r.revoked(now, o)
	}
	if len(changed) == 0 {
		return
	}
	records := make([]Entry, len(changed))
	for i, e := range changed {
		e.UpdatedAt = now
		records[i] = *e
		if e.State.Final() {
			r.settled++
			r.lastSettled = later(r.lastSettled, now) // it may be ahead: a pause is not idleness
		}
	}
	if err := r.cfg.Store.Put(context.WithoutCancel(ctx), records...); err != nil && r.fatal == nil {
		r.fatal = fmt.Errorf("bulkinvite: journal: %w", err)
	}
	r.report(event)
}

// created handles the response to a create or bulk create.
func (r *runner) created(now time.Time, o outcome) ([]*Entry, string) {
	ch, batch, err := o.ch, o.entries, o.err
	what := string(ch.kind) + " of " + strconv.Itoa(len(batch))
	if err == nil {
		ch.backoff = 0
		if o.inv != nil {
			r.settle(batch[0], StateCreated, o.inv.ID, "")
			return batch, what + ": created"
		}
		byEmail := make(map[string]string, len(o.list.Data))
		for _, inv := range o.list.Data {
			byEmail[NormalEmail(inv.EmailAddress)] = inv.ID
		}
		missing := 0
		for _, e := range batch {
			if id, ok := byEmail[NormalEmail(e.Params.EmailAddress)]; ok {
				r.settle(e, StateCreated, id, "")
				continue
			}
			missing++
			e.MaybeCreated = true
			r.toCheck(e, now, "the bulk response did not include this invitation")
		}
		return batch, what + ": " + strconv.Itoa(len(batch)-missing) + " created"
	}

	var apiErr *client.APIError
	errors.As(err, &apiErr)
	switch {
	case client.IsRateLimited(err):
		wait := apiErr.RetryAfter
		if wait <= 0 {
			wait = r.grow(ch)
		}
		ch.pausedUntil = later(ch.pausedUntil, now.Add(wait))
		r.lastSettled = later(r.lastSettled, ch.pausedUntil) // a pause is not idleness
		r.log.Info("bulkinvite: rate limited; pausing", "channel", string(ch.kind), "for", wait)
		r.requeue(batch, false, "refused for the rate limit")
		return batch, what + ": rate limited, paused for " + wait.String()

	case client.IsAlreadyInvited(err) || client.IsAlreadyMember(err):
		member := client.IsAlreadyMember(err)
		if len(batch) == 1 {
			r.refused(batch[0], member, now)
			return batch, what + ": " + string(batch[0].State)
		}
		named := map[string]bool{}
		for _, a := range client.RefusedAddresses(err) {
			named[NormalEmail(a)] = true
		}
		if len(named) == 0 {
			// Refused, but not told for whom: each goes alone to find out.
			r.requeue(batch, true, "a bulk request with this person was refused: "+err.Error())
			return batch, what + ": refused, sending one by one"
		}
		var rest []*Entry
		for _, e := range batch {
			if named[NormalEmail(e.Params.EmailAddress)] {
				r.refused(e, member, now)
			} else {
				rest = append(rest, e)
			}
		}
		r.requeue(rest, false, "")
		return batch, what + ": " + strconv.Itoa(len(batch)-len(rest)) + " already there, the rest queued again"

	case client.OutcomeUnknown(err):
		for _, e := range batch {
			e.MaybeCreated = true
			r.toCheck(e, now, err.Error())
		}
		r.log.Warn("bulkinvite: outcome unknown; will check", "channel", string(ch.kind), "people", len(batch), "error", err)
		return batch, what + ": outcome unknown, checking"

	case client.IsUnauthorized(err):
		r.requeue(batch, false, "")
		if r.fatal == nil {
			r.fatal = fmt.Errorf("bulkinvite: the API refused the key: %w", err)
		}
		return batch, what + ": the key was refused"

	case errors.As(err, new(*client.RequestError)):
		// No response, and provably not carried out (OutcomeUnknown is
		// false): the connection was refused, or the run is stopping.
		wait := r.grow(ch)
		ch.pausedUntil = later(ch.pausedUntil, now.Add(wait))
		r.requeue(batch, false, err.Error())
		return batch, what + ": not sent, trying again in " + wait.String()

	case errors.As(err, new(*client.KeyError)):
		r.requeue(batch, false, "")
		if r.fatal == nil {
			r.fatal = fmt.Errorf("bulkinvite: %w", err)
		}
		return batch, what + ": no key"

	case len(batch) > 1: // refused, but not for a reason that names anyone
		r.requeue(batch, true, "a bulk request with this person was refused: "+err.Error())
		return batch, what + ": refused, sending one by one"

	default: // an APIError, or bad input the client refused to send
		r.settle(batch[0], StateFailed, "", err.Error())
		r.log.Warn("bulkinvite: failed", "email_address", batch[0].Params.EmailAddress, "error", err)
		return batch, what + ": failed"
	}
}

// refused records the API's refusal to invite someone already there. An
// "already invited" for a person whose earlier request had no clear
// outcome may be this run's own invitation: that one is looked up.
func (r *runner) refused(e *Entry, member bool, now time.Time) {
	switch {
	case member:
		r.settle(e, StateAlreadyMember, "", "")
	case e.MaybeCreated:
		r.toCheck(e, now, "refused as already invited after a request with no clear outcome")
		e.Attempts-- // this one created nothing
	default:
		r.settle(e, StateAlreadyInvited, "", "")
	}
}

// checked handles the response to a check.
func (r *runner) checked(now time.Time, o outcome) ([]*Entry, string) {
	e := o.entries[0]
	if o.err != nil {
		wait := r.retryLater(e, now)
		r.checks = append(r.checks, e)
		e.Reason = "check failed: " + o.err.Error()
		return []*Entry{e}, "check failed, again in " + wait.String()
	}
	delete(r.failures, e)
	for _, inv := range o.list.Data {
		if NormalEmail(inv.EmailAddress) == NormalEmail(e.Params.EmailAddress) {
			r.settle(e, StateCreated, inv.ID, "")
			return []*Entry{e}, "check: created"
		}
	}
	if e.Attempts >= r.cfg.MaxAttempts {
		r.settle(e, StateFailed, "", strconv.Itoa(e.Attempts)+" requests ended with no clear outcome, and no invitation was found")
		return []*Entry{e}, "check: given up"
	}
	r.requeue([]*Entry{e}, false, "a check found no invitation; sending again")
	return []*Entry{e}, "check: not created, queued again"
}

// revoked handles the response to a resend's revoke.
func (r *runner) revoked(now time.Time, o outcome) ([]*Entry, string) {
	e, err := o.entries[0], o.err
	switch {
	case err == nil, client.HasCode(err, "organization_invitation_not_pending"), client.IsNotFound(err):
		delete(r.failures, e)
		e.Replaces = ""
		r.requeue([]*Entry{e}, false, "")
		return []*Entry{e}, "revoked, queued"
	case client.OutcomeUnknown(err), !isAPIError(err), client.IsRateLimited(err):
		// Revoking again is harmless: an invitation revoked already is
		// refused as not pending.
		wait := r.retryLater(e, now)
		r.revokes = append(r.revokes, e)
		e.Reason = "revoke: " + err.Error()
		return []*Entry{e}, "revoke failed, again in " + wait.String()
	default:
		r.settle(e, StateFailed, "", "revoking "+e.Replaces+": "+err.Error())
		return []*Entry{e}, "revoke refused"
	}
}

func isAPIError(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr)
}

// settle puts a person in a final state.
func (r *runner) settle(e *Entry, s State, invitationID, reason string) {
	e.State, e.Reason = s, reason
	if invitationID != "" {
		e.InvitationID = invitationID
	}
}

// toCheck schedules a check of a person after the check delay.
func (r *runner) toCheck(e *Entry, now time.Time, reason string) {
	e.State, e.Reason = StateCheck, reason
	r.checkLater(e, now, r.cfg.CheckDelay)
}

func (r *runner) checkLater(e *Entry, now time.Time, d time.Duration) {
	r.due[e] = now.Add(d)
	r.checks = append(r.checks, e)
}

// requeue puts people back at the front of the queue, or of the queue of
// those sent one by one. A request that created nothing (refused, or never
// sent) does not count as an attempt.
func (r *runner) requeue(batch []*Entry, alone bool, reason string) {
	for _, e := range batch {
		if e.State == StateSent {
			e.Attempts--
		}
		e.State, e.Reason = StateQueued, reason
	}
	if alone {
		r.singles = append(slices.Clone(batch), r.singles...)
	} else {
		r.queue = append(slices.Clone(batch), r.queue...)
	}
}

// retryLater sets when a failed check or revoke goes again: the check
// delay, doubling with each failure in a row, up to maxBackoff.
func (r *runner) retryLater(e *Entry, now time.Time) time.Duration {
	r.failures[e]++
	wait := r.cfg.CheckDelay << min(r.failures[e]-1, 16)
	wait = min(wait, maxBackoff)
	r.due[e] = now.Add(wait)
	return wait
}

// grow doubles a channel's backoff, from a second up to maxBackoff.
func (r *runner) grow(ch *channel) time.Duration {
	ch.backoff = min(max(2*ch.backoff, time.Second), maxBackoff)
	return ch.backoff
}

// report sends a progress event.
func (r *runner) report(event string) {
	if r.cfg.Progress == nil {
		return
	}
	r.cfg.Progress(r.progress(event))
}

func (r *runner) progress(event string) Progress {
	counts := count(r.all)
	elapsed := r.clock.Now().Sub(r.start)
	p := Progress{Counts: counts, Elapsed: elapsed, Event: event}
	if elapsed > 0 {
		p.Rate = float64(r.settled) / elapsed.Hours()
	}
	left := counts.Total() - counts.Settled()
	switch perHour := r.cfg.Limits.PerHour(); {
	case left == 0:
	case r.cfg.Limits.paced() && perHour > 0:
		p.ETA = time.Duration(float64(left) / perHour * float64(time.Hour))
	case p.Rate > 0:
		p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Hour))
	}
	return p
}

func (r *runner) summary() *Summary {
	s := &Summary{Counts: count(r.all), Elapsed: r.clock.Now().Sub(r.start)}
	for _, e := range r.all {
		switch {
		case e.State == StateFailed:
			s.Failed = append(s.Failed, *e)
		case !e.State.Final():
			s.Unsettled = append(s.Unsettled, *e)
		}
	}
	return s
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
