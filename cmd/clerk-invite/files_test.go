package main

import (
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// withUmask runs a prepared command under the umask mask, through sh.
func withUmask(cmd *exec.Cmd, mask string) *exec.Cmd {
	c := exec.Command("/bin/sh", append([]string{"-c", "umask " + mask + ` && exec "$@"`, "sh"}, cmd.Args...)...)
	c.Env, c.Dir = cmd.Env, cmd.Dir
	return c
}

// modes lists every file in dir whose name starts with prefix, with its
// permission bits.
func modes(t *testing.T, dir, prefix string) map[string]fs.FileMode {
	t.Helper()
	out := map[string]fs.FileMode{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			info, err := e.Info()
			if err == nil { // a -wal or -shm may go between the listing and the look
				out[e.Name()] = info.Mode().Perm()
			}
		}
	}
	return out
}

// Every file a run makes holds people's data and is its owner's only
// (0600), under the loosest umask: the journal, its -wal and -shm while
// the run goes, and an export written with --output. The run lock is the
// journal itself: no .lock file.
func TestFilesArePrivate(t *testing.T) {
	srv := newFake(t, slowly(300*time.Millisecond))
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(40)), 0o600))

	run := withUmask(command(srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify"), "000")
	var seen map[string]fs.FileMode
	done := make(chan result, 1)
	go func() { done <- finish(t, run) }()
	waitFor(t, 30*time.Second, "the journal's -wal and -shm", func() bool {
		seen = modes(t, dir, "people.csv.")
		_, wal := seen["people.csv.journal.db-wal"]
		_, shm := seen["people.csv.journal.db-shm"]
		return wal && shm
	})
	r := <-done
	require.Equal(t, 0, r.code, r)
	for name, mode := range seen {
		assert.Equal(t, fs.FileMode(0o600), mode, "%s while the run went", name)
	}
	after := modes(t, dir, "people.csv.")
	assert.Equal(t, map[string]fs.FileMode{"people.csv.journal.db": 0o600}, after, "the journal, private; no lock file beside it")

	out := filepath.Join(dir, "invitations.csv")
	r = finish(t, withUmask(command(srv, "list", "--org", org, "--format", "csv", "--output", out), "000"))
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, map[string]fs.FileMode{"invitations.csv": 0o600}, modes(t, dir, "invitations"))
	assert.Contains(t, string(must(os.ReadFile(out))), "person039@example.com")
	assert.Empty(t, r.stdout, "with --output, nothing on standard output")

	// A journal an older version left readable by all is made private.
	require.NoError(t, os.Chmod(csvPath+journalSuffix, 0o644))
	r = finish(t, withUmask(command(srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify"), "000"))
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, map[string]fs.FileMode{"people.csv.journal.db": 0o600}, modes(t, dir, "people.csv."))
}

// A second run cannot get into a journal in use, by its path or through a
// symbolic or a hard link to it: the lock is on the file, not the name.
// Everyone is invited once.
func TestJournalLockHoldsThroughLinks(t *testing.T) {
	const n = 100
	srv := newFake(t, slowly(200*time.Millisecond))
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(n)), 0o600))
	journal := csvPath + journalSuffix

	done := make(chan result, 1)
	go func() { done <- cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify") }()
	waitFor(t, 30*time.Second, "the first run's first create", func() bool {
		ops := countOps(srv)
		return ops[fake.OpCreate]+ops[fake.OpBulkCreate] > 0
	})
	symlink := filepath.Join(t.TempDir(), "symlink.journal.db")
	require.NoError(t, os.Symlink(journal, symlink))
	hardlink := filepath.Join(dir, "hardlink.journal.db")
	require.NoError(t, os.Link(journal, hardlink))
	for _, path := range []string{journal, symlink, hardlink} {
		r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", path, "--limits", "none", "--no-notify")
		assert.Equal(t, 1, r.code, "%s: %s", path, r)
		assert.Contains(t, r.stderr, "the journal "+path+" is in use by another run", path)
	}
	first := <-done
	require.Equal(t, 0, first.code, first)
	assertOncePerPerson(t, srv, n)
	assertJournalAgrees(t, journal, invitationsByEmail(srv))
}

// A resend whose new invitation is refused says plainly that the person
// now has no pending invitation, and why; it exits 1, and the default
// journal, settled, is removed with nothing left beside it.
func TestRefusedResendSaysSo(t *testing.T) {
	srv := newFake(t)
	_, err := fakeClient(t, srv).Create(t.Context(), org, client.CreateParams{EmailAddress: "ada@example.com", Role: "org:admin", Notify: client.Bool(false)})
	require.NoError(t, err)
	refuse := fake.Fault{Status: http.StatusUnprocessableEntity}
	srv.InjectFault(fake.OpCreate, 3, refuse)
	srv.InjectFault(fake.OpBulkCreate, 3, refuse)

	dir := t.TempDir()
	cmd := command(srv, "resend", "--org", org, "--email", "ada@example.com", "--limits", "none")
	cmd.Dir = dir
	r := finish(t, cmd)
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stdout, "Not resent ada@example.com: the old invitation was revoked, but the API refused the new one: ")
	assert.Contains(t, r.stdout, "ada@example.com now has NO pending invitation to "+org+".")
	assert.Contains(t, r.stdout, "invite them again")
	for _, inv := range invitationsByEmail(srv)["ada@example.com"] {
		assert.NotEqual(t, client.StatusPending, inv.Status, "no pending invitation, as it says")
	}
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left, "no journal, -wal, -shm or lock left in the working directory")

	// Asked for one who has nothing pending: said, exit 1, nothing left.
	cmd = command(srv, "resend", "--org", org, "--email", "ada@example.com", "--limits", "none")
	cmd.Dir = dir
	r = finish(t, cmd)
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "ada@example.com has no pending invitation to "+org)
	left, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left, "nothing left in the working directory")
}
