package bulkinvite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

const org = "org_run"

// fastClock runs factor times faster than the wall clock, from a fixed
// start: an hour of a run passes in 3600/factor seconds. The run and the
// fake share one, so that the fake's rate limits count the run's time.
type fastClock struct {
	start  time.Time
	wall   time.Time
	factor float64
}

func newFastClock(factor float64) *fastClock {
	return &fastClock{start: time.UnixMilli(1_800_000_000_000), wall: time.Now(), factor: factor}
}

func (c *fastClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.wall)) * c.factor))
}

func (c *fastClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	time.AfterFunc(time.Duration(float64(d)/c.factor), func() { ch <- c.Now() })
	return ch
}

// people returns n distinct invitations.
func people(n int) []client.CreateParams {
	out := make([]client.CreateParams, n)
	for i := range out {
		out[i] = client.CreateParams{EmailAddress: fmt.Sprintf("person%05d@example.com", i), Role: "org:member", Notify: client.Bool(false)}
	}
	return out
}

// newFake starts a fake and a client for it whose retries wait little.
func newFake(t testing.TB, opts ...fake.Option) (*fake.Server, *client.Client) {
	t.Helper()
	srv := fake.NewServer(opts...)
	t.Cleanup(srv.Close)
	p := client.DefaultRetryPolicy()
	p.InitialInterval, p.MaxInterval = time.Millisecond, 5*time.Millisecond
	c, err := srv.NewClient(client.WithRetryPolicy(p), client.WithAttemptTimeout(300*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

// config is a run's Config against c with a store, unpaced, on a fast
// clock.
func config(c *client.Client, store bulkinvite.Store, clock bulkinvite.Clock) bulkinvite.Config {
	return bulkinvite.Config{
		Client:         c,
		OrganizationID: org,
		Store:          store,
		Limits:         bulkinvite.NoLimits(),
		Clock:          clock,
	}
}

// assertExactlyOnce checks that the fake holds exactly one invitation for
// each of want's addresses in org, none other, and that the journal agrees.
func assertExactlyOnce(t *testing.T, srv *fake.Server, store bulkinvite.Store, want []client.CreateParams) {
	t.Helper()
	byEmail := map[string][]string{}
	for _, inv := range srv.Invitations() {
		if inv.OrganizationID == org {
			byEmail[strings.ToLower(inv.EmailAddress)] = append(byEmail[strings.ToLower(inv.EmailAddress)], inv.ID)
		}
	}
	twice := 0
	for email, ids := range byEmail {
		if len(ids) > 1 {
			twice++
			t.Errorf("%s invited %d times", email, len(ids))
		}
	}
	assert.Zero(t, twice, "addresses invited more than once")
	assert.Len(t, byEmail, len(want), "one invitation per address")
	entries, err := store.Load(context.Background(), org)
	require.NoError(t, err)
	require.Len(t, entries, len(want))
	disagree := 0
	for _, e := range entries {
		ids := byEmail[strings.ToLower(e.Params.EmailAddress)]
		if e.State != bulkinvite.StateCreated || len(ids) != 1 || ids[0] != e.InvitationID {
			disagree++
			if disagree < 5 {
				t.Errorf("journal: %s is %s (%q, %s), the fake has %v", e.Params.EmailAddress, e.State, e.InvitationID, e.Reason, ids)
			}
		}
	}
	assert.Zero(t, disagree, "journal entries that disagree with the fake")
}

// killableStore is a store that can be frozen: from then on every write
// fails, so what the store holds is what a process killed at that moment
// would have left on disk.
type killableStore struct {
	bulkinvite.Store
	mu     sync.Mutex
	frozen bool
	puts   int
	freeze int // freeze at this Put, if > 0
}

var errKilled = errors.New("killed")

func (k *killableStore) Put(ctx context.Context, entries ...bulkinvite.Entry) error {
	k.mu.Lock()
	k.puts++
	if k.freeze > 0 && k.puts >= k.freeze {
		k.frozen = true
	}
	frozen := k.frozen
	k.mu.Unlock()
	if frozen {
		return errKilled
	}
	return k.Store.Put(ctx, entries...)
}
