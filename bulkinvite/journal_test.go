package bulkinvite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// Both stores keep every field, keep the order of first insertion through
// updates, and replace by organization and address in any case.
func TestStoresKeepEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	stores := map[string]func(t *testing.T) bulkinvite.Store{
		"memory": func(*testing.T) bulkinvite.Store { return bulkinvite.NewMemoryStore() },
		"sqlite": func(t *testing.T) bulkinvite.Store {
			j, err := bulkinvite.OpenJournal(path)
			require.NoError(t, err)
			return j
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			at := time.UnixMilli(1_800_000_000_123)
			full := bulkinvite.Entry{
				OrganizationID: "org_a",
				Params: client.CreateParams{EmailAddress: "Ada@Example.com", Role: "org:admin", InviterUserID: "user_1",
					PublicMetadata: map[string]any{"team": "engines"}, PrivateMetadata: map[string]any{"n": 2.0},
					RedirectURL: "https://app.example.com/in", ExpiresInDays: 9, Notify: client.Bool(false)},
				State: bulkinvite.StateCheck, InvitationID: "orginv_1", Reason: "a reason", Attempts: 3,
				MaybeCreated: true, Channel: bulkinvite.ChannelBulk, Replaces: "orginv_0", SentAt: at, UpdatedAt: at.Add(time.Second),
			}
			second := bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}
			other := bulkinvite.Entry{OrganizationID: "org_b", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}
			require.NoError(t, s.Put(ctx, full, second, other))

			updated := full
			updated.Params.EmailAddress = " ada@example.COM"
			updated.State, updated.Attempts = bulkinvite.StateCreated, 4
			require.NoError(t, s.Put(ctx, updated))

			got, err := bulkinvite.Entries(ctx, s, "org_a")
			require.NoError(t, err)
			require.Len(t, got, 2)
			assert.Equal(t, updated, got[0], "replaced in place, every field kept")
			assert.Equal(t, second, got[1])
			all, err := bulkinvite.Entries(ctx, s, "")
			require.NoError(t, err)
			assert.Len(t, all, 3)
			require.NoError(t, s.Close())

			if name == "sqlite" { // and it all survives closing
				j, err := bulkinvite.OpenJournal(path)
				require.NoError(t, err)
				defer j.Close()
				again, err := j.Load(ctx, "org_a")
				require.NoError(t, err)
				assert.Equal(t, got, again)
			}
		})
	}
}

// One journal, one run: a second writer is refused while the first has it
// open; a reader is not, and cannot write.
func TestJournalIsLockedWhileOpen(t *testing.T) {
	if !bulkinvite.LocksFiles {
		t.Skip("this system offers no file lock (neither flock nor LockFileEx)")
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	require.NoError(t, j.Put(ctx, bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}))

	_, err = bulkinvite.OpenJournal(path)
	assert.ErrorContains(t, err, "another run has this journal open")
	assert.ErrorIs(t, err, bulkinvite.ErrLocked, "callers can tell a lock from a broken file")

	r, err := bulkinvite.OpenJournalReadOnly(path)
	require.NoError(t, err)
	got, err := r.Load(ctx, "")
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.Error(t, r.Put(ctx, got[0]), "read-only")
	require.NoError(t, r.Close())

	require.NoError(t, j.Close())
	j2, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err, "free again once closed")
	require.NoError(t, j2.Close())

	_, err = bulkinvite.OpenJournalReadOnly(filepath.Join(t.TempDir(), "missing.db"))
	assert.Error(t, err)
}

// A journal named by a relative path opens, for writing and for reading,
// where the path says.
func TestJournalAtARelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	j, err := bulkinvite.OpenJournal("invites.db")
	require.NoError(t, err)
	require.NoError(t, j.Put(ctx, bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}))
	require.NoError(t, j.Close())
	assert.FileExists(t, "invites.db")

	r, err := bulkinvite.OpenJournalReadOnly("invites.db")
	require.NoError(t, err)
	defer r.Close()
	got, err := r.Load(ctx, "")
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

