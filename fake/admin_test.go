package fake_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// admin sends a request to srv's admin API and returns the status and the
// body.
func admin(t *testing.T, srv *fake.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.AdminURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func invite(t *testing.T, c *client.Client, email string) *client.Invitation {
	t.Helper()
	inv, err := c.Create(context.Background(), "org_1", client.CreateParams{EmailAddress: email, Role: "org:member"})
	require.NoError(t, err)
	return inv
}

func TestAdminFaultsTakeEffect(t *testing.T) {
	srv, c := newFake(t, fake.WithAdmin())
	ctx := context.Background()

	status, body := admin(t, srv, "POST", "/faults", `{"operation":"CreateOrganizationInvitation","kind":"reset","after":true}`)
	require.Equal(t, http.StatusNoContent, status, body)
	_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	assert.True(t, client.OutcomeUnknown(err), "the response was lost: %v", err)
	assert.Len(t, srv.Invitations(), 1, "after: the invitation was created")

	status, _ = admin(t, srv, "POST", "/faults", `{"operation":"*","count":2,"kind":"status","status":404}`)
	require.Equal(t, http.StatusNoContent, status)
	_, err = c.List(ctx, "org_1", client.ListParams{})
	assert.True(t, client.IsNotFound(err), "%v", err)
	status, _ = admin(t, srv, "DELETE", "/faults", "")
	require.Equal(t, http.StatusNoContent, status)
	_, err = c.List(ctx, "org_1", client.ListParams{})
	assert.NoError(t, err, "the second fault was dropped")

	for _, bad := range []string{
		`{"operation":"create","kind":"reset"}`,
		`{"operation":"*","kind":"explode"}`,
		`{"operation":"*","kind":"reset","typo":1}`,
		`not json`,
	} {
		status, body = admin(t, srv, "POST", "/faults", bad)
		assert.Equal(t, http.StatusBadRequest, status, bad)
		assert.Contains(t, body, `"error"`, bad)
	}
}

func TestAdminRateLimitsTakeEffect(t *testing.T) {
	srv, c := newFake(t, fake.WithAdmin())
	ctx := context.Background()
	status, body := admin(t, srv, "PUT", "/rate-limits", `{"limits":[{"operation":"GetOrganizationInvitation","count":1,"per":"1h"}]}`)
	require.Equal(t, http.StatusNoContent, status, body)
	inv := invite(t, c, "ada@example.com")
	_, err := c.Get(ctx, "org_1", inv.ID)
	require.NoError(t, err)
	_, err = c.Get(ctx, "org_1", inv.ID, client.WithoutRetries())
	require.True(t, client.IsRateLimited(err), "%v", err)

	_, body = admin(t, srv, "GET", "/rate-limits", "")
	assert.JSONEq(t, `{"limits":[{"operation":"GetOrganizationInvitation","count":1,"per":"1h0m0s"}],"refused":{"GetOrganizationInvitation":1}}`, body)

	status, _ = admin(t, srv, "PUT", "/rate-limits", `{"clerk":"off"}`)
	require.Equal(t, http.StatusNoContent, status)
	_, err = c.Get(ctx, "org_1", inv.ID, client.WithoutRetries())
	assert.NoError(t, err, "limits off")

	status, _ = admin(t, srv, "PUT", "/rate-limits", `{"clerk":"development"}`)
	require.Equal(t, http.StatusNoContent, status)
	_, body = admin(t, srv, "GET", "/rate-limits", "")
	assert.Contains(t, body, `{"operation":"*","count":100,"per":"10s"}`)
}

func TestAdminAcceptExpireAndReset(t *testing.T) {
	srv, c := newFake(t, fake.WithAdmin(), fake.WithMember("org_1", "lin@example.com"))
	ctx := context.Background()
	ada, bob := invite(t, c, "ada@example.com"), invite(t, c, "bob@example.com")

	status, body := admin(t, srv, "POST", "/invitations/"+ada.ID+"/accept", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"status":"accepted"`)
	status, body = admin(t, srv, "POST", "/invitations/"+bob.ID+"/expire", "")
	require.Equal(t, http.StatusOK, status, body)
	got, err := c.Get(ctx, "org_1", bob.ID)
	require.NoError(t, err)
	assert.Equal(t, client.StatusExpired, got.Status)
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "accepted makes a member: %v", err)

	status, body = admin(t, srv, "POST", "/invitations/"+ada.ID+"/expire", "")
	assert.Equal(t, http.StatusConflict, status, body)
	assert.Contains(t, body, "is accepted, not pending")
	status, _ = admin(t, srv, "POST", "/invitations/orginv_nope/accept", "")
	assert.Equal(t, http.StatusNotFound, status)

	_, body = admin(t, srv, "GET", "/requests", "")
	var reqs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	require.NotEmpty(t, reqs)
	assert.Equal(t, fake.OpCreate, reqs[0]["operation"])
	assert.Contains(t, reqs[0]["body"], "ada@example.com")
	for _, r := range reqs {
		assert.NotContains(t, r["path"], "_fake", "the admin API is not recorded")
	}
	_, body = admin(t, srv, "GET", "/notifications", "")
	assert.Contains(t, body, `"invitation_id":"`+ada.ID+`"`)

	status, _ = admin(t, srv, "POST", "/reset", "")
	require.Equal(t, http.StatusNoContent, status)
	assert.Empty(t, srv.Invitations())
	assert.Empty(t, srv.Requests())
	assert.Empty(t, srv.Notifications())
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	assert.NoError(t, err, "the accepted person's membership went with the reset")
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "the declared member stays: %v", err)
}

func TestAdminIsApartFromTheAPI(t *testing.T) {
	srv, _ := newFake(t, fake.WithAdmin())
	status, body := admin(t, srv, "GET", "/", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "POST /_fake/faults")
	status, body = admin(t, srv, "GET", "/nothing", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, "no admin route GET /_fake/nothing")

	// Through the API's paths, the admin API is an unknown route of Clerk's.
	code, out := raw(t, srv, "POST", "/_fake/reset", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "resource_not_found", firstCode(out))

	// Without WithAdmin there is none.
	plain, _ := newFake(t)
	assert.Empty(t, plain.AdminURL())
	resp, err := http.Post(strings.TrimSuffix(plain.URL, "/v1")+"/_fake/reset", "application/json", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Len(t, plain.Requests(), 1, "an unknown route, recorded as any other")
}
