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
