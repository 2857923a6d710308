package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// 120 rows: one invitation each, with the role, expiry and redirect of
// its row, no email from Clerk without --notify, the summary on stdout
// and plain progress lines on stderr (not a terminal). The same command
// again sends nothing.
func TestSendInvitesEveryRowOnce(t *testing.T) {
	srv := newFake(t)
	var b strings.Builder
	b.WriteString("expires_in_days,Email_Address,role,redirect_url\n") // any order, any case
	for i := range 120 {
		role := ""
		if i%10 == 0 {
			role = "org:admin"
		}
		fmt.Fprintf(&b, "7,person%03d@example.com,%s,https://app.example.com/welcome\n", i, role)
	}
	csvPath := writeFile(t, "people.csv", b.String())

	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	t.Logf("120 rows in %v", r.took)
	byEmail := assertOncePerPerson(t, srv, 120)
	for i := range 120 {
		inv := byEmail[fmt.Sprintf("person%03d@example.com", i)][0]
		want := "org:member"
		if i%10 == 0 {
			want = "org:admin"
		}
		assert.Equal(t, want, inv.Role, "role of row %d", i)
		require.NotNil(t, inv.ExpiresAt)
		assert.Equal(t, int64(7*24*time.Hour/time.Millisecond), *inv.ExpiresAt-inv.CreatedAt, "expires_in_days")
	}
	assert.Empty(t, srv.Notifications(), "no email without --notify")
	for _, req := range srv.Requests() {
		if req.Operation == fake.OpCreate || req.Operation == fake.OpBulkCreate {
			assert.Contains(t, string(req.Body), `"redirect_url":"https://app.example.com/welcome"`)
			assert.Contains(t, string(req.Body), `"notify":false`)
		}
	}
	assert.Regexp(t, `created\s+120\n`, r.stdout)
	assert.Regexp(t, `failed\s+0\n`, r.stdout)
	assert.Contains(t, r.stdout, "Summary for "+org+" (journal "+csvPath+".journal.db")
	assert.Contains(t, r.stderr, "progress: 120/120 settled (created 120, already there 0, failed 0, to check 0)")
	assert.NotContains(t, r.stderr, "\r", "no bar drawing outside a terminal")
	assert.FileExists(t, csvPath+".journal.db", "the default journal is beside the CSV file")

	before := len(srv.Requests())
	again := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, again.code, again)
	assert.Len(t, srv.Requests(), before, "nothing sent the second time")
	assert.Regexp(t, `created\s+120\n`, again.stdout)
	assert.True(t, strings.HasPrefix(again.stderr, "Nothing to send: all 120 people of "+csvPath+" are settled in the journal "), "said at once:\n%s", again.stderr)
	assert.NotContains(t, again.stderr, "Inviting")
	assert.NotContains(t, again.stderr, "progress:", "no progress, and no rate, for nobody")
	assertOncePerPerson(t, srv, 120)
}

