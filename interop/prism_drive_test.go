package interop

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// drive calls every operation of the client through Prism: the calls that
// succeed, with each filter and option, and the refusals the API answers
// (duplicate, member, unknown id, revoke twice, unknown role, bad key).
// Input the client refuses itself (a bad limit) must send nothing.
func drive(t *testing.T, ctx context.Context, c *client.Client, base string) {
	t.Helper()
	ok := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	refused := func(what string, err error, is func(error) bool) {
		t.Helper()
		if err == nil || !is(err) {
			t.Errorf("%s: got %v, want the API's refusal", what, err)
		}
	}

	full, err := c.Create(ctx, interopOrg, client.CreateParams{
		EmailAddress: "prism-a@example.com", Role: "org:admin", InviterUserID: "user_interop",
		PublicMetadata: map[string]any{"team": "core"}, PrivateMetadata: map[string]any{"n": 1},
		RedirectURL: "https://example.com/welcome", ExpiresInDays: 7, Notify: client.Bool(false),
	})
	ok("create with every field", err)
	minimal, err := c.Create(ctx, interopOrg, client.CreateParams{EmailAddress: "prism-b@example.com", Role: "org:member"})
	ok("create with the required fields", err)
	_, err = c.BulkCreate(ctx, interopOrg, []client.CreateParams{
		{EmailAddress: "prism-c@example.com", Role: "org:member"},
		{EmailAddress: "prism-d@example.com", Role: "org:admin", InviterUserID: "user_interop"},
	})
	ok("bulk create", err)
	_, err = c.Get(ctx, interopOrg, full.ID)
	ok("get", err)
	_, err = c.Revoke(ctx, interopOrg, minimal.ID, client.RevokeParams{RequestingUserID: "user_interop"})
	ok("revoke with a requesting user", err)
	_, err = c.Revoke(ctx, interopOrg, full.ID, client.RevokeParams{})
	ok("revoke without a body", err)

	for _, p := range listParams() {
		_, err := c.List(ctx, interopOrg, p)
		ok("list", err)
	}
	for _, p := range instanceParams() {
		_, err := c.ListInstance(ctx, p)
		ok("instance list", err)
	}
	for _, p := range []client.ListPendingParams{{}, {Limit: 1, Offset: 1}} {
		//lint:ignore SA1019 the deprecated route is one of the seven, and Prism must see it too
		_, err := c.ListPending(ctx, interopOrg, p)
		ok("pending list (deprecated route)", err)
	}
	//lint:ignore SA1019 as above
	for _, err := range c.ListPendingAll(ctx, interopOrg, client.ListPendingParams{Limit: 1}) {
		ok("ListPendingAll, one per page", err)
	}
	for _, err := range c.ListAll(ctx, interopOrg, client.ListParams{Limit: 1}) {
		ok("ListAll, one per page", err)
	}
	for _, err := range c.ListInstanceAll(ctx, client.ListInstanceParams{Limit: 1}) {
		ok("ListInstanceAll, one per page", err)
	}

	_, err = c.Create(ctx, interopOrg, client.CreateParams{EmailAddress: "prism-c@example.com", Role: "org:member"})
	refused("create of a pending address", err, client.IsAlreadyInvited)
	_, err = c.BulkCreate(ctx, interopOrg, []client.CreateParams{{EmailAddress: "prism-d@example.com", Role: "org:member"}})
	refused("bulk create of a pending address", err, client.IsAlreadyInvited)
	_, err = c.Create(ctx, interopOrg, client.CreateParams{EmailAddress: interopMember, Role: "org:member"})
	refused("create of a member", err, client.IsAlreadyMember)
	_, err = c.BulkCreate(ctx, interopOrg, []client.CreateParams{{EmailAddress: interopMember, Role: "org:member"}})
	refused("bulk create of a member", err, client.IsAlreadyMember)
	_, err = c.Get(ctx, interopOrg, "orginv_unknown")
	refused("get of an unknown id", err, client.IsNotFound)
	_, err = c.Revoke(ctx, interopOrg, "orginv_unknown", client.RevokeParams{})
	refused("revoke of an unknown id", err, client.IsNotFound)
	_, err = c.Revoke(ctx, interopOrg, minimal.ID, client.RevokeParams{})
	refused("revoke twice", err, func(err error) bool { return client.HasCode(err, "organization_invitation_not_pending") })
	_, err = c.Create(ctx, interopOrg, client.CreateParams{EmailAddress: "prism-e@example.com", Role: "org:no_such_role"})
	refused("create with an unknown role", err, client.IsNotFound)
	_, err = c.List(ctx, interopOrg, client.ListParams{}, client.WithSecretKey("sk_test_not_the_key"))
	refused("list with a key the server does not accept", err, client.IsUnauthorized)

	var invalid *client.ValidationError
	if _, err := c.List(ctx, interopOrg, client.ListParams{Limit: 501}); !errors.As(err, &invalid) {
		t.Errorf("list with limit 501: got %v, want a ValidationError before sending", err)
	}
}

