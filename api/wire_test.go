package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/gen"
)

// These tests pin the exact bytes the generated client puts on the wire for
// every request body. oapi-codegen has changed, between releases, whether
// optional nullable fields carry omitempty; if an upgrade starts sending
// "field":null for unset fields, these tests fail.

type captured struct {
	method, path, contentType, body string
}

func captureServer(t *testing.T) (*gen.Client, *captured) {
	t.Helper()
	var got captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		got = captured{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), string(b)}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	c, err := gen.NewClient(srv.URL + "/v1")
	require.NoError(t, err)
	return c, &got
}

func ptr[T any](v T) *T { return &v }

func minimalInvitation() gen.NewOrganizationInvitation {
	return gen.NewOrganizationInvitation{EmailAddress: "ada@example.com", Role: "org:member"}
}

func fullInvitation() gen.NewOrganizationInvitation {
	return gen.NewOrganizationInvitation{
		EmailAddress:    "grace@example.com",
		Role:            "org:admin",
		InviterUserID:   ptr("user_1"),
		PublicMetadata:  map[string]any{"team": "compilers", "level": 3},
		PrivateMetadata: map[string]any{"referral": "conf"},
		RedirectURL:     ptr("https://app.example.com/welcome"),
		ExpiresInDays:   ptr(14),
		Notify:          ptr(false),
	}
}

const (
	minimalJSON = `{"email_address":"ada@example.com","role":"org:member"}`
	fullJSON    = `{"email_address":"grace@example.com","expires_in_days":14,"inviter_user_id":"user_1","notify":false,` +
		`"private_metadata":{"referral":"conf"},"public_metadata":{"level":3,"team":"compilers"},` +
		`"redirect_url":"https://app.example.com/welcome","role":"org:admin"}`
)

func TestWireFormatCreate(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		body gen.NewOrganizationInvitation
		want string
	}{
		"minimal": {minimalInvitation(), minimalJSON},
		"full":    {fullInvitation(), fullJSON},
	} {
		t.Run(name, func(t *testing.T) {
			c, got := captureServer(t)
			resp, err := c.CreateOrganizationInvitation(ctx, "org_1", tc.body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, captured{"POST", "/v1/organizations/org_1/invitations", "application/json", tc.want}, *got)
		})
	}
}

func TestWireFormatBulkCreate(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		body []gen.NewOrganizationInvitation
		want string
	}{
		"minimal": {[]gen.NewOrganizationInvitation{minimalInvitation()}, "[" + minimalJSON + "]"},
		"full":    {[]gen.NewOrganizationInvitation{minimalInvitation(), fullInvitation()}, "[" + minimalJSON + "," + fullJSON + "]"},
	} {
		t.Run(name, func(t *testing.T) {
			c, got := captureServer(t)
			resp, err := c.CreateOrganizationInvitationBulk(ctx, "org_1", tc.body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, captured{"POST", "/v1/organizations/org_1/invitations/bulk", "application/json", tc.want}, *got)
		})
	}
}

func TestWireFormatRevoke(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		body gen.RevokeOrganizationInvitationRequest
		want string
	}{
		"minimal": {gen.RevokeOrganizationInvitationRequest{}, `{}`},
		"full":    {gen.RevokeOrganizationInvitationRequest{RequestingUserID: ptr("user_1")}, `{"requesting_user_id":"user_1"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c, got := captureServer(t)
			resp, err := c.RevokeOrganizationInvitation(ctx, "org_1", "orginv_1", tc.body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, captured{"POST", "/v1/organizations/org_1/invitations/orginv_1/revoke", "application/json", tc.want}, *got)
		})
	}
}
