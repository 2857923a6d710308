package fake_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/fake"
)

// Every query parameter of every operation, absent, empty, valid, invalid
// and repeated: the fake answers as the spec says (see
// matrix_spec_test.go). An empty value is checked against the
// parameter's schema like any other; a parameter is repeated only where
// its schema is a list sent exploded (status=pending&status=expired), and
// repeating any other is a malformed request.
func TestRequestMatrixQueries(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	status, body := send(t, srv, http.MethodPost, "/organizations/org_q/invitations",
		map[string]any{"email_address": "ada@example.com", "role": "org:member"})
	assert.Equal(t, http.StatusOK, status, body)

	cells := 0
	used := map[string]bool{}
	for _, op := range specOps(t) {
		for _, ref := range op.params {
			p := ref.Value
			if p.In != openapi3.ParameterInQuery {
				continue
			}
			used[p.Name] = true
			ex, ok := queryExamples[p.Name]
			if !ok {
				t.Errorf("%s: query parameter %q has no entry in queryExamples (fake/matrix_spec_test.go): add a valid value and invalid ones", op.id, p.Name)
				continue
			}
			for _, c := range queryCells(t, op, p, ex) {
				cells++
				t.Run(op.id+"/"+p.Name+"/"+c.name, func(t *testing.T) {
					path := strings.ReplaceAll(op.path, "{organization_id}", "org_q")
					status, body := raw(t, srv, strings.ToUpper(op.method), path+"?"+c.query, "")
					checkOutcome(t, c.want, status, body)
				})
			}
		}
	}
	for name := range queryExamples {
		assert.True(t, used[name], "queryExamples has %q, which no operation of the spec takes: drop it", name)
	}
	t.Logf("%d query cells", cells)
}

// queryCell is one query string and what it should get.
type queryCell struct {
	name, query string
	want        outcome
}

// queryCells are the parameter's cells and what the spec expects of each.
func queryCells(t *testing.T, op specOp, p *openapi3.Parameter, ex queryValues) []queryCell {
	t.Helper()
	cell := func(name string, values ...string) queryCell {
		return queryCell{name: name, query: url.Values{p.Name: values}.Encode(), want: queryOutcome(op, p, values)}
	}
	cells := []queryCell{{name: "absent", want: outcome{status: http.StatusOK}}, cell("empty", "")}
	valid := cell("valid", ex.valid)
	assert.Equal(t, http.StatusOK, valid.want.status, "%s: the spec refuses queryExamples' valid %s=%s: fix the table", op.id, p.Name, ex.valid)
	cells = append(cells, valid, cell("repeated", ex.valid, ex.valid))
	if len(ex.invalid) == 0 {
		assert.True(t, unconstrained(p.Schema.Value), "%s: %s has rules a value can break: add invalid values to queryExamples", op.id, p.Name)
	}
	for _, v := range ex.invalid {
		c := cell("invalid="+v, v)
		assert.NotEqual(t, http.StatusOK, c.want.status, "%s: the spec accepts queryExamples' invalid %s=%s: fix the table", op.id, p.Name, v)
		cells = append(cells, c)
	}
	return cells
}

// queryOutcome is what the spec expects of a parameter sent with these
// values: a list exploded takes several, each an item; anything else one.
func queryOutcome(op specOp, p *openapi3.Parameter, values []string) outcome {
	refused := outcome{status: http.StatusBadRequest, param: p.Name}
	s := p.Schema.Value
	if s.Type.Is("array") {
		if len(values) > 1 && !exploded(p) {
			return refused
		}
		s = s.Items.Value
	} else if len(values) > 1 {
		return refused
	}
	for _, v := range values {
		switch queryVerdict(s, v) {
		case refusedType:
			return refused
		case refusedRule:
			return outcome{status: op.refusalStatus(), param: p.Name}
		}
	}
	return outcome{status: http.StatusOK}
}

// exploded reports whether a list parameter is sent as one name=value
// pair an item: form style, exploded unless the spec says otherwise.
func exploded(p *openapi3.Parameter) bool {
	if p.Explode != nil {
		return *p.Explode
	}
	return p.Style == "" || p.Style == openapi3.SerializationForm
}

// queryVerdict judges one value as it travels, a string, against a scalar
// schema: first whether it reads as the schema's type at all.
func queryVerdict(s *openapi3.Schema, v string) verdict {
	var value any = v
	var err error
	switch {
	case s.Type.Is("integer"):
		value, err = strconv.ParseInt(v, 10, 64)
	case s.Type.Is("number"):
		value, err = strconv.ParseFloat(v, 64)
	case s.Type.Is("boolean"):
		value, err = strconv.ParseBool(v)
	}
	if err != nil {
		return refusedType
	}
	if n, ok := value.(int64); ok {
		value = float64(n)
	}
	if s.VisitJSON(value) != nil {
		return refusedRule
	}
	return accepted
}
