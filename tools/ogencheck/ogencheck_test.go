// Package ogencheck drives the client that ogen generates from
// api/openapi.yaml (into ../ogenclient, by `make spec`; not committed) against
// a loopback server. It shows that a second, independent generator reads the
// contract the same way we do: the route, the bearer header, nullable fields
// and the typed error responses.
package ogencheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/invitekit/clerkinvitations/tools/ogenclient"
)

type staticKey string

func (k staticKey) BearerAuth(context.Context, ogenclient.OperationName) (ogenclient.BearerAuth, error) {
	return ogenclient.BearerAuth{Token: string(k)}, nil
}

const invitationJSON = `{
  "object": "organization_invitation",
  "id": "orginv_1",
  "email_address": "ada@example.com",
  "role": "org:member",
  "role_name": "Member",
  "organization_id": "org_1",
  "inviter_id": null,
  "public_inviter_data": null,
  "status": "pending",
  "public_metadata": {"team": "compilers"},
  "private_metadata": {},
  "url": null,
  "expires_at": null,
  "created_at": 1778803200000,
  "updated_at": 1778803200000
}`

func TestOgenClientReadsTheContract(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer sk_test_ogen" {
			t.Errorf("Authorization = %q", got)
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/organizations/org_1/invitations/orginv_1":
			_, _ = w.Write([]byte(invitationJSON))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"code":"resource_not_found","message":"not found","long_message":"nothing here"}],"clerk_trace_id":"t1"}`))
		}
	}))
	defer srv.Close()

	c, err := ogenclient.NewClient(srv.URL+"/v1", staticKey("sk_test_ogen"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := c.GetOrganizationInvitation(ctx, ogenclient.GetOrganizationInvitationParams{
		OrganizationID: "org_1", InvitationID: "orginv_1",
	})
	if err != nil {
		t.Fatal(err)
	}
	inv, ok := res.(*ogenclient.OrganizationInvitation)
	if !ok {
		t.Fatalf("got %T, want *OrganizationInvitation", res)
	}
	if inv.ID != "orginv_1" || inv.Role != "org:member" || inv.CreatedAt != 1778803200000 {
		t.Errorf("decoded %+v", inv)
	}
	if !inv.InviterID.Null || !inv.URL.Null || !inv.ExpiresAt.Null || !inv.PublicInviterData.Null {
		t.Errorf("nullable fields not decoded as null: %+v", inv)
	}

	res, err = c.GetOrganizationInvitation(ctx, ogenclient.GetOrganizationInvitationParams{
		OrganizationID: "org_1", InvitationID: "orginv_missing",
	})
	if err != nil {
		t.Fatal(err)
	}
	nf, ok := res.(*ogenclient.GetOrganizationInvitationNotFound)
	if !ok {
		t.Fatalf("got %T, want *GetOrganizationInvitationNotFound", res)
	}
	if len(nf.Errors) != 1 || nf.Errors[0].Code != "resource_not_found" || nf.ClerkTraceID.Value != "t1" {
		t.Errorf("decoded %+v", nf)
	}
}
