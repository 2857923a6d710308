package fake_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/fake"
)

// Every field of every request body (create, each item of bulk create,
// revoke), sent absent, null, valid and invalid: the fake answers as the
// spec and the wire contract say (see matrix_spec_test.go). An optional
// field sent as null gives the same invitation, and the same email, as
// the field left out.
func TestRequestMatrixBodies(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	m := &bodyMatrix{srv: srv, absent: map[string]result{}}
	used := map[string]bool{}
	for _, op := range specOps(t) {
		obj, list := bodyObject(op)
		if obj == nil {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(obj.Properties)) {
			used[name] = true
			f := bodyField{op: op, obj: obj, list: list, name: name, schema: obj.Properties[name].Value,
				required: slices.Contains(obj.Required, name)}
			if _, ok := bodyExamples[name]; !ok {
				t.Errorf("%s: body field %q has no entry in bodyExamples (fake/matrix_spec_test.go): add a valid value and invalid ones", op.id, name)
				continue
			}
			for _, c := range f.cells(t) {
				t.Run(c.name(), func(t *testing.T) { m.run(t, c) })
			}
		}
	}
	for name := range bodyExamples {
		assert.True(t, used[name], "bodyExamples has %q, which no request body of the spec has: drop it", name)
	}
	t.Logf("%d body cells", m.cells)
}

// bodyObject is the object schema of the operation's JSON body, and
// whether the body is a list of them; nil for an operation without one.
func bodyObject(op specOp) (*openapi3.Schema, bool) {
	if op.op.RequestBody == nil {
		return nil, false
	}
	mt := op.op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return nil, false
	}
	s := mt.Schema.Value
	if s.Type.Is("array") {
		return s.Items.Value, true
	}
	return s, false
}

// bodyField is one field of an operation's body. In a list body it is sent
// in the second item, so that the refusal must name "[1].field".
type bodyField struct {
	op       specOp
	obj      *openapi3.Schema
	list     bool
	name     string
	schema   *openapi3.Schema
	required bool
}

func (f bodyField) param() string {
	if f.list {
		return "[1]." + f.name
	}
	return f.name
}

// bodyCell is one request: the field absent, null, or with a value.
type bodyCell struct {
	f     bodyField
	state string // "absent", "null", "valid" or "invalid"
	value any
	want  outcome
}

func (c bodyCell) name() string {
	s := c.f.op.id + "/" + c.f.name + "/" + c.state
	if c.state == "invalid" {
		s += fmt.Sprintf("=%v", c.value)
	}
	return s
}

// cells are the field's cells and what the spec and the wire contract
// expect of each.
func (f bodyField) cells(t *testing.T) []bodyCell {
	t.Helper()
	ok := outcome{status: http.StatusOK}
	missing := outcome{status: f.op.refusalStatus(), param: f.param(), code: "form_param_missing"}
	ex := bodyExamples[f.name]
	null := judge(t, f.schema, nil)
	var cells []bodyCell
	if f.required {
		assert.NotEqual(t, accepted, null, "%s: the spec lets the required %s be null, but the API refuses null as it refuses a missing value", f.op.id, f.name)
		cells = append(cells, bodyCell{f: f, state: "absent", want: missing}, bodyCell{f: f, state: "null", want: missing})
	} else {
		assert.Equal(t, accepted, null, "%s: the API reads a null %s as one left out, but the spec does not let it be null: mark it nullable: true", f.op.id, f.name)
		cells = append(cells, bodyCell{f: f, state: "absent", want: ok}, bodyCell{f: f, state: "null", want: ok})
	}
	assert.Equal(t, accepted, judge(t, f.schema, ex.valid), "%s: the spec refuses bodyExamples' valid %s %v: fix the table", f.op.id, f.name, ex.valid)
	cells = append(cells, bodyCell{f: f, state: "valid", value: ex.valid, want: ok})
	assert.NotEmpty(t, ex.invalid, "bodyExamples has no invalid value of %s", f.name)
	for _, v := range ex.invalid {
		want := outcome{status: f.op.refusalStatus(), param: f.param()}
		switch judge(t, f.schema, v) {
		case accepted:
			t.Errorf("%s: the spec accepts bodyExamples' invalid %s %v: fix the table", f.op.id, f.name, v)
			continue
		case refusedType:
			want.status = http.StatusBadRequest
		}
		cells = append(cells, bodyCell{f: f, state: "invalid", value: v, want: want})
	}
	return cells
}

