package client_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// Bad input: a *ValidationError naming the field, and no request at all.
func TestValidation(t *testing.T) {
	ctx := context.Background()
	ok := client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
	with := func(edit func(p *client.CreateParams)) client.CreateParams {
		p := ok
		edit(&p)
		return p
	}
	eleven := make([]client.CreateParams, 11)
	for i := range eleven {
		eleven[i] = with(func(p *client.CreateParams) { p.EmailAddress = strings.Repeat("a", i+1) + "@example.com" })
	}

	cases := []struct {
		name, op, field string
		call            func(c *client.Client) error
	}{
		{"create: empty org", "CreateOrganizationInvitation", "organization_id",
			func(c *client.Client) error { _, err := c.Create(ctx, "", ok); return err }},
		{"create: dot-dot org", "CreateOrganizationInvitation", "organization_id",
			func(c *client.Client) error { _, err := c.Create(ctx, "..", ok); return err }},
		{"create: org with a space", "CreateOrganizationInvitation", "organization_id",
			func(c *client.Client) error { _, err := c.Create(ctx, "bad org", ok); return err }},
		{"bulk: org with a slash", "CreateOrganizationInvitationBulk", "organization_id",
			func(c *client.Client) error {
				_, err := c.BulkCreate(ctx, "org_1/x", []client.CreateParams{ok})
				return err
			}},
		{"list: org with a control character", "ListOrganizationInvitations", "organization_id",
			func(c *client.Client) error { _, err := c.List(ctx, "org_\x1b1", client.ListParams{}); return err }},
		{"get: org with a question mark", "GetOrganizationInvitation", "organization_id",
			func(c *client.Client) error { _, err := c.Get(ctx, "org?x", "orginv_1"); return err }},
		{"revoke: org with a newline", "RevokeOrganizationInvitation", "organization_id",
			func(c *client.Client) error {
				_, err := c.Revoke(ctx, "org_1\n", "orginv_1", client.RevokeParams{})
				return err
			}},
		{"create: missing email", "CreateOrganizationInvitation", "email_address",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.EmailAddress = " " }))
				return err
			}},
		{"create: not an email", "CreateOrganizationInvitation", "email_address",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.EmailAddress = "ada" }))
				return err
			}},
		{"create: missing role", "CreateOrganizationInvitation", "role",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.Role = "" }))
				return err
			}},
		{"create: blank role", "CreateOrganizationInvitation", "role",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.Role = " \t " }))
				return err
			}},
		{"bulk: blank role", "CreateOrganizationInvitationBulk", "[1].role",
			func(c *client.Client) error {
				_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{ok, with(func(p *client.CreateParams) { p.EmailAddress, p.Role = "b@example.com", " " })})
				return err
			}},
		{"create: expires_in_days 366", "CreateOrganizationInvitation", "expires_in_days",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.ExpiresInDays = 366 }))
				return err
			}},
		{"create: expires_in_days -1", "CreateOrganizationInvitation", "expires_in_days",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.ExpiresInDays = -1 }))
				return err
			}},
		{"create: metadata that is not JSON", "CreateOrganizationInvitation", "body",
			func(c *client.Client) error {
				_, err := c.Create(ctx, "org_1", with(func(p *client.CreateParams) { p.PublicMetadata = map[string]any{"f": func() {}} }))
				return err
			}},
		{"bulk: no items", "CreateOrganizationInvitationBulk", "body",
			func(c *client.Client) error { _, err := c.BulkCreate(ctx, "org_1", nil); return err }},
		{"bulk: eleven items", "CreateOrganizationInvitationBulk", "body",
			func(c *client.Client) error { _, err := c.BulkCreate(ctx, "org_1", eleven); return err }},
		{"bulk: a bad item names its index", "CreateOrganizationInvitationBulk", "[1].role",
			func(c *client.Client) error {
				_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{ok, {EmailAddress: "grace@example.com"}})
				return err
			}},
		{"bulk: one address twice", "CreateOrganizationInvitationBulk", "[1].email_address",
			func(c *client.Client) error {
				_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{ok, with(func(p *client.CreateParams) { p.EmailAddress = "ADA@example.com" })})
				return err
			}},
		{"bulk: empty org", "CreateOrganizationInvitationBulk", "organization_id",
			func(c *client.Client) error { _, err := c.BulkCreate(ctx, "", []client.CreateParams{ok}); return err }},
		{"list: limit 501", "ListOrganizationInvitations", "limit",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{Limit: 501})
				return err
			}},
		{"list: negative limit", "ListOrganizationInvitations", "limit",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{Limit: -1})
				return err
			}},
		{"list: negative offset", "ListOrganizationInvitations", "offset",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{Offset: -5})
				return err
			}},
		{"list: unknown status", "ListOrganizationInvitations", "status[0]",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{Status: client.Statuses{"archived"}})
				return err
			}},
		{"list: unknown second status", "ListOrganizationInvitations", "status[1]",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{Status: client.Statuses{client.StatusPending, ""}})
				return err
			}},
		{"list: unsigned unknown order", "ListOrganizationInvitations", "order_by",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{OrderBy: "updated_at"})
				return err
			}},
		{"list: malformed order", "ListOrganizationInvitations", "order_by",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{OrderBy: "created_at; drop"})
				return err
			}},
		{"list: double sign", "ListOrganizationInvitations", "order_by",
			func(c *client.Client) error {
				_, err := c.List(ctx, "org_1", client.ListParams{OrderBy: "+-created_at"})
				return err
			}},
		{"list: empty org", "ListOrganizationInvitations", "organization_id",
			func(c *client.Client) error { _, err := c.List(ctx, "", client.ListParams{}); return err }},
		{"instance list: unknown status", "ListInstanceOrganizationInvitations", "status[0]",
			func(c *client.Client) error {
				_, err := c.ListInstance(ctx, client.ListInstanceParams{Status: client.Statuses{"Pending"}})
				return err
			}},
		{"instance list: limit 1000", "ListInstanceOrganizationInvitations", "limit",
			func(c *client.Client) error {
				_, err := c.ListInstance(ctx, client.ListInstanceParams{Limit: 1000})
				return err
			}},
		{"instance list: bad order", "ListInstanceOrganizationInvitations", "order_by",
			func(c *client.Client) error {
				_, err := c.ListInstance(ctx, client.ListInstanceParams{OrderBy: "-"})
				return err
			}},
		{"pending: negative offset", "ListPendingOrganizationInvitations", "offset",
			func(c *client.Client) error {
				//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
				_, err := gen.ListPendingOrganizationInvitations(ctx, c, "org_1", gen.ListPendingOrganizationInvitationsParams{Offset: -1})
				return err
			}},
		{"pending: empty org", "ListPendingOrganizationInvitations", "organization_id",
			func(c *client.Client) error {
				//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
				_, err := gen.ListPendingOrganizationInvitations(ctx, c, "", gen.ListPendingOrganizationInvitationsParams{})
				return err
			}},
		{"get: empty invitation", "GetOrganizationInvitation", "invitation_id",
			func(c *client.Client) error { _, err := c.Get(ctx, "org_1", ""); return err }},
		{"get: dot invitation", "GetOrganizationInvitation", "invitation_id",
			func(c *client.Client) error { _, err := c.Get(ctx, "org_1", "."); return err }},
		{"get: empty org", "GetOrganizationInvitation", "organization_id",
			func(c *client.Client) error { _, err := c.Get(ctx, "", "orginv_1"); return err }},
		{"revoke: empty invitation", "RevokeOrganizationInvitation", "invitation_id",
			func(c *client.Client) error { _, err := c.Revoke(ctx, "org_1", "", client.RevokeParams{}); return err }},
		{"revoke: dot-dot org", "RevokeOrganizationInvitation", "organization_id",
			func(c *client.Client) error {
				_, err := c.Revoke(ctx, "..", "orginv_1", client.RevokeParams{})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
			err := tc.call(rec.client())
			var vErr *client.ValidationError
			require.ErrorAs(t, err, &vErr)
			assert.Equal(t, tc.op, vErr.Operation)
			assert.Equal(t, tc.field, vErr.Field)
			assert.NotEmpty(t, vErr.Reason)
			assert.True(t, strings.HasPrefix(err.Error(), "clerk: "+tc.op+": invalid "+tc.field+": "), err.Error())
			assert.Empty(t, rec.requests(), "nothing may be sent")
		})
	}
}