// A run writes its records by the IDs it holds where the store allows it:
// the same entries as Put by key, and an ID the store does not hold, or
// whose entry has another key, writes nothing.
func TestPutByID(t *testing.T) {
	type byID interface {
		PutByID(ctx context.Context, ids []int64, entries []bulkinvite.Entry) error
	}
	eachStore(t, func(t *testing.T, s bulkinvite.Store) {
		a := bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}
		b := bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: "bo@example.com", Role: "org:member"}, State: bulkinvite.StateQueued}
		require.NoError(t, s.Put(ctx, a, b))
		var ids []int64
		require.NoError(t, s.Scan(ctx, "", func(id int64, _ bulkinvite.Entry) error { ids = append(ids, id); return nil }))
		a.State, a.InvitationID, b.State = bulkinvite.StateCreated, "orginv_a", bulkinvite.StateSent
		require.NoError(t, s.(byID).PutByID(ctx, ids, []bulkinvite.Entry{a, b}))
		got, err := bulkinvite.Entries(ctx, s, "")
		require.NoError(t, err)
		assert.Equal(t, []bulkinvite.Entry{a, b}, got)

		b.State = bulkinvite.StateFailed
		assert.Error(t, s.(byID).PutByID(ctx, []int64{ids[1], ids[1] + 100}, []bulkinvite.Entry{b, a}), "no such ID")
		assert.Error(t, s.(byID).PutByID(ctx, []int64{ids[1], ids[1]}, []bulkinvite.Entry{b, a}), "another key")
		got, err = bulkinvite.Entries(ctx, s, "")
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateSent, got[1].State, "nothing written")
	})
}

// A scan of one organization gives its entries, with their IDs, in the
// order they were first put: the journal finds them through its index of
// keys, whose order (by address) is not that order. It stops at fn's
// first error, and returns it.
func TestScanOfOneOrganization(t *testing.T) {
	eachStore(t, func(t *testing.T, s bulkinvite.Store) {
		var put []bulkinvite.Entry
		for _, name := range []string{"zoe", "yan", "xu", "wes", "val"} { // each after the last, by address
			for _, org := range []string{"org_a", "org_b"} {
				put = append(put, bulkinvite.Entry{OrganizationID: org, State: bulkinvite.StateQueued,
					Params: client.CreateParams{EmailAddress: name + "@example.com", Role: "org:member"}})
			}
		}
		require.NoError(t, s.Put(ctx, put...))
		idOf := map[string]int64{}
		require.NoError(t, s.Scan(ctx, "", func(id int64, e bulkinvite.Entry) error { idOf[e.Key()] = id; return nil }))
		for _, org := range []string{"org_a", "org_b", "org_c"} {
			var want, got []bulkinvite.Entry
			var wantIDs, gotIDs []int64
			for _, e := range put {
				if e.OrganizationID == org {
					want, wantIDs = append(want, e), append(wantIDs, idOf[e.Key()])
				}
			}
			require.NoError(t, s.Scan(ctx, org, func(id int64, e bulkinvite.Entry) error {
				got, gotIDs = append(got, e), append(gotIDs, id)
				return nil
			}))
			assert.Equal(t, want, got, org)
			assert.Equal(t, wantIDs, gotIDs, org)
		}
		stop, seen := errors.New("enough"), 0
		err := s.Scan(ctx, "org_b", func(int64, bulkinvite.Entry) error { seen++; return stop })
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, 1, seen)
	})
}

// Reading a journal leaves its directory as it was: no -wal or -shm file
// is created when no run has the journal open. While a run has it open,
// a reader still sees every entry the run has committed.
func TestReadingLeavesNoFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.db")
	entry := func(addr string) bulkinvite.Entry {
		return bulkinvite.Entry{OrganizationID: "org_a", Params: client.CreateParams{EmailAddress: addr, Role: "org:member"}, State: bulkinvite.StateQueued}
	}
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	require.NoError(t, j.Put(ctx, entry("ada@example.com")))
	require.NoError(t, j.SetOrigin(ctx, bulkinvite.Origin{OrganizationID: "org_a", List: "people.csv"}))
	require.NoError(t, j.Close())
	before := dirNames(t, dir)
	require.Equal(t, []string{"journal.db"}, before)

	readAll := func() int {
		r, err := bulkinvite.OpenJournalReadOnly(path)
		require.NoError(t, err)
		defer func() { require.NoError(t, r.Close()) }()
		got, err := r.Load(ctx, "")
		require.NoError(t, err)
		_, err = r.Origin(ctx)
		require.NoError(t, err)
		return len(got)
	}
	assert.Equal(t, 1, readAll())
	assert.Equal(t, before, dirNames(t, dir), "a reader leaves no file behind")

	w, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	require.NoError(t, w.Put(ctx, entry("lin@example.com")))
	assert.Equal(t, 2, readAll(), "a reader sees what a run has committed")
	require.NoError(t, w.Put(ctx, entry("grace@example.com")))
	assert.Equal(t, 3, readAll(), "and what it commits later")
	require.NoError(t, w.Close())
	assert.Equal(t, before, dirNames(t, dir), "the run tidies up after itself")
	assert.Equal(t, 3, readAll())
	assert.Equal(t, before, dirNames(t, dir))
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}