// Every bad row is reported, each with its line (a quoted cell spanning
// two lines counts both), the tool exits 2, nothing reaches the server and
// no journal is made.
func TestBadCSVIsReportedWholeAndNothingSent(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "bad.csv", strings.Join([]string{
		"email_address,role,expires_in_days,nickname", // 1: an unknown column
		"ada@example.com,,,Ada",                       // 2
		"not-an-email,,,x",                            // 3
		`lin@example.com,"org:member",,"two`,          // 4: a cell that spans
		`lines"`,                                      // 5: ...this line too
		" ADA@example.com ,,,again",                   // 6: ada once more
		"bob@example.com,,soon,x",                     // 7
		",org:admin,,nobody",                          // 8
		"cy@example.com,,400,x",                       // 9: over 365 days
		"dee@example.com,,0,x",                        // 10
		"eve@example.com,org:member",                  // 11: too few fields
		"fay@example.com,,30,fine",                    // 12
	}, "\n")+"\n")

	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 2, r.code, r)
	for _, want := range []string{
		csvPath + `:1: unknown column "nickname"`,
		csvPath + `:3: email_address: "not-an-email" is not an email address`,
		csvPath + `:6: "ADA@example.com" is also on line 2`,
		csvPath + `:7: expires_in_days "soon" is not a whole number of days from 1 to 365`,
		csvPath + `:8: email_address is empty`,
		csvPath + `:9: expires_in_days: `,
		csvPath + `:10: expires_in_days "0" is not a whole number`,
		csvPath + `:11: 2 fields, but the header names 4 columns`,
		"8 problems; nothing was sent",
	} {
		assert.Contains(t, r.stderr, want)
	}
	for _, fine := range []string{":2:", ":4:", ":5:", ":12:"} {
		assert.NotContains(t, r.stderr, csvPath+fine, "a good row is not reported")
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
	assert.NoFileExists(t, csvPath+".journal.db", "no journal made")

	for name, tc := range map[string]struct{ content, want string }{
		"no email column": {"role\norg:member\n", ":1: the header row has no email_address column"},
		"empty":           {"", ":1: the file is empty"},
		"header only":     {"email_address\n", ":1: the file has a header row but nobody to invite"},
		"bare quote":      {"email_address\nab\"c@example.com\n", `:2: a quote (") at column 3, in a cell that does not start with one: put the whole cell in quotes`},
		"after a quote":   {"email_address,role\n\"x@example.com\"x,r\n", `:2: at column 15, a quoted cell goes on after its closing quote`},
		"never closed":    {"email_address\na@example.com\n\"open@example.com\nmore\n", `:3: a quoted cell starts on this line and is not closed properly (seen on line 4, column 6)`},
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, "people.csv", tc.content)
			r := cli(t, srv, "send", "--org", org, "--csv", path, "--no-notify")
			assert.Equal(t, 2, r.code, r)
			assert.Contains(t, r.stderr, path+tc.want)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// People already invited or already members count as there (exit 0); a
// role the instance does not have fails that row, with the API's reason
// and the row's line (exit 1), and the others are invited.
func TestSendRefusals(t *testing.T) {
	srv := newFake(t, fake.WithMember(org, "member@example.com"))
	_, err := fakeClient(t, srv).Create(t.Context(), org, client.CreateParams{EmailAddress: "invited@example.com", Role: "org:member"})
	require.NoError(t, err)

	csvPath := writeFile(t, "people.csv", "email_address\n"+
		"a@example.com\nmember@example.com\nb@example.com\nInvited@example.com\nc@example.com\n")
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	assert.Empty(t, srv.Notifications()[1:], "no email without --notify")
	assert.Regexp(t, `created\s+3\n`, r.stdout)
	assert.Regexp(t, `already invited\s+1\n`, r.stdout)
	assert.Regexp(t, `already a member\s+1\n`, r.stdout)
	assert.Len(t, srv.Invitations(), 4, "the one there before and three new")

	bad := writeFile(t, "roles.csv", "email_address,role\nd@example.com,\nboss@example.com,org:boss\ne@example.com,org:admin\n")
	r = cli(t, srv, "send", "--org", org, "--csv", bad, "--limits", "none", "--notify")
	require.Equal(t, 1, r.code, r)
	assert.Regexp(t, `failed\s+1\n`, r.stdout)
	assert.Contains(t, r.stdout, "Failed (1):\n  boss@example.com (line 3): ")
	assert.Contains(t, r.stdout, "resource_not_found: There is no role org:boss in this instance.")
	byEmail := invitationsByEmail(srv)
	assert.Len(t, byEmail["d@example.com"], 1)
	assert.Len(t, byEmail["e@example.com"], 1)
	assert.NotContains(t, byEmail, "boss@example.com")
	var emailed []string
	for _, n := range srv.Notifications() {
		emailed = append(emailed, n.EmailAddress)
	}
	assert.Equal(t, []string{"invited@example.com", "d@example.com", "e@example.com"}, emailed,
		"--notify: Clerk emails the two invited (and the one the test made, with the API's default)")

	// Fixed in the file, the failed row is sent again only with --retry-failed.
	fixed := strings.Replace(string(must(os.ReadFile(bad))), "org:boss", "org:admin", 1)
	require.NoError(t, os.WriteFile(bad, []byte(fixed), 0o600))
	// A resume keeps the journal's --notify without the flag.
	r = cli(t, srv, "send", "--org", org, "--csv", bad, "--limits", "none")
	require.Equal(t, 1, r.code, r)
	assert.NotContains(t, invitationsByEmail(srv), "boss@example.com")
	r = cli(t, srv, "send", "--org", org, "--csv", bad, "--limits", "none", "--retry-failed")
	require.Equal(t, 0, r.code, r)
	byEmail = invitationsByEmail(srv)
	assert.Len(t, byEmail["boss@example.com"], 1)
	assert.Len(t, byEmail["d@example.com"], 1, "the others are not sent again")
	last := srv.Notifications()[len(srv.Notifications())-1]
	assert.Equal(t, "boss@example.com", last.EmailAddress, "the resume kept --notify")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A dry run checks the file and counts what the journal settled, sends
// nothing, and neither creates a journal nor changes one.
func TestSendDryRun(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	half := dir + "/half.csv"
	require.NoError(t, os.WriteFile(half, []byte(peopleCSV(25)), 0o600))
	all := dir + "/all.csv"
	require.NoError(t, os.WriteFile(all, []byte(peopleCSV(50)), 0o600))
	journal := dir + "/run.journal.db"

	r := cli(t, srv, "send", "--org", org, "--csv", all, "--journal", journal, "--dry-run")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `new, to invite:\s+50\n`, r.stdout)
	assert.Regexp(t, `settled already \(journal\):\s+0\n`, r.stdout)
	assert.Contains(t, r.stdout, "At the production limits (750 people an hour at most) that takes about 4m, by the pacer's schedule.")
	assert.NoFileExists(t, journal, "a dry run writes no journal")
	assertOnlyReads(t, srv, "a dry run sends no invitation")

	r = cli(t, srv, "send", "--org", org, "--csv", half, "--journal", journal, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	sent := len(srv.Requests())
	before, err := os.ReadFile(journal)
	require.NoError(t, err)
	entries := loadJournal(t, journal)

	r = cli(t, srv, "send", "--org", org, "--csv", all, "--journal", journal, "--dry-run", "--limits", "none")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `new, to invite:\s+25\n`, r.stdout)
	assert.Regexp(t, `settled already \(journal\):\s+25\n`, r.stdout)
	assert.Regexp(t, `created\s+25\n`, r.stdout)
	assert.Contains(t, r.stdout, "Unpaced (--limits none)")
	r = cli(t, srv, "send", "--org", org, "--csv", half, "--journal", journal, "--dry-run")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "Nothing to send: everyone is settled")

	for _, r := range srv.Requests()[sent:] {
		assert.Equal(t, "GET", r.Method, "the dry runs sent no invitation: %s %s", r.Method, r.Path)
	}
	after, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the journal's file is unchanged")
	assert.Equal(t, entries, loadJournal(t, journal))
	assert.Len(t, srv.Invitations(), 25)

	// A dry run needs no key: without one it does not ask the server,
	// and says so.
	cmd := command(srv, "send", "--org", org, "--csv", all, "--journal", journal, "--dry-run")
	cmd.Env = environWithout(client.SecretKeyEnv)
	r = finish(t, cmd)
	assert.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "The server was not asked: "+client.SecretKeyEnv+" is not set.")
}

// The journal a send keeps holds one entry per row, settled, each with
// the invitation the fake holds.
func assertJournalAgrees(t *testing.T, path string, byEmail map[string][]client.Invitation) {
	t.Helper()
	entries := loadJournal(t, path)
	assert.Len(t, entries, len(byEmail))
	disagree := 0
	for _, e := range entries {
		list := byEmail[strings.ToLower(e.Params.EmailAddress)]
		if e.State != bulkinvite.StateCreated || len(list) != 1 || list[0].ID != e.InvitationID {
			disagree++
			if disagree <= 5 {
				t.Errorf("journal: %s is %s (%q, %s); the fake has %d", e.Params.EmailAddress, e.State, e.InvitationID, e.Reason, len(list))
			}
		}
	}
	assert.Zero(t, disagree, "journal entries that disagree with the fake")
}
