package client_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// Walks of a list that changes all the time: pages come back after
// random delays while invitations are created and revoked anywhere in the
// list. For every seed, order and page size, every invitation pending for
// the whole walk is yielded exactly once, in the list's order. Time is the
// bubble's, but the order in which runnable goroutines go is the
// scheduler's, so a seed does not fix the interleaving: when the churn
// outruns a walk, the walk may end with the PagingError the iterators
// document for a list that changes faster than the walk can find its
// place. Then what it yielded before must still be exact: each invitation
// once, and every one that stayed, up to the last one yielded, in order.
func TestWalksUnderChurnLoseNothing(t *testing.T) {
	outran := 0
	for seed := range uint64(12) {
		order := []client.Order{client.OrderNewestFirst, client.OrderOldestFirst}[seed%2]
		limit := []int{7, 50, 500}[seed%3]
		conc := []int{1, 3, client.DefaultPageConcurrency}[seed/3%3]
		t.Run(fmt.Sprintf("seed%d_%s_limit%d_conc%d", seed, order, limit, conc), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				if !churn(t, seed, order, limit, conc) {
					outran++
				}
			})
		})
	}
	// Ending early is the exception, not a way for the test to pass: on a
	// quiet machine no walk ends early; one did on a machine with both cores
	// busy.
	assert.LessOrEqual(t, outran, 3, "walks that the churn outran, of 12")
}

// churn walks a list under churn and reports whether the walk went to the
// list's end (false: it ended with the documented PagingError).
func churn(t *testing.T, seed uint64, order client.Order, limit, conc int) bool {
	rng := rand.New(rand.NewPCG(seed, 22))
	delays := rand.New(rand.NewPCG(seed, 23))
	var mu sync.Mutex
	tr := &pageTraffic{hold: func(http.ResponseWriter, *http.Request, int, int) (time.Duration, bool) {
		mu.Lock()
		defer mu.Unlock()
		return time.Duration(delays.IntN(20)) * time.Millisecond, false
	}}
	srv, c := fakeWith(t, tr, 40*limit/7+300, client.WithPageConcurrency(conc))
	var before []string
	for _, inv := range srv.Invitations() {
		before = append(before, inv.ID)
	}
	if order == client.OrderNewestFirst {
		slices.Reverse(before)
	}

	// The churn: every few milliseconds, a creation or a revocation of a
	// random pending invitation, until the walk ends.
	revoked := map[string]bool{}
	done := make(chan struct{})
	changed := make(chan struct{})
	stop := sync.OnceFunc(func() { close(done); <-changed })
	defer stop() // also when an assertion ends the test early
	go func() {
		defer close(changed)
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(time.Duration(1+rng.IntN(8)) * time.Millisecond):
			}
			if rng.IntN(2) == 0 {
				_, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: fmt.Sprintf("n%d@example.com", i), Role: "org:member", Notify: client.Bool(false)})
				assert.NoError(t, err)
				continue
			}
			id := before[rng.IntN(len(before))]
			if revoked[id] {
				continue
			}
			revoked[id] = true
			_, err := c.Revoke(context.Background(), "org_1", id, client.RevokeParams{})
			assert.NoError(t, err)
		}
	}()

	var got []string
	var walkErr error
	for inv, err := range c.ListAll(context.Background(), "org_1", client.ListParams{Status: client.Statuses{client.StatusPending}, OrderBy: order, Limit: limit}) {
		if err != nil {
			walkErr = err
			break
		}
		got = append(got, inv.ID)
	}
	stop()
	if walkErr != nil {
		var pe *client.PagingError
		require.ErrorAs(t, walkErr, &pe, "the only error a walk may end with under churn")
		require.Contains(t, pe.Error(), "the list changed faster than the walk could find its place")
		t.Logf("the churn outran the walk after %d invitations: %v", len(got), walkErr)
	}

	require.Len(t, uniq(got), len(got), "no invitation twice")
	var stayed []string // pending for the whole walk
	for _, id := range before {
		if !revoked[id] {
			stayed = append(stayed, id)
		}
	}
	in := uniq(stayed)
	gotStayed := slices.DeleteFunc(slices.Clone(got), func(id string) bool { return !in[id] })
	if walkErr != nil && len(gotStayed) > 0 { // exact up to where it stopped
		stayed = stayed[:slices.Index(stayed, gotStayed[len(gotStayed)-1])+1]
	}
	sameList(t, stayed, gotStayed)
	assert.NotEmpty(t, revoked, "the list changed during the walk")
	return walkErr == nil
}
