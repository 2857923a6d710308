package client

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/gen"
)

// The facade builds its own URLs (for speed); they must be exactly what the
// generated client builds from the spec, for plain and awkward inputs alike.
func TestRoutesMatchTheGeneratedClient(t *testing.T) {
	const base = "https://api.clerk.com/v1/"
	ids := []string{"org_1", "a/b", "x?y=1&z", "hash#tag", "my org", "..%2F", "ünï", "a+b", "~user", "..."}
	texts := []string{"ada@example.com", "a+b@example.com", "x y", "&=?#", "ünï", "-created_at", "+email_address"}

	same := func(t *testing.T, route string, build func() (*http.Request, error)) {
		t.Helper()
		want, err := build()
		require.NoError(t, err)
		assert.Equal(t, want.URL.String(), base+route)
	}
	for _, org := range ids {
		for _, inv := range ids {
			same(t, invitationRoute(org, inv), func() (*http.Request, error) {
				return gen.NewGetOrganizationInvitationRequest(base, org, inv)
			})
			same(t, revokeRoute(org, inv), func() (*http.Request, error) {
				return gen.NewRevokeOrganizationInvitationRequestWithBody(base, org, inv, "application/json", nil)
			})
		}
		same(t, invitationsRoute(org), func() (*http.Request, error) {
			return gen.NewCreateOrganizationInvitationRequestWithBody(base, org, "application/json", nil)
		})
		same(t, bulkRoute(org), func() (*http.Request, error) {
			return gen.NewCreateOrganizationInvitationBulkRequestWithBody(base, org, "application/json", nil)
		})
		for _, text := range texts {
			p := ListParams{Status: StatusPending, EmailAddress: text, OrderBy: text, Limit: 500, Offset: 7}
			same(t, listRoute(org, &p), func() (*http.Request, error) {
				status := gen.OrganizationInvitationStatus(p.Status)
				return gen.NewListOrganizationInvitationsRequest(base, org, &gen.ListOrganizationInvitationsParams{
					Status: &status, EmailAddress: &p.EmailAddress, OrderBy: &p.OrderBy, Limit: &p.Limit, Offset: &p.Offset,
				})
			})
		}
		same(t, listPendingRoute(org, &ListPendingParams{Limit: 3, Offset: 9}), func() (*http.Request, error) {
			limit, offset := 3, 9
			return gen.NewListPendingOrganizationInvitationsRequest(base, org, &gen.ListPendingOrganizationInvitationsParams{Limit: &limit, Offset: &offset})
		})
	}
	for _, text := range texts {
		p := ListInstanceParams{Status: StatusRevoked, Query: text, OrderBy: text, Limit: 1, Offset: 1000}
		same(t, listInstanceRoute(&p), func() (*http.Request, error) {
			status := gen.OrganizationInvitationStatus(p.Status)
			return gen.NewListInstanceOrganizationInvitationsRequest(base, &gen.ListInstanceOrganizationInvitationsParams{
				Status: &status, Query: &p.Query, OrderBy: &p.OrderBy, Limit: &p.Limit, Offset: &p.Offset,
			})
		})
	}
	// Zero values are left out, as the generated client leaves out nil ones.
	same(t, listRoute("org_1", &ListParams{}), func() (*http.Request, error) {
		return gen.NewListOrganizationInvitationsRequest(base, "org_1", &gen.ListOrganizationInvitationsParams{})
	})
}
