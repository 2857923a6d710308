package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// journalWith writes a journal holding entries, as a stopped run leaves it.
func journalWith(t *testing.T, entries ...bulkinvite.Entry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.journal.db")
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	for i := range entries {
		entries[i].UpdatedAt = time.Now()
		if entries[i].Params.Role == "" {
			entries[i].Params.Role = "org:member"
		}
		entries[i].Params.Notify = client.Bool(false)
	}
	require.NoError(t, j.Put(context.Background(), entries...))
	require.NoError(t, j.Close())
	return path
}

func entry(orgID, addr string, state bulkinvite.State) bulkinvite.Entry {
	return bulkinvite.Entry{OrganizationID: orgID, Params: client.CreateParams{EmailAddress: addr}, State: state}
}

// A journal with another organization's unfinished run is refused, and
// nothing is sent.
func TestJournalOfAnotherOrganizationRefused(t *testing.T) {
	srv := newFake(t)
	journal := journalWith(t, entry("org_other", "a@example.com", bulkinvite.StateQueued),
		entry("org_other", "b@example.com", bulkinvite.StateCheck), entry("org_other", "c@example.com", bulkinvite.StateCreated))
	csvPath := writeFile(t, "people.csv", peopleCSV(3))
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", journal, "--limits", "none", "--no-notify")
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, "the journal "+journal+" holds an unfinished run for org_other (2 not settled), and this run is for "+org)
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// On resume, someone the journal's unfinished run holds but the file no
// longer does is not sent, and is reported as dropped from the file; a
// row whose role changed is reported, the journal's invitation kept.
func TestResumeHeedsTheFile(t *testing.T) {
	srv := newFake(t)
	journal := journalWith(t,
		entry(org, "kept@example.com", bulkinvite.StateQueued),
		entry(org, "dropped@example.com", bulkinvite.StateQueued),
		entry(org, "inflight@example.com", bulkinvite.StateSent))
	csvPath := writeFile(t, "people.csv", "email_address,role\nkept@example.com,org:admin\nnew@example.com,\n")
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", journal, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	byEmail := invitationsByEmail(srv)
	assert.Len(t, byEmail["kept@example.com"], 1)
	assert.Len(t, byEmail["new@example.com"], 1)
	assert.NotContains(t, byEmail, "dropped@example.com", "dropped from the file: not sent")
	assert.NotContains(t, byEmail, "inflight@example.com", "dropped from the file: not sent")
	assert.Contains(t, r.stderr, "Not sent: 2 people in the journal's unfinished run no longer in the file (dropped from the file)")
	assert.Contains(t, r.stderr, "  dropped@example.com: queued\n")
	assert.Contains(t, r.stderr, "  inflight@example.com: in flight (a request may have invited them: put their row back to settle it)\n")
	assert.Contains(t, r.stderr, "line 2, kept@example.com: role org:admin in the file, org:member in the journal")
	assert.Equal(t, "org:member", byEmail["kept@example.com"][0].Role, "the journal's invitation is kept")
	assert.Regexp(t, `total\s+2\n`, r.stdout, "the summary counts the file's people")
	for _, e := range loadJournal(t, journal) {
		if strings.HasPrefix(e.Params.EmailAddress, "dropped") {
			assert.Equal(t, bulkinvite.StateQueued, e.State, "the entry stays as it was")
		}
	}
}

