package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// status shows each organization of a journal with its counts, its
// failures and their reasons, and how many are unsettled; it sends
// nothing and needs no server.
func TestStatus(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	journal := dir + "/shared.journal.db"
	a := writeFile(t, "a.csv", "email_address,role\nada@example.com,\nboss@example.com,org:boss\n")
	b := writeFile(t, "b.csv", peopleCSV(3))
	assert.Equal(t, 1, cli(t, srv, "send", "--org", "org_a", "--csv", a, "--journal", journal, "--limits", "none", "--no-notify").code)
	assert.Equal(t, 0, cli(t, srv, "send", "--org", "org_b", "--csv", b, "--journal", journal, "--limits", "none", "--no-notify").code)

	r := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, regexp.MustCompile(`(?s)^org_a: 2 people, 2 settled, 0 unsettled\n`+
		`.*created\s+1\n.*failed\s+1\n.*total\s+2\n`+
		`  failed \(1\):\n    boss@example.com: .*There is no role org:boss in this instance\..*\n`+
		`\norg_b: 3 people, 3 settled, 0 unsettled\n.*created\s+3\n`), r.stdout)

	r = cli(t, nil, "status", "--journal", dir+"/missing.db")
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, "no journal at "+dir+"/missing.db")
	assert.NoFileExists(t, dir+"/missing.db", "status creates nothing")
}
