package client

import (
	"context"
	"time"
)

// Test hooks: exported names that only this package's tests can see.

// WithClock replaces the client's clock: now is read for Retry-After dates
// and deadlines, sleep is called for every wait between attempts.
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(s *settings) error {
		s.now, s.sleep = now, sleep
		return nil
	}
}

// BudgetLeft reports the tokens left in the client's retry budget.
func BudgetLeft(c *Client) int { return c.s.budget.Available() }

// RealSleep is the wait clients use outside tests.
var RealSleep = sleepCtx
