package client

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/pace"
)

// Pacing (on package internal/pace). Clerk limits how many requests an application instance may send
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
		s.limiter, s.limitSet = pace.NewLimiter(n, per), true
		return nil
	}
}

// WithoutRequestLimit removes the client's own request limit, for servers
// that have none (the in-memory fake, a local proxy). Answers of 429 are
// still waited out.
func WithoutRequestLimit() Option { return WithRequestLimit(0, 0) }

// defaultLimit is the limit of a client New builds without
// WithRequestLimit: the development one for a development key.
func defaultLimit(testKey bool) *rate.Limiter {
	if testKey {
		return pace.NewLimiter(DevelopmentRequestLimit, RequestLimitWindow)
	}
	return pace.NewLimiter(ProductionRequestLimit, RequestLimitWindow)
}

// pace waits until op may be sent: past a pause a 429 asked for (when the
// retry policy would wait that long) and the client's request limit. It
// fails when the wait would outlast the context or the call's deadline.
// Without a limit and a pause it neither allocates nor waits. ownPause
// skips the pause: the call has just waited for its own 429.
func (s *settings) pace(ctx context.Context, op *gen.Operation, callDeadline time.Time, ownPause bool) error {
	now := s.now()
	wait := s.pauses.Remaining(op, now)
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
		return &RequestError{Operation: op.ID, Err: &deadlineError{"the request limit would hold the call for " + wait.String() + ", past its deadline; nothing was sent"}}
	}
	if err := s.sleep(ctx, wait); err != nil {
		if reservation != nil {
			reservation.CancelAt(s.now())
		}
		return &RequestError{Operation: op.ID, Err: fmt.Errorf("%w while waiting for the request limit", context.Cause(ctx))}
	}
	return nil
}