// The boundaries that are valid are accepted.
func TestValidationBoundariesPass(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(http.StatusOK, pageJSON))
	c := rec.client()
	ten := make([]client.CreateParams, 10)
	for i := range ten {
		ten[i] = client.CreateParams{EmailAddress: strings.Repeat("b", i+1) + "@example.com", Role: "org:member", ExpiresInDays: 1}
	}
	_, err := c.BulkCreate(ctx, "org_1", ten)
	require.NoError(t, err)
	_, err = c.List(ctx, "org_1", client.ListParams{Limit: 500, OrderBy: client.OrderEmailAsc})
	require.NoError(t, err)
	_, err = c.List(ctx, "org_1", client.ListParams{Limit: 1, Status: client.Statuses{client.StatusExpired}})
	require.NoError(t, err)
	_, err = c.List(ctx, "org_1", client.ListParams{Status: client.Statuses{client.StatusPending, client.StatusAccepted, client.StatusRevoked, client.StatusExpired}})
	require.NoError(t, err)
	// Either field, with or without a sign.
	for _, order := range []client.Order{"created_at", "+created_at", "-created_at", "email_address", "+email_address", "-email_address"} {
		_, err = c.ListInstance(ctx, client.ListInstanceParams{OrderBy: order})
		require.NoError(t, err, order)
	}
	rec.setHandler(reply(http.StatusOK, invitationJSON))
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "c@example.com", Role: "r", ExpiresInDays: 365})
	require.NoError(t, err)
	assert.Len(t, rec.requests(), 11)
}

