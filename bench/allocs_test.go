//go:build !race

// The race detector makes sync.Pool drop a random share of what is put
// back, so allocation counts are only exact without it; make bench-smoke
// runs this test in CI without -race.

package bench

import (
	"context"
	"net/http"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
)

// Retries, the retry budget, a key provider and the request limit cost nothing on a call that
// succeeds at once: the same allocations as with all of them off. Counts,
// not timings, so this is exact (with the collector paused, which could
// otherwise empty the buffer pool mid-measurement).
func TestSuccessPathAllocationsDoNotDependOnRetriesOrAuth(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	ctx := context.Background()
	hc := &http.Client{Transport: memTransport{body: oneInvitation}}
	allocs := func(opts ...client.Option) float64 {
		c := newFacade(t, "https://api.clerk.com/v1", hc, opts...)
		return testing.AllocsPerRun(200, func() {
			if _, err := c.Get(ctx, orgID, invID); err != nil {
				t.Fatal(err)
			}
		})
	}
	bare := allocs(client.WithoutRetries(), client.WithRetryBudget(0))
	assert.Equal(t, bare, allocs(), "default retries and budget")
	assert.Equal(t, bare, allocs(client.WithKeyProvider(func(context.Context) (string, error) { return key, nil })), "a key provider")
	// 200 runs fit in the burst of a limit of a million per second.
	assert.Equal(t, bare, allocs(client.WithRequestLimit(1_000_000, time.Second)), "a request limit")
}
