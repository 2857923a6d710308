package fake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/spectest"
)

func newFake(t *testing.T, opts ...fake.Option) (*fake.Server, *client.Client) {
	t.Helper()
	srv := fake.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

// raw sends a request the client would refuse to send, and returns the
// status and decoded body.
func raw(t *testing.T, srv *fake.Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk_test_raw")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// listWithKey lists org_1's invitations with a bearer key the client
// would refuse to send, and returns the status.
func listWithKey(t *testing.T, base, key string) int {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/organizations/org_1/invitations", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// firstCode is the code of the first Clerk error in a decoded body.
func firstCode(body map[string]any) string {
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	code, _ := errs[0].(map[string]any)["code"].(string)
	return code
}

var ctx = context.Background()

var ada = client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}

// Every operation, its success and its typical failures, validated against
// api/openapi.yaml by kin-openapi, requests and responses.
func TestEveryResponseMatchesTheSpec(t *testing.T) {
	v, err := spectest.New(true)
	require.NoError(t, err)
	srv, c := newFake(t, fake.WithMiddleware(v.Middleware), fake.WithOrganization("org_1", "Analytical Engines", "engines"))

	inv, err := c.Create(ctx, "org_1", client.CreateParams{
		EmailAddress: "grace@example.com", Role: "org:admin", InviterUserID: "user_1",
		PublicMetadata: map[string]any{"team": "compilers"}, ExpiresInDays: 7, Notify: client.Bool(false),
	})
	require.NoError(t, err)
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "grace@example.com", Role: "org:admin"})
	assert.True(t, client.HasCode(err, "organization_invitation_not_unique"))
	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{ada, {EmailAddress: "lin@example.com", Role: "org:member"}})
	require.NoError(t, err)
	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{{EmailAddress: "x@example.com", Role: "org:nobody"}})
	assert.True(t, client.HasCode(err, "resource_not_found"))
	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{{EmailAddress: "new@example.com", Role: "org:member"}, ada})
	assert.True(t, client.HasCode(err, "duplicate_record"))
	_, err = c.List(ctx, "org_1", client.ListParams{Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderEmailAsc, Limit: 2})
	require.NoError(t, err)
	//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
	_, err = gen.ListPendingOrganizationInvitations(ctx, c, "org_1", gen.ListPendingOrganizationInvitationsParams{})
	require.NoError(t, err)
	_, err = c.Get(ctx, "org_1", inv.ID)
	require.NoError(t, err)
	_, err = c.Get(ctx, "org_1", "orginv_missing")
	assert.True(t, client.IsNotFound(err))
	_, err = c.Revoke(ctx, "org_1", inv.ID, client.RevokeParams{RequestingUserID: "user_1"})
	require.NoError(t, err)
	_, err = c.Revoke(ctx, "org_1", inv.ID, client.RevokeParams{})
	assert.True(t, client.HasCode(err, "organization_invitation_not_pending"))
	_, err = c.ListInstance(ctx, client.ListInstanceParams{Query: "example.com"})
	require.NoError(t, err)
	srv.InjectFault(fake.OpGet, 1, fake.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})
	_, err = c.Get(ctx, "org_1", inv.ID, client.WithMaxRetries(0))
	assert.True(t, client.IsRateLimited(err))
	assert.Equal(t, http.StatusUnauthorized, listWithKey(t, srv.URL, "not_a_secret_key")) // the client refuses to send it

	assert.Empty(t, v.Problems())
	assert.Equal(t, map[string][]int{
		fake.OpCreate:       {200, 400},
		fake.OpBulkCreate:   {200, 400, 404},
		fake.OpList:         {200, 401},
		fake.OpListPending:  {200},
		fake.OpGet:          {200, 404, 429},
		fake.OpRevoke:       {200, 404},
		fake.OpListInstance: {200},
	}, v.Checked())
}

