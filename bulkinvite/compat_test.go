package bulkinvite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// releaseOneJournal is the schema journals of the release before
// organizations were many (user_version 1, with the origin table), as
// that release wrote it, and rows as its Put wrote them: one organization,
// a person created, one left in flight by a killed run, and two queued.
const releaseOneJournal = `
CREATE TABLE IF NOT EXISTS entries (
	organization_id TEXT    NOT NULL,
	email_key       TEXT    NOT NULL,
	params          TEXT    NOT NULL,
	state           TEXT    NOT NULL,
	invitation_id   TEXT    NOT NULL DEFAULT '',
	reason          TEXT    NOT NULL DEFAULT '',
	attempts        INTEGER NOT NULL DEFAULT 0,
	maybe_created   INTEGER NOT NULL DEFAULT 0,
	channel         TEXT    NOT NULL DEFAULT '',
	replaces        TEXT    NOT NULL DEFAULT '',
	sent_at         INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (organization_id, email_key)
);
PRAGMA user_version = 1;
CREATE TABLE IF NOT EXISTS origin (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	organization_id TEXT    NOT NULL,
	list            TEXT    NOT NULL,
	digest          TEXT    NOT NULL,
	people          INTEGER NOT NULL,
	started_at      INTEGER NOT NULL
);
INSERT INTO origin VALUES (1, 'org_run', '/data/people.csv', 'sha256:ab12', 4, 1800000000000);
INSERT INTO entries VALUES
	('org_run', 'person00000@example.com', '{"email_address":"person00000@example.com","role":"org:member","notify":false}', 'created', 'orginv_before', '', 1, 0, 'bulk', '', 1800000000000, 1800000000001),
	('org_run', 'person00001@example.com', '{"email_address":"Person00001@example.com","role":"org:member","notify":false}', 'sent', '', '', 1, 0, 'create', '', 1800000000002, 1800000000002),
	('org_run', 'person00002@example.com', '{"email_address":"person00002@example.com","role":"org:member","notify":false}', 'queued', '', '', 0, 0, '', '', 0, 1800000000000),
	('org_run', 'person00003@example.com', '{"email_address":"person00003@example.com","role":"org:admin","notify":false}', 'queued', '', '', 0, 0, '', '', 0, 1800000000000);
`

// A journal of the last release opens, counts by organization, keeps its
// origin, and resumes: the one left in flight is checked, the queued are
// sent, the created one is left alone.
func TestAJournalOfTheLastReleaseResumes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "release1.db")
		db, err := sql.Open("sqlite", path)
		require.NoError(t, err)
		_, err = db.Exec(releaseOneJournal)
		require.NoError(t, err)
		require.NoError(t, db.Close())

		ro, err := bulkinvite.OpenJournalReadOnly(path)
		require.NoError(t, err)
		counts, err := ro.CountByOrganization(ctx)
		require.NoError(t, err)
		assert.Equal(t, []bulkinvite.OrganizationCounts{{OrganizationID: org, Counts: bulkinvite.Counts{
			bulkinvite.StateCreated: 1, bulkinvite.StateSent: 1, bulkinvite.StateQueued: 2}}}, counts)
		orgs, err := ro.Organizations(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{org}, orgs)
		require.NoError(t, ro.Close())

		srv, c := newFake(t)
		_, err = c.Create(ctx, org, client.CreateParams{EmailAddress: "person00001@example.com", Role: "org:member"}) // the request in flight landed
		require.NoError(t, err)
		j, err := bulkinvite.OpenJournal(path)
		require.NoError(t, err)
		defer j.Close()
		cfg := config(c, j, nil)
		cfg.OrganizationID = ""
		sum, err := bulkinvite.Run(ctx, cfg, nil)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 4}, sum.Counts)
		assert.Len(t, srv.Invitations(), 3, "the one in flight was found, not sent again; the created one was not touched")
		entries, err := j.Load(ctx, org)
		require.NoError(t, err)
		assert.Equal(t, "orginv_before", entries[0].InvitationID)
		assert.Equal(t, "Person00001@example.com", entries[1].Params.EmailAddress)
		assert.Equal(t, "org:admin", entries[3].Params.Role)
		o, err := j.Origin(ctx)
		require.NoError(t, err)
		assert.Equal(t, &bulkinvite.Origin{OrganizationID: org, List: "/data/people.csv", Digest: "sha256:ab12", People: 4,
			StartedAt: time.UnixMilli(1_800_000_000_000)}, o)
	})
}
