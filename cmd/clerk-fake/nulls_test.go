package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/api"
)

// Clerk's SDKs in other languages send null for every optional field the
// caller left unset. Sent so to the program, with every optional field of
// the spec's request bodies null at once, create, bulk create and revoke
// succeed, and the invitations hold the API's defaults: valid for 30
// days, an email sent, empty metadata, no inviter.
func TestNullsForEveryOptionalFieldGetTheDefaults(t *testing.T) {
	p := start(t, "--secret-key", key)
	org := p.url + "/organizations/org_nulls/invitations"
	invite := func(operationID, email string) map[string]any {
		body := nulls(t, operationID)
		body["email_address"], body["role"] = email, "org:member"
		return body
	}

	status, body := do(t, "POST", org, key, jsonText(t, invite("CreateOrganizationInvitation", "ada@example.com")))
	require.Equal(t, http.StatusOK, status, body)
	var ada map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &ada))
	status, body = do(t, "POST", org+"/bulk", key, jsonText(t, []any{
		invite("CreateOrganizationInvitationBulk", "bob@example.com"), invite("CreateOrganizationInvitationBulk", "cy@example.com"),
	}))
	require.Equal(t, http.StatusOK, status, body)
	var bulk struct{ Data []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body), &bulk))
	require.Len(t, bulk.Data, 2)
	for _, inv := range append([]map[string]any{ada}, bulk.Data...) {
		assertDefaults(t, inv)
	}

	status, body = do(t, "GET", p.admin+"/notifications", "", "")
	require.Equal(t, http.StatusOK, status)
	var emails []struct {
		EmailAddress string `json:"email_address"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &emails))
	var sent []string
	for _, e := range emails {
		sent = append(sent, e.EmailAddress)
	}
	assert.ElementsMatch(t, []string{"ada@example.com", "bob@example.com", "cy@example.com"}, sent, "notify null: the email goes out")

	status, body = do(t, "POST", org+"/"+ada["id"].(string)+"/revoke", key, jsonText(t, nulls(t, "RevokeOrganizationInvitation")))
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"status":"revoked"`)
}

// assertDefaults checks an invitation created with every optional field
// null against the API's defaults.
func assertDefaults(t *testing.T, inv map[string]any) {
	t.Helper()
	assert.Equal(t, "pending", inv["status"])
	assert.Equal(t, "Member", inv["role_name"])
	created, expires := inv["created_at"].(float64), inv["expires_at"].(float64)
	assert.Equal(t, float64(30*24*time.Hour/time.Millisecond), expires-created, "valid for 30 days")
	assert.Equal(t, map[string]any{}, inv["public_metadata"])
	assert.Equal(t, map[string]any{}, inv["private_metadata"])
	assert.Nil(t, inv["inviter_id"])
	assert.Nil(t, inv["public_inviter_data"])
}

// nulls is an object with every optional field of the operation's body
// (of one item, for a list) set to null, as api/openapi.yaml lists them.
func nulls(t *testing.T, operationID string) map[string]any {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != operationID {
				continue
			}
			s := op.RequestBody.Value.Content.Get("application/json").Schema.Value
			if s.Type.Is("array") {
				s = s.Items.Value
			}
			out := map[string]any{}
			for name := range s.Properties {
				if !slices.Contains(s.Required, name) {
					out[name] = nil
				}
			}
			require.NotEmpty(t, out, "%s has optional fields", operationID)
			return out
		}
	}
	t.Fatalf("no operation %s in the spec", operationID)
	return nil
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
