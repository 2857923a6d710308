package bulkinvite

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// handle records what a request came to and decides what follows. The
// records go to the journal before anything more is sent (see flush).
func (r *runner) handle(o outcome) {
	now := r.clock.Now()
	was := make([]State, len(o.people))
	for i, p := range o.people {
		was[i] = p.State
	}
	var event string
	switch o.kind {
	case "create":
		o.ch.inFlight--
		o.ch.settle(o.people[0].SentAt, now)
		event = r.created(now, o)
	case "check":
		r.aux--
		event = r.checked(now, o)
	case "revoke":
		r.aux--
		event = r.revoked(now, o)
	}
	for i, p := range o.people {
		p.UpdatedAt = now
		r.count(p, was[i])
		r.record(p)
		if p.State.Final() {
			r.settled++
			r.lastSettled = later(r.lastSettled, now) // it may be ahead: a pause is not idleness
		}
	}
	r.report(event, o.people[0].org)
}

// created carries out the decision on the response to a create or bulk
// create (see [decideCreate]).
func (r *runner) created(now time.Time, o outcome) string {
	ch, batch, err := o.ch, o.people, o.err
	what := string(ch.kind) + " of " + strconv.Itoa(len(batch)) + ": "
	d := decideCreate(readReply(err), len(batch))
	switch d.verdict {
	case vCreated:
		ch.backoff = 0
		return what + r.createdAll(now, o)
	case vPause:
		wait := d.wait
		if wait == 0 {
			wait = r.grow(ch)
		}
		ch.pausedUntil = later(ch.pausedUntil, now.Add(wait))
		r.lastSettled = later(r.lastSettled, ch.pausedUntil) // a pause is not idleness
		r.log.Info("bulkinvite: rate limited; pausing", "channel", string(ch.kind), "for", wait)
		r.requeue(batch, false, "refused for the rate limit")
		return what + "rate limited, paused for " + wait.String()
	case vThere:
		return what + r.alreadyThere(now, batch, d)
	case vAlone:
		r.requeue(batch, true, "a bulk request with this person was refused: "+err.Error())
		return what + "refused, sending one by one"
	case vCheck:
		for _, e := range batch {
			e.MaybeCreated = true
			r.toCheck(e, now, err.Error())
		}
		r.log.Warn("bulkinvite: outcome unknown; will check", "channel", string(ch.kind), "people", len(batch), "error", err)
		return what + "outcome unknown, checking"
	case vStop:
		r.requeue(batch, false, "")
		if r.fatal == nil {
			r.fatal = fmt.Errorf("bulkinvite: %s%w", d.why, err)
		}
		return what + d.event
	case vBackoff:
		wait := r.grow(ch)
		ch.pausedUntil = later(ch.pausedUntil, now.Add(wait))
		r.requeue(batch, false, err.Error())
		return what + "not sent, trying again in " + wait.String()
	}
	r.settle(batch[0], StateFailed, "", err.Error())
	r.log.Warn("bulkinvite: failed", "email_address", batch[0].Params.EmailAddress, "error", err)
	return what + "failed"
}

// createdAll records a success: the one invitation, or those of a bulk
// response matched by address. Someone a bulk response leaves out may
// have been created all the same, and is looked up.
func (r *runner) createdAll(now time.Time, o outcome) string {
	if o.inv != nil {
		r.settle(o.people[0], StateCreated, o.inv.ID, "")
		return "created"
	}
	byEmail := make(map[string]string, len(o.list.Data))
	for _, inv := range o.list.Data {
		byEmail[client.NormalEmail(inv.EmailAddress)] = inv.ID
	}
	missing := 0
	for _, e := range o.people {
		if id, ok := byEmail[client.NormalEmail(e.Params.EmailAddress)]; ok {
			r.settle(e, StateCreated, id, "")
			continue
		}
		missing++
		e.MaybeCreated = true
		r.toCheck(e, now, "the bulk response did not include this invitation")
	}
	return strconv.Itoa(len(o.people)-missing) + " created"
}

