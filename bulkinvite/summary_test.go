package bulkinvite_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// firstIn is the first n entries of store in a state that keep accepts,
// in the journal's order, and how many it holds in all.
func firstIn(t *testing.T, store bulkinvite.Store, n int, keep func(bulkinvite.State) bool) ([]bulkinvite.Entry, int) {
	t.Helper()
	var first []bulkinvite.Entry
	all := 0
	require.NoError(t, store.Scan(ctx, "", func(_ int64, e bulkinvite.Entry) error {
		if keep(e.State) {
			if all++; len(first) < n {
				first = append(first, e)
			}
		}
		return nil
	}))
	return first, all
}

func isFailed(s bulkinvite.State) bool    { return s == bulkinvite.StateFailed }
func isUnsettled(s bulkinvite.State) bool { return !s.Final() }

// A run stopped early with most of its people unsettled counts them all,
// and lists the first MaxSummaryEntries of them, in the journal's order:
// not every one, which for a run of a million would be a million entries
// in memory at the end.
func TestASummaryOfAStoppedRunListsTheFirstUnsettled(t *testing.T) {
	eachStore(t, func(t *testing.T, store bulkinvite.Store) {
		_, c := newFake(t)
		cfg := config(c, store, nil)
		cfg.Limits = bulkinvite.ProductionLimits() // one bulk, then a wait: stopped there
		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		cfg.Progress = func(p bulkinvite.Progress) {
			if p.Counts.Settled() > 0 {
				cancel()
			}
		}
		const n = 1000
		sum, err := bulkinvite.Run(runCtx, cfg, people(n))
		require.ErrorIs(t, err, context.Canceled)

		want, unsettled := firstIn(t, store, bulkinvite.MaxSummaryEntries, isUnsettled)
		require.Greater(t, unsettled, bulkinvite.MaxSummaryEntries, "the run stopped with more unsettled than a summary lists")
		assert.Equal(t, n, sum.Counts.Total())
		assert.Equal(t, unsettled, sum.Counts.Total()-sum.Counts.Settled(), "the counts are exact")
		assert.Len(t, sum.Unsettled, bulkinvite.MaxSummaryEntries)
		assert.Equal(t, want, sum.Unsettled, "the first unsettled, in the journal's order")
		assert.Empty(t, sum.Failed)
	})
}

// A run in which more people fail than a summary lists counts them all,
// and lists the first MaxSummaryEntries, in the journal's order; the
// store's Scan gives every one.
func TestASummaryListsTheFirstFailed(t *testing.T) {
	eachStore(t, func(t *testing.T, store bulkinvite.Store) {
		_, c := newFake(t)
		list := people(300)
		for i := range list {
			if i%3 != 0 {
				list[i].Params.Role = "org:boss" // no such role: a 404
			}
		}
		sum, err := bulkinvite.Run(ctx, config(c, store, nil), list)
		require.NoError(t, err)

		want, failed := firstIn(t, store, bulkinvite.MaxSummaryEntries, isFailed)
		assert.Equal(t, 200, failed)
		assert.Equal(t, 200, sum.Counts[bulkinvite.StateFailed], "the counts are exact")
		assert.Equal(t, 100, sum.Counts[bulkinvite.StateCreated])
		assert.Len(t, sum.Failed, bulkinvite.MaxSummaryEntries)
		assert.Equal(t, want, sum.Failed, "the first failed, in the journal's order")
		assert.Equal(t, list[1].Params.EmailAddress, sum.Failed[0].Params.EmailAddress)
		assert.Empty(t, sum.Unsettled)
		assert.True(t, sum.Complete())
	})
}

// A summary with fewer failed than it lists has every one of them.
func TestASummaryListsAFewFailedAll(t *testing.T) {
	_, c := newFake(t)
	list := people(30)
	list[7].Params.Role, list[21].Params.Role = "org:boss", "org:boss"
	sum, err := bulkinvite.Run(ctx, config(c, bulkinvite.NewMemoryStore(), nil), list)
	require.NoError(t, err)
	require.Len(t, sum.Failed, 2)
	assert.Equal(t, list[7].Params.EmailAddress, sum.Failed[0].Params.EmailAddress)
	assert.Equal(t, list[21].Params.EmailAddress, sum.Failed[1].Params.EmailAddress)
	assert.Nil(t, sum.Unsettled)
}
