package paging

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The requests a walk takes, as Walk pages: limit, then limit−1 new items
// a page. 1,234 items in pages of 500 take 3 (offsets 0, 499, 998).
func TestRequests(t *testing.T) {
	for _, tc := range []struct {
		total int64
		limit int
		want  int
	}{
		{0, 500, 1}, {1, 500, 1}, {500, 500, 1}, {501, 500, 2}, {999, 500, 2},
		{1000, 500, 3}, {1234, 500, 3}, {1497, 500, 3}, {1498, 500, 3}, {1499, 500, 4},
		{1_000_000, 500, 2005}, {5, 1, 5}, {3, 2, 2}, {4, 2, 3},
	} {
		assert.Equal(t, tc.want, Requests(tc.total, tc.limit), "%d items, pages of %d", tc.total, tc.limit)
	}
}

// Requests counts the pages Walk fetches over a list that does not change,
// at any concurrency: none is fetched that could bring nothing new.
func TestRequestsMatchesWalk(t *testing.T) {
	for _, c := range []struct{ total, concurrency int }{{0, 3}, {1, 3}, {9, 3}, {10, 3}, {11, 3}, {19, 3}, {20, 3}, {55, 3}, {55, 1}, {19, 1}, {10, 1}} {
		total := c.total
		items := make([]string, total)
		for i := range items {
			items[i] = string(rune('a'+i%26)) + string(rune('A'+i/26))
		}
		var mu sync.Mutex
		fetches := 0
		cfg := Config[string]{
			Limit: 10, Concurrency: c.concurrency,
			Fetch: func(_ context.Context, limit, offset int) ([]string, int64, error) {
				mu.Lock()
				fetches++
				mu.Unlock()
				end := min(offset+limit, len(items))
				if offset > end {
					return nil, int64(len(items)), nil
				}
				return items[offset:end], int64(len(items)), nil
			},
			ID:      func(s *string) string { return *s },
			Ended:   func(ctx context.Context) error { return ctx.Err() },
			Stopped: func(s Stop) error { return errors.New(s.Why) },
		}
		n := 0
		Walk(context.Background(), cfg, 0, func(_ string, err error) bool {
			require.NoError(t, err)
			n++
			return true
		})
		assert.Equal(t, total, n)
		assert.Equal(t, Requests(int64(total), 10), fetches, "%d items, %d pages at a time", total, c.concurrency)
	}
}
