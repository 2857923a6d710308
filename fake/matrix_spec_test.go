package fake_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/api"
	"github.com/invitekit/clerkinvitations/fake"
)

// The request matrix (matrix_test.go, matrix_query_test.go) sends every
// field of every request body, and every query parameter of the lists,
// absent, null or empty, valid and invalid, as plain HTTP. What each cell
// expects comes from api/openapi.yaml, read here with kin-openapi (not
// through gen or the fake), and from the rules of the wire contract
// (../shared/wire-contract.md, "Request bodies"):
//
//   - an optional field sent as null means the field left out: the API's
//     default applies, and the spec must let the field be null;
//   - a required field absent or null is refused as missing;
//   - a value of the wrong type is a 400 (the spec's BadRequest: "a
//     parameter of the wrong type");
//   - a value that breaks a bound, a pattern or an enum is a 422 where the
//     operation lists 422, else a 400;
//   - every refusal is Clerk's error body naming the field in
//     meta.param_name, and changes nothing.
//
// The valid and invalid values are the tables below. A field or parameter
// that the spec gains without an entry fails the matrix, naming what to
// add; so does a table entry that the spec does not judge as the table
// says.

// bodyExamples are, for each request body field by name, a value the spec
// accepts and values it refuses.
var bodyExamples = map[string]examples{
	"email_address":      {valid: "ada@example.com", invalid: []any{42}},
	"role":               {valid: "org:admin", invalid: []any{"   ", true}},
	"inviter_user_id":    {valid: "user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ", invalid: []any{42}},
	"public_metadata":    {valid: map[string]any{"team": "compilers"}, invalid: []any{"compilers", []any{1}}},
	"private_metadata":   {valid: map[string]any{"referral": "conference"}, invalid: []any{[]any{"x"}}},
	"redirect_url":       {valid: "https://app.example.com/welcome", invalid: []any{false}},
	"expires_in_days":    {valid: 14, invalid: []any{0, 366, "14", 1.5}},
	"notify":             {valid: false, invalid: []any{"yes", 0}},
	"requesting_user_id": {valid: "user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ", invalid: []any{42}},
}

// queryExamples are the same for the lists' query parameters, as they
// travel: a parameter whose schema no string can break has no invalid one.
var queryExamples = map[string]queryValues{
	"limit":         {valid: "5", invalid: []string{"0", "501", "ten", "2.5"}},
	"offset":        {valid: "3", invalid: []string{"-1", "x"}},
	"status":        {valid: "pending", invalid: []string{"archived", "PENDING"}},
	"order_by":      {valid: "+email_address", invalid: []string{"-role", "created_at,email_address"}},
	"query":         {valid: "example.com"},
	"email_address": {valid: "ada@example.com"},
}

type examples struct {
	valid   any
	invalid []any
}

type queryValues struct {
	valid   string
	invalid []string
}

// specOp is an operation of the spec, as the matrix reads it.
type specOp struct {
	id, method, path string
	op               *openapi3.Operation
	params           openapi3.Parameters // the path's and the operation's
}

// refusalStatus is the status with which the operation refuses a value
// that breaks a rule: 422 where it lists 422, else 400.
func (o specOp) refusalStatus() int {
	if o.op.Responses.Value("422") != nil {
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest
}

var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData(api.OpenAPI)
})

// specOps lists the spec's operations, sorted by path and method.
func specOps(t *testing.T) []specOp {
	t.Helper()
	doc, err := loadSpec()
	require.NoError(t, err)
	var ops []specOp
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			params := append(slices.Clone(item.Parameters), op.Parameters...)
			ops = append(ops, specOp{id: op.OperationID, method: method, path: path, op: op, params: params})
		}
	}
	slices.SortFunc(ops, func(a, b specOp) int { return strings.Compare(a.path+a.method, b.path+b.method) })
	return ops
}

// verdict is how the spec judges a value against a schema: accepted, or
// refused for its type (400) or for another rule (422 where listed).
type verdict int

