package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// The quickstart as a newcomer runs it: no key, the in-process fake.
func TestQuickstartOnTheFake(t *testing.T) {
	t.Setenv(client.SecretKeyEnv, "")
	var out strings.Builder
	require.NoError(t, run(&out, "", false, "example.com"))
	text := out.String()
	for _, want := range []string{
		"using the in-memory Clerk",
		"created 12, failed 0, unsettled 0",
		"(3 of 14 pending)",
		`team "compilers" (public metadata {"team":"compilers"})`,
		"14 invitations in 3 requests",
		"grace@example.com is now revoked",
		`status 404, code "organization_invitation_not_pending"`,
		"in Quickstart Inc.",
		"Done.",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "Cleaning up", "nothing real to clean up")
}

// With a key, the same story against "the real API" (here a fake that
// accepts only that key): no emails unless asked, and everything created is
// revoked at the end.
func TestQuickstartWithAKey(t *testing.T) {
	srv := fake.NewServer(fake.WithSecretKey("sk_test_quickstart"))
	defer srv.Close()
	t.Setenv(client.SecretKeyEnv, "sk_test_quickstart")
	t.Setenv("CLERK_API_URL", srv.URL)

	var out strings.Builder
	require.Error(t, run(&out, "", false, "example.com"), "a real run needs an organization")

	out.Reset()
	require.NoError(t, run(&out, "org_real", false, "acme.test"))
	assert.Contains(t, out.String(), "Notify is off: no emails are sent")
	assert.Contains(t, out.String(), "Cleaning up")
	assert.Empty(t, srv.Notifications())

	c, err := srv.NewClient()
	require.NoError(t, err)
	pending, err := c.List(t.Context(), "org_real", client.ListParams{Status: client.Statuses{client.StatusPending}})
	require.NoError(t, err)
	assert.Zero(t, pending.TotalCount, "the run revoked what it created")
}
