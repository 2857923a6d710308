package bulkinvite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// A journal keeps the run's choice whether Clerk emails the invitations
// across opens, read-only opens included; a new journal, and one started
// before the choice was recorded, say nothing of it.
func TestJournalKeepsTheNotifyChoice(t *testing.T) {
	dir := t.TempDir()
	older := filepath.Join(dir, "older.db")
	db, err := sql.Open("sqlite", older)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE entries (organization_id TEXT NOT NULL, email_key TEXT NOT NULL, params TEXT NOT NULL,
		state TEXT NOT NULL, PRIMARY KEY (organization_id, email_key)); PRAGMA user_version = 1;`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	for _, path := range []string{filepath.Join(dir, "new.db"), older} {
		if path == older {
			ro, err := bulkinvite.OpenJournalReadOnly(path)
			require.NoError(t, err)
			n, err := ro.Notify(ctx)
			require.NoError(t, err)
			assert.Nil(t, n, "an older journal, read-only")
			require.NoError(t, ro.Close())
		}
		j, err := bulkinvite.OpenJournal(path)
		require.NoError(t, err)
		n, err := j.Notify(ctx)
		require.NoError(t, err)
		assert.Nil(t, n, path)
		require.NoError(t, j.SetNotify(ctx, true))
		require.NoError(t, j.SetNotify(ctx, false))
		require.NoError(t, j.Close())

		ro, err := bulkinvite.OpenJournalReadOnly(path)
		require.NoError(t, err)
		n, err = ro.Notify(ctx)
		require.NoError(t, err)
		require.NotNil(t, n, path)
		assert.False(t, *n, "the last choice recorded")
		require.NoError(t, ro.Close())
	}
}
