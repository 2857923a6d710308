package bulkinvite

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The ETA takes the latest check or revoke from dueQueue.latest, kept as
// items come and go, where it walked the heap: through pushes and pops in
// any order, emptied and filled again, the two agree, and the items come
// out earliest first.
func TestDueQueueLatestIsTheWalksLatest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.UnixMilli(1_800_000_000_000)
	var q dueQueue
	walk := func() time.Time { // what scheduledETA found by walking the heap
		var end time.Time
		for _, it := range q.items {
			end = later(end, it.at)
		}
		return end
	}
	seq := uint64(0)
	for step := range 20_000 {
		if q.len() > 0 && rng.IntN(100) < 48+step/5_000*4 { // drains at times, down to empty
			before := q.next()
			it := q.pop()
			require.Equal(t, before, it.at, "earliest first")
		} else {
			seq++
			q.push(dueItem{at: start.Add(time.Duration(rng.IntN(600)) * time.Second), seq: seq})
		}
		require.Equal(t, walk(), q.latest, "step %d, %d due", step, q.len())
	}
	for q.len() > 0 {
		q.pop()
		require.Equal(t, walk(), q.latest)
	}
}
