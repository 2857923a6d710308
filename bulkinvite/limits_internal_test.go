package bulkinvite

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Requests planned by a channel and sent late by any amount never put
// more than the limit in any window; sent on time, they use every request
// of each window.
func TestPlannedRequestsKeepToTheLimit(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, lim := range []Limit{ClerkBulkLimit, ClerkCreateLimit, {Requests: 2, Per: time.Minute}, {Requests: 1, Per: time.Hour}, {Requests: 7, Per: 10 * time.Second}} {
		for _, lateness := range []float64{0, 0.5, 0.999, 3} { // as a share of the spacing, at most
			ch := channel{limit: lim}
			now := time.Unix(0, 0)
			var sent []time.Time
			for range 6 * lim.Requests {
				if now.Before(ch.next) {
					now = ch.next
				}
				now = now.Add(time.Duration(rnd.Float64() * lateness * float64(lim.spacing())))
				sent = append(sent, now)
				ch.plan(now)
			}
			most := 0
			for i := range sent {
				n := 0
				for _, s := range sent[i:] {
					if s.Sub(sent[i]) < lim.Per {
						n++
					}
				}
				most = max(most, n)
			}
			assert.LessOrEqual(t, most, lim.Requests, "%v, late by up to %.3f spacings", lim, lateness)
			if lateness == 0 {
				assert.Equal(t, lim.Requests, most, "%v on time", lim)
			}
		}
	}
}

// The window rule: the Requests-th latest time a request reached Clerk,
// plus Per and the margin, in whatever order the times come.
func TestEarliest(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	lim := Limit{Requests: 3, Per: 200 * time.Second} // margin 1 s
	assert.True(t, lim.earliest([]time.Time{at(0), at(5)}).IsZero(), "fewer than the limit")
	assert.Equal(t, at(201), lim.earliest([]time.Time{at(0), at(5), at(9)}))
	assert.Equal(t, at(206), lim.earliest([]time.Time{at(50), at(5), at(0), at(9)}), "the third latest")
	assert.True(t, Limit{}.earliest([]time.Time{at(1)}).IsZero(), "unpaced")
}

// A response that comes late moves the next slot: whatever attempts the
// request took reached Clerk by then. A restart seeds the window from the
// journal, one request per distinct time.
func TestSettleAndSeed(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	lim := Limit{Requests: 2, Per: 200 * time.Second}
	ch := channel{limit: lim}
	ch.plan(at(0))
	ch.plan(at(100))
	assert.Equal(t, at(201), ch.next)
	ch.settle(at(0), at(30)) // the first one's response came 30 s later
	assert.Equal(t, at(231), ch.next)

	seeded := channel{limit: lim}
	for _, s := range []int{100, 100, 100, 40} {
		seeded.seed(at(s))
	}
	assert.Equal(t, []time.Time{at(40), at(100)}, seeded.reached)
	assert.Equal(t, at(241), seeded.next)
}