func TestCreateFillsEveryField(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	srv, c := newFake(t, fake.WithClock(func() time.Time { return now }))
	inv, err := c.Create(ctx, "org_1", client.CreateParams{
		EmailAddress: "grace@example.com", Role: "org:admin", InviterUserID: "user_1",
		PublicMetadata: map[string]any{"team": "compilers"}, PrivateMetadata: map[string]any{"level": 3.0},
		ExpiresInDays: 7,
	})
	require.NoError(t, err)
	assert.Regexp(t, `^orginv_[0-9A-Za-z]{27}$`, inv.ID)
	assert.EqualValues(t, "organization_invitation", inv.Object)
	assert.Equal(t, client.StatusPending, inv.Status)
	assert.Equal(t, "Admin", inv.RoleName)
	assert.Equal(t, "org_1", inv.OrganizationID)
	assert.Equal(t, "user_1", *inv.InviterID)
	assert.Equal(t, "user_1", inv.PublicInviterData.UserID)
	assert.JSONEq(t, `{"team": "compilers"}`, string(inv.PublicMetadata))
	assert.JSONEq(t, `{"level": 3}`, string(inv.PrivateMetadata))
	assert.Contains(t, *inv.URL, "ticket=")
	assert.Equal(t, now.UnixMilli(), inv.CreatedAt)
	assert.Equal(t, now.UnixMilli(), inv.UpdatedAt)
	assert.Equal(t, now.Add(7*24*time.Hour).UnixMilli(), *inv.ExpiresAt)

	plain, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)
	assert.Equal(t, now.Add(30*24*time.Hour).UnixMilli(), *plain.ExpiresAt, "30 days by default")
	assert.Nil(t, plain.InviterID)
	assert.Nil(t, plain.PublicInviterData)
	assert.Equal(t, client.Metadata(`{}`), plain.PublicMetadata, "metadata not given is {}")
	assert.Equal(t, client.Metadata(`{}`), plain.PrivateMetadata)

	assert.Equal(t, []fake.Notification{
		{OrganizationID: "org_1", InvitationID: inv.ID, EmailAddress: "grace@example.com"},
		{OrganizationID: "org_1", InvitationID: plain.ID, EmailAddress: "ada@example.com"},
	}, srv.Notifications())
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "quiet@example.com", Role: "org:member", Notify: client.Bool(false)})
	require.NoError(t, err)
	assert.Len(t, srv.Notifications(), 2, "notify=false sends no email")
}

// The fake refuses what Clerk refuses, with Clerk-shaped errors. These
// requests go around the client, which would refuse to send them.
func TestFakeValidatesLikeClerk(t *testing.T) {
	srv, _ := newFake(t)
	many := make([]string, 11)
	for i := range many {
		many[i] = fmt.Sprintf(`{"email_address":"p%d@example.com","role":"org:member"}`, i)
	}
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"missing email", "POST", "/organizations/org_1/invitations", `{"role":"org:member"}`, 422, "form_param_missing"},
		{"missing role", "POST", "/organizations/org_1/invitations", `{"email_address":"a@example.com"}`, 422, "form_param_missing"},
		{"missing body", "POST", "/organizations/org_1/invitations", "", 422, "form_param_missing"},
		{"not an email", "POST", "/organizations/org_1/invitations", `{"email_address":"nobody","role":"org:member"}`, 422, "form_param_format_invalid"},
		{"expires 0", "POST", "/organizations/org_1/invitations", `{"email_address":"a@example.com","role":"org:member","expires_in_days":0}`, 422, "form_param_value_invalid"},
		{"expires 366", "POST", "/organizations/org_1/invitations", `{"email_address":"a@example.com","role":"org:member","expires_in_days":366}`, 422, "form_param_value_invalid"},
		{"unknown role", "POST", "/organizations/org_1/invitations", `{"email_address":"a@example.com","role":"org:owner"}`, 404, "resource_not_found"},
		{"body not JSON", "POST", "/organizations/org_1/invitations", `{"email_address":`, 400, "malformed_request"},
		{"bulk of 11", "POST", "/organizations/org_1/invitations/bulk", "[" + strings.Join(many, ",") + "]", 422, "form_param_value_invalid"},
		{"bulk of 0", "POST", "/organizations/org_1/invitations/bulk", `[]`, 422, "form_param_value_invalid"},
		{"bulk twice the same", "POST", "/organizations/org_1/invitations/bulk", "[" + many[0] + "," + many[0] + "]", 422, "duplicate_record"},
		{"bulk not an array", "POST", "/organizations/org_1/invitations/bulk", `{}`, 400, "malformed_request"},
		{"limit not a number", "GET", "/organizations/org_1/invitations?limit=ten", "", 400, "form_param_format_invalid"},
		{"limit 0", "GET", "/organizations/org_1/invitations?limit=0", "", 422, "form_param_value_invalid"},
		{"limit 501", "GET", "/organization_invitations?limit=501", "", 422, "form_param_value_invalid"},
		{"negative offset", "GET", "/organizations/org_1/invitations/pending?offset=-1", "", 400, "form_param_value_invalid"},
		{"unknown status", "GET", "/organizations/org_1/invitations?status=archived", "", 422, "form_param_value_invalid"},
		{"unknown order", "GET", "/organization_invitations?order_by=-role", "", 422, "form_param_value_invalid"},
		{"unknown invitation", "GET", "/organizations/org_1/invitations/orginv_nope", "", 404, "resource_not_found"},
		{"unknown revoke", "POST", "/organizations/org_1/invitations/orginv_nope/revoke", "", 404, "resource_not_found"},
		{"unknown route", "DELETE", "/organizations/org_1/invitations", "", 404, "resource_not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := raw(t, srv, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, firstCode(body))
			assert.NotEmpty(t, body["clerk_trace_id"])
		})
	}
	status, body := raw(t, srv, "GET", "/organizations/org_1/invitations", "")
	require.Equal(t, 200, status)
	assert.EqualValues(t, 0, body["total_count"], "nothing invalid was created")
}

