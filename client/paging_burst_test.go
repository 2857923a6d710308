package client_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// A burst of creations at the front of a newest-first walk (the default
// order), larger than a page, while the walk is under way: every
// invitation there before the burst is still yielded once, with no error.
func TestABurstOfCreationsBeforeThePlace(t *testing.T) {
	for _, conc := range []int{1, 3} {
		synctest.Test(t, func(t *testing.T) {
			var once sync.Once
			var c *client.Client
			tr := &pageTraffic{hold: func(_ http.ResponseWriter, r *http.Request, offset, nth int) (time.Duration, bool) {
				if offset == 18 {
					once.Do(func() { seed(t, c, 200, "burst") })
				}
				return 0, false
			}}
			srv, cl := fakeWith(t, tr, 100, client.WithPageConcurrency(conc))
			c = cl
			var before []string
			for _, inv := range srv.Invitations() {
				before = append([]string{inv.ID}, before...)
			}
			var got []string
			seen := map[string]bool{}
			for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Limit: 7}) {
				require.NoError(t, err, "concurrency %d", conc)
				if !seen[inv.ID] {
					got = append(got, inv.ID)
				}
				seen[inv.ID] = true
			}
			for _, id := range before {
				require.True(t, seen[id], "concurrency %d: %s was there for the whole walk and was not yielded", conc, id)
			}
		})
	}
}
