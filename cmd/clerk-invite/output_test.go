package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// list --format csv writes no cell a spreadsheet would run as a formula:
// those starting with =, +, - or @ get a leading quote (OWASP), and
// --help says so.
func TestListCSVNeutralisesFormulas(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	for _, addr := range []string{"=1+1@example.com", "+44@example.com", "-2@example.com", "plain@example.com"} {
		_, err := c.Create(t.Context(), org, client.CreateParams{EmailAddress: addr, Role: "org:member", Notify: client.Bool(false)})
		require.NoError(t, err)
	}
	r := cli(t, srv, "list", "--org", org, "--format", "csv")
	require.Equal(t, 0, r.code, r)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	var emails []string
	for _, row := range rows[1:] {
		emails = append(emails, row[1])
	}
	assert.Equal(t, []string{"'=1+1@example.com", "'+44@example.com", "'-2@example.com", "plain@example.com"}, emails)
	for _, row := range rows {
		for _, cell := range row {
			assert.NotContains(t, "=+-@\t\r", cell[:1], "a cell starting as a formula: %q", cell)
		}
	}
	help := cli(t, nil, "list", "--help")
	assert.Contains(t, help.stdout, "In CSV, a cell that\nstarts with =, +, -, @ gets a leading single quote")
}

// A cell starting with a tab or a carriage return, which a spreadsheet
// may also run as a formula, reaches it escaped: it starts with a
// backslash.
func TestSpreadsheetRowEscapesALeadingTabOrReturn(t *testing.T) {
	assert.Equal(t, []string{`\t=1+1`, `\r@SUM(A1)`, "'=1+1"}, spreadsheetRow([]string{"\t=1+1", "\r@SUM(A1)", "=1+1"}))
}

// Control characters from the API or the journal (ESC, BEL, a bidi
// override) are shown escaped by list, in every format, and by status,
// never sent to the terminal raw.
func TestTerminalOutputEscaped(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	inv, err := c.Create(t.Context(), org, client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member", Notify: client.Bool(false)})
	require.NoError(t, err)
	hostile := *inv
	hostile.EmailAddress = "\x1b]0;owned\x07\x1b[2Jada\u202e@example.com"
	body, err := json.Marshal(client.InvitationList{Data: []client.Invitation{hostile}, TotalCount: 1})
	require.NoError(t, err)
	for format, want := range map[string]string{
		"table": `\x1b]0;owned\a\x1b[2Jada\u202e@example.com`,
		"csv":   `\x1b]0;owned\a\x1b[2Jada\u202e@example.com`,
		"json":  `"email_address": "\u001b]0;owned\u0007\u001b[2Jada\u202e@example.com"`,
	} {
		srv.InjectFault(fake.OpList, 1, fake.Fault{Status: http.StatusOK, Body: string(body)})
		r := cli(t, srv, "list", "--org", org, "--format", format)
		require.Equal(t, 0, r.code, r)
		assert.Contains(t, r.stdout, want, format)
		assertNoControl(t, r.stdout)
		if format == "json" {
			var back []client.Invitation
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &back))
			assert.Equal(t, hostile.EmailAddress, back[0].EmailAddress, "a JSON parser reads the address as the API sent it")
		}
	}

	journal := filepath.Join(t.TempDir(), "run.journal.db")
	j, err := bulkinvite.OpenJournal(journal)
	require.NoError(t, err)
	require.NoError(t, j.Put(context.Background(), bulkinvite.Entry{
		OrganizationID: "org_\x1b[31mred", State: bulkinvite.StateFailed,
		Params:    client.CreateParams{EmailAddress: "bel\a@example.com", Role: "org:member"},
		Reason:    "refused: \x1b[1;1H\x1b[2Jcleared",
		UpdatedAt: time.Now(),
	}))
	require.NoError(t, j.Close())
	r := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, `bel\a@example.com: refused: \x1b[1;1H\x1b[2Jcleared`)
	assert.Contains(t, r.stdout, `org_\x1b[31mred: 1 person,`)
	assertNoControl(t, r.stdout)
}

// assertNoControl fails on any control character but a line break.
func assertNoControl(t *testing.T, out string) {
	t.Helper()
	for _, r := range out {
		if (r < ' ' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
			t.Errorf("a raw control character %U in:\n%q", r, out)
			return
		}
	}
}

// Outside a terminal, progress is plain lines, at most one a second, each
// with the elapsed time, and the last one printed once.
func TestPlainProgressLines(t *testing.T) {
	const n = 250
	srv := newFake(t, slowly(200*time.Millisecond))
	csvPath := writeFile(t, "people.csv", peopleCSV(n))
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	var lines []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "progress: ") {
			lines = append(lines, line)
		}
	}
	t.Logf("%d progress lines in %v:\n%s", len(lines), r.took, strings.Join(lines, "\n"))
	require.NotEmpty(t, lines)
	assert.LessOrEqual(t, len(lines), int(r.took/time.Second)+1, "at most one line a second")
	assert.Equal(t, 1, strings.Count(r.stderr, "progress: 250/250 settled"), "the last line once")
	assert.Regexp(t, `, elapsed \d+s$`, lines[len(lines)-1])
}
