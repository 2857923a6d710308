package bulkinvite_test

import (
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/fake"
)

// chaos makes a share of the fake's requests misbehave, at random but from
// a fixed seed: the faults a run of hours meets.
type chaos struct {
	srv   *fake.Server
	mu    sync.Mutex
	rnd   *rand.Rand
	share float64
	next  int            // the next of creationFaults to inject
	seen  map[string]int // faults injected, by kind
}

var creationFaults = []struct {
	name  string
	fault fake.Fault
}{
	{"reset after sending", fake.Fault{Reset: true, After: true}},
	{"reset before", fake.Fault{Reset: true}},
	{"500 after creating", fake.Fault{Status: http.StatusInternalServerError, After: true}},
	{"502", fake.Fault{Status: http.StatusBadGateway}},
	{"503 after creating", fake.Fault{Status: http.StatusServiceUnavailable, After: true}},
	{"broken 200", fake.Fault{Partial: true}},
	// Longer than the client's retry cap (30 s): the run must wait it out.
	{"429 for 2 minutes", fake.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Minute}},
	{"429 for 45 s", fake.Fault{Status: http.StatusTooManyRequests, RetryAfter: 45 * time.Second}},
}

func (c *chaos) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		var op string
		switch {
		case r.Method == http.MethodPost && len(r.URL.Path) > 5 && r.URL.Path[len(r.URL.Path)-5:] == "/bulk":
			op = fake.OpBulkCreate
		case r.Method == http.MethodPost && len(r.URL.Path) > 12 && r.URL.Path[len(r.URL.Path)-12:] == "/invitations":
			op = fake.OpCreate
		case r.Method == http.MethodGet:
			op = fake.OpList
		}
		if op != "" && c.rnd.Float64() < c.share {
			if op == fake.OpList {
				c.srv.InjectFault(op, 1, fake.Fault{Status: http.StatusServiceUnavailable}) // the client retries reads
				c.seen["503 on a check"]++
			} else {
				f := creationFaults[c.next%len(creationFaults)] // each kind in turn
				c.next++
				c.srv.InjectFault(op, 1, f.fault)
				c.seen[f.name]++
			}
		}
		c.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// The whole story, offline: 1,000 people, a sixth of the requests
// misbehaving (resets after sending, 5xx, broken responses, 429s with a
// Retry-After beyond the client's cap), and the run killed twice along the
// way (its journal frozen at that instant, as SIGKILL would leave it),
// then started again. It ends with exactly 1,000 invitations in the fake,
// each address once, and a journal that agrees.
func TestThousandPeopleUnderFaultsAndKillsExactlyOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c0 := &chaos{rnd: rand.New(rand.NewPCG(13, 2026)), share: 1.0 / 6, seen: map[string]int{}}
		srv, c := newFake(t, fake.WithMiddleware(c0.middleware))
		c0.srv = srv
		want := people(1000)
		path := filepath.Join(t.TempDir(), "invites.db")

		runs := 0
		for _, freezeAt := range []int{40, 90, 0} { // the third run is left to finish
			runs++
			j, err := bulkinvite.OpenJournal(path)
			require.NoError(t, err)
			store := &killableStore{Store: j, freeze: freezeAt}
			cfg := config(c, store, nil)
			sum, err := bulkinvite.Run(ctx, cfg, want)
			require.NoError(t, j.Close())
			if freezeAt > 0 {
				require.ErrorIs(t, err, errKilled, "run %d", runs)
				continue
			}
			require.NoError(t, err)
			assert.True(t, sum.OK(), "failed %d, unsettled %d", len(sum.Failed), len(sum.Unsettled))
		}

		j, err := bulkinvite.OpenJournalReadOnly(path)
		require.NoError(t, err)
		defer j.Close()
		assertExactlyOnce(t, srv, j, want)
		assert.Empty(t, srv.Notifications(), "notify was off for everyone")

		faults := 0
		for _, n := range c0.seen {
			faults += n
		}
		assert.GreaterOrEqual(t, faults, 20, "the faults happened: %v", c0.seen)
		for _, f := range creationFaults {
			assert.Positive(t, c0.seen[f.name], "fault %q never happened", f.name)
		}
		t.Logf("%d runs; faults injected: %v", runs, c0.seen)
	})
}
