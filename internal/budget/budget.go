// Package budget is the retry budget of a client: a token bucket shared
// by all its calls, which retries spend and successes refill, so that an
// outage does not multiply the traffic.
package budget

import "sync"

// Bucket holds the tokens. A nil *Bucket is no budget: every Take
// succeeds.
type Bucket struct {
	mu       sync.Mutex
	tokens   int
	capacity int
}

// New returns a full bucket of capacity tokens.
func New(capacity int) *Bucket { return &Bucket{tokens: capacity, capacity: capacity} }

// Take spends n tokens, if there are that many, and reports whether it did.
func (b *Bucket) Take(n int) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

// Refund returns tokens after a success: what the call spent on retries,
// or one for a success at the first attempt. The bucket never holds more
// than its capacity.
func (b *Bucket) Refund(spent int) {
	if b == nil {
		return
	}
	if spent == 0 {
		spent = 1
	}
	b.mu.Lock()
	b.tokens = min(b.capacity, b.tokens+spent)
	b.mu.Unlock()
}

// Available reports the tokens left.
func (b *Bucket) Available() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}
