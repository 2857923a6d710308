package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

func TestServesTheAPIAndTheAdminAPI(t *testing.T) {
	p := start(t, "--secret-key", key, "--org", "org_1=Acme Corp", "--member", "org_1=lin@example.com")
	c := newClient(t, p)
	ada := servesTheAPI(t, p, c)
	faultsAndLimitsTakeEffect(t, p, c, ada)
	settleRecordAndReset(t, p, c, ada)
	assert.Equal(t, 0, p.stop(t, syscall.SIGTERM), "stderr:\n%s", p.stderr)
	assert.NotContains(t, p.stderr.String(), key, "the key is never printed")
}

// servesTheAPI drives the Backend API with the client and with plain HTTP;
// it returns the invitation it created.
func servesTheAPI(t *testing.T, p *process, c *client.Client) *client.Invitation {
	ctx := context.Background()
	// The client, as against Clerk.
	ada, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	require.NoError(t, err)
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "the --member flag: %v", err)
	page, err := c.ListInstance(ctx, client.ListInstanceParams{})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, "Acme Corp", page.Data[0].PublicOrganizationData.Name)
	assert.Equal(t, "acme-corp", page.Data[0].PublicOrganizationData.Slug)

	// Plain HTTP, as curl would send it.
	status, body := do(t, "GET", p.url+"/organizations/org_1/invitations/"+ada.ID, key, "")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"email_address":"ada@example.com"`)
	status, body = do(t, "GET", p.url+"/organizations/org_1/invitations", "sk_test_other", "")
	assert.Equal(t, http.StatusUnauthorized, status, "only --secret-key: %s", body)
	status, _ = do(t, "POST", p.url+"/organizations/org_1/invitations/bulk", key, `{"email_address":"x@example.com"}`)
	assert.Equal(t, http.StatusBadRequest, status, "a bulk body must be a list")
	status, _ = do(t, "POST", p.url+"/_fake/reset", key, "")
	assert.Equal(t, http.StatusNotFound, status, "no admin API under /v1")
	return ada
}

// faultsAndLimitsTakeEffect injects a fault and Clerk's rate limits through
// the admin API, and sees the client meet them.
func faultsAndLimitsTakeEffect(t *testing.T, p *process, c *client.Client, ada *client.Invitation) {
	ctx := context.Background()
	// A fault by name, through the admin API.
	status, body := do(t, "POST", p.admin+"/faults", "", `{"operation":"CreateOrganizationInvitation","kind":"status","status":503}`)
	require.Equal(t, http.StatusNoContent, status, body)
	_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "bob@example.com", Role: "org:member"})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.True(t, client.OutcomeUnknown(err))

	// Clerk's rate limits, on and off.
	status, _ = do(t, "PUT", p.admin+"/rate-limits", "", `{"clerk":"development"}`)
	require.Equal(t, http.StatusNoContent, status)
	var limited error
	for range 1000 { // over 100 of them fall within some 10 s unless each takes over 0.1 s
		if _, err := c.Get(ctx, "org_1", ada.ID); err != nil {
			limited = err
			break
		}
	}
	require.True(t, client.IsRateLimited(limited), "over 100 requests in 10 s: %v", limited)
	require.ErrorAs(t, limited, &apiErr)
	assert.Positive(t, apiErr.RetryAfter)
	status, _ = do(t, "PUT", p.admin+"/rate-limits", "", `{"clerk":"off"}`)
	require.Equal(t, http.StatusNoContent, status)
	_, err = c.Get(ctx, "org_1", ada.ID)
	require.NoError(t, err)
}

// settleRecordAndReset accepts and expires invitations, reads what the fake
// recorded, and resets it, all through the admin API.
func settleRecordAndReset(t *testing.T, p *process, c *client.Client, ada *client.Invitation) {
	ctx := context.Background()
	// Accept and expire, as the invited person and time would.
	bob, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "bob@example.com", Role: "org:member"})
	require.NoError(t, err)
	status, _ := do(t, "POST", p.admin+"/invitations/"+ada.ID+"/accept", "", "")
	require.Equal(t, http.StatusOK, status)
	status, _ = do(t, "POST", p.admin+"/invitations/"+bob.ID+"/expire", "", "")
	require.Equal(t, http.StatusOK, status)
	for id, want := range map[string]client.Status{ada.ID: client.StatusAccepted, bob.ID: client.StatusExpired} {
		got, err := c.Get(ctx, "org_1", id)
		require.NoError(t, err)
		assert.Equal(t, want, got.Status)
	}

	// What the fake recorded.
	_, body := do(t, "GET", p.admin+"/requests", "", "")
	var reqs []struct{ Operation, Method, Path string }
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	assert.GreaterOrEqual(t, len(reqs), 100)
	assert.Equal(t, "GetOrganizationInvitation", reqs[len(reqs)-1].Operation)
	_, body = do(t, "GET", p.admin+"/notifications", "", "")
	assert.Contains(t, body, ada.ID)

	// A reset, back to the flags' organization and member.
	status, _ = do(t, "POST", p.admin+"/reset", "", "")
	require.Equal(t, http.StatusNoContent, status)
	page, err := c.ListInstance(ctx, client.ListInstanceParams{})
	require.NoError(t, err)
	assert.Empty(t, page.Data)
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "%v", err)
}

func TestStateSurvivesARestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "fake.json")
	p := start(t, "--state", state)
	c := newClient(t, p)
	ctx := context.Background()
	var ids []string
	for _, email := range []string{"ada@example.com", "bob@example.com", "cy@example.com"} {
		inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: email, Role: "org:member"})
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	status, _ := do(t, "POST", p.admin+"/invitations/"+ids[0]+"/accept", "", "")
	require.Equal(t, http.StatusOK, status)
	_, err := c.Revoke(ctx, "org_1", ids[1], client.RevokeParams{})
	require.NoError(t, err)
	assert.Equal(t, 0, p.stop(t, syscall.SIGINT), "stderr:\n%s", p.stderr)
	info, err := os.Stat(state)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "it holds people's addresses")

	again := start(t, "--state", state)
	c = newClient(t, again)
	page, err := c.List(ctx, "org_1", client.ListParams{OrderBy: client.OrderOldestFirst})
	require.NoError(t, err)
	require.Len(t, page.Data, 3)
	for i, want := range []client.Status{client.StatusAccepted, client.StatusRevoked, client.StatusPending} {
		assert.Equal(t, ids[i], page.Data[i].ID)
		assert.Equal(t, want, page.Data[i].Status)
	}
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "cy@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyInvited(err), "%v", err)

	// Saved after every change, not only at exit: a kill -9 loses nothing
	// that was answered before it.
	dee, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "dee@example.com", Role: "org:member"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(state)
		return json.Valid(data) && containsString(data, dee.ID)
	}, startTimeout, 10*time.Millisecond)
	again.stop(t, syscall.SIGKILL)
	assert.Contains(t, again.stderr.String(), "loaded the state from "+state) // all of stderr, once it has exited
	third := start(t, "--state", state)
	_, err = newClient(t, third).Get(ctx, "org_1", dee.ID)
	assert.NoError(t, err)
	assert.Equal(t, 0, third.stop(t, syscall.SIGTERM))
}

func containsString(data []byte, s string) bool { return strings.Contains(string(data), s) }
