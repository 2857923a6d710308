package pace

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/time/rate"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-3":                            0,
		"7":                             7 * time.Second,
		" 12 ":                          12 * time.Second,
		"1.5":                           0, // not a valid delay-seconds
		"soon":                          0,
		"99999999999":                   24 * time.Hour, // absurd: capped
		"Sun, 22 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Sun, 22 Nov 2026 11:59:00 GMT": 0, // in the past
		"Fri, 22 Nov 2030 12:00:00 GMT": 24 * time.Hour,
	} {
		assert.Equal(t, want, RetryAfter(in, now), "Retry-After: %q", in)
	}
}

// A limit of n per window lets at most n go in any window: the burst and
// what the rate adds over the window; a limit of one goes evenly.
func TestNewLimiter(t *testing.T) {
	assert.Nil(t, NewLimiter(0, time.Second))
	for _, n := range []int{2, 5, 10, 11, 100, 1000} {
		l := NewLimiter(n, 10*time.Second)
		got := float64(l.Burst()) + float64(l.Limit())*10
		assert.InDelta(t, float64(n), got, 1e-6, "%d per 10s", n)
		assert.LessOrEqual(t, l.Burst(), max(1, n/10), "%d per 10s", n)
	}
	one := NewLimiter(1, 5*time.Second)
	assert.Equal(t, rate.Every(5*time.Second), one.Limit())
	assert.Equal(t, 1, one.Burst())
}

// A pause only grows, and a key not known is never paused.
func TestPauses(t *testing.T) {
	now := time.Unix(1000, 0)
	p := NewPauses([]string{"get"})
	assert.LessOrEqual(t, p.Remaining("get", now), time.Duration(0))
	p.Pause("get", now.Add(5*time.Second))
	p.Pause("get", now.Add(2*time.Second))
	assert.Equal(t, 5*time.Second, p.Remaining("get", now))
	p.Pause("other", now.Add(time.Hour))
	assert.Equal(t, time.Duration(0), p.Remaining("other", now))
}
