package fake

import (
	"net/http"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Rate limits. Off by default; with them the fake refuses requests beyond
// a limit the way Clerk does: a 429 with a Retry-After header (whole
// seconds until the oldest request in the window leaves it) and a Clerk
// error body. Refused requests do not count toward any limit. Windows are
// measured on the fake's clock (WithClock), so a test with a fast clock
// sees hours pass in seconds.

// Clerk's documented limits, per application instance, as package client
// states them.
const (
	// ClerkCreateLimit single creates are allowed an hour.
	ClerkCreateLimit = client.CreateLimit
	// ClerkBulkCreateLimit bulk creates are allowed an hour.
	ClerkBulkCreateLimit = client.BulkCreateLimit
	// ClerkProductionLimit requests of any kind are allowed in
	// client.RequestLimitWindow by a production instance.
	ClerkProductionLimit = client.ProductionRequestLimit
	// ClerkDevelopmentLimit requests of any kind are allowed in
	// client.RequestLimitWindow by a development instance.
	ClerkDevelopmentLimit = client.DevelopmentRequestLimit
)

// WithRateLimit lets at most n requests of op (an Op constant) go in any
// window of length per; AnyOperation makes it a limit on all requests
// together, like Clerk's general limit. Each call adds one limit; a request
// must pass every limit that applies to it.
func WithRateLimit(op string, n int, per time.Duration) Option {
	return func(s *Server) {
		s.limits = append(s.limits, &window{op: op, n: n, per: per})
	}
}

// WithClerkRateLimits applies Clerk's documented limits, as package client
// states them: [ClerkCreateLimit] single creates and [ClerkBulkCreateLimit]
// bulk creates an hour, within [ClerkProductionLimit] requests of any kind
// per client.RequestLimitWindow ([ClerkDevelopmentLimit] when development
// is true).
func WithClerkRateLimits(development bool) Option {
	general := ClerkProductionLimit
	if development {
		general = ClerkDevelopmentLimit
	}
	return func(s *Server) {
		WithRateLimit(OpCreate, ClerkCreateLimit, client.CreateLimitWindow)(s)
		WithRateLimit(OpBulkCreate, ClerkBulkCreateLimit, client.CreateLimitWindow)(s)
		WithRateLimit(AnyOperation, general, client.RequestLimitWindow)(s)
	}
}

// RateLimited returns how many requests of each operation the rate limits
// have refused so far.
func (s *Server) RateLimited() map[string]int {
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	out := make(map[string]int, len(s.refused))
	for op, n := range s.refused {
		out[op] = n
	}
	return out
}

// window is one limit and the times of the requests it let go, oldest
// first.
type window struct {
	op   string
	n    int
	per  time.Duration
	sent []time.Time
}

// applies reports whether the limit counts requests of op.
func (w *window) applies(op string) bool { return w.op == op || w.op == AnyOperation }

// wait is how long until the window has room at now, 0 when it has.
func (w *window) wait(now time.Time) time.Duration {
	cut := 0
	for cut < len(w.sent) && !now.Before(w.sent[cut].Add(w.per)) {
		cut++
	}
	w.sent = w.sent[cut:]
	if len(w.sent) < w.n {
		return 0
	}
	return w.sent[len(w.sent)-w.n].Add(w.per).Sub(now)
}

// admit counts a request of op against the limits, or returns how long
// the caller should wait when a limit has no room (nothing is counted
// then).
func (s *Server) admit(op string) time.Duration {
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	if len(s.limits) == 0 {
		return 0
	}
	now := s.store.now()
	var wait time.Duration
	for _, w := range s.limits {
		if w.applies(op) {
			wait = max(wait, w.wait(now))
		}
	}
	if wait > 0 {
		if s.refused == nil {
			s.refused = map[string]int{}
		}
		s.refused[op]++
		return wait
	}
	for _, w := range s.limits {
		if w.applies(op) {
			w.sent = append(w.sent, now)
		}
	}
	return 0
}

// tooManyRequests refuses a request over a limit.
func tooManyRequests(w http.ResponseWriter, wait time.Duration) {
	setRetryAfter(w, wait)
	writeClerkError(w, http.StatusTooManyRequests, clerkError(client.CodeTooManyRequests, "Too many requests",
		"This instance has sent more requests than its rate limit allows; retry after the time Retry-After gives.", ""))
}

// limitState is the part of a Server that rate limits use.
type limitState struct {
	limitMu sync.Mutex
	limits  []*window
	refused map[string]int
}
