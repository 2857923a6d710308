package bulkinvite

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Requests planned by a channel and sent late by anything up to one
// spacing never put more than the limit in any window; sent on time, they
// use all but one request of each window.
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
				assert.GreaterOrEqual(t, most, max(lim.Requests-1, 1), "%v on time", lim)
			}
		}
	}
}
