package bulkinvite

import (
	"time"
)

// Progress is a run's state after a change.
type Progress struct {
	// Counts is how many people are in each state.
	Counts Counts
	// Elapsed is the time since this run started.
	Elapsed time.Duration
	// Rate is how many people an hour this run settles now: those it
	// settled over the last [RateWindow], counted from the window's first
	// settle to now (so neither the first burst nor the whole run's
	// average). It is zero until 50 people have settled in the window.
	Rate float64
	// ETA estimates the time until everyone is settled. Under limits, it
	// is when the pacer's own schedule sends the last person still to
	// send (see [Limits.TimeFor]), from when each channel may next send,
	// a pause for a 429 included, or when the last check is due if that
	// is later. When nothing is paced it is the people left at Rate. Zero
	// when unknown.
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
	// FoundOnServer is how many people the run settled, before sending,
	// from the organization's pending invitations on the server (see
	// [Config.SkipServerCheck]), with no create.
	FoundOnServer int
}

// Complete reports whether every person is settled.
func (s *Summary) Complete() bool { return len(s.Unsettled) == 0 }

// OK reports whether every person was invited, or already was invited or
// a member.
func (s *Summary) OK() bool { return s.Complete() && len(s.Failed) == 0 }

// report sends a progress event.
func (r *runner) report(event string) {
	if r.cfg.Progress == nil {
		return
	}
	r.cfg.Progress(r.progress(event))
}

func (r *runner) progress(event string) Progress {
	counts := count(r.all)
	now := r.clock.Now()
	r.rates.observe(now, r.settled)
	p := Progress{Counts: counts, Elapsed: now.Sub(r.start), Event: event, Rate: r.rates.perHour(now)}
	left := counts.Total() - counts.Settled()
	switch {
	case left == 0:
	case r.cfg.Limits.paced():
		p.ETA = r.scheduledETA(now)
	case p.Rate > 0:
		p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Hour))
	}
	return p
}

// scheduledETA is the time until the pacer's schedule has sent everyone
// waiting and the last check is due: a second at least while anyone is
// left, who may be in flight.
func (r *runner) scheduledETA(now time.Time) time.Duration {
	end := r.cfg.Limits.finishAt(now, len(r.queue), len(r.singles),
		later(r.bulk.next, r.bulk.pausedUntil), later(r.single.next, r.single.pausedUntil))
	for _, due := range r.due {
		end = later(end, due)
	}
	return max(end.Sub(now), time.Second)
}

func (r *runner) summary() *Summary {
	s := &Summary{Counts: count(r.all), Elapsed: r.clock.Now().Sub(r.start), FoundOnServer: r.found}
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
