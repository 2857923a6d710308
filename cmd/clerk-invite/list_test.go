package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// list prints every invitation, or those of some statuses, as an aligned
// table, as CSV with a header, and as a JSON array of the invitations as
// the API returns them; it refuses a status or format it does not know
// before sending anything.
func TestList(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	var ids []string
	for _, email := range []string{"ada@example.com", "lin.long.address@example.com", "bo@example.com"} {
		inv, err := c.Create(t.Context(), org, client.CreateParams{EmailAddress: email, Role: "org:member", Notify: client.Bool(false)})
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	_, err := c.Revoke(t.Context(), org, ids[1], client.RevokeParams{})
	require.NoError(t, err)

	r := cli(t, srv, "list", "--org", org)
	require.Equal(t, 0, r.code, r)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 5, r.stdout)
	assert.Regexp(t, `^ID\s+EMAIL\s+ROLE\s+STATUS\s+CREATED$`, lines[0])
	assert.Equal(t, "3 invitations", lines[4])
	col := strings.Index(lines[0], "STATUS")
	for i, line := range lines[1:4] {
		assert.True(t, strings.HasPrefix(line, ids[i]+" "), "oldest first: %q", line)
		assert.Regexp(t, `^(pending|revoked) `, line[col:], "columns aligned: %q", line)
	}
	assert.Contains(t, lines[2][col:], "revoked")

	r = cli(t, srv, "list", "--org", org, "--status", "pending", "--format", "csv")
	require.Equal(t, 0, r.code, r)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"id", "email_address", "role", "status", "created_at"}, rows[0])
	assert.Equal(t, []string{ids[0], "ada@example.com", "org:member", "pending"}, rows[1][:4])
	assert.Equal(t, ids[2], rows[2][0])
	_, err = time.Parse(time.RFC3339, rows[1][4])
	assert.NoError(t, err, "created_at is a time")

	// Several statuses: any of them, given with commas or the flag again.
	_, err = c.Create(t.Context(), org, client.CreateParams{EmailAddress: "cy@example.com", Role: "org:member", Notify: client.Bool(false)})
	require.NoError(t, err)
	for _, args := range [][]string{{"--status", "revoked,pending"}, {"--status", "revoked", "--status", "pending"}} {
		r = cli(t, srv, append([]string{"list", "--org", org, "--format", "csv"}, args...)...)
		require.Equal(t, 0, r.code, r)
		rows, err = csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 5, "%v: all four, the revoked one too", args)
		assert.Equal(t, []string{"pending", "revoked", "pending", "pending"},
			[]string{rows[1][3], rows[2][3], rows[3][3], rows[4][3]}, "%v", args)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Contains(t, last.Query, "status=revoked&status=pending", "sent as repeated values")

	r = cli(t, srv, "list", "--org", org, "--format", "json")
	require.Equal(t, 0, r.code, r)
	want, err := json.Marshal(srv.Invitations())
	require.NoError(t, err)
	assert.JSONEq(t, string(want), r.stdout, "the invitations in the API's own shape")
	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw))
	assert.Equal(t, "organization_invitation", raw[0]["object"], "the API's field names")

	r = cli(t, srv, "list", "--org", "org_empty", "--format", "json")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "[]\n", r.stdout, "an empty array, not null")

	sent := len(srv.Requests())
	for _, args := range [][]string{{"--status", "open"}, {"--status", "pending,open"}, {"--format", "xml"}} {
		r = cli(t, srv, append([]string{"list", "--org", org}, args...)...)
		assert.Equal(t, 2, r.code, r)
		bad := args[1][strings.LastIndexByte(args[1], ',')+1:]
		assert.Contains(t, r.stderr, `"`+bad+`"`)
	}
	assert.Len(t, srv.Requests(), sent, "bad input sends nothing")
}
