package client

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/invitekit/clerkinvitations/gen"
)

// Pacing. Clerk limits how many requests an application instance may send
// to the Backend API: [ProductionRequestLimit] in any [RequestLimitWindow]
// in production, [DevelopmentRequestLimit] in development (facts.go). A
// client keeps to that limit by itself, for all its calls together, so that
// concurrent calls and parallel paging ([Client.ListAll]) do not run into
// it. And when the API does answer 429 with a Retry-After, every call of
// that operation waits it out, not only the one that got it: a walk over
// many pages slows down instead of failing page by page.

// WithRequestLimit makes the client send at most n requests in any window
// of length per, counting every attempt of every call. A call waits for
// its turn, within its deadline; a call that could not go before its
// deadline fails at once with a [RequestError] matching
// context.DeadlineExceeded, and nothing is sent.
//
// By default a client keeps to Clerk's general limit: [DevelopmentRequestLimit]
// when the key given to New starts with sk_test_, [ProductionRequestLimit]
// otherwise, per [RequestLimitWindow]. Give this option to New when
// several clients or processes share one instance, to split the limit
// between them. The limit belongs to the client: as a call option it gives
// that call a limit of its own. n = 0 removes the limit.
func WithRequestLimit(n int, per time.Duration) Option {
	return func(s *settings) error {
		if n < 0 || (n > 0 && per <= 0) {
			return fmt.Errorf("clerk: WithRequestLimit: %d requests per %v is not a limit", n, per)
		}
		s.limiter, s.limitSet = newRequestLimiter(n, per), true
		return nil
	}
}

// WithoutRequestLimit removes the client's own request limit, for servers
// that have none (the in-memory fake, a local proxy). Answers of 429 are
// still waited out.
func WithoutRequestLimit() Option { return WithRequestLimit(0, 0) }

// newRequestLimiter returns a token bucket that lets at most n requests go
// in any window of length per: a burst of a tenth of n, and the rest at an
// even rate, since a burst b and a rate r let b + r×per go in a window.
// It returns nil for n = 0.
func newRequestLimiter(n int, per time.Duration) *rate.Limiter {
	if n == 0 {
		return nil
	}
	burst := max(1, n/10)
	if burst == n { // too small to split: one at a time, evenly
		return rate.NewLimiter(rate.Every(per/time.Duration(n)), 1)
	}
	return rate.NewLimiter(rate.Limit(float64(n-burst)/per.Seconds()), burst)
}

// defaultLimit is the limit of a client New builds without
// WithRequestLimit: the development one for a development key.
func defaultLimit(testKey bool) *rate.Limiter {
	if testKey {
		return newRequestLimiter(DevelopmentRequestLimit, RequestLimitWindow)
	}
	return newRequestLimiter(ProductionRequestLimit, RequestLimitWindow)
}

// pauses hold, for each operation, until when a 429's Retry-After asks
// its calls to wait. They are shared by every call of a client.
type pauses map[*gen.Operation]*atomic.Int64 // unix nanoseconds

func newPauses() pauses {
	p := make(pauses, len(gen.Operations))
	for _, op := range gen.Operations {
		p[op] = new(atomic.Int64)
	}
	return p
}

// pause records that op's calls should wait until t.
func (p pauses) pause(op *gen.Operation, t time.Time) {
	until, ok := p[op]
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

// remaining is how long op's calls should still wait at now.
func (p pauses) remaining(op *gen.Operation, now time.Time) time.Duration {
	until, ok := p[op]
	if !ok {
		return 0
	}
	return time.Duration(until.Load() - now.UnixNano())
}

// errLimitPastDeadline is the cause of a call that the request limit would
// have held past its deadline.
type errLimitPastDeadline struct{ wait time.Duration }

func (e *errLimitPastDeadline) Error() string {
	return "the request limit would hold the call for " + e.wait.String() + ", past its deadline; nothing was sent"
}

func (e *errLimitPastDeadline) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout reports true: the call ran out of time.
func (e *errLimitPastDeadline) Timeout() bool { return true }

// pace waits until op may be sent: past a pause a 429 asked for (when the
// retry policy would wait that long) and the client's request limit. It
// fails when the wait would outlast the context or the call's deadline.
// Without a limit and a pause it neither allocates nor waits. ownPause
// skips the pause: the call has just waited for its own 429.
func (s *settings) pace(ctx context.Context, op *gen.Operation, callDeadline time.Time, ownPause bool) error {
	now := s.now()
	wait := s.pauses.remaining(op, now)
	if ownPause || wait < 0 || wait > s.retry.MaxRetryAfter {
		wait = 0 // no pause, or longer than a retry would wait: let the server decide
	}
	var reservation *rate.Reservation
	if s.limiter != nil {
		at := now.Add(wait)
		if !s.limiter.AllowN(at, 1) { // AllowN does not allocate; ReserveN does
			reservation = s.limiter.ReserveN(at, 1)
			wait += reservation.DelayFrom(at)
		}
	}
	if wait <= 0 {
		return nil
	}
	deadline, ok := ctx.Deadline()
	if !callDeadline.IsZero() && (!ok || callDeadline.Before(deadline)) {
		deadline, ok = callDeadline, true
	}
	if ok && time.Now().Add(wait).After(deadline) { // deadlines are the wall clock's
		if reservation != nil {
			reservation.CancelAt(now)
		}
		return &RequestError{Operation: op.ID, Err: &errLimitPastDeadline{wait}}
	}
	if err := s.sleep(ctx, wait); err != nil {
		if reservation != nil {
			reservation.CancelAt(s.now())
		}
		return &RequestError{Operation: op.ID, Err: fmt.Errorf("%w while waiting for the request limit", context.Cause(ctx))}
	}
	return nil
}
