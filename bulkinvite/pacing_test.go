package bulkinvite_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
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

// TestPacingAcrossOrganizations runs 1,000 organizations of 20 people each
// through the fake at Clerk's production limits, in simulated time, as one
// run: the organizations share the instance's two create limits. It fails
// below 99% of the ceiling, on any 429, or when organizations of equal
// size finish further apart than the rotation allows: one rotation (a
// turn of ten people for each of the 1,000, at the 74.6 turns an hour a
// run keeps: 13 h 24 min; see Limits.Rotation), plus the ten single
// creates of a chunk sent singly and one bulk's spacing.
//
//	go test -run TestPacingAcrossOrganizations -v ./bulkinvite
func TestPacingAcrossOrganizations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const orgs, each = 1000, 20
		limits := bulkinvite.ProductionLimits()
		srv := fake.NewServer(fake.WithInMemoryNetwork(), fake.WithClerkRateLimits(false), fake.WithRequestLog(0))
		t.Cleanup(srv.Close)
		p := client.DefaultRetryPolicy()
		p.InitialInterval, p.MaxInterval = time.Millisecond, 5*time.Millisecond
		c, err := srv.NewClient(client.WithRetryPolicy(p), client.WithAttemptTimeout(300*time.Millisecond))
		require.NoError(t, err)
		cfg := config(c, bulkinvite.NewMemoryStore(), nil)
		cfg.OrganizationID, cfg.Limits = "", limits

		start := time.Now()
		sum, err := bulkinvite.Run(ctx, cfg, spread(orgs, each))
		elapsed := time.Since(start)
		require.NoError(t, err)
		require.True(t, sum.OK(), "failed %d, unsettled %d", len(sum.Failed), len(sum.Unsettled))
		require.Len(t, sum.ByOrganization, orgs)

		first, last := finishes(srv)
		require.Len(t, last, orgs)
		earliest, latest := span(last)
		firstStart, lastStart := span(first)
		rotation := limits.Rotation(orgs)
		require.Equal(t, 13*time.Hour+24*time.Minute, rotation.Round(time.Minute))
		single, bulk := limits.Create.Per/time.Duration(limits.Create.Requests), limits.Bulk.Per/time.Duration(limits.Bulk.Requests)
		bound := rotation + client.MaxBulkInvitations*single + bulk
		share := float64(orgs*each) / elapsed.Hours() / limits.PerHour()
		refused := 0
		for _, k := range srv.RateLimited() {
			refused += k
		}
		t.Logf("pacing: %d organizations of %d in %v: %.3f%% of the ceiling; %d 429s; first finished at %v, last at %v: %v apart (bound %v); first invitations from %v to %v",
			orgs, each, elapsed, 100*share, refused, earliest.Sub(start), latest.Sub(start), latest.Sub(earliest), bound,
			firstStart.Sub(start), lastStart.Sub(start))
		require.Zero(t, refused, "the run kept under the limits")
		require.GreaterOrEqual(t, share, 0.99, "%.2f%% of the ceiling", 100*share)
		require.LessOrEqual(t, latest.Sub(earliest), bound, "organizations of equal size finish within one rotation")
	})
}

// A small organization is not starved behind a large one: with one
// organization of 3,000 and 30 of 5, every small one is done before the
// large one is a quarter done, in the first hour of a four-hour run.
func TestPacingSmallOrganizationsGoFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithClerkRateLimits(false), fake.WithRequestLog(0))
		cfg := config(c, bulkinvite.NewMemoryStore(), nil)
		cfg.OrganizationID, cfg.Limits = "", bulkinvite.ProductionLimits()
		list := spread(1, 3000)
		list = append(list, spread(31, 5)[5:]...) // organizations 1 to 30
		start := time.Now()
		sum, err := bulkinvite.Run(ctx, cfg, list)
		require.NoError(t, err)
		require.True(t, sum.OK())
		_, last := finishes(srv)
		big := last[orgName(0)]
		for i := 1; i <= 30; i++ {
			small := last[orgName(i)]
			assert.Less(t, small.Sub(start), time.Hour, "%s finished at %v", orgName(i), small.Sub(start))
		}
		assert.Greater(t, big.Sub(start), 3*time.Hour)
	})
}

// spread is each people in each of orgs organizations, named by orgName,
// in that order: each organization's people together.
func spread(orgs, each int) []bulkinvite.Person {
	var out []bulkinvite.Person
	for o := range orgs {
		for i := range each {
			out = append(out, bulkinvite.Person{OrganizationID: orgName(o), Params: client.CreateParams{
				EmailAddress: fmt.Sprintf("person%05d@example.com", i), Role: "org:member", Notify: client.Bool(false)}})
		}
	}
	return out
}

func orgName(i int) string { return fmt.Sprintf("org_%04d", i) }

// span is the earliest and the latest of times.
func span(times map[string]time.Time) (earliest, latest time.Time) {
	all := slices.SortedFunc(maps.Values(times), time.Time.Compare)
	return all[0], all[len(all)-1]
}

// finishes is when each organization's first and last invitation was
// created on the fake.
func finishes(srv *fake.Server) (first, last map[string]time.Time) {
	first, last = map[string]time.Time{}, map[string]time.Time{}
	for _, inv := range srv.Invitations() {
		at := time.UnixMilli(inv.CreatedAt)
		if f, ok := first[inv.OrganizationID]; !ok || at.Before(f) {
			first[inv.OrganizationID] = at
		}
		if at.After(last[inv.OrganizationID]) {
			last[inv.OrganizationID] = at
		}
	}
	return first, last
}
