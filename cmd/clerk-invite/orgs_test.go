package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// migrationCSV is a file of three organizations, six people, one address
// in two organizations.
const migrationCSV = `organization_id,email_address,role
org_a,ada@example.com,org:admin
org_a,lin@example.com,
org_b,ADA@example.com,
org_b,sam@example.com,
org_a,kim@example.com,
org_c,bo@example.com,org:admin
`

// One file across organizations: the dry run says what each would get
// and what asking the server took; the run invites every row to its
// organization, the same address in two of them twice; the summary and
// status count each organization, and the total.
func TestAFileOfManyOrganizations(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "migration.csv", migrationCSV)

	dry := cli(t, srv, "send", "--csv", csvPath, "--dry-run", "--limits", "none", "--no-notify")
	require.Equal(t, 0, dry.code, dry)
	assert.Contains(t, dry.stdout, csvPath+": 6 people for 3 organizations, all rows valid\n")
	assert.Contains(t, dry.stdout, "By organization (new, already invited, settled, unfinished):\n  org_a: 3, 0, 0, 0\n  org_b: 2, 0, 0, 0\n  org_c: 1, 0, 0, 0\n")
	assert.Contains(t, dry.stdout, "That took 1 list request (one walk of the instance's 0 pending invitations")
	assert.Empty(t, srv.Invitations(), "the dry run sent no invitation")

	r := cli(t, srv, "send", "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	got := map[string]int{}
	for _, inv := range srv.Invitations() {
		got[inv.OrganizationID+" "+strings.ToLower(inv.EmailAddress)]++
	}
	assert.Equal(t, map[string]int{"org_a ada@example.com": 1, "org_a lin@example.com": 1, "org_a kim@example.com": 1,
		"org_b ada@example.com": 1, "org_b sam@example.com": 1, "org_c bo@example.com": 1}, got)
	assert.Contains(t, r.stdout, "Summary for 3 organizations (journal "+csvPath+journalSuffix)
	assert.Contains(t, r.stdout, "By organization:\n  org_a: 3 people, new 3, there 0, failed 0, 0 unsettled\n  org_b: 2 people, new 2, there 0, failed 0, 0 unsettled\n")
	assert.Contains(t, r.stderr, "Inviting 6 people from "+csvPath+" to 3 organizations")

	status := cli(t, nil, "status", "--journal", csvPath+journalSuffix)
	require.Equal(t, 0, status.code, status)
	assert.Contains(t, status.stdout, "org_a: 3 people, 3 settled, 0 unsettled\n")
	assert.Contains(t, status.stdout, "org_c: 1 person, 1 settled, 0 unsettled\n")
	assert.Contains(t, status.stdout, "Total, 3 organizations: 6 people, 6 settled, 0 unsettled\n")
}

// Where people go is said once: by --org for a file without an
// organization_id column, by the column otherwise. Both, or neither, is
// refused at once (exit 2), and so is an address twice in one
// organization; nothing is sent, no journal made.
func TestTheOrganizationRule(t *testing.T) {
	srv := newFake(t)
	for name, tc := range map[string]struct {
		args []string
		csv  string
		want []string
	}{
		"both": {[]string{"--org", org}, migrationCSV, []string{
			":1: both --org " + org + " and the file's organization_id column say where people go: use one. Drop --org to invite each row to its organization_id, or drop the column to invite everyone to " + org,
			"1 problem; nothing was sent"}},
		"neither":               {nil, peopleCSV(3), []string{":1: no organization: the file has no organization_id column, and --org is not given"}},
		"an empty organization": {nil, "organization_id,email_address\norg_a,ada@example.com\n,lin@example.com\n", []string{":3: organization_id is empty"}},
		"twice in one organization": {nil, migrationCSV + "org_a,Lin@Example.com,\norg_b,lin@example.com,\n", []string{
			`:8: "Lin@Example.com" is also on line 3`, "1 problem; nothing was sent"}},
	} {
		t.Run(name, func(t *testing.T) {
			csvPath := writeFile(t, "people.csv", tc.csv)
			r := cli(t, srv, append([]string{"send", "--csv", csvPath, "--limits", "none", "--no-notify"}, tc.args...)...)
			assert.Equal(t, 2, r.code, r)
			for _, w := range tc.want {
				assert.Contains(t, r.stderr, w)
			}
			assert.NoFileExists(t, csvPath+journalSuffix)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// list and revoke work on one organization (--org) or on every
// organization of a run's journal (--journal), each row naming its
// organization; both, or neither, is refused.
func TestListAndRevokeAcrossAJournal(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "migration.csv", migrationCSV)
	r := cli(t, srv, "send", "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	journal := csvPath + journalSuffix

	list := cli(t, srv, "list", "--journal", journal, "--format", "csv")
	require.Equal(t, 0, list.code, list)
	lines := strings.Split(strings.TrimSpace(list.stdout), "\n")
	require.Len(t, lines, 7, list.stdout)
	assert.Equal(t, "organization_id,id,email_address,role,status,created_at", lines[0])
	for i, org := range []string{"org_a", "org_a", "org_a", "org_b", "org_b", "org_c"} {
		assert.True(t, strings.HasPrefix(lines[i+1], org+",orginv_"), lines[i+1])
	}
	table := cli(t, srv, "list", "--journal", journal)
	require.Equal(t, 0, table.code, table)
	assert.Regexp(t, `^ORGANIZATION\s+ID\s+EMAIL`, table.stdout)

	revoke := cli(t, srv, "revoke", "--journal", journal, "--status", "pending", "--older-than", "1m", "--dry-run")
	require.Equal(t, 0, revoke.code, revoke)
	assert.Contains(t, revoke.stdout, "Dry run: 0 of 6 pending invitations are older than 1m; nothing revoked.")

	for _, args := range [][]string{{"list"}, {"list", "--org", org, "--journal", journal}, {"revoke", "--older-than", "1d"}} {
		bad := cli(t, srv, args...)
		assert.Equal(t, 2, bad.code, bad)
		assert.Contains(t, bad.stderr, "--org", bad)
		assert.Contains(t, bad.stderr, "--journal", bad)
	}
}
