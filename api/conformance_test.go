package api_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invitekit/clerkinvitations/api"
)

// testdata/org-invitations.wire.json records the real API's operations,
// parameters, bodies, statuses and fully resolved schemas (copied from the
// project's reference facts). This test holds api/openapi.yaml to it field
// for field, so CI keeps the contract at zero mismatches even where the
// reference tool beside the project is not available.

type node = map[string]any

// conformance compares a spec (decoded YAML) with the wire facts and
// returns every mismatch.
type conformance struct {
	spec     node
	problems []string
}

func (c *conformance) fail(where, format string, args ...any) {
	c.problems = append(c.problems, where+": "+fmt.Sprintf(format, args...))
}

// deref follows local $refs.
func (c *conformance) deref(n any) node {
	m, _ := n.(node)
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var target any = c.spec
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			target = target.(node)[strings.ReplaceAll(part, "~1", "/")]
		}
		m, _ = target.(node)
	}
	return m
}

// flatten merges allOf parts into one schema.
func (c *conformance) flatten(n any) node {
	m := c.deref(n)
	parts, ok := m["allOf"].([]any)
	if !ok {
		return m
	}
	out := node{}
	props := node{}
	var required []any
	for k, v := range m {
		if k != "allOf" {
			out[k] = v
		}
	}
	if p, ok := m["properties"].(node); ok {
		for k, v := range p {
			props[k] = v
		}
	}
	if r, ok := m["required"].([]any); ok {
		required = append(required, r...)
	}
	for _, part := range parts {
		f := c.flatten(part)
		if p, ok := f["properties"].(node); ok {
			for k, v := range p {
				props[k] = v
			}
		}
		if r, ok := f["required"].([]any); ok {
			required = append(required, r...)
		}
		for _, k := range []string{"type", "nullable", "additionalProperties"} {
			if _, has := out[k]; !has && f[k] != nil {
				out[k] = f[k]
			}
		}
	}
	out["properties"], out["required"] = props, required
	return out
}

func schemaType(s node) any {
	if t, ok := s["type"]; ok {
		return t
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	return nil
}

// norm makes YAML and JSON values comparable (numbers as float64, sorted
// string sets).
func norm(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		sort.Strings(out)
		return out
	}
	return v
}

