package api_test

import (
	"context"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/api"
)

// strict turns on every check kin-openapi offers, examples and defaults
// included.
var strict = []openapi3.ValidationOption{
	openapi3.EnableExamplesValidation(),
	openapi3.EnableSchemaDefaultsValidation(),
	openapi3.EnableSchemaFormatValidation(),
	openapi3.EnableSchemaPatternValidation(),
	openapi3.EnableMultiError(),
}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	return doc
}

func TestSpecIsValidOpenAPI(t *testing.T) {
	doc := load(t)
	require.NoError(t, doc.Validate(context.Background(), strict...))
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	assert.Equal(t, api.Version, doc.Info.Version, "api.Version must follow info.version")
}

// The validation above really does look at examples: a broken one is caught.
func TestSpecValidationCatchesABadExample(t *testing.T) {
	doc := load(t)
	doc.Components.Schemas["OrganizationInvitation"].Value.Properties["created_at"].Value.Example = "yesterday"
	err := doc.Validate(context.Background(), strict...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid example")
}

func TestSpecHasTheSevenOperations(t *testing.T) {
	doc := load(t)
	want := map[string]string{
		"ListInstanceOrganizationInvitations": "GET /organization_invitations",
		"CreateOrganizationInvitation":        "POST /organizations/{organization_id}/invitations",
		"ListOrganizationInvitations":         "GET /organizations/{organization_id}/invitations",
		"CreateOrganizationInvitationBulk":    "POST /organizations/{organization_id}/invitations/bulk",
		"ListPendingOrganizationInvitations":  "GET /organizations/{organization_id}/invitations/pending",
		"GetOrganizationInvitation":           "GET /organizations/{organization_id}/invitations/{invitation_id}",
		"RevokeOrganizationInvitation":        "POST /organizations/{organization_id}/invitations/{invitation_id}/revoke",
	}
	got := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got[op.OperationID] = method + " " + path

			require.NotEmpty(t, op.Security, "%s: bearer security", op.OperationID)
			assert.Contains(t, (*op.Security)[0], "bearerAuth", op.OperationID)
			assert.Equal(t, op.OperationID == "ListPendingOrganizationInvitations", op.Deprecated, "%s: deprecated", op.OperationID)

			// Every error response, 401 and 429 included, carries ClerkErrors.
			var codes []string
			for code, resp := range op.Responses.Map() {
				codes = append(codes, code)
				if code == "200" {
					continue
				}
				schema := resp.Value.Content.Get("application/json").Schema
				assert.Equal(t, "#/components/schemas/ClerkErrors", schema.Ref, "%s %s", op.OperationID, code)
			}
			sort.Strings(codes)
			assert.Contains(t, codes, "401", op.OperationID)
			assert.Contains(t, codes, "429", op.OperationID)
		}
	}
	assert.Equal(t, want, got)
}
