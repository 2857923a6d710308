package bulkinvite_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
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

// people returns n distinct invitations, to the run's organization.
func people(n int) []bulkinvite.Person {
	out := make([]bulkinvite.Person, n)
	for i := range out {
		out[i].Params = client.CreateParams{EmailAddress: fmt.Sprintf("person%05d@example.com", i), Role: "org:member", Notify: client.Bool(false)}
	}
	return out
}

// newFake starts a fake on the in-memory network, so that it serves tests
// inside synctest bubbles (where time.Now is the bubble's clock, which the
// run, the client and the fake then share), and a client for it whose
// retries wait little.
func newFake(t testing.TB, opts ...fake.Option) (*fake.Server, *client.Client) {
	t.Helper()
	srv := fake.NewServer(append(opts, fake.WithInMemoryNetwork())...)
	t.Cleanup(srv.Close)
	p := client.DefaultRetryPolicy()
	p.InitialInterval, p.MaxInterval = time.Millisecond, 5*time.Millisecond
	c, err := srv.NewClient(client.WithRetryPolicy(p), client.WithAttemptTimeout(300*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

// config is a run's Config against c with a store, unpaced, on clock (nil:
// the system's, which in a bubble is the bubble's).
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
func assertExactlyOnce(t *testing.T, srv *fake.Server, store bulkinvite.Store, want []bulkinvite.Person) {
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
	entries, err := bulkinvite.Entries(context.Background(), store, org)
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
	if k.write() {
		return errKilled
	}
	return k.Store.Put(ctx, entries...)
}

// Import is a write like Put.
func (k *killableStore) Import(ctx context.Context, people iter.Seq2[bulkinvite.Entry, error], update func(stored, given bulkinvite.Entry) (bulkinvite.Entry, bool)) error {
	if k.write() {
		return errKilled
	}
	return k.Store.Import(ctx, people, update)
}

// write counts a write and reports whether the store is frozen.
func (k *killableStore) write() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.puts++
	if k.freeze > 0 && k.puts >= k.freeze {
		k.frozen = true
	}
	return k.frozen
}

// eachStore runs test on each kind of store, new and empty: in memory,
// and an SQLite journal.
func eachStore(t *testing.T, test func(t *testing.T, s bulkinvite.Store)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { test(t, bulkinvite.NewMemoryStore()) })
	t.Run("sqlite", func(t *testing.T) {
		j, err := bulkinvite.OpenJournal(filepath.Join(t.TempDir(), "journal.db"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = j.Close() })
		test(t, j)
	})
}
