package bulkinvite

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The schedule's closed form against the requests a channel plans: the
// same count by every moment.
func TestSendsByAgreesWithPlan(t *testing.T) {
	for _, lim := range []Limit{ClerkBulkLimit, ClerkCreateLimit, {Requests: 3, Per: time.Minute}} {
		ch := channel{limit: lim}
		start := time.Unix(1_000, 0)
		now := start
		var sent []time.Time
		for range 5*lim.Requests + 3 {
			now = later(now, ch.next)
			sent = append(sent, now)
			ch.plan(now)
		}
		for i, at := range sent {
			assert.Equal(t, i+1, lim.sendsBy(start, at), "%v: request %d at %v", lim, i, at.Sub(start))
			assert.Equal(t, i, lim.sendsBy(start, at.Add(-time.Millisecond)), "%v: just before request %d", lim, i)
		}
	}
	assert.Equal(t, -1, Limit{}.sendsBy(time.Unix(0, 0), time.Unix(9, 0)), "unpaced: no bound")
}

// When the people waiting are all sent, by the schedule.
func TestFinishAt(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	prod := ProductionLimits()
	bulkStep, singleStep := ClerkBulkLimit.spacing(), ClerkCreateLimit.spacing() // 72 s, 14.4 s
	for _, tc := range []struct {
		name                 string
		limits               Limits
		queued, alone        int
		bulkNext, singleNext time.Time
		want                 time.Duration // after now; -1: unknown
	}{
		{"nobody", prod, 0, 0, now, now, 0},
		{"one bulk and one single at once", prod, 11, 0, now, now, 0},
		{"the twelfth waits for the next single", prod, 12, 0, now, now, singleStep},
		{"twenty-one: the next bulk comes first", prod, 21, 0, now, now, 5 * singleStep},
		{"twenty-one, the next bulk in 72 s", prod, 21, 0, now.Add(bulkStep), now, 2 * bulkStep},
		{"alone people only go single", prod, 0, 3, now, now, 2 * singleStep},
		{"a paused bulk channel", prod, 20, 0, now.Add(30 * time.Minute), now, 19 * singleStep},
		{"both paused an hour", prod, 11, 0, now.Add(time.Hour), now.Add(time.Hour), time.Hour},
		{"in the past counts as now", prod, 11, 0, now.Add(-time.Hour), now.Add(-time.Minute), 0},
		{"750 people: one window of each", prod, 750, 0, now, now, 249 * singleStep},
		{"1500 people: two windows of each", prod, 1500, 0, now, now, 2*time.Hour + 3600*time.Millisecond},
		{"unpaced", NoLimits(), 1000, 0, now, now, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.limits.finishAt(now, tc.queued, tc.alone, tc.bulkNext, tc.singleNext)
			if tc.want < 0 {
				assert.True(t, got.IsZero(), "%v", got)
				return
			}
			assert.InDelta(t, tc.want.Seconds(), got.Sub(now).Seconds(), 0.001, "%v, want %v", got.Sub(now), tc.want)
		})
	}
}

// A fresh run's time at Clerk's limits: about 750 people an hour.
func TestTimeFor(t *testing.T) {
	prod := ProductionLimits()
	assert.Zero(t, prod.TimeFor(11))
	assert.InDelta(t, 14.4, prod.TimeFor(12).Seconds(), 0.001)
	for _, n := range []int{750, 7_500, 100_000} {
		hours := prod.TimeFor(n).Hours()
		assert.InEpsilon(t, float64(n)/prod.PerHour(), hours, 0.01, "%d people: %.3f h", n, hours)
	}
	assert.Zero(t, NoLimits().TimeFor(100))
}
