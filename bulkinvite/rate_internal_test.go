package bulkinvite

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The rate over the window, for runs of known shape.
func TestRateWindow(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) time.Time { return start.Add(d) }
	// steady feeds one person every every, from from to to, after settled.
	steady := func(w *rateWindow, settled int, from, to, every time.Duration) int {
		for d := from; d <= to; d += every {
			settled++
			w.observe(at(d), settled)
		}
		return settled
	}
	t.Run("nothing yet", func(t *testing.T) {
		var w rateWindow
		assert.Zero(t, w.perHour(at(time.Minute)))
	})
	t.Run("a first burst is not a pace", func(t *testing.T) {
		var w rateWindow
		w.observe(at(50*time.Millisecond), 11)
		assert.Zero(t, w.perHour(at(time.Second)))
		w.observe(at(14400*time.Millisecond), 12)
		assert.Zero(t, w.perHour(at(15*time.Second)), "too few to say")
	})
	t.Run("a burst, then Clerk's pace", func(t *testing.T) {
		var w rateWindow
		w.observe(at(50*time.Millisecond), 11)
		steady(&w, 11, 4800*time.Millisecond, 20*time.Minute, 4800*time.Millisecond) // 750 an hour
		assert.InEpsilon(t, 750, w.perHour(at(20*time.Minute)), 0.02)
	})
	t.Run("a stall shows", func(t *testing.T) {
		var w rateWindow
		steady(&w, 0, time.Second, 10*time.Minute, time.Second) // 3600 an hour
		assert.InEpsilon(t, 3600, w.perHour(at(10*time.Minute)), 0.01)
		assert.InEpsilon(t, 1200, w.perHour(at(20*time.Minute)), 0.02, "two thirds of the window idle")
		assert.Zero(t, w.perHour(at(40*time.Minute)), "nothing settled within the window")
	})
	t.Run("memory stays bounded", func(t *testing.T) {
		var w rateWindow
		for i := range 100_000 {
			w.observe(at(time.Duration(i)*time.Millisecond), i+1) // 1000 a second for 100 s
		}
		assert.LessOrEqual(t, len(w.samples), 201, "a moment a second at most")
		assert.InEpsilon(t, 3_600_000, w.perHour(at(100*time.Second)), 0.02)
	})
}
