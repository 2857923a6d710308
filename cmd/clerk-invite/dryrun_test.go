package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// A dry run and the real run that follows it, on the same journal and CSV
// file, agree on how many people are sent: the new rows and the journal's
// unfinished entries (the failed too under --retry-failed), each once.
func TestDryRunAgreesWithTheRun(t *testing.T) {
	for name, tc := range map[string]struct {
		rows                 int
		flags                []string
		fresh, pending, code int
	}{
		"resume":                  {12, nil, 4, 1, exitFailed},
		"retry the failed":        {12, []string{"--retry-failed"}, 4, 3, 0},
		"a file of fewer people":  {5, nil, 0, 0, 0},
		"fewer, retry the failed": {5, []string{"--retry-failed"}, 0, 0, 0},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			csvPath := writeFile(t, "people.csv", peopleCSV(tc.rows))
			journal := csvPath + journalSuffix
			writeJournal(t, journal)
			args := append([]string{"send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify", "--check-delay", "10ms"}, tc.flags...)

			dry := cli(t, srv, append(args, "--dry-run")...)
			require.Equal(t, 0, dry.code, dry)
			fresh := dryCount(t, dry.stdout, `new, to invite:\s+(\d+)`)
			pending := dryCount(t, dry.stdout, `unfinished in the journal:\s+(\d+)`)
			assert.Equal(t, tc.fresh, fresh, dry.stdout)
			assert.Equal(t, tc.pending, pending, dry.stdout)
			assertOnlyReads(t, srv, "the dry run sent no invitation")
			if tc.rows < 8 { // the in-flight person007 and the queued gone@ are not in the file
				assert.Contains(t, dry.stdout, "Not sent: 2 people in the journal's unfinished run no longer in the file", "the dry run says who is dropped, as the run does")
			}

			real := cli(t, srv, args...)
			require.Equal(t, tc.code, real.code, real) // the failed left failed fail the run
			sent := sentAddresses(t, srv)
			assert.Len(t, sent, fresh+pending, "the run sent whom the dry run counted: %v", sent)
			for email, n := range sent {
				assert.Equal(t, 1, n, "%s sent once", email)
			}
		})
	}
}

// assertOnlyReads checks that every request the fake received was a GET
// (a list of pending invitations): nothing was created or revoked.
func assertOnlyReads(t *testing.T, srv *fake.Server, msg string) {
	t.Helper()
	for _, r := range srv.Requests() {
		assert.Equal(t, "GET", r.Method, "%s: %s %s", msg, r.Method, r.Path)
	}
}

// writeJournal prepares a journal as an earlier run of the first eight
// rows and one more person might have left it: five created, two failed,
// one in flight, and one queued whom the file no longer names.
func writeJournal(t *testing.T, path string) {
	t.Helper()
	j, err := bulkinvite.OpenJournal(path)
	require.NoError(t, err)
	defer j.Close()
	entry := func(email string, s bulkinvite.State) bulkinvite.Entry {
		return bulkinvite.Entry{OrganizationID: org, State: s,
			Params: client.CreateParams{EmailAddress: email, Role: "org:member", Notify: client.Bool(false)}}
	}
	var entries []bulkinvite.Entry
	for i := range 5 {
		e := entry(fmt.Sprintf("person%03d@example.com", i), bulkinvite.StateCreated)
		e.InvitationID = "orginv_" + strconv.Itoa(i)
		entries = append(entries, e)
	}
	entries = append(entries,
		entry("person005@example.com", bulkinvite.StateFailed),
		entry("person006@example.com", bulkinvite.StateFailed),
		entry("person007@example.com", bulkinvite.StateSent),
		entry("gone@example.com", bulkinvite.StateQueued))
	require.NoError(t, j.Put(context.Background(), entries...))
}

// dryCount reads one of a dry run's counts.
func dryCount(t *testing.T, out, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	require.NotNil(t, m, "%q in %s", pattern, out)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// sentAddresses counts, by address, the people in the fake's create and
// bulk create requests.
func sentAddresses(t *testing.T, srv *fake.Server) map[string]int {
	t.Helper()
	sent := map[string]int{}
	for _, r := range srv.Requests() {
		var batch []client.CreateParams
		switch r.Operation {
		case fake.OpCreate:
			var one client.CreateParams
			require.NoError(t, json.Unmarshal(r.Body, &one))
			batch = []client.CreateParams{one}
		case fake.OpBulkCreate:
			require.NoError(t, json.Unmarshal(r.Body, &batch))
		}
		for _, p := range batch {
			sent[strings.ToLower(p.EmailAddress)]++
		}
	}
	return sent
}
