package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// resend revokes the pending invitation and creates it again once, with
// the same role and metadata, and the redirect URL given or recorded by
// the send run's journal.
func TestResend(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	old, err := c.Create(t.Context(), org, client.CreateParams{EmailAddress: "ada@example.com", Role: "org:admin",
		PublicMetadata: map[string]any{"team": "engines"}, Notify: client.Bool(false)})
	require.NoError(t, err)
	journal := filepath.Join(t.TempDir(), "resend.journal.db")

	// The create's response is lost: the resend looks, finds it, and
	// creates no second one.
	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true, After: true})
	srv.InjectFault(fake.OpBulkCreate, 1, fake.Fault{Reset: true, After: true})
	r := cli(t, srv, "resend", "--org", org, "--email", "ADA@example.com", "--journal", journal,
		"--limits", "none", "--check-delay", "50ms", "--redirect-url", "https://app.example.com/welcome")
	require.Equal(t, 0, r.code, r)
	byEmail := invitationsByEmail(srv)["ada@example.com"]
	require.Len(t, byEmail, 2, "the old one and exactly one new one")
	fresh := byEmail[1]
	assert.Contains(t, r.stdout, "Resent ada@example.com: the pending invitation was revoked and "+fresh.ID+" created in its place (role org:admin).")
	assert.Equal(t, client.StatusRevoked, byEmail[0].Status)
	assert.Equal(t, old.ID, byEmail[0].ID)
	assert.Equal(t, client.StatusPending, fresh.Status)
	assert.Equal(t, "org:admin", fresh.Role)
	assert.Equal(t, old.PublicMetadata, fresh.PublicMetadata)
	assert.Contains(t, string(lastCreate(t, srv).Body), `"redirect_url":"https://app.example.com/welcome"`)

	r = cli(t, srv, "resend", "--org", org, "--email", "nobody@example.com", "--journal", journal, "--limits", "none")
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "nobody@example.com has no pending invitation to "+org)

	// The send run's journal knows the redirect URL the API does not say.
	csvPath := writeFile(t, "people.csv", "email_address,redirect_url\nlin@example.com,https://app.example.com/lin\n")
	r = cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	r = cli(t, srv, "resend", "--org", org, "--email", "lin@example.com", "--journal", csvPath+journalSuffix, "--limits", "none")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, string(lastCreate(t, srv).Body), `"redirect_url":"https://app.example.com/lin"`)
	assert.Len(t, invitationsByEmail(srv)["lin@example.com"], 2)
}

// lastCreate is the last create, single or bulk, the fake received.
func lastCreate(t *testing.T, srv *fake.Server) fake.Request {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Operation == fake.OpCreate || reqs[i].Operation == fake.OpBulkCreate {
			return reqs[i]
		}
	}
	t.Fatal("no create")
	return fake.Request{}
}