// listParams are the per-organization lists driven: each filter, each
// order, and paging.
func listParams() []client.ListParams {
	return []client.ListParams{
		{},
		{Status: client.Statuses{client.StatusPending}},
		{Status: client.Statuses{client.StatusRevoked}, Limit: 1},
		{Status: client.Statuses{client.StatusPending, client.StatusRevoked}},
		{Status: client.Statuses{client.StatusAccepted, client.StatusExpired, client.StatusRevoked}, Limit: 2, Offset: 1},
		{EmailAddress: "prism-c@example.com"},
		{OrderBy: client.OrderOldestFirst},
		{OrderBy: client.OrderNewestFirst},
		{OrderBy: client.OrderCreatedAt},
		{OrderBy: client.OrderEmailAsc},
		{OrderBy: client.OrderEmailAddress, Status: client.Statuses{client.StatusPending}},
		{OrderBy: client.OrderEmailDesc, Limit: 2, Offset: 1},
		{Limit: 500, Offset: 3},
	}
}

// instanceParams are the instance-wide lists driven.
func instanceParams() []client.ListInstanceParams {
	return []client.ListInstanceParams{
		{},
		{Query: "prism-"},
		{Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderEmailAsc},
		{Status: client.Statuses{client.StatusRevoked, client.StatusPending}, Query: "prism-", OrderBy: client.OrderCreatedAt},
		{Status: client.Statuses{client.StatusExpired}},
		{OrderBy: client.OrderOldestFirst, Limit: 2, Offset: 2},
	}
}

// canaries sends one request Prism must refuse and gets one response Prism
// must refuse, straight through Prism, and checks that each shows in the
// sl-violations header and in the log: the detectors work in this run.
// logRequest and logResponse are the log's counts before.
func canaries(t *testing.T, ctx context.Context, srv *fake.Server, p *prism, logRequest, logResponse int) {
	t.Helper()
	send := func(path string) verdict {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+interopKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return readVerdict(resp.Header)
	}
	if v := send("/organizations/" + interopOrg + "/invitations?limit=0&status=bogus"); countSide([]verdict{v}, "request") == 0 {
		t.Errorf("a request with limit=0 and status=bogus: Prism's header shows no request violation (%+v)", v)
	}
	srv.InjectFault(fake.OpGet, 1, fake.Fault{Status: http.StatusOK, Body: `{"object":"organization_invitation","id":7}`})
	if v := send("/organizations/" + interopOrg + "/invitations/orginv_canary"); countSide([]verdict{v}, "response") == 0 {
		t.Errorf("a response without most fields: Prism's header shows no response violation (%+v)", v)
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, resp := logViolations(p.out.String())
		if req > logRequest && resp > logResponse {
			t.Logf("the canaries: Prism logged %d request and %d response violations", req-logRequest, resp-logResponse)
			return
		}
		select {
		case <-wait.Done():
			t.Fatalf("Prism's log shows %d new request and %d new response violations for the canaries, want at least one of each", req-logRequest, resp-logResponse)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
