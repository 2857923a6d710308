package bulkinvite

import "time"

// RateWindow is how far back a run's rate looks (see [Progress.Rate]): long
// enough to hold many requests of each channel at Clerk's limits, so that
// the rate does not jump with every bulk response, and short enough to
// show a pause within minutes.
const RateWindow = 15 * time.Minute

// rateMinPeople is how many people must have settled in the window, after
// its first moment, before a rate is said: fewer say more about when the
// responses happened to come than about the pace.
const rateMinPeople = 50

// rateWindow measures how fast a run settles people: the moments the
// count of people it settled rose, over the last RateWindow. The rate
// counts the people settled after the window's first moment, over the
// time since that moment: so the burst a run starts with (a bulk and a
// single create, both at once) is not taken for its pace, and a run that
// stops settling shows a rate that falls.
type rateWindow struct {
	samples []rateSample // oldest first
}

type rateSample struct {
	at      time.Time
	settled int // people settled by the run at that moment
}

// observe records the count of people settled at a moment. Moments less
// than a second apart are one, so that memory stays bounded by the window
// in seconds however fast the server answers.
func (w *rateWindow) observe(at time.Time, settled int) {
	n := len(w.samples)
	switch {
	case n > 0 && w.samples[n-1].settled == settled:
		return
	case n > 1 && at.Sub(w.samples[n-2].at) < time.Second:
		w.samples[n-1] = rateSample{at, settled}
	default:
		w.samples = append(w.samples, rateSample{at, settled})
	}
	w.forget(at)
}

// forget drops the moments older than the window.
func (w *rateWindow) forget(now time.Time) {
	i := 0
	for i < len(w.samples)-1 && now.Sub(w.samples[i].at) > RateWindow {
		i++
	}
	w.samples = w.samples[i:]
}

// perHour is the rate at now, in people an hour, or 0 when too few people
// settled in the window to say.
func (w *rateWindow) perHour(now time.Time) float64 {
	w.forget(now)
	if len(w.samples) < 2 {
		return 0
	}
	first, last := w.samples[0], w.samples[len(w.samples)-1]
	people, span := last.settled-first.settled, now.Sub(first.at)
	if people < rateMinPeople || span <= 0 {
		return 0
	}
	return float64(people) / span.Hours()
}
