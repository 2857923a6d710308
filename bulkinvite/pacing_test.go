package bulkinvite_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// TestPacing runs 10,000 people through the fake with Clerk's production
// limits switched on (250 single and 50 bulk creates an hour, 1000
// requests in 10 s), inside a testing/synctest bubble on the fake's
// in-memory network: the run, the client and the fake share the bubble's
// clock, which moves only when every goroutine waits, so the 13 simulated
// hours take about a second and the figure is the same on every run and
// every machine, however busy. It logs the people invited per simulated
// hour and that rate as a share of the ceiling the limits allow (750 an
// hour), and fails below 99% or on any 429.
//
//	go test -run TestPacing -v ./bulkinvite
func TestPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 10_000
		limits := bulkinvite.ProductionLimits()
		srv := fake.NewServer(fake.WithInMemoryNetwork(), fake.WithClerkRateLimits(false))
		t.Cleanup(srv.Close)
		p := client.DefaultRetryPolicy()
		p.InitialInterval, p.MaxInterval = time.Millisecond, 5*time.Millisecond
		c, err := srv.NewClient(client.WithRetryPolicy(p), client.WithAttemptTimeout(300*time.Millisecond))
		require.NoError(t, err)
		cfg := config(c, bulkinvite.NewMemoryStore(), nil) // the system's clock: the bubble's
		cfg.Limits = limits

		start := time.Now()
		sum, err := bulkinvite.Run(ctx, cfg, people(n))
		elapsed := time.Since(start)
		require.NoError(t, err)
		require.True(t, sum.OK(), "failed %d, unsettled %d", len(sum.Failed), len(sum.Unsettled))
		require.Equal(t, n, sum.Counts[bulkinvite.StateCreated])

		rate := float64(n) / elapsed.Hours()
		share := rate / limits.PerHour()
		refused := 0
		for _, k := range srv.RateLimited() {
			refused += k
		}
		t.Logf("pacing: %d people in %v of simulated time: %.2f people an hour, %.3f%% of the ceiling of %.0f; %d 429s",
			n, elapsed, rate, 100*share, limits.PerHour(), refused)
		require.Zero(t, refused, "the run kept under the limits")
		require.GreaterOrEqual(t, share, 0.99, "%.1f%% of the ceiling", 100*share)
	})
}