// alreadyThere records a refusal as already invited or a member: of the
// one person, or of those a bulk refusal names; the rest go again.
func (r *runner) alreadyThere(now time.Time, batch []*person, d decision) string {
	if d.named == nil {
		r.refused(batch[0], d.member, now)
		return string(batch[0].State)
	}
	var rest []*person
	for _, e := range batch {
		if d.named[client.NormalEmail(e.Params.EmailAddress)] {
			r.refused(e, d.member, now)
		} else {
			rest = append(rest, e)
		}
	}
	r.requeue(rest, false, "")
	return strconv.Itoa(len(batch)-len(rest)) + " already there, the rest queued again"
}

// refused records the API's refusal to invite someone already there. An
// "already invited" for a person whose earlier request had no clear
// outcome may be this run's own invitation: that one is looked up.
func (r *runner) refused(e *person, member bool, now time.Time) {
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
func (r *runner) checked(now time.Time, o outcome) string {
	e := o.people[0]
	if o.err != nil {
		wait := r.retryLater(e)
		r.later(&r.checks, e, now.Add(wait))
		e.Reason = "check failed: " + o.err.Error()
		return "check failed, again in " + wait.String()
	}
	delete(r.failures, e.id)
	for _, inv := range o.list.Data {
		if client.NormalEmail(inv.EmailAddress) == client.NormalEmail(e.Params.EmailAddress) {
			r.settle(e, StateCreated, inv.ID, "")
			return "check: created"
		}
	}
	if e.Attempts >= r.cfg.MaxAttempts {
		r.settle(e, StateFailed, "", strconv.Itoa(e.Attempts)+" requests ended with no clear outcome, and no invitation was found")
		return "check: given up"
	}
	r.requeue([]*person{e}, false, "a check found no invitation; sending again")
	return "check: not created, queued again"
}

// revoked handles the response to a resend's revoke.
func (r *runner) revoked(now time.Time, o outcome) string {
	e, err := o.people[0], o.err
	switch {
	case err == nil, client.HasCode(err, client.CodeNotPending), client.IsNotFound(err):
		delete(r.failures, e.id)
		e.Replaces = ""
		r.requeue([]*person{e}, false, "")
		return "revoked, queued"
	case client.OutcomeUnknown(err), !isAPIError(err), client.IsRateLimited(err):
		// Revoking again is harmless: an invitation revoked already is
		// refused as not pending.
		wait := r.retryLater(e)
		r.later(&r.revokes, e, now.Add(wait))
		e.Reason = "revoke: " + err.Error()
		return "revoke failed, again in " + wait.String()
	default:
		r.settle(e, StateFailed, "", "revoking "+e.Replaces+": "+err.Error())
		return "revoke refused"
	}
}

func isAPIError(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr)
}

// settle puts a person in a final state.
func (r *runner) settle(e *person, s State, invitationID, reason string) {
	e.State, e.Reason = s, reason
	if invitationID != "" {
		e.InvitationID = invitationID
	}
}

// toCheck schedules a check of a person after the check delay.
func (r *runner) toCheck(e *person, now time.Time, reason string) {
	e.State, e.Reason = StateCheck, reason
	r.later(&r.checks, e, now.Add(r.cfg.CheckDelay))
}

// requeue puts people of one organization back at the front of its
// queue, or of those it sends one by one. A request that created nothing
// (refused, or never sent) does not count as an attempt.
func (r *runner) requeue(batch []*person, alone bool, reason string) {
	if len(batch) == 0 {
		return
	}
	ids := make([]int64, len(batch))
	for i, e := range batch {
		if e.State == StateSent {
			e.Attempts--
		}
		e.State, e.Reason = StateQueued, reason
		ids[i] = e.id
	}
	r.rot.requeue(batch[0].org, ids, alone)
}

// retryLater is how long a failed check or revoke waits before it goes
// again: the check delay, doubling with each failure in a row, up to
// maxBackoff.
func (r *runner) retryLater(e *person) time.Duration {
	r.failures[e.id]++
	wait := r.cfg.CheckDelay << min(r.failures[e.id]-1, 16)
	return min(wait, maxBackoff)
}

// grow doubles a channel's backoff, from a second up to maxBackoff.
func (r *runner) grow(ch *channel) time.Duration {
	ch.backoff = min(max(2*ch.backoff, time.Second), maxBackoff)
	return ch.backoff
}
