package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// errorPath is one way for clerk-invite to end badly: its command line,
// what the test prepares (a fault, a journal), the exit code the tool
// documents, and a phrase it must say.
type errorPath struct {
	name  string
	args  []string
	key   string // CLERK_SECRET_KEY; "" is testKey, "-" unset
	setup func(t *testing.T, srv *fake.Server)
	code  int
	says  string
}

// Every error path of clerk-invite, through the built binary: it exits
// with the documented code, says what happened in the tool's terms (no Go
// package, function or operationId, on stderr or stdout) and says nothing
// twice; on bad input (2) nothing reached the server.
func TestEveryErrorPathSpeaksPlainly(t *testing.T) {
	for _, p := range errorPaths(t, t.TempDir()) {
		t.Run(p.name, func(t *testing.T) { p.check(t) })
	}
}

// errorPaths are the paths of TestEveryErrorPathSpeaksPlainly, with their
// files in dir.
func errorPaths(t *testing.T, dir string) []errorPath {
	csvPath := filepath.Join(dir, "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(2)), 0o600))
	rows := writeFile(t, "rows.csv", "email_address,role\nada@example.com,org:boss\nlin@example.com,\n")
	badRows := writeFile(t, "bad.csv", "email_address,expires_in_days\nnobody,\nada@example.com,400\nlin@example.com,\"3\"x\n")
	send := func(more ...string) []string {
		return append([]string{"send", "--org", org, "--csv", csvPath, "--limits", "none"}, more...)
	}
	journal := func(name string) string { return filepath.Join(dir, name) }
	return []errorPath{
		{name: "no command", args: nil, code: 2, says: "name a command"},
		{name: "unknown command", args: []string{"invite"}, code: 2, says: `"invite" is not a command; the commands are`},
		{name: "unknown flag", args: send("--fast"), code: 2, says: "unknown flag: --fast"},
		{name: "a duration that is not one", args: send("--no-notify", "--check-delay", "soon"), code: 2, says: `--check-delay "soon" is not a duration`},
		{name: "a stray argument", args: []string{"status", "--journal", "x", "extra"}, code: 2, says: `"extra" is not one`},
		{name: "a required flag missing", args: []string{"status"}, code: 2, says: `"journal"`},
		{name: "list of no organization", args: []string{"list"}, code: 2, says: "say which organizations: --org ORG for one, or --journal FILE"},
		{name: "bad --limits", args: send("--limits", "fast"), code: 2, says: `--limits "fast": say production, development or none`},
		{name: "bad --status", args: []string{"list", "--org", org, "--status", "gone"}, code: 2, says: `--status "gone"`},
		{name: "bad --format", args: []string{"list", "--org", org, "--format", "xml"}, code: 2, says: `--format "xml"`},
		{name: "an organization id that cannot be one", args: []string{"list", "--org", "bad org"}, code: 2, says: `--org "bad org" is not an organization id`},
		{name: "an address that is not one", args: []string{"resend", "--org", org, "--email", "nobody"}, code: 2, says: `--email "nobody" is not an email address`},
		{name: "no key", args: []string{"list", "--org", org}, key: "-", code: 2, says: "CLERK_SECRET_KEY is not set"},
		{name: "a publishable key", args: send("--no-notify"), key: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", code: 2, says: "CLERK_SECRET_KEY is a publishable key"},
		{name: "a key with a space", args: []string{"list", "--org", org}, key: "sk_test_abc def", code: 2, says: "CLERK_SECRET_KEY contains whitespace"},
		{name: "plain http to another host", args: []string{"--base-url", "http://api.example.com/v1", "list", "--org", org}, code: 2, says: "--base-url: host \"api.example.com\": plain http is only allowed to loopback addresses"},
		{name: "credentials in the base URL", args: []string{"--base-url", "https://u:p@api.example.com/v1", "list", "--org", org}, code: 2, says: "--base-url: credentials in the URL are not allowed"},
		{name: "no CSV file", args: []string{"send", "--org", org, "--csv", csvPath + ".missing", "--no-notify"}, code: 2, says: "--csv " + csvPath + ".missing: no such file or directory"},
		{name: "bad rows", args: []string{"send", "--org", org, "--csv", badRows, "--no-notify"}, code: 2, says: badRows + ": 3 problems; nothing was sent"},
		{name: "neither --notify nor --no-notify", args: send(), code: 2, says: "send needs --notify"},
		{name: "both --notify and --no-notify", args: send("--notify", "--no-notify"), code: 2, says: "give one of them, not both"},
		{name: "a resume with the opposite flag", args: send("--notify", "--journal", journal("notify.db")), code: 2, says: "records --no-notify for this run, and this command says --notify",
			setup: func(t *testing.T, _ *fake.Server) {
				withJournal(t, journal("notify.db"), func(j *bulkinvite.Journal) error { return j.SetNotify(t.Context(), false) })
			}},
		{name: "another organization's unfinished run", args: send("--no-notify", "--journal", journal("other.db")), code: 2, says: "holds an unfinished run for org_other",
			setup: func(t *testing.T, _ *fake.Server) {
				withJournal(t, journal("other.db"), func(j *bulkinvite.Journal) error {
					return j.Put(t.Context(), bulkinvite.Entry{OrganizationID: "org_other", Params: client.CreateParams{EmailAddress: "x@example.com", Role: "org:member"}, State: bulkinvite.StateQueued})
				})
			}},
		{name: "a damaged journal", args: send("--no-notify", "--journal", journal("damaged.db")), code: 1, says: "cannot be read (it is not an SQLite database)",
			setup: func(t *testing.T, _ *fake.Server) {
				require.NoError(t, os.WriteFile(journal("damaged.db"), []byte("not a database, at all, not even close"), 0o600))
			}},
		{name: "status of no journal", args: []string{"status", "--journal", journal("none.db")}, code: 2, says: "no journal at"},
		{name: "status of a damaged journal", args: []string{"status", "--journal", journal("damaged2.db")}, code: 1, says: "cannot be read (it is not an SQLite database)",
			setup: func(t *testing.T, _ *fake.Server) {
				require.NoError(t, os.WriteFile(journal("damaged2.db"), []byte("garbage garbage garbage garbage"), 0o600))
			}},
		{name: "revoke of another status", args: []string{"revoke", "--org", org, "--status", "accepted", "--older-than", "7d"}, code: 2, says: `--status "accepted": only pending invitations can be revoked`},
		{name: "revoke of a bad age", args: []string{"revoke", "--org", org, "--older-than", "soon"}, code: 2, says: `--older-than "soon"`},
		{name: "a key Clerk refuses", args: []string{"list", "--org", org}, key: "sk_test_notTheKeyTheFakeTakes", code: 1, says: "Clerk refused the secret key in CLERK_SECRET_KEY (401 Unauthorized)"},
		{name: "the server check fails", args: send("--no-notify"), code: 1, says: "could not be listed before sending (Clerk answered 400 Bad Request",
			setup: func(_ *testing.T, srv *fake.Server) { srv.InjectFault(fake.OpList, 100, fake.Fault{Status: 400}) }},
		{name: "the API refuses a list", args: []string{"list", "--org", org}, code: 1, says: "Clerk answered 400 Bad Request",
			setup: func(_ *testing.T, srv *fake.Server) { srv.InjectFault(fake.OpList, 100, fake.Fault{Status: 400}) }},
		{name: "nobody listening", args: []string{"--base-url", "http://127.0.0.1:1/v1", "list", "--org", org}, code: 1, says: "no answer from 127.0.0.1:1: the connection was refused"},
		{name: "resend of someone not invited", args: []string{"resend", "--org", org, "--email", "alice@acme.test", "--journal", journal("resend.db")}, code: 1, says: "alice@acme.test has no pending invitation to " + org},
		{name: "--output where no directory is", args: []string{"list", "--org", org, "--output", filepath.Join(dir, "no", "such", "dir.csv")}, code: 1, says: "no such file or directory"},
		{name: "a row the API refuses", args: []string{"send", "--org", org, "--csv", rows, "--limits", "none", "--no-notify"}, code: 1, says: "fix their rows and run the same command with --retry-failed"},
		{name: "the journal in use", args: send("--no-notify", "--journal", journal("locked.db")), code: 1, says: "is in use by another run",
			setup: func(t *testing.T, _ *fake.Server) {
				j, err := bulkinvite.OpenJournal(journal("locked.db"))
				require.NoError(t, err)
				t.Cleanup(func() { _ = j.Close() })
			}},
	}
}

// check runs the path and holds it to the rule.
func (p errorPath) check(t *testing.T) {
	srv := newFake(t)
	if p.setup != nil {
		p.setup(t, srv)
	}
	cmd := command(srv, p.args...)
	switch p.key {
	case "":
	case "-":
		cmd.Env = environWithout(client.SecretKeyEnv)
	default:
		cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+p.key)
	}
	r := finish(t, cmd)
	assert.Equal(t, p.code, r.code, r)
	assert.Contains(t, r.stderr, p.says, r)
	assert.Empty(t, cliwords.Violations(r.stderr+r.stdout), "Go's words:\n%s", r)
	assert.Empty(t, cliwords.Repeats(r.stderr), "said twice:\n%s", r)
	if p.code == exitBadInput {
		assert.Empty(t, srv.Requests(), "bad input: nothing reached the server")
	}
}

// withJournal prepares a journal at path with do, and closes it.
func withJournal(t *testing.T, path string, do func(*bulkinvite.Journal) error) {
	t.Helper()
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	require.NoError(t, do(j))
	require.NoError(t, j.Close())
}
