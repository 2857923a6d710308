package client_test

import (
	"context"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// Each operation: the request on the wire (method, path, query, exact body,
// headers) and the decoded response.
func TestOperationsOnTheWire(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		call      func(c *client.Client) (any, error)
		response  string
		method    string
		path      string
		query     string
		body      string
		noCT      bool // the request has no body, so no Content-Type
		checkResp func(t *testing.T, got any)
	}{{
		name: "ListInstance with every filter",
		call: func(c *client.Client) (any, error) {
			return c.ListInstance(ctx, client.ListInstanceParams{
				Status: client.Statuses{client.StatusAccepted}, Query: "lin@ex ample.com", OrderBy: client.OrderEmailAsc, Limit: 500, Offset: 20,
			})
		},
		response: instancePageJSON,
		method:   "GET", path: "/v1/organization_invitations",
		query: "order_by=%2Bemail_address&status=accepted&query=lin%40ex+ample.com&limit=500&offset=20",
		noCT:  true,
		checkResp: func(t *testing.T, got any) {
			list := got.(*client.InstanceInvitationList)
			assert.EqualValues(t, 1, list.TotalCount)
			require.Len(t, list.Data, 1)
			inv := list.Data[0]
			assert.Equal(t, "orginv_3", inv.ID)
			assert.Equal(t, client.StatusAccepted, inv.Status)
			assert.Equal(t, &client.OrganizationData{ID: "org_9", Name: "Nine", Slug: "nine", HasImage: false}, inv.PublicOrganizationData)
		},
	}, {
		name:     "ListInstance with nil params sends no query",
		call:     func(c *client.Client) (any, error) { return c.ListInstance(ctx, client.ListInstanceParams{}) },
		response: instancePageJSON,
		method:   "GET", path: "/v1/organization_invitations", noCT: true,
	}, {
		name: "Create minimal",
		call: func(c *client.Client) (any, error) {
			return c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
		},
		response: invitationJSON,
		method:   "POST", path: "/v1/organizations/org_1/invitations",
		body:      `{"email_address":"ada@example.com","role":"org:member"}`,
		checkResp: checkAda,
	}, {
		name: "Create full",
		call: func(c *client.Client) (any, error) {
			return c.Create(ctx, "org_1", client.CreateParams{
				EmailAddress: "grace@example.com", Role: "org:admin", InviterUserID: "user_1",
				PublicMetadata: map[string]any{"team": "compilers"}, PrivateMetadata: map[string]any{"referral": "conf"},
				RedirectURL: "https://app.example.com/welcome", ExpiresInDays: 14, Notify: client.Bool(false),
			})
		},
		response: invitedByJSON,
		method:   "POST", path: "/v1/organizations/org_1/invitations",
		body: `{"email_address":"grace@example.com","expires_in_days":14,"inviter_user_id":"user_1","notify":false,` +
			`"private_metadata":{"referral":"conf"},"public_metadata":{"team":"compilers"},` +
			`"redirect_url":"https://app.example.com/welcome","role":"org:admin"}`,
		checkResp: checkGrace,
	}, {
		name: "List with every filter",
		call: func(c *client.Client) (any, error) {
			return c.List(ctx, "org_1", client.ListParams{
				Status: client.Statuses{client.StatusPending}, EmailAddress: "a+b@example.com", OrderBy: client.OrderOldestFirst, Limit: 1, Offset: 7,
			})
		},
		response: pageJSON,
		method:   "GET", path: "/v1/organizations/org_1/invitations",
		query: "status=pending&email_address=a%2Bb%40example.com&order_by=%2Bcreated_at&limit=1&offset=7",
		noCT:  true,
		checkResp: func(t *testing.T, got any) {
			list := got.(*client.InvitationList)
			assert.EqualValues(t, 42, list.TotalCount)
			require.Len(t, list.Data, 2)
			checkAda(t, &list.Data[0])
			checkGrace(t, &list.Data[1])
		},
	}, {
		name: "BulkCreate",
		call: func(c *client.Client) (any, error) {
			return c.BulkCreate(ctx, "org_1", []client.CreateParams{
				{EmailAddress: "ada@example.com", Role: "org:member"},
				{EmailAddress: "grace@example.com", Role: "org:admin", Notify: client.Bool(true), ExpiresInDays: 365},
			})
		},
		response: pageJSON,
		method:   "POST", path: "/v1/organizations/org_1/invitations/bulk",
		body: `[{"email_address":"ada@example.com","role":"org:member"},` +
			`{"email_address":"grace@example.com","expires_in_days":365,"notify":true,"role":"org:admin"}]`,
		checkResp: func(t *testing.T, got any) {
			list := got.(*client.InvitationList)
			require.Len(t, list.Data, 2)
			checkAda(t, &list.Data[0])
		},
	}, {
		name: "ListPending, through gen with the client as Caller",
		call: func(c *client.Client) (any, error) {
			//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
			return gen.ListPendingOrganizationInvitations(ctx, c, "org_1", gen.ListPendingOrganizationInvitationsParams{Limit: 10, Offset: 10})
		},
		response: pageJSON,
		method:   "GET", path: "/v1/organizations/org_1/invitations/pending", query: "limit=10&offset=10", noCT: true,
	}, {
		name:     "Get",
		call:     func(c *client.Client) (any, error) { return c.Get(ctx, "org_1", "orginv_1") },
		response: invitationJSON,
		method:   "GET", path: "/v1/organizations/org_1/invitations/orginv_1", noCT: true,
		checkResp: checkAda,
	}, {
		name:     "Revoke without a body",
		call:     func(c *client.Client) (any, error) { return c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{}) },
		response: invitationJSON,
		method:   "POST", path: "/v1/organizations/org_1/invitations/orginv_1/revoke", noCT: true,
	}, {
		name: "Revoke on behalf of a user",
		call: func(c *client.Client) (any, error) {
			return c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{RequestingUserID: "user_1"})
		},
		response: invitationJSON,
		method:   "POST", path: "/v1/organizations/org_1/invitations/orginv_1/revoke",
		body: `{"requesting_user_id":"user_1"}`,
	}}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, reply(http.StatusOK, tc.response))
			got, err := tc.call(rec.client())
			require.NoError(t, err)

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			assert.Equal(t, tc.query, r.Query)
			assert.Equal(t, tc.body, r.Body)
			assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
			assert.Equal(t, client.APIVersion, r.Header.Get("Clerk-API-Version"))
			assert.Equal(t, "2026-05-12", r.Header.Get("Clerk-API-Version"))
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			assert.Equal(t, "clerkinvitations-go/"+client.Version+" ("+runtime.Version()+")", r.Header.Get("User-Agent"))
			if tc.noCT {
				assert.Empty(t, r.Header.Values("Content-Type"))
			} else {
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			if tc.checkResp != nil {
				tc.checkResp(t, got)
			}
		})
	}
}