func TestAuthentication(t *testing.T) {
	srv := fake.NewServer(fake.WithSecretKey("sk_test_exact"))
	defer srv.Close()
	for header, want := range map[string]int{
		"":                     401,
		"Bearer":               401,
		"Basic sk_test_exact":  401,
		"Bearer sk_test_other": 401,
		"Bearer sk_test_exact": 200,
	} {
		req, err := http.NewRequest("GET", srv.URL+"/organizations/org_1/invitations", nil)
		require.NoError(t, err)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, header)
		if want == 401 {
			assert.Equal(t, "authentication_invalid", firstCode(body), header)
		}
	}

	c, err := srv.NewClient()
	require.NoError(t, err)
	_, err = c.List(ctx, "org_1", client.ListParams{})
	assert.NoError(t, err, "NewClient uses the accepted key")

	open := fake.NewServer() // any sk_ key by default
	defer open.Close()
	c, err = client.New(client.WithBaseURL(open.URL), client.WithSecretKey("sk_live_whatever"))
	require.NoError(t, err)
	_, err = c.List(ctx, "org_1", client.ListParams{})
	assert.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, listWithKey(t, open.URL, "pk_test_publishable"), "a publishable key is not a secret key")
}

func TestListsFilterSortAndPage(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Second); return now }
	srv, c := newFake(t, fake.WithClock(clock),
		fake.WithOrganization("org_a", "Alpha", "alpha"), fake.WithOrganization("org_b", "Beta", "beta"))

	// 25 invitations in org_a (p00..p24, created in that order), 5 in org_b.
	var ids []string
	for i := range 25 {
		inv, err := c.Create(ctx, "org_a", client.CreateParams{EmailAddress: fmt.Sprintf("p%02d@a.example.com", i), Role: "org:member"})
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	for i := range 5 {
		_, err := c.Create(ctx, "org_b", client.CreateParams{EmailAddress: fmt.Sprintf("q%d@b.example.com", i), Role: "org:member"})
		require.NoError(t, err)
	}
	for _, i := range []int{3, 7, 11} {
		_, err := c.Revoke(ctx, "org_a", ids[i], client.RevokeParams{})
		require.NoError(t, err)
	}
	emails := func(list *client.InvitationList) []string {
		var out []string
		for _, inv := range list.Data {
			out = append(out, strings.Split(inv.EmailAddress, "@")[0])
		}
		return out
	}

	page, err := c.List(ctx, "org_a", client.ListParams{})
	require.NoError(t, err)
	assert.EqualValues(t, 25, page.TotalCount)
	assert.Equal(t, []string{"p24", "p23", "p22", "p21", "p20", "p19", "p18", "p17", "p16", "p15"}, emails(page), "10 a page, newest first")

	page, err = c.List(ctx, "org_a", client.ListParams{OrderBy: client.OrderOldestFirst, Limit: 3, Offset: 5})
	require.NoError(t, err)
	assert.Equal(t, []string{"p05", "p06", "p07"}, emails(page))

	page, err = c.List(ctx, "org_a", client.ListParams{OrderBy: client.OrderEmailDesc, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"p24", "p23"}, emails(page))

	status, body := raw(t, srv, "GET", "/organizations/org_a/invitations?status=revoked&order_by=created_at", "")
	require.Equal(t, 200, status)
	assert.EqualValues(t, 3, body["total_count"])
	var unsigned []string
	for _, item := range body["data"].([]any) {
		unsigned = append(unsigned, strings.Split(item.(map[string]any)["email_address"].(string), "@")[0])
	}
	assert.Equal(t, []string{"p03", "p07", "p11"}, unsigned, "a field without a sign sorts ascending")

	page, err = c.List(ctx, "org_a", client.ListParams{EmailAddress: "P09@A.example.com"})
	require.NoError(t, err)
	assert.Equal(t, []string{"p09"}, emails(page), "email filter ignores case")

	page, err = c.List(ctx, "org_a", client.ListParams{Offset: 25})
	require.NoError(t, err)
	assert.Empty(t, page.Data)
	assert.EqualValues(t, 25, page.TotalCount, "past the end: no data, the count still right")

	//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
	page, err = gen.ListPendingOrganizationInvitations(ctx, c, "org_a", gen.ListPendingOrganizationInvitationsParams{Limit: 500})
	require.NoError(t, err)
	assert.EqualValues(t, 22, page.TotalCount)
	for _, inv := range page.Data {
		assert.Equal(t, client.StatusPending, inv.Status)
	}

	all, err := c.ListInstance(ctx, client.ListInstanceParams{Limit: 500})
	require.NoError(t, err)
	assert.EqualValues(t, 30, all.TotalCount)
	assert.Equal(t, "q4@b.example.com", all.Data[0].EmailAddress, "newest first across organizations")
	assert.Equal(t, &client.OrganizationData{ID: "org_b", Name: "Beta", Slug: "beta"}, all.Data[0].PublicOrganizationData)

	all, err = c.ListInstance(ctx, client.ListInstanceParams{Query: "B.EXAMPLE", Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderEmailAsc})
	require.NoError(t, err)
	assert.EqualValues(t, 5, all.TotalCount)
	assert.Equal(t, "q0@b.example.com", all.Data[0].EmailAddress)
}

func TestRevokeAndExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.UnixMilli(1_800_000_000_000)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	_, c := newFake(t, fake.WithClock(clock))

	inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "short@example.com", Role: "org:member", ExpiresInDays: 1})
	require.NoError(t, err)
	keep, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)

	advance(time.Hour)
	revoked, err := c.Revoke(ctx, "org_1", keep.ID, client.RevokeParams{})
	require.NoError(t, err)
	assert.Equal(t, client.StatusRevoked, revoked.Status)
	assert.Equal(t, now.UnixMilli(), revoked.UpdatedAt)
	assert.Equal(t, keep.CreatedAt, revoked.CreatedAt)

	_, err = c.Revoke(ctx, "org_1", keep.ID, client.RevokeParams{})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.True(t, client.HasCode(err, "organization_invitation_not_pending"))

	advance(24 * time.Hour)
	got, err := c.Get(ctx, "org_1", inv.ID)
	require.NoError(t, err)
	assert.Equal(t, client.StatusExpired, got.Status, "a day later it has expired")
	_, err = c.Revoke(ctx, "org_1", inv.ID, client.RevokeParams{})
	assert.True(t, client.HasCode(err, "organization_invitation_not_pending"))

	_, err = c.Get(ctx, "org_other", inv.ID)
	assert.True(t, client.IsNotFound(err), "an invitation is only found in its own organization")

	again, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "short@example.com", Role: "org:member"})
	require.NoError(t, err, "once expired, the address can be invited again")
	assert.NotEqual(t, inv.ID, again.ID)
}

func TestOnlyDeclaredOrganizations(t *testing.T) {
	_, c := newFake(t, fake.WithOnlyDeclaredOrganizations(), fake.WithOrganization("org_1", "One", "one"),
		fake.WithRole("org:billing", "Billing"))
	inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:billing"})
	require.NoError(t, err)
	assert.Equal(t, "Billing", inv.RoleName)

	_, err = c.Create(ctx, "org_2", ada)
	assert.True(t, client.IsNotFound(err))
	_, err = c.BulkCreate(ctx, "org_2", []client.CreateParams{ada})
	assert.True(t, client.IsNotFound(err))
	_, err = c.List(ctx, "org_2", client.ListParams{})
	assert.True(t, client.IsNotFound(err))
	//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
	_, err = gen.ListPendingOrganizationInvitations(ctx, c, "org_2", gen.ListPendingOrganizationInvitationsParams{})
	assert.True(t, client.IsNotFound(err))
}