const (
	accepted verdict = iota
	refusedType
	refusedRule
)

func (v verdict) String() string {
	return [...]string{"accepted", "refused for its type", "refused by a rule"}[v]
}

// judge validates v against s as JSON, a JSON round trip first so that
// numbers are what a decoder makes of them.
func judge(t *testing.T, s *openapi3.Schema, v any) verdict {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var value any
	require.NoError(t, json.Unmarshal(b, &value))
	err = s.VisitJSON(value)
	var se *openapi3.SchemaError
	switch {
	case err == nil:
		return accepted
	case errors.As(err, &se) && (se.SchemaField == "type" || se.SchemaField == "nullable"):
		return refusedType
	default:
		return refusedRule
	}
}

// unconstrained reports whether every string is a value of s.
func unconstrained(s *openapi3.Schema) bool {
	return s.Type.Is("string") && s.Pattern == "" && len(s.Enum) == 0 && s.MinLength == 0 &&
		s.MaxLength == nil && s.Format == ""
}

// outcome is what a cell expects: a status, and for a refusal the
// parameter it names and, when it matters, its code.
type outcome struct {
	status int
	param  string
	code   string // "" for any form_param_ code
}

func (o outcome) String() string {
	if o.status == http.StatusOK {
		return "200"
	}
	return fmt.Sprintf("%d naming %s %s", o.status, o.param, o.code)
}

// send sends one request as plain HTTP (body nil: none) and returns the
// status and the decoded JSON body.
func send(t *testing.T, srv *fake.Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	text := ""
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		text = string(b)
	}
	return raw(t, srv, method, path, text)
}

// checkOutcome asserts that a response is the outcome: a 200, or Clerk's
// error body with the parameter named.
func checkOutcome(t *testing.T, want outcome, status int, body map[string]any) {
	t.Helper()
	if !assert.Equal(t, want.status, status, "want %v; got %v", want, body) || status == http.StatusOK {
		return
	}
	errs, _ := body["errors"].([]any)
	require.Len(t, errs, 1, "Clerk's error body: %v", body)
	e, _ := errs[0].(map[string]any)
	meta, _ := e["meta"].(map[string]any)
	assert.Equal(t, want.param, meta["param_name"], "meta.param_name of %v", e)
	assert.NotEmpty(t, e["message"])
	assert.NotEmpty(t, e["long_message"])
	assert.NotEmpty(t, body["clerk_trace_id"])
	code, _ := e["code"].(string)
	if want.code != "" {
		assert.Equal(t, want.code, code)
	} else {
		assert.True(t, strings.HasPrefix(code, "form_param_"), "code %q", code)
	}
}

// An id of the path that breaks the spec's rule names nothing there can
// be: create, bulk create, revoke and get answer 404 resource_not_found,
// naming it, as for an id the fake does not know, and the refused
// creates make no organization.
func TestAnIDOfThePathThatBreaksItsRuleIsNotFound(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	item := map[string]any{"email_address": "ada@example.com", "role": "org:member"}
	for _, tc := range []struct {
		method, path string
		body         any
		param        string
	}{
		{http.MethodPost, "/organizations/org%201/invitations", item, "organization_id"},
		{http.MethodPost, "/organizations/org%201/invitations", map[string]any{}, "organization_id"},
		{http.MethodPost, "/organizations/org%201/invitations/bulk", []any{item}, "organization_id"},
		{http.MethodPost, "/organizations/org_1/invitations/orginv%201/revoke", map[string]any{}, "invitation_id"},
		{http.MethodGet, "/organizations/org_1/invitations/orginv%201", nil, "invitation_id"},
	} {
		status, body := send(t, srv, tc.method, tc.path, tc.body)
		checkOutcome(t, outcome{status: http.StatusNotFound, param: tc.param, code: "resource_not_found"}, status, body)
	}
	snap, err := srv.Snapshot()
	require.NoError(t, err)
	assert.NotContains(t, string(snap), "org 1", "no organization made for a refused create")
}