// A damaged journal's error says what is wrong and how to recover.
func TestDamagedJournalSaysHowToRecover(t *testing.T) {
	srv := newFake(t)
	journal := filepath.Join(t.TempDir(), "run.journal.db")
	require.NoError(t, os.WriteFile(journal, []byte(strings.Repeat("not a database ", 500)), 0o600))
	csvPath := writeFile(t, "people.csv", peopleCSV(2))
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", journal, "--limits", "none", "--no-notify")
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "the journal "+journal+" cannot be read (")
	assert.Contains(t, r.stderr, "it is damaged, or not a journal. Move it aside (mv "+journal+" "+journal+".damaged)")
	assert.NotContains(t, r.stderr, "run the same command again to go on")
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// On resume of a file of many organizations, the journal's unfinished
// people of an organization the file no longer has are not sent, and are
// reported as dropped from the file, as people dropped from one are.
func TestResumeOfManyOrganizationsHeedsAnOrganizationDropped(t *testing.T) {
	srv := newFake(t)
	journal := journalWith(t,
		entry("org_a", "kept@example.com", bulkinvite.StateQueued),
		entry("org_b", "gone@example.com", bulkinvite.StateQueued),
		entry("org_b", "done@example.com", bulkinvite.StateCreated))
	csvPath := writeFile(t, "people.csv", "organization_id,email_address,role\norg_a,kept@example.com,org:member\n")
	r := cli(t, srv, "send", "--csv", csvPath, "--journal", journal, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	var sent []string
	for _, inv := range srv.Invitations() {
		sent = append(sent, inv.OrganizationID+" "+inv.EmailAddress)
	}
	assert.Equal(t, []string{"org_a kept@example.com"}, sent, "dropped from the file: not sent")
	assert.Contains(t, r.stderr, "Not sent: 1 person in the journal's unfinished run no longer in the file (dropped from the file)")
	assert.Contains(t, r.stderr, "gone@example.com")
	assert.NotContains(t, r.stderr, "done@example.com", "settled: no matter")
}

// reviewJournal compares a journal's entries with the file's people for
// org (empty: a file of many organizations), keyed and sorted as a send
// keys and sorts its file.
func reviewJournal(entries []bulkinvite.Entry, org string, people []person) journalReview {
	f := &csvFile{}
	named := map[string]bool{}
	for _, p := range people {
		f.keys = append(f.keys, keyOf(p))
		named[p.org] = true
	}
	sortKeys(f.keys)
	r := reviewer{rev: journalReview{otherOrgs: map[string]int{}}, org: org, file: f.find, named: named}
	for _, e := range entries {
		r.review(e)
	}
	return r.rev
}

func TestReviewJournal(t *testing.T) {
	row := func(line int, addr, role string, days int) person {
		return person{line: line, org: org, params: client.CreateParams{EmailAddress: addr, Role: role, ExpiresInDays: days}}
	}
	withRole := func(e bulkinvite.Entry, role string, days int) bulkinvite.Entry {
		e.Params.Role, e.Params.ExpiresInDays = role, days
		return e
	}
	rev := reviewJournal([]bulkinvite.Entry{
		entry("org_b", "x@example.com", bulkinvite.StateQueued),                             // another org, unsettled
		entry("org_b", "y@example.com", bulkinvite.StateFailed),                             // another org, settled: no matter
		withRole(entry(org, "Same@example.com", bulkinvite.StateCreated), "org:member", 0),  // same
		withRole(entry(org, "moved@example.com", bulkinvite.StateCreated), "org:member", 7), // changed
		entry(org, "gone@example.com", bulkinvite.StateCheck),                               // dropped
		entry(org, "done@example.com", bulkinvite.StateCreated),                             // settled, not in the file: no matter
	}, org, []person{row(2, "same@example.com", "org:member", 0), row(3, "moved@example.com", "org:admin", 14)})
	assert.Equal(t, map[string]int{"org_b": 1}, rev.otherOrgs)
	require.Len(t, rev.dropped, 1)
	assert.Equal(t, "gone@example.com", rev.dropped[0].Params.EmailAddress)
	require.Len(t, rev.changed, 1)
	assert.Equal(t, 3, rev.changed[0].line)
	assert.Equal(t, "role org:admin in the file, org:member in the journal; expires_in_days 14 in the file, 7 in the journal",
		differences(rev.changed[0].journal, client.CreateParams{EmailAddress: "moved@example.com", Role: "org:admin", ExpiresInDays: 14}))
}
