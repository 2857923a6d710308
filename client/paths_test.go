package client_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/oapi-codegen/runtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/gen"
)

// gen's request builders write paths and queries with their own fast code
// (codegen/operations.tmpl). They must mean exactly what oapi-codegen's
// runtime styling means, for plain and awkward inputs alike: each id one
// escaped path segment, each query value form-encoded.
func TestGeneratedPathsMatchRuntimeStyling(t *testing.T) {
	ids := []string{"org_1", "a/b", "x?y=1&z", "hash#tag", "my org", "..%2F", "ünï", "a+b", "~user", "...", "a;b", "%"}
	// An organization id is held to the spec's pattern (no whitespace,
	// control character, / \ ? # or %): the awkward ones it lets through.
	orgs := []string{"org_1", "ünï", "a+b", "~user", "...", "a;b", "x=1&z", "acme-corp", "Org.Name"}
	texts := []string{"ada@example.com", "a+b@example.com", "x y", "&=?#", "ünï", "100%", "a/b"}

	segment := func(name, v string) string {
		s, err := runtime.StyleParamWithLocation("simple", false, name, runtime.ParamLocationPath, v)
		require.NoError(t, err)
		return s
	}
	query := func(pairs ...any) url.Values {
		out := url.Values{}
		for i := 0; i < len(pairs); i += 2 {
			frag, err := runtime.StyleParamWithLocation("form", true, pairs[i].(string), runtime.ParamLocationQuery, pairs[i+1])
			require.NoError(t, err)
			parsed, err := url.ParseQuery(frag)
			require.NoError(t, err)
			for k, vs := range parsed {
				out[k] = append(out[k], vs...)
			}
		}
		return out
	}
	same := func(t *testing.T, req *gen.Request, err error, wantPath string, wantQuery url.Values) {
		t.Helper()
		require.NoError(t, err)
		path, rawQuery, _ := strings.Cut(req.Path, "?")
		assert.Equal(t, wantPath, path)
		gotQuery, err := url.ParseQuery(rawQuery)
		require.NoError(t, err)
		assert.Equal(t, wantQuery, gotQuery, req.Path)
		assert.False(t, strings.ContainsAny(req.Path, " #"), "unescaped in %q", req.Path)
	}

	for _, org := range orgs {
		for _, inv := range ids {
			req, err := gen.NewGetOrganizationInvitationRequest(org, inv)
			same(t, req, err, "organizations/"+segment("organization_id", org)+"/invitations/"+segment("invitation_id", inv), url.Values{})
			req, err = gen.NewRevokeOrganizationInvitationRequest(org, inv, gen.RevokeOrganizationInvitationRequest{})
			same(t, req, err, "organizations/"+segment("organization_id", org)+"/invitations/"+segment("invitation_id", inv)+"/revoke", url.Values{})
		}
		for _, text := range texts {
			p := gen.ListOrganizationInvitationsParams{Status: gen.Status{gen.OrganizationInvitationStatusPending}, EmailAddress: text,
				OrderBy: gen.OrderEmailDesc, Limit: 500, Offset: 7}
			req, err := gen.NewListOrganizationInvitationsRequest(org, p)
			same(t, req, err, "organizations/"+segment("organization_id", org)+"/invitations",
				query("status", "pending", "email_address", text, "order_by", "-email_address", "limit", 500, "offset", 7))
		}
		//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
		req, err := gen.NewListPendingOrganizationInvitationsRequest(org, gen.ListPendingOrganizationInvitationsParams{Limit: 3, Offset: 9})
		same(t, req, err, "organizations/"+segment("organization_id", org)+"/invitations/pending", query("limit", 3, "offset", 9))
	}
	for _, text := range texts {
		p := gen.ListInstanceOrganizationInvitationsParams{Status: gen.Status{gen.OrganizationInvitationStatusRevoked}, Query: text,
			OrderBy: gen.OrderOldestFirst, Limit: 1, Offset: 1000}
		req, err := gen.NewListInstanceOrganizationInvitationsRequest(p)
		same(t, req, err, "organization_invitations",
			query("order_by", "+created_at", "status", "revoked", "query", text, "limit", 1, "offset", 1000))
	}
	// Zero values are left out: the API's defaults apply.
	req, err := gen.NewListOrganizationInvitationsRequest("org_1", gen.ListOrganizationInvitationsParams{})
	require.NoError(t, err)
	assert.Equal(t, "organizations/org_1/invitations", req.Path)
}