// bodyMatrix runs body cells, each in an organization of its own.
type bodyMatrix struct {
	srv    *fake.Server
	cells  int
	absent map[string]result // by operation and field, the answer to the field left out
}

// result is what an accepted request did: the invitation it answered,
// without what differs between any two, and the emails sent.
type result struct {
	invitation map[string]any
	emails     int
}

func (m *bodyMatrix) run(t *testing.T, c bodyCell) {
	m.cells++
	org := fmt.Sprintf("org_matrix%d", m.cells)
	path := strings.ReplaceAll(c.f.op.path, "{organization_id}", org)
	if strings.Contains(path, "{invitation_id}") {
		status, inv := send(t, m.srv, http.MethodPost, "/organizations/"+org+"/invitations",
			map[string]any{"email_address": "pending@example.com", "role": "org:member"})
		require.Equal(t, http.StatusOK, status, inv)
		path = strings.ReplaceAll(path, "{invitation_id}", inv["id"].(string))
	}
	require.NotContains(t, path, "{", "a path parameter the matrix cannot fill: teach run")
	before := m.state(t, org)

	status, body := send(t, m.srv, strings.ToUpper(c.f.op.method), path, c.body())
	checkOutcome(t, c.want, status, body)
	if status != http.StatusOK {
		assert.Equal(t, before, m.state(t, org), "a refused request changes nothing")
		return
	}
	got := m.result(org, body, c.f.list)
	key := c.f.op.id + "/" + c.f.name
	switch c.state {
	case "absent":
		m.absent[key] = got
	case "null":
		want, ok := m.absent[key]
		require.True(t, ok, "the absent cell runs first")
		assert.Equal(t, want, got, "null gives what the field left out gives: the API's default")
	}
}

// body is the cell's request body: the required fields with valid values,
// then the field as the cell has it; in a list, after an item of another
// person (bulk refuses an address twice).
func (c bodyCell) body() any {
	item := map[string]any{}
	for _, name := range c.f.obj.Required {
		item[name] = bodyExamples[name].valid
	}
	switch c.state {
	case "absent":
		delete(item, c.f.name)
	case "null":
		item[c.f.name] = nil
	default:
		item[c.f.name] = c.value
	}
	if !c.f.list {
		return item
	}
	first := map[string]any{}
	for _, name := range c.f.obj.Required {
		first[name] = bodyExamples[name].valid
	}
	first["email_address"] = "someone.else@example.com"
	return []any{first, item}
}

// result reads what an accepted request did in org.
func (m *bodyMatrix) result(org string, body map[string]any, list bool) result {
	inv := body
	if list {
		inv = body["data"].([]any)[1].(map[string]any)
	}
	inv = maps.Clone(inv)
	created, _ := inv["created_at"].(float64)
	if expires, ok := inv["expires_at"].(float64); ok {
		inv["expires_at"] = expires - created // how long it is valid, not when
	}
	for _, k := range []string{"id", "organization_id", "url", "created_at", "updated_at"} {
		delete(inv, k)
	}
	emails := 0
	for _, n := range m.srv.Notifications() {
		if n.OrganizationID == org {
			emails++
		}
	}
	return result{invitation: inv, emails: emails}
}

// state is the organization's invitations as the API lists them.
func (m *bodyMatrix) state(t *testing.T, org string) any {
	t.Helper()
	status, body := send(t, m.srv, http.MethodGet, "/organizations/"+org+"/invitations?limit=500", nil)
	require.Equal(t, http.StatusOK, status, body)
	return body
}
