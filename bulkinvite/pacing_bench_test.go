package bulkinvite_test

import (
	"testing"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/fake"
)

// pacingFactor is how much faster than the wall clock the simulated run
// goes: about 13 hours of Clerk's production limits in 10 s.
const pacingFactor = 5000

// BenchmarkPacing runs 10,000 people through the fake with Clerk's
// production limits switched on (250 single and 50 bulk creates an hour,
// 1000 requests in 10 s), on a clock 5000 times faster than the wall's
// that the run and the fake share. It reports the people invited per
// simulated hour, that rate as a share of the ceiling the limits allow
// (750 an hour), and the 429s the fake had to send; it fails below 95%.
//
//	go test -run '^$' -bench Pacing -benchtime 1x ./bulkinvite
func BenchmarkPacing(b *testing.B) {
	const n = 10_000
	limits := bulkinvite.ProductionLimits()
	for range b.N {
		clock := newFastClock(pacingFactor)
		srv, c := newFake(b, fake.WithClock(clock.Now), fake.WithClerkRateLimits(false))
		store := bulkinvite.NewMemoryStore()
		cfg := config(c, store, clock)
		cfg.Limits = limits
		start := clock.Now()
		sum, err := bulkinvite.Run(ctx, cfg, people(n))
		elapsed := clock.Now().Sub(start)
		if err != nil || !sum.OK() {
			b.Fatalf("run: %v (failed %d, unsettled %d)", err, len(sum.Failed), len(sum.Unsettled))
		}
		if got := sum.Counts[bulkinvite.StateCreated]; got != n {
			b.Fatalf("created %d of %d", got, n)
		}
		rate := float64(n) / elapsed.Hours()
		share := rate / limits.PerHour()
		refused := 0
		for _, k := range srv.RateLimited() {
			refused += k
		}
		b.ReportMetric(rate, "people/h")
		b.ReportMetric(100*share, "%ceiling")
		b.ReportMetric(elapsed.Hours(), "sim-h")
		b.ReportMetric(float64(refused), "429s")
		if share < 0.95 {
			b.Fatalf("%.0f people an hour is %.1f%% of the ceiling of %.0f; want at least 95%%", rate, 100*share, limits.PerHour())
		}
	}
}
