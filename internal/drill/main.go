// Command drill rehearses a change of the API on a scratch copy of the
// repository, and proves that the generated core carries it to users or
// that a test names what is missing. It adds to api/openapi.yaml:
//
//   - a query parameter on ListOrganizationInvitations (drill_filter),
//   - a body field on NewOrganizationInvitation (drill_note),
//   - an enum value of OrganizationInvitationStatus (drill_status),
//   - an operation (DrillOrganizationInvitation),
//
// runs `make generate`, and then checks that:
//
//   - everything still builds, the in-memory fake included;
//   - the parameter and the field reach the wire through package client
//     with no other edit (a test written into the copy sends them);
//   - the completeness tests of package client fail, naming the operation
//     and the enum value, and the fake's test names the operation;
//   - the fake's request matrix fails, naming the field and the parameter
//     that its tables of valid and invalid values lack.
//
// The invented names would rightly fail the spec's conformance check
// against the recorded wire facts; the drill runs only the tests that judge
// what package client exposes or names. Run it with `make drill`.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "drill: FAILED:", err)
		os.Exit(1)
	}
	fmt.Println("drill: passed")
}

func run() error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp("", "clerkinvitations-drill-")
	if err != nil {
		return err
	}
	if os.Getenv("DRILL_KEEP") == "" {
		defer os.RemoveAll(scratch)
	}
	if err := copyTree(root, scratch); err != nil {
		return fmt.Errorf("copying the repository: %w", err)
	}
	fmt.Println("drill: scratch copy in", scratch)

	if err := changeSpec(filepath.Join(scratch, "api", "openapi.yaml")); err != nil {
		return fmt.Errorf("editing the spec: %w", err)
	}
	if err := os.WriteFile(filepath.Join(scratch, "client", "drill_exposed_test.go"), []byte(exposedTest), 0o644); err != nil {
		return err
	}

	steps := []struct {
		what      string
		args      []string
		wantFail  bool
		mustNames []string
	}{
		{"regenerate gen/ from the changed spec", []string{"make", "generate"}, false, nil},
		{"build everything, the fake included", []string{"go", "build", "./..."}, false, nil},
		{"vet every test package", []string{"go", "vet", "./client/...", "./fake/..."}, false, nil},
		{"the new parameter and field reach the wire with no other edit",
			[]string{"go", "test", "-count=1", "-run", "TestDrillExposed", "-v", "./client/"}, false,
			[]string{"--- PASS: TestDrillExposed"}},
		{"the completeness tests name the new operation and enum value",
			[]string{"go", "test", "-count=1", "-run", "TestFacadeExposes|TestLeftOutIsCurrent", "./client/"}, true,
			[]string{"operation DrillOrganizationInvitation", `enum value "drill_status" of OrganizationInvitationStatus`}},
		{"the fake's test names the new operation",
			[]string{"go", "test", "-count=1", "-run", "TestServesEveryOperation", "./fake/"}, true,
			[]string{"DrillOrganizationInvitation"}},
		{"the request matrix names the new field and parameter",
			[]string{"go", "test", "-count=1", "-run", "TestRequestMatrix", "./fake/"}, true,
			[]string{`body field "drill_note"`, `query parameter "drill_filter"`}},
	}
	for _, s := range steps {
		fmt.Printf("drill: %s: %s\n", s.what, strings.Join(s.args, " "))
		cmd := exec.Command(s.args[0], s.args[1:]...)
		cmd.Dir = scratch
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		switch {
		case s.wantFail && err == nil:
			return fmt.Errorf("%s: passed, but it should have failed:\n%s", s.what, out.String())
		case !s.wantFail && err != nil:
			return fmt.Errorf("%s: %v:\n%s", s.what, err, out.String())
		}
		for _, name := range s.mustNames {
			if !strings.Contains(out.String(), name) {
				return fmt.Errorf("%s: the output does not name %q:\n%s", s.what, name, out.String())
			}
			fmt.Printf("drill:   named: %s\n", name)
		}
	}
	return nil
}

// changeSpec adds the drill's parameter, field, enum value and operation.
func changeSpec(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return err
	}
	paths := doc["paths"].(map[string]any)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)

	list := paths["/organizations/{organization_id}/invitations"].(map[string]any)["get"].(map[string]any)
	list["parameters"] = append(list["parameters"].([]any), map[string]any{
		"name": "drill_filter", "in": "query", "required": false,
		"description": "A parameter added by the drill.",
		"schema":      map[string]any{"type": "string"},
	})

	props := schemas["NewOrganizationInvitation"].(map[string]any)["properties"].(map[string]any)
	props["drill_note"] = map[string]any{"type": "string", "nullable": true, "description": "A field added by the drill."}

	status := schemas["OrganizationInvitationStatus"].(map[string]any)
	status["enum"] = append(status["enum"].([]any), "drill_status")

	paths["/organizations/{organization_id}/invitations/{invitation_id}/drill"] = map[string]any{
		"parameters": []any{
			map[string]any{"$ref": "#/components/parameters/OrganizationID"},
			map[string]any{"$ref": "#/components/parameters/InvitationID"},
		},
		"get": map[string]any{
			"operationId": "DrillOrganizationInvitation",
			"summary":     "An operation added by the drill",
			"responses": map[string]any{
				"200": map[string]any{"$ref": "#/components/responses/Invitation"},
				"404": map[string]any{"$ref": "#/components/responses/NotFound"},
			},
		},
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// exposedTest is written into the copy's client/: it sends the new query
// parameter and body field through package client, untouched.
const exposedTest = `package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

func TestDrillExposed(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(200, pageJSON))
	_, err := rec.client().List(ctx, "org_1", client.ListParams{DrillFilter: "x y"})
	require.NoError(t, err)
	assert.Equal(t, "drill_filter=x+y", rec.requests()[0].Query)

	rec = newRecorder(t, reply(200, invitationJSON))
	_, err = rec.client().Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member", DrillNote: "hello"})
	require.NoError(t, err)
	assert.Equal(t, ` + "`" + `{"drill_note":"hello","email_address":"ada@example.com","role":"org:member"}` + "`" + `, rec.requests()[0].Body)
}
`

// copyTree copies the repository, leaving out git's data, build output and
// installed tools.
func copyTree(from, to string) error {
	skip := map[string]bool{".git": true, "bin": true, "node_modules": true, "ogenclient": true}
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() && skip[d.Name()] {
			return filepath.SkipDir
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}