// checkAda asserts every field of invitationJSON, nulls included.
func checkAda(t *testing.T, got any) {
	t.Helper()
	inv := got.(*client.Invitation)
	assert.Equal(t, client.Invitation{
		Object:          "organization_invitation",
		ID:              "orginv_1",
		EmailAddress:    "ada@example.com",
		Role:            "org:member",
		RoleName:        "Member",
		OrganizationID:  "org_1",
		InviterID:       nil,
		Status:          client.StatusPending,
		PublicMetadata:  client.Metadata(`{"team": "compilers"}`),
		PrivateMetadata: client.Metadata(`{}`),
		URL:             nil,
		ExpiresAt:       nil,
		CreatedAt:       1778803200000,
		UpdatedAt:       1778803201000,
	}, *inv)
}

// checkGrace asserts every field of invitedByJSON: nullable fields set, an
// unknown status kept as it came, an unknown field ignored.
func checkGrace(t *testing.T, got any) {
	t.Helper()
	inv := got.(*client.Invitation)
	assert.Equal(t, client.Invitation{
		Object:         "organization_invitation",
		ID:             "orginv_2",
		EmailAddress:   "grace@example.com",
		Role:           "org:admin",
		RoleName:       "Admin",
		OrganizationID: "org_1",
		InviterID:      ptr("user_1"),
		PublicInviterData: &client.InviterData{
			UserID: "user_1", FirstName: ptr("Alan"), LastName: nil,
			ImageURL: "https://img.example.com/u1.png", HasImage: true, Identifier: "alan@example.com",
		},
		Status:          client.Status("someday_new_status"),
		PublicMetadata:  client.Metadata(`{}`),
		PrivateMetadata: client.Metadata(`{"referral": "conf"}`),
		URL:             ptr("https://accounts.example.com/accept?ticket=t"),
		ExpiresAt:       ptr(int64(1781395200000)),
		CreatedAt:       1778803200000,
		UpdatedAt:       1778803200000,
	}, *inv)
}