func TestFaultsAndRequestLog(t *testing.T) {
	srv, c := newFake(t)
	noRetry := client.WithMaxRetries(0)

	srv.InjectFault(fake.OpCreate, 2, fake.Fault{Status: 503, RetryAfter: 1500 * time.Millisecond})
	for range 2 {
		_, err := c.Create(ctx, "org_1", ada, noRetry)
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, 2*time.Second, apiErr.RetryAfter, "rounded up to whole seconds")
	}
	page, err := c.List(ctx, "org_1", client.ListParams{})
	require.NoError(t, err)
	assert.Zero(t, page.TotalCount, "a fault without After has no effect")

	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true})
	_, err = c.Create(ctx, "org_1", ada, noRetry)
	var reqErr *client.RequestError
	require.ErrorAs(t, err, &reqErr)
	page, err = c.List(ctx, "org_1", client.ListParams{})
	require.NoError(t, err)
	assert.Zero(t, page.TotalCount)

	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true, After: true})
	_, err = c.Create(ctx, "org_1", ada, noRetry)
	require.ErrorAs(t, err, &reqErr)
	page, err = c.List(ctx, "org_1", client.ListParams{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, page.TotalCount, "with After, the invitation exists though the response was lost")

	srv.InjectFault(fake.AnyOperation, 1, fake.Fault{Hang: true})
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = c.Get(short, "org_1", "orginv_x", noRetry)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	srv.InjectFault(fake.OpRevoke, 1, fake.Fault{Status: 500, After: true})
	_, err = c.Revoke(ctx, "org_1", page.Data[0].ID, client.RevokeParams{}, noRetry)
	require.Error(t, err)
	got, err := c.Get(ctx, "org_1", page.Data[0].ID)
	require.NoError(t, err)
	assert.Equal(t, client.StatusRevoked, got.Status, "revoked, though the caller saw a 500")

	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	assert.Equal(t, []string{
		fake.OpCreate, fake.OpCreate, fake.OpList, fake.OpCreate, fake.OpList, fake.OpCreate, fake.OpList,
		fake.OpGet, fake.OpRevoke, fake.OpGet,
	}, ops)
	first := srv.Requests()[0]
	assert.Equal(t, "POST", first.Method)
	assert.Equal(t, "/v1/organizations/org_1/invitations", first.Path)
	assert.JSONEq(t, `{"email_address":"ada@example.com","role":"org:member"}`, string(first.Body))
}

func TestHangingRequestsEndWhenTheServerCloses(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(fake.OpList, 1, fake.Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		_, err := c.List(ctx, "org_1", client.ListParams{}, client.WithMaxRetries(0))
		done <- err
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	srv.Close()
	select {
	case err := <-done:
		assert.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the hanging request did not end when the server closed")
	}
}

// Many goroutines at once: every invitation is created exactly once.
func TestConcurrentUse(t *testing.T) {
	_, c := newFake(t)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: fmt.Sprintf("u%d@example.com", i), Role: "org:member"})
			assert.NoError(t, err)
			_, err = c.List(ctx, "org_1", client.ListParams{Limit: 500})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	page, err := c.List(ctx, "org_1", client.ListParams{Limit: 500})
	require.NoError(t, err)
	assert.EqualValues(t, 64, page.TotalCount)
	seen := map[string]bool{}
	for _, inv := range page.Data {
		assert.False(t, seen[inv.ID])
		seen[inv.ID] = true
	}
}

// Invitations created in the same millisecond still list newest first
// (and oldest first when asked).
func TestSameMillisecondOrder(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	_, c := newFake(t, fake.WithClock(func() time.Time { return now }))
	_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{
		{EmailAddress: "first@example.com", Role: "org:member"},
		{EmailAddress: "second@example.com", Role: "org:member"},
		{EmailAddress: "third@example.com", Role: "org:member"},
	})
	require.NoError(t, err)
	order := func(p client.ListParams) []string {
		page, err := c.List(ctx, "org_1", p)
		require.NoError(t, err)
		var out []string
		for _, inv := range page.Data {
			out = append(out, strings.Split(inv.EmailAddress, "@")[0])
		}
		return out
	}
	assert.Equal(t, []string{"third", "second", "first"}, order(client.ListParams{}))
	assert.Equal(t, []string{"first", "second", "third"}, order(client.ListParams{OrderBy: client.OrderOldestFirst}))
}
