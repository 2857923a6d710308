package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

func TestBadInputExitsWith2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	badSeed := write("bad-seed.json", `{"organizations":[{"id":"org_1","nmae":"typo"}]}`)
	badState := write("bad-state.json", `{"version":99}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--port", "-1"}, "--port -1 is not a port"},
		{[]string{"--rate-limits", "fast"}, `--rate-limits "fast" is not off, production or development`},
		{[]string{"--secret-key", "pk_test_1"}, "--secret-key is a publishable key (pk_…), not a secret key"},
		{[]string{"--secret-key", "sk_test a"}, "--secret-key contains whitespace"},
		{[]string{"--member", "ada@example.com"}, `--member "ada@example.com": want ORG=ADDRESS`},
		{[]string{"--role", "org:viewer"}, `--role "org:viewer": want KEY=Name`},
		{[]string{"--org", "org_1", "--org", "org_1=Again"}, "organization org_1 is given twice"},
		{[]string{"--seed", filepath.Join(dir, "missing.json")}, "missing.json: no such file or directory"},
		{[]string{"--seed", badSeed}, `unknown field "nmae"`},
		{[]string{"--state", badState}, "state of version 99, want 1"},
		{[]string{"--request-log", "-5"}, "--request-log -5 is negative"},
		{[]string{"serve"}, `clerk-fake takes flags only, and "serve" is not one`},
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"-port", "0"}, "-port: long flags take two dashes: write --port"},
		{[]string{"-state=x.json"}, "write --state=x.json"},
	} {
		out, err := exec.Command(binary, tc.args...).CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%v: %s", tc.args, out)
		assert.Equal(t, 2, exit.ExitCode(), "%v: %s", tc.args, out)
		assert.Contains(t, string(out), tc.want, tc.args)
	}
	data, err := os.ReadFile(badState)
	require.NoError(t, err)
	assert.Equal(t, `{"version":99}`, string(data), "a state file it cannot read is left as it was")
}

func TestSeedFile(t *testing.T) {
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(`{
		"organizations": [{"id": "org_acme", "name": "Acme", "members": ["lin@example.com"]}],
		"roles": {"org:viewer": "Viewer"},
		"only_declared_organizations": true
	}`), 0o600))
	p := start(t, "--seed", seedFile, "--org", "org_more")
	c := newClient(t, p)
	ctx := context.Background()
	inv, err := c.Create(ctx, "org_acme", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:viewer"})
	require.NoError(t, err)
	assert.Equal(t, "Viewer", inv.RoleName)
	_, err = c.Create(ctx, "org_acme", client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "%v", err)
	_, err = c.List(ctx, "org_more", client.ListParams{})
	assert.NoError(t, err, "--org adds to the seed")
	_, err = c.List(ctx, "org_other", client.ListParams{})
	assert.True(t, client.IsNotFound(err), "only declared organizations: %v", err)
	status, _ := do(t, "GET", p.admin+"/", "", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 0, p.stop(t, syscall.SIGTERM))
}

func TestSeedOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed seed
		err  string
	}{
		{"empty", seed{}, ""},
		{"full", seed{Organizations: []seedOrganization{{ID: "org_1", Members: []string{"a@example.com"}}}, Roles: map[string]string{"org:x": "X"}}, ""},
		{"no id", seed{Organizations: []seedOrganization{{Name: "Acme"}}}, "organizations[0] has no id"},
		{"twice", seed{Organizations: []seedOrganization{{ID: "org_1"}, {ID: "org_1"}}}, "organization org_1 is given twice"},
		{"bad member", seed{Organizations: []seedOrganization{{ID: "org_1", Members: []string{"lin"}}}}, `member "lin" is not an email address`},
		{"empty role", seed{Roles: map[string]string{"": "X"}}, "a role has an empty key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := tc.seed.options()
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			srv := fake.NewServer(opts...) // the options apply
			srv.Close()
		})
	}
}

func TestSlugOf(t *testing.T) {
	for name, want := range map[string]string{"Acme": "acme", "Acme Corp": "acme-corp", "org_1": "org-1", "  Big--Co.  ": "big-co", "Émile": "mile"} {
		assert.Equal(t, want, slugOf(name), name)
	}
}
