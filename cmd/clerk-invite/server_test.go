package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// inviteFirst invites the first n people of peopleCSV through the fake's
// own client, as an earlier run whose journal is lost would have, and
// returns how many requests that took.
func inviteFirst(t *testing.T, srv *fake.Server, n int) int {
	t.Helper()
	c := fakeClient(t, srv)
	batch := make([]client.CreateParams, 0, client.MaxBulkInvitations)
	for i := range n {
		batch = append(batch, client.CreateParams{EmailAddress: fmt.Sprintf("person%03d@example.com", i), Role: "org:member", Notify: client.Bool(false)})
		if len(batch) == client.MaxBulkInvitations || i == n-1 {
			_, err := c.BulkCreate(t.Context(), org, batch)
			require.NoError(t, err)
			batch = batch[:0]
		}
	}
	return len(srv.Requests())
}

// The lost journal, through the tool: 1,000 people already invited and
// 1,000 new, no journal. The dry run counts the invited as such; the run
// lists the pending invitations (three pages of 500 that overlap by one), sends no create for
// the invited, and invites each of the others once.
func TestLostJournalIsRebuiltFromTheServer(t *testing.T) {
	srv := newFake(t, fake.WithRequestLog(10_000))
	setup := inviteFirst(t, srv, 1000)
	csvPath := writeFile(t, "people.csv", peopleCSV(2000))
	args := []string{"send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify"}

	dry := cli(t, srv, append(args, "--dry-run")...)
	require.Equal(t, 0, dry.code, dry)
	assert.Regexp(t, `new, to invite:\s+1000\n`, dry.stdout)
	assert.Regexp(t, `already invited \(server\):\s+1000\n`, dry.stdout)
	assert.Contains(t, dry.stdout, "Asked the server: 1000 of the file's people have a pending invitation to "+org)
	skip := cli(t, srv, append(args, "--dry-run", "--skip-server-check")...)
	require.Equal(t, 0, skip.code, skip)
	assert.Regexp(t, `new, to invite:\s+2000\n`, skip.stdout)
	assert.Contains(t, skip.stdout, "The server was not asked (--skip-server-check)")
	dryRuns := len(srv.Requests())
	assert.Equal(t, 3, dryRuns-setup, "the dry run listed three pages, the one with --skip-server-check nothing")

	r := cli(t, srv, args...)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `already invited\s+1000\n`, r.stdout)
	assert.Regexp(t, `created\s+1000\n`, r.stdout)
	assert.Contains(t, r.stdout, "(1000 found pending on the server before sending: no create sent for them)")
	ops := map[string]int{}
	sent := map[string]int{}
	for _, req := range srv.Requests()[dryRuns:] {
		ops[req.Operation]++
	}
	for email, n := range sentAddresses(t, srv) {
		sent[email] = n
	}
	t.Logf("the run's requests: %v", ops)
	assert.Equal(t, 3, ops[fake.OpList], "three pages of 500 that overlap by one, no checks")
	for i := range 2000 {
		email := fmt.Sprintf("person%03d@example.com", i)
		assert.Equal(t, 1, sent[email], "%s sent once in all (the setup's bulk create for the first thousand)", email)
	}
	assertOncePerPerson(t, srv, 2000)
	for _, e := range loadJournal(t, csvPath+journalSuffix) {
		require.NotEmpty(t, e.InvitationID, "%s: the invitation is recorded", e.Params.EmailAddress)
	}
}

// A damaged journal's advice, followed: moved aside, the same command
// starts a new journal settled from the server, and invites nobody again.
func TestDamagedJournalRecoveryFromTheServer(t *testing.T) {
	srv := newFake(t)
	inviteFirst(t, srv, 3)
	csvPath := writeFile(t, "people.csv", peopleCSV(4))
	journal := csvPath + journalSuffix
	require.NoError(t, os.WriteFile(journal, []byte(strings.Repeat("not a database ", 500)), 0o600))
	args := []string{"send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify"}
	r := cli(t, srv, args...)
	require.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "a new journal starts from the server's state")
	require.NoError(t, os.Rename(journal, journal+".damaged"))
	before := len(srv.Requests())
	r = cli(t, srv, args...)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "(3 found pending on the server before sending")
	creates := 0
	for _, req := range srv.Requests()[before:] {
		if req.Method == "POST" {
			creates++
		}
	}
	assert.Equal(t, 1, creates, "one create, for the one new person")
	assertOncePerPerson(t, srv, 4)
}

