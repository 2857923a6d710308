package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/fake"
)

// A run with more failed than the summary lists counts them all, lists
// the first 100 with their lines, and says how many more there are and
// which command lists them all; status lists every one.
func TestSummaryListsTheFirstHundredFailed(t *testing.T) {
	srv := newFake(t)
	var file strings.Builder
	file.WriteString("email_address,role\n")
	for i := range 150 {
		fmt.Fprintf(&file, "person%03d@example.com,org:boss\n", i) // no such role: each fails
	}
	csvPath := writeFile(t, "people.csv", file.String())
	journal := csvPath + journalSuffix
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stdout, "Failed (150):\n  person000@example.com (line 2): ")
	listed := regexp.MustCompile(`(?m)^  person\d{3}@example\.com \(line \d+\): `).FindAllString(r.stdout, -1)
	assert.Len(t, listed, bulkinvite.MaxSummaryEntries)
	assert.Contains(t, r.stdout, "\n  and 50 more: clerk-invite status --journal "+journal+" lists them all\n")
	assert.NotContains(t, r.stdout, "Unsettled")

	status := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, status.code, status)
	assert.Contains(t, status.stdout, "  failed (150):\n    person000@example.com: ")
	assert.Len(t, regexp.MustCompile(`(?m)^    person\d{3}@example\.com: `).FindAllString(status.stdout, -1), 150)
}

// The summary of a run stopped with many unsettled lists those it holds
// and points to the command that lists them all; with no more than it
// lists, it has no such line.
func TestSummaryOfManyUnsettled(t *testing.T) {
	sum := &bulkinvite.Summary{Counts: bulkinvite.Counts{bulkinvite.StateQueued: 245, bulkinvite.StateCheck: 5, bulkinvite.StateCreated: 7}}
	for i := range bulkinvite.MaxSummaryEntries {
		e := entry(org, fmt.Sprintf("person%03d@example.com", i), bulkinvite.StateQueued)
		if i == 1 {
			e.State, e.Reason = bulkinvite.StateCheck, "no response"
		}
		sum.Unsettled = append(sum.Unsettled, e)
	}
	var out strings.Builder
	writeSummary(&out, org, "run.journal.db", sum, map[string]int{entryLineKey(org, "person000@example.com"): 2})
	assert.Contains(t, out.String(), "Unsettled (250), for the next run to settle:\n"+
		"  person000@example.com (line 2): queued\n  person001@example.com: to check (no response)\n")
	assert.Len(t, regexp.MustCompile(`(?m)^  person\d{3}@example\.com`).FindAllString(out.String(), -1), bulkinvite.MaxSummaryEntries)
	assert.True(t, strings.HasSuffix(out.String(), "\n  and 150 more: clerk-invite status --journal run.journal.db --unsettled lists them all\n"), out.String())

	sum.Counts = bulkinvite.Counts{bulkinvite.StateQueued: bulkinvite.MaxSummaryEntries}
	out.Reset()
	writeSummary(&out, org, "run.journal.db", sum, nil)
	assert.NotContains(t, out.String(), "more")
}

// status --unsettled lists everyone not settled yet, by organization, with
// their state; without it, status counts them only.
func TestStatusListsTheUnsettled(t *testing.T) {
	check := entry("org_a", "b@example.com", bulkinvite.StateCheck)
	check.Reason = "no response"
	journal := journalWith(t, entry("org_a", "a@example.com", bulkinvite.StateQueued), check,
		entry("org_a", "c@example.com", bulkinvite.StateCreated), entry("org_b", "d@example.com", bulkinvite.StateSent),
		entry("org_c", "e@example.com", bulkinvite.StateCreated))

	r := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.stdout, "a@example.com")
	assert.NotContains(t, r.stdout, "unsettled (")

	r = cli(t, nil, "status", "--journal", journal, "--unsettled")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "  unsettled (2):\n    a@example.com: queued\n    b@example.com: to check (no response)\n\norg_b: ")
	assert.Contains(t, r.stdout, "  unsettled (1):\n    d@example.com: in flight\n\norg_c: ")
	assert.NotContains(t, r.stdout, "c@example.com")
	assert.NotContains(t, r.stdout, "e@example.com")
}

// A file moved away or changed while the run sent costs the summary its
// line numbers, not the summary: the run's outcome is told, and its exit
// code is that of people who failed.
func TestSummaryOfAFileGoneDuringTheRun(t *testing.T) {
	for name, after := range map[string]func(path string) error{
		"moved":   func(path string) error { return os.Rename(path, path+".moved") },
		"changed": func(path string) error { return os.WriteFile(path, []byte("email_address,role\n"), 0o600) },
	} {
		t.Run(name, func(t *testing.T) {
			csvPath := writeFile(t, "people.csv", "email_address,role\nada@example.com,org:boss\nlin@example.com,org:boss\n")
			var once sync.Once
			srv := newFake(t, fake.WithOnChange(func() { once.Do(func() { require.NoError(t, after(csvPath)) }) }))
			r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--journal", csvPath+".journal.db", "--limits", "none", "--no-notify")
			require.Equal(t, 1, r.code, r)
			assert.Contains(t, r.stdout, "Failed (2):\n  ada@example.com: ")
			assert.Contains(t, r.stderr, "The summary gives no line numbers: --csv "+csvPath)
		})
	}
}
