package bulkinvite_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/fake"
)

// A run that settles nobody for Config.IdleTimeout stops with an
// *IdleError naming the timeout, leaving everyone to the next run.
func TestIdleRunStopsWithIdleError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		srv.InjectFault("*", 1_000_000, fake.Fault{Reset: true}) // nothing ever answers
		cfg := config(c, bulkinvite.NewMemoryStore(), nil)
		cfg.SkipServerCheck = true
		cfg.IdleTimeout, cfg.CheckDelay = time.Minute, time.Second
		sum, err := bulkinvite.Run(ctx, cfg, people(3))
		var idle *bulkinvite.IdleError
		require.ErrorAs(t, err, &idle)
		assert.Equal(t, time.Minute, idle.Timeout)
		assert.Len(t, sum.Unsettled, 3)
	})
}
