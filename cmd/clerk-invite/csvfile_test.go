package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// The file is read twice: checked, then streamed as the run takes its
// people. If it changed in between, the stream ends with an error, so the
// run journals nobody; else it yields every person checked, in order.
func TestTheFileStreamsAsChecked(t *testing.T) {
	path := writeFile(t, "people.csv", migrationCSV)
	f, problems, err := checkFile(path, peopleDefaults{role: "org:member"})
	require.NoError(t, err)
	require.Empty(t, problems)
	assert.Equal(t, 6, f.people)
	assert.Equal(t, []string{"org_a", "org_b", "org_c"}, f.orgs)

	var got []bulkinvite.Person
	for p, err := range f.stream() {
		require.NoError(t, err)
		got = append(got, p)
	}
	require.Len(t, got, 6)
	assert.Equal(t, "org_b", got[2].OrganizationID)
	assert.Equal(t, "ADA@example.com", got[2].Params.EmailAddress)

	require.NoError(t, os.WriteFile(path, []byte(migrationCSV+"org_c,new@example.com,\n"), 0o600))
	var last error
	n := 0
	for _, err := range f.stream() {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.ErrorContains(t, last, "changed while it was read: nothing was sent")
	assert.Equal(t, 7, n, "the people came, and then the error that undoes them")
}
