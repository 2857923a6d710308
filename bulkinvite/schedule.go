package bulkinvite

import (
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// The pacer's own schedule, in closed form: when the people still queued
// will all have been sent, given when each channel may next send. A run's
// ETA comes from it (see [Progress]), and so does a dry run's estimate
// ([Limits.TimeFor]), so that neither guesses from an average: a channel
// paused for a 429 counts as paused, and a run that has sent its bulk
// requests for the hour waits for the next window, as the run will.

// sendsBy is how many requests a channel of limit l, which may next send at
// next, sends by t (at t included), at the pace channel.plan keeps: one
// every spacing, and after each Requests of them a margin more, which the
// window rule adds (channel.earliest). It is -1, meaning without bound,
// for a limit that paces nothing.
func (l Limit) sendsBy(next, t time.Time) int {
	if l.Requests <= 0 {
		return -1
	}
	if t.Before(next) {
		return 0
	}
	step := l.spacing()
	window := max(time.Duration(l.Requests)*step, l.Per) + l.margin()
	d := t.Sub(next)
	full := int(d / window)
	rest := d - time.Duration(full)*window
	return full*l.Requests + min(l.Requests, int(rest/step)+1)
}

// finishAt is when the last of the people waiting is sent: queued may go
// through either channel (a bulk request takes up to
// client.MaxBulkInvitations of them), alone only through single creates.
// bulkNext and singleNext are the earliest each channel may send; before
// now counts as now. It is now when nobody waits, and the zero time when
// the limits pace nothing (the end is then a matter of how fast the server
// answers).
func (l Limits) finishAt(now time.Time, queued, alone int, bulkNext, singleNext time.Time) time.Time {
	if queued+alone == 0 {
		return now
	}
	if !l.paced() {
		return time.Time{}
	}
	bulkNext, singleNext = later(bulkNext, now), later(singleNext, now)
	done := func(t time.Time) bool {
		b, s := l.Bulk.sendsBy(bulkNext, t), l.Create.sendsBy(singleNext, t)
		switch {
		case s < 0: // single creates unpaced: everyone can go at once
			return !t.Before(singleNext)
		case s < alone:
			return false
		case b < 0:
			return !t.Before(bulkNext)
		}
		return b*client.MaxBulkInvitations+s-alone >= queued
	}
	// The answer lies between the earlier channel's next send and the time
	// single creates alone would take for everyone; it is found to the
	// millisecond by halving.
	lo, hi := bulkNext, later(bulkNext, singleNext)
	if singleNext.Before(lo) {
		lo = singleNext
	}
	if done(lo) {
		return lo
	}
	for step := l.Create.spacing() + l.Bulk.spacing(); !done(hi); step *= 2 {
		lo, hi = hi, hi.Add(step)
	}
	for hi.Sub(lo) > time.Millisecond {
		mid := lo.Add(hi.Sub(lo) / 2)
		if done(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// TimeFor is how long a run of people takes at these limits from a fresh
// start, by the pacer's schedule: the time at which the last of them is
// sent (their responses come after). It is zero for limits that pace
// nothing.
func (l Limits) TimeFor(people int) time.Duration {
	now := time.Unix(0, 0)
	end := l.finishAt(now, people, 0, now, now)
	if end.IsZero() {
		return 0
	}
	return end.Sub(now)
}
