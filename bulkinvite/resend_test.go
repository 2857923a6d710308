package bulkinvite_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// A resend with RetryFailed set touches the resent person only: a failed
// entry of the same journal stays failed, and a later run without
// RetryFailed does not send it.
func TestResendWithRetryFailedLeavesTheFailedAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		list := people(12)
		list[5].Params.Role = "org:boss" // no such role: a 404
		store := bulkinvite.NewMemoryStore()
		cfg := config(c, store, nil)
		sum, err := bulkinvite.Run(ctx, cfg, list)
		require.NoError(t, err)
		require.Len(t, sum.Failed, 1)

		cfg.RetryFailed = true
		e, err := bulkinvite.Resend(ctx, cfg, list[2].Params.EmailAddress, bulkinvite.ResendOptions{})
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateCreated, e.State, e.Reason)

		entries, err := store.Load(ctx, org)
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateFailed, entries[5].State, "the failed entry is not requeued by a resend")

		cfg.RetryFailed = false
		before := len(srv.Requests())
		sum, err = bulkinvite.Run(ctx, cfg, nil)
		require.NoError(t, err)
		assert.Len(t, sum.Failed, 1)
		assert.Equal(t, before, len(srv.Requests()), "nothing is sent for the failed person")
	})
}
