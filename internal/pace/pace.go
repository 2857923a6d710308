// Package pace holds the two things by which a client paces its requests:
// its request limit, a token bucket, and the pauses that responses of 429
// with a Retry-After ask for, which every call of the same operation waits
// out.
package pace

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// NewLimiter returns a token bucket that lets at most n requests go in any
// window of length per: a burst of a tenth of n, and the rest at an even
// rate, since a burst b and a rate r let b + r×per go in a window. It
// returns nil for n = 0.
func NewLimiter(n int, per time.Duration) *rate.Limiter {
	if n == 0 {
		return nil
	}
	burst := max(1, n/10)
	if burst == n { // too small to split: one at a time, evenly
		return rate.NewLimiter(rate.Every(per/time.Duration(n)), 1)
	}
	return rate.NewLimiter(rate.Limit(float64(n-burst)/per.Seconds()), burst)
}

// Pauses hold, for each of a fixed set of keys (operations), until when
// its calls should wait. They are safe for concurrent use.
type Pauses[K comparable] map[K]*atomic.Int64 // unix nanoseconds

// NewPauses returns pauses for keys, none of them paused.
func NewPauses[K comparable](keys []K) Pauses[K] {
	p := make(Pauses[K], len(keys))
	for _, k := range keys {
		p[k] = new(atomic.Int64)
	}
	return p
}

// Pause records that k's calls should wait until t, unless they wait
// longer already. A key not given to NewPauses is never paused.
func (p Pauses[K]) Pause(k K, t time.Time) {
	until, ok := p[k]
	if !ok {
		return
	}
	for {
		old := until.Load()
		if t.UnixNano() <= old || until.CompareAndSwap(old, t.UnixNano()) {
			return
		}
	}
}

// Remaining is how long k's calls should still wait at now: zero or less
// when they need not.
func (p Pauses[K]) Remaining(k K, now time.Time) time.Duration {
	until, ok := p[k]
	if !ok {
		return 0
	}
	return time.Duration(until.Load() - now.UnixNano())
}

// RetryAfter reads a Retry-After value, in delay-seconds or as an HTTP
// date, at most a day. Absent, malformed or past values give zero.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// maxRetryAfter caps what a Retry-After can say, so that an absurd value
// (a year) stays a number a caller can reason about.
const maxRetryAfter = 24 * time.Hour
