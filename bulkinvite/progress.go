package bulkinvite

import (
	"context"
	"errors"
	"maps"
	"time"
)

// Progress is a run's state after a change.
type Progress struct {
	// Counts is how many people of the run are in each state.
	Counts Counts
	// Organization is the organization the change was about, and
	// OrganizationCounts how many of its people are in each state; ""
	// and nil for a change of the whole run (its start, its end).
	Organization       string
	OrganizationCounts Counts
	// Organizations is how many organizations the run covers, and
	// OrganizationsSettled how many of them have everyone settled.
	Organizations, OrganizationsSettled int
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
	// Counts is how many people of the run are in each state: the total
	// of ByOrganization.
	Counts Counts
	// ByOrganization is how many people of each organization of the run
	// are in each state, the organizations in the order of their first
	// entry in the journal.
	ByOrganization []OrganizationCounts
	// Failed are the first people the API refused, with the reasons: at
	// most [MaxSummaryEntries], in the journal's order. Counts[StateFailed]
	// counts them all.
	Failed []Entry
	// Unsettled are the first people the run could not settle before it
	// ended: at most [MaxSummaryEntries], in the journal's order.
	// Counts.Total() - Counts.Settled() counts them all. Failed and
	// Unsettled are read from the journal when the run ends. To go through
	// every one of them, scan the store ([Store.Scan]; a [Journal] finds
	// one organization's entries by its index) and keep the entries in
	// [StateFailed], or in a state that is not [State.Final].
	Unsettled []Entry
	// Elapsed is how long the run took.
	Elapsed time.Duration
	// FoundOnServer is how many people the run settled, before sending,
	// from the pending invitations on the server (see
	// [Config.SkipServerCheck]), with no create.
	FoundOnServer int
	// ServerCheck says how the run asked the server before sending, and
	// what it cost; nil when it did not ask.
	ServerCheck *ServerCheck
}

// Complete reports whether every person is settled.
func (s *Summary) Complete() bool { return s.Counts.Settled() == s.Counts.Total() }

// OK reports whether every person was invited, or already was invited or
// a member.
func (s *Summary) OK() bool { return s.Complete() && s.Counts[StateFailed] == 0 }

// report sends a progress event about o (nil for the whole run).
func (r *runner) report(event string, o *orgRun) {
	if r.cfg.Progress == nil {
		return
	}
	r.cfg.Progress(r.progress(event, o))
}

func (r *runner) progress(event string, o *orgRun) Progress {
	now := r.clock.Now()
	r.rates.observe(now, r.settled)
	p := Progress{Counts: maps.Clone(r.total), Elapsed: now.Sub(r.start), Event: event, Rate: r.rates.perHour(now),
		Organizations: len(r.orgs), OrganizationsSettled: r.orgsDone}
	if o != nil {
		p.Organization, p.OrganizationCounts = o.id, maps.Clone(o.counts)
	}
	left := p.Counts.Total() - p.Counts.Settled()
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
	end := r.cfg.Limits.finishAt(now, r.rot.queued-r.rot.alone, r.rot.alone,
		later(r.bulk.next, r.bulk.pausedUntil), later(r.single.next, r.single.pausedUntil))
	end = later(end, later(r.checks.latest, r.revokes.latest))
	return max(end.Sub(now), time.Second)
}

// MaxSummaryEntries is how many of the failed, and how many of the
// unsettled, a [Summary] lists at most: the first in the journal's order.
// Its counts are exact however many there are, so that the summary of a
// run of a million stopped early holds a few hundred entries, not a
// million.
const MaxSummaryEntries = 100

// errSummaryFull stops the scan of summary once it has what it lists.
var errSummaryFull = errors.New("bulkinvite: the summary has its entries")

// summary sums the run up: the counts it kept, and the first of the
// failed and of the unsettled as the journal has them (see
// MaxSummaryEntries), read only if there are any, until it has them.
func (r *runner) summary(ctx context.Context) (*Summary, error) {
	s := &Summary{Counts: maps.Clone(r.total), Elapsed: r.clock.Now().Sub(r.start), ServerCheck: r.serverCheck}
	if r.serverCheck != nil {
		s.FoundOnServer = r.serverCheck.Found
	}
	for _, o := range r.orgs {
		s.ByOrganization = append(s.ByOrganization, OrganizationCounts{OrganizationID: o.id, Counts: maps.Clone(o.counts)})
	}
	failed := min(s.Counts[StateFailed], MaxSummaryEntries)
	unsettled := min(s.Counts.Total()-s.Counts.Settled(), MaxSummaryEntries)
	if failed+unsettled == 0 {
		return s, nil
	}
	if failed > 0 {
		s.Failed = make([]Entry, 0, failed)
	}
	if unsettled > 0 {
		s.Unsettled = make([]Entry, 0, unsettled)
	}
	err := r.cfg.Store.Scan(ctx, "", func(_ int64, e Entry) error {
		if r.byOrg[e.OrganizationID] == nil {
			return nil
		}
		if covered, _, _ := r.covered(e); !covered {
			return nil
		}
		switch {
		case e.State == StateFailed && len(s.Failed) < failed:
			s.Failed = append(s.Failed, e)
		case !e.State.Final() && len(s.Unsettled) < unsettled:
			s.Unsettled = append(s.Unsettled, e)
		}
		if len(s.Failed) == failed && len(s.Unsettled) == unsettled {
			return errSummaryFull
		}
		return nil
	})
	if errors.Is(err, errSummaryFull) {
		err = nil
	}
	return s, err
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
