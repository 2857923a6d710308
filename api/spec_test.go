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

// Every nullable field says what null means, so that the users of every
// generator read the same rule: for a request body field, "Absent or
// null, …" (null is the field left out); for a response field, when it is
// null.
func TestSpecSaysWhatNullMeans(t *testing.T) {
	doc := load(t)
	requests := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					requests[schemaName(doc, mt.Schema.Value)] = true
				}
			}
		}
	}
	checked := 0
	for name, ref := range doc.Components.Schemas {
		visitProperties(name, ref.Value, func(path string, p *openapi3.Schema) {
			if !p.Nullable {
				return
			}
			checked++
			if requests[name] {
				assert.Contains(t, p.Description, "Absent or null, ", "%s: say what the API does with the field absent or null", path)
			} else {
				assert.Contains(t, p.Description, "null", "%s: say when the field is null", path)
			}
		})
	}
	assert.NotZero(t, checked)
}

// schemaName is the component name of s, or of its items for a list.
func schemaName(doc *openapi3.T, s *openapi3.Schema) string {
	if s.Type.Is("array") {
		s = s.Items.Value
	}
	for name, ref := range doc.Components.Schemas {
		if ref.Value == s {
			return name
		}
	}
	return ""
}

// visitProperties calls f for every property of s, nested ones included.
func visitProperties(path string, s *openapi3.Schema, f func(path string, p *openapi3.Schema)) {
	for name, ref := range s.Properties {
		f(path+"."+name, ref.Value)
		visitProperties(path+"."+name, ref.Value, f)
	}
	if s.Items != nil {
		visitProperties(path+"[]", s.Items.Value, f)
	}
}