// IDs are escaped as one path segment each: no ID can reach another route.
func TestPathEscaping(t *testing.T) {
	cases := []struct{ org, inv, path string }{
		{"org_1", "orginv_1", "/v1/organizations/org_1/invitations/orginv_1"},
		{"org_1", "a/b", "/v1/organizations/org_1/invitations/a%2Fb"},
		{"org_1", "../../../organization_invitations", "/v1/organizations/org_1/invitations/..%2F..%2F..%2Forganization_invitations"},
		{"org=x&1", "inv#frag", "/v1/organizations/org=x&1/invitations/inv%23frag"},
		{"org_1", "inv 1", "/v1/organizations/org_1/invitations/inv%201"},
		{"org_1", "..%2F", "/v1/organizations/org_1/invitations/..%252F"},
		{"...", "a..b", "/v1/organizations/.../invitations/a..b"},
		{"org_1", "x/revoke", "/v1/organizations/org_1/invitations/x%2Frevoke"},
	}
	for _, tc := range cases {
		t.Run(tc.org+" "+tc.inv, func(t *testing.T) {
			rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
			_, err := rec.client().Get(context.Background(), tc.org, tc.inv)
			require.NoError(t, err)
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tc.path, reqs[0].Path)
			assert.Empty(t, reqs[0].Query, "nothing may spill into the query")
		})
	}
}

// ValidateCreate refuses exactly what Create refuses before sending, with
// the same error.
func TestValidateCreateAgreesWithCreate(t *testing.T) {
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c := rec.client()
	ok := client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
	for _, tc := range []struct {
		org  string
		edit func(p *client.CreateParams)
	}{
		{"", func(*client.CreateParams) {}},
		{"org_1", func(p *client.CreateParams) { p.EmailAddress = "" }},
		{"org_1", func(p *client.CreateParams) { p.EmailAddress = "ada" }},
		{"org_1", func(p *client.CreateParams) { p.Role = "" }},
		{"org_1", func(p *client.CreateParams) { p.Role = "   " }},
		{"org_1", func(p *client.CreateParams) { p.ExpiresInDays = 366 }},
	} {
		p := ok
		tc.edit(&p)
		want := client.ValidateCreate(tc.org, p)
		var v *client.ValidationError
		require.ErrorAs(t, want, &v, "%+v", p)
		_, got := c.Create(context.Background(), tc.org, p)
		assert.Equal(t, want.Error(), got.Error())
	}
	assert.Empty(t, rec.requests())
	assert.NoError(t, client.ValidateCreate("org_1", ok))
}