func (c *conformance) schema(want, got any, where string) {
	w, g := c.flatten(want), c.flatten(got)
	if g == nil {
		c.fail(where, "schema missing")
		return
	}
	if schemaType(w) != schemaType(g) {
		c.fail(where, "type %v, want %v", schemaType(g), schemaType(w))
	}
	if w["nullable"] == true != (g["nullable"] == true) {
		c.fail(where, "nullable %v, want %v", g["nullable"] == true, w["nullable"] == true)
	}
	for _, k := range []string{"enum", "format", "minimum", "maximum", "minItems", "maxItems", "default"} {
		if wv, ok := w[k]; ok && !reflect.DeepEqual(norm(wv), norm(g[k])) {
			c.fail(where, "%s %v, want %v", k, g[k], wv)
		}
	}
	switch schemaType(w) {
	case "object":
		wp, _ := w["properties"].(node)
		gp, _ := g["properties"].(node)
		for name, sub := range wp {
			if _, ok := gp[name]; !ok {
				c.fail(where, "property %q missing", name)
				continue
			}
			c.schema(sub, gp[name], where+"."+name)
		}
		for name := range gp {
			if _, ok := wp[name]; !ok {
				c.fail(where, "property %q is not in the API", name)
			}
		}
		if !reflect.DeepEqual(norm(orEmpty(w["required"])), norm(orEmpty(g["required"]))) {
			c.fail(where, "required %v, want %v", g["required"], w["required"])
		}
		if w["additionalProperties"] == true && (g["additionalProperties"] == nil || g["additionalProperties"] == false) {
			c.fail(where, "must allow additional properties")
		}
	case "array":
		c.schema(w["items"], g["items"], where+"[]")
	}
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

// check compares the whole spec with the wire facts.
func (c *conformance) check(wire node) {
	type op struct {
		method, path string
		op           node
		shared       []any
	}
	ops := map[string]op{}
	paths, _ := c.spec["paths"].(node)
	for path, item := range paths {
		it := c.deref(item)
		shared, _ := it["parameters"].([]any)
		for method, o := range it {
			if m, ok := o.(node); ok && slices.Contains([]string{"get", "post", "put", "patch", "delete"}, method) {
				ops[m["operationId"].(string)] = op{strings.ToUpper(method), path, m, shared}
			}
		}
	}
	if !slices.ContainsFunc(c.spec["servers"].([]any), func(s any) bool { return s.(node)["url"] == wire["server"] }) {
		c.fail("servers", "want %v among them", wire["server"])
	}
	for id, raw := range wire["operations"].(node) {
		want := raw.(node)
		got, ok := ops[id]
		if !ok {
			c.fail(id, "operation missing")
			continue
		}
		if got.method != want["method"] || got.path != want["path"] {
			c.fail(id, "%s %s, want %s %s", got.method, got.path, want["method"], want["path"])
		}
		if got.op["deprecated"] == true != (want["deprecated"] == true) {
			c.fail(id, "deprecated %v, want %v", got.op["deprecated"], want["deprecated"])
		}
		if sec, _ := got.op["security"].([]any); len(sec) == 0 {
			c.fail(id, "no security requirement")
		}
		params := map[string]node{}
		opParams, _ := got.op["parameters"].([]any)
		for _, p := range append(append([]any{}, got.shared...), opParams...) {
			pm := c.deref(p)
			params[pm["in"].(string)+" "+pm["name"].(string)] = pm
		}
		wantParams := map[string]bool{}
		for _, p := range want["parameters"].([]any) {
			wp := p.(node)
			key := wp["in"].(string) + " " + wp["name"].(string)
			wantParams[key] = true
			gp, ok := params[key]
			if !ok {
				c.fail(id, "parameter %s missing", key)
				continue
			}
			if gp["required"] == true != (wp["required"] == true) {
				c.fail(id+" "+key, "required %v, want %v", gp["required"], wp["required"])
			}
			c.schema(wp["schema"], gp["schema"], id+" "+key)
		}
		for key := range params {
			if !wantParams[key] {
				c.fail(id, "parameter %s is not in the API", key)
			}
		}
		wantBody, _ := want["requestBody"].(node)
		gotBody := c.deref(got.op["requestBody"])
		switch {
		case wantBody == nil && gotBody != nil:
			c.fail(id, "request body that the API does not take")
		case wantBody != nil && gotBody == nil:
			c.fail(id, "request body missing")
		case wantBody != nil:
			if gotBody["required"] == true != (wantBody["required"] == true) {
				c.fail(id+" body", "required %v, want %v", gotBody["required"], wantBody["required"])
			}
			c.schema(wantBody["content"].(node)["application/json"].(node)["schema"],
				gotBody["content"].(node)["application/json"].(node)["schema"], id+" body")
		}
		responses, _ := got.op["responses"].(node)
		for code, r := range want["responses"].(node) {
			gr := c.deref(responses[code])
			if gr == nil {
				c.fail(id+" "+code, "response missing")
				continue
			}
			c.schema(r.(node)["content"].(node)["application/json"].(node)["schema"],
				c.deref(gr["content"].(node)["application/json"])["schema"], id+" "+code)
		}
	}
}

func loadConformance(t *testing.T) (*conformance, node) {
	t.Helper()
	var spec node
	require.NoError(t, yaml.Unmarshal(api.OpenAPI, &spec))
	raw, err := os.ReadFile("testdata/org-invitations.wire.json")
	require.NoError(t, err)
	var wire node
	require.NoError(t, json.Unmarshal(raw, &wire))
	return &conformance{spec: spec}, wire
}

func TestSpecConformsToTheRealAPI(t *testing.T) {
	c, wire := loadConformance(t)
	c.check(wire)
	assert.Empty(t, c.problems)
}

// The comparison finds real drift: a dropped field, a loosened bound, an
// extra parameter.
func TestConformanceCatchesDrift(t *testing.T) {
	c, wire := loadConformance(t)
	schemas := c.spec["components"].(node)["schemas"].(node)
	delete(schemas["OrganizationInvitation"].(node)["properties"].(node), "url")
	schemas["NewOrganizationInvitation"].(node)["properties"].(node)["expires_in_days"].(node)["maximum"] = 400
	c.spec["components"].(node)["parameters"].(node)["Limit"].(node)["name"] = "page_size"
	c.check(wire)
	text := strings.Join(c.problems, "\n")
	assert.Contains(t, text, `property "url" missing`)
	assert.Contains(t, text, "maximum 400, want 365")
	assert.Contains(t, text, "parameter query limit missing")
	assert.Contains(t, text, "parameter query page_size is not in the API")
}
