package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/fake"
)

// slowRun starts, in the background, a send of n people to a fake that
// takes 100 ms over each request, and returns once the fake holds at
// least `invited` invitations: the fake, the run's journal, its command
// line (to run it again), the process, its output so far and what ends.
func slowRun(t *testing.T, n, invited int) (srv *fake.Server, journal string, args []string, cmd *exec.Cmd, stdout, stderr *bytes.Buffer, done <-chan error) {
	t.Helper()
	srv = newFake(t, slowly(100*time.Millisecond))
	csvPath := writeFile(t, "people.csv", peopleCSV(n))
	journal = csvPath + journalSuffix
	args = []string{"send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify", "--check-delay", "100ms"}
	cmd = command(srv, args...)
	stdout, stderr, done = start(t, cmd)
	waitFor(t, 20*time.Second, fmt.Sprintf("%d people invited", invited), func() bool { return len(srv.Invitations()) >= invited })
	return srv, journal, args, cmd, stdout, stderr, done
}

// start starts cmd in the background; its output collects in the
// buffers.
func start(t *testing.T, cmd *exec.Cmd) (stdout, stderr *bytes.Buffer, done <-chan error) {
	t.Helper()
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	require.NoError(t, cmd.Start())
	ch := make(chan error, 1)
	go func() { ch <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-ch
		}
	})
	return stdout, stderr, ch
}

// A run killed with SIGKILL halfway, requests in flight (some carried out,
// their responses not yet delivered), is started again with the same
// command: it ends with exactly one invitation per person, and the
// journal agrees with the fake. While the first run goes, status reads
// its journal, and a second run of the same journal is refused.
func TestKilledRunResumesExactlyOnce(t *testing.T) {
	const n = 300
	srv, journal, args, first, _, firstErr, done := slowRun(t, n, n/3)

	status := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, status.code, status)
	assert.Regexp(t, `^`+org+`: 300 people, \d+ settled, \d+ unsettled\n`, status.stdout)
	assert.NotContains(t, status.stdout, " 0 unsettled", "status reads a run in progress")

	locked := cli(t, srv, args...)
	assert.Equal(t, 1, locked.code, locked)
	assert.Contains(t, locked.stderr, "the journal "+journal+" is in use by another run")

	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	<-done
	assert.Equal(t, -1, first.ProcessState.ExitCode(), "killed: %s", firstErr)
	atKill := len(srv.Invitations())
	assert.Less(t, atKill, n, "killed before the end")

	// What SIGKILL left: requests in flight are "sent" in the journal.
	inFlight := 0
	for _, e := range loadJournal(t, journal) {
		if e.State == bulkinvite.StateSent {
			inFlight++
		}
	}
	t.Logf("killed with %d of %d invited and %d people in flight", atKill, n, inFlight)
	assert.Positive(t, inFlight, "the kill caught requests in flight")

	lookups := countOps(srv)[fake.OpList]
	again := cli(t, srv, args...)
	require.Equal(t, 0, again.code, again)
	t.Logf("the resumed run took %v", again.took)
	assert.Greater(t, countOps(srv)[fake.OpList], lookups, "the people in flight were looked up, not sent blindly")
	byEmail := assertOncePerPerson(t, srv, n)
	assertJournalAgrees(t, journal, byEmail)

	status = cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, status.code, status)
	assert.Contains(t, status.stdout, org+": 300 people, 300 settled, 0 unsettled\n")
	assert.Regexp(t, `created\s+300\n`, status.stdout)
}

// SIGINT (Ctrl-C) stops a run cleanly: the requests in flight end and are
// recorded, the tool says how to go on and exits 1, and the same command
// finishes the work, each person once.
func TestInterruptedRunStopsCleanly(t *testing.T) {
	const n = 200
	srv, journal, args, cmd, stdout, stderr, done := slowRun(t, n, n/4)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not stop within 20 s of SIGINT")
	}
	assert.Equal(t, 1, cmd.ProcessState.ExitCode(), "%s\n%s", stdout, stderr)
	assertNoKey(t, stdout.String()+stderr.String())
	assert.Contains(t, stderr.String(), "stopped: the journal "+journal+" holds where the run was; run the same command again")
	assert.Contains(t, stdout.String(), "Summary for "+org, "the summary of what was done")
	assert.Regexp(t, `Unsettled \(\d+\), for the next run to settle:\n  person\d+@example.com \(line \d+\): (queued|to check)`, stdout.String(),
		"the summary names those left, with their state")
	assert.Less(t, len(srv.Invitations()), n)

	for _, e := range loadJournal(t, journal) {
		assert.NotEqual(t, bulkinvite.StateSent, e.State, "%s: a clean stop leaves nothing in flight", e.Params.EmailAddress)
	}

	again := cli(t, srv, args...)
	require.Equal(t, 0, again.code, again)
	assertJournalAgrees(t, journal, assertOncePerPerson(t, srv, n))
	assert.False(t, strings.Contains(again.stdout, "Unsettled"), again.stdout)
}