// A run that cannot list the pending invitations sends nothing and says
// how to go on; --skip-server-check sends without looking.
func TestServerCheckFailureSendsNothing(t *testing.T) {
	srv := newFake(t)
	srv.InjectFault(fake.OpList, 100, fake.Fault{Status: 400, Body: `{"errors":[{"code":"bad","message":"no"}]}`})
	csvPath := writeFile(t, "people.csv", peopleCSV(2))
	args := []string{"send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify"}
	dry := cli(t, srv, append(args, "--dry-run")...)
	require.Equal(t, 0, dry.code, dry)
	assert.Contains(t, dry.stdout, "The server could not be asked (", "a dry run says so, and counts from the journal alone")
	assert.Regexp(t, `new, to invite:\s+2\n`, dry.stdout)
	r := cli(t, srv, args...)
	require.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "the pending invitations of "+org+" could not be listed before sending (Clerk answered 400 Bad Request")
	assert.Contains(t, r.stderr, "so nothing was sent. Run the same command again, or add --skip-server-check")
	assert.Equal(t, 1, strings.Count(r.stderr, "nothing was sent"), "said once")
	assert.NotContains(t, r.stderr, "Config.", "no library words")
	assertOnlyReads(t, srv, "nothing sent")
	r = cli(t, srv, append(args, "--skip-server-check")...)
	require.Equal(t, 0, r.code, r)
	assertOncePerPerson(t, srv, 2)
}

// The journal remembers the file it was started for: a run of the same
// file says nothing of it; of the file changed, or of another file, it
// says so and goes on.
func TestJournalRemembersItsFile(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	first := dir + "/people.csv"
	require.NoError(t, os.WriteFile(first, []byte(peopleCSV(3)), 0o600))
	journal := dir + "/run.journal.db"
	args := func(csv string, more ...string) []string {
		return append([]string{"send", "--org", org, "--csv", csv, "--journal", journal, "--limits", "none", "--no-notify"}, more...)
	}
	r := cli(t, srv, args(first)...)
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.stderr, "was started")
	j, err := bulkinvite.OpenJournalReadOnly(journal)
	require.NoError(t, err)
	o, err := j.Origin(t.Context())
	require.NoError(t, j.Close())
	require.NoError(t, err)
	require.NotNil(t, o)
	assert.Equal(t, first, o.List)
	assert.Equal(t, 3, o.People)
	assert.True(t, strings.HasPrefix(o.Digest, "sha256:"), o.Digest)

	r = cli(t, srv, args(first)...)
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.stderr, "was started", "the same file: nothing to say")

	require.NoError(t, os.WriteFile(first, []byte(peopleCSV(4)), 0o600))
	r = cli(t, srv, args(first)...)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stderr, "Note: the journal "+journal+" was started on ")
	assert.Contains(t, r.stderr, "for "+first+" (3 people, for "+org+"), and the file has changed since (4 people now).")
	dry := cli(t, srv, args(first, "--dry-run")...)
	assert.Contains(t, dry.stdout, "and the file has changed since", "the dry run says it too")

	other := dir + "/other.csv"
	require.NoError(t, os.WriteFile(other, []byte(peopleCSV(1)), 0o600))
	r = cli(t, srv, args(other)...)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stderr, "and this run's file is another: "+other+" (1 person).")
	assertOncePerPerson(t, srv, 4)
}

// A journal whose entries cannot be decoded is damaged too, and its
// error gives the same way out.
func TestUndecodableEntryIsADamagedJournal(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "people.csv", peopleCSV(2))
	journal := journalWith(t, entry(org, "person000@example.com", bulkinvite.StateQueued))
	db, err := sql.Open("sqlite", journal)
	require.NoError(t, err)
	_, err = db.Exec(`UPDATE entries SET params = '{"email_address":'`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", journal, "--limits", "none", "--no-notify")
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "the journal "+journal+" cannot be read (")
	assert.Contains(t, r.stderr, "Move it aside (mv "+journal+" "+journal+".damaged) and run the same command again: a new journal starts from the server's state")
	assert.Empty(t, srv.Requests(), "nothing sent")
}
