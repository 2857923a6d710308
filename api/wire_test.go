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

func TestWireFormat(t *testing.T) {
	ctx := context.Background()
	const (
		create = "/v1/organizations/org_1/invitations"
		bulk   = "/v1/organizations/org_1/invitations/bulk"
		revoke = "/v1/organizations/org_1/invitations/orginv_1/revoke"
	)
	cases := []struct {
		name, path, want string
		send             func(c *gen.Client) (*http.Response, error)
	}{
		{"create minimal", create, minimalJSON, func(c *gen.Client) (*http.Response, error) {
			return c.CreateOrganizationInvitation(ctx, "org_1", minimalInvitation())
		}},
		{"create full", create, fullJSON, func(c *gen.Client) (*http.Response, error) {
			return c.CreateOrganizationInvitation(ctx, "org_1", fullInvitation())
		}},
		{"bulk minimal", bulk, "[" + minimalJSON + "]", func(c *gen.Client) (*http.Response, error) {
			return c.CreateOrganizationInvitationBulk(ctx, "org_1", []gen.NewOrganizationInvitation{minimalInvitation()})
		}},
		{"bulk full", bulk, "[" + minimalJSON + "," + fullJSON + "]", func(c *gen.Client) (*http.Response, error) {
			return c.CreateOrganizationInvitationBulk(ctx, "org_1", []gen.NewOrganizationInvitation{minimalInvitation(), fullInvitation()})
		}},
		{"revoke minimal", revoke, `{}`, func(c *gen.Client) (*http.Response, error) {
			return c.RevokeOrganizationInvitation(ctx, "org_1", "orginv_1", gen.RevokeOrganizationInvitationRequest{})
		}},
		{"revoke full", revoke, `{"requesting_user_id":"user_1"}`, func(c *gen.Client) (*http.Response, error) {
			return c.RevokeOrganizationInvitation(ctx, "org_1", "orginv_1", gen.RevokeOrganizationInvitationRequest{RequestingUserID: ptr("user_1")})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, got := captureServer(t)
			resp, err := tc.send(c)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, captured{"POST", tc.path, "application/json", tc.want}, *got)
		})
	}
}
