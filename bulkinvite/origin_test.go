package bulkinvite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// A journal keeps its origin across opens, read-only opens included.
func TestJournalKeepsItsOrigin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	o, err := j.Origin(ctx)
	require.NoError(t, err)
	assert.Nil(t, o, "a new journal says nothing of its origin")
	want := bulkinvite.Origin{OrganizationID: org, List: "/data/people.csv", Digest: "sha256:ab12", People: 3, StartedAt: time.UnixMilli(1_800_000_000_000)}
	require.NoError(t, j.SetOrigin(ctx, want))
	require.NoError(t, j.Close())

	ro, err := bulkinvite.OpenJournalReadOnly(path)
	require.NoError(t, err)
	defer ro.Close()
	o, err = ro.Origin(ctx)
	require.NoError(t, err)
	require.NotNil(t, o)
	assert.Equal(t, want, *o)
}

// A journal written before origins were recorded (the entries table
// alone, user_version 1) still opens, read-only and for a run, keeps its
// entries, and has no origin until one is set.
func TestAnOlderJournalStillOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE entries (organization_id TEXT NOT NULL, email_key TEXT NOT NULL, params TEXT NOT NULL,
		state TEXT NOT NULL, invitation_id TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '',
		attempts INTEGER NOT NULL DEFAULT 0, maybe_created INTEGER NOT NULL DEFAULT 0, channel TEXT NOT NULL DEFAULT '',
		replaces TEXT NOT NULL DEFAULT '', sent_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (organization_id, email_key));
		INSERT INTO entries (organization_id, email_key, params, state) VALUES ('org_run', 'a@example.com', '{"email_address":"a@example.com","role":"org:member"}', 'created');
		PRAGMA user_version = 1;`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	ro, err := bulkinvite.OpenJournalReadOnly(path)
	require.NoError(t, err)
	o, err := ro.Origin(ctx)
	require.NoError(t, err)
	assert.Nil(t, o)
	require.NoError(t, ro.Close())

	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	defer j.Close()
	entries, err := j.Load(ctx, "")
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, bulkinvite.StateCreated, entries[0].State)
	o, err = j.Origin(ctx)
	require.NoError(t, err)
	assert.Nil(t, o)
	require.NoError(t, j.SetOrigin(ctx, bulkinvite.Origin{OrganizationID: org, List: "x.csv", People: 1}))
	o, err = j.Origin(ctx)
	require.NoError(t, err)
	assert.Equal(t, "x.csv", o.List)
}
