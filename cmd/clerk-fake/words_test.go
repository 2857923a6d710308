package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// Every error path of clerk-fake, through the built binary: exit 2, the
// flag or the file at fault named, no Go package or function in what it
// prints, nothing said twice.
func TestEveryErrorPathSpeaksPlainly(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	busy := strconv.Itoa(taken.Addr().(*net.TCPAddr).Port)
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--port", "-1"}, "--port -1 is not a port from 0 to 65535"},
		{[]string{"--port", "http"}, `--port "http" is not a whole number`},
		{[]string{"--port", busy}, "--port " + busy + ": another program uses this port"},
		{[]string{"-port", "0"}, "-port: long flags take two dashes: write --port"},
		{[]string{"--nope"}, "unknown flag: --nope"},
		{[]string{"serve"}, `clerk-fake takes flags only, and "serve" is not one`},
		{[]string{"--rate-limits", "fast"}, `--rate-limits "fast" is not off, production or development`},
		{[]string{"--secret-key", "pk_test_abc"}, "--secret-key is a publishable key"},
		{[]string{"--member", "ada@example.com"}, `--member "ada@example.com": want ORG=ADDRESS`},
		{[]string{"--role", "viewer"}, `--role "viewer": want KEY=Name`},
		{[]string{"--request-log", "-5"}, "--request-log -5 is negative"},
		{[]string{"--shutdown-timeout", "soon"}, `--shutdown-timeout "soon" is not a duration`},
		{[]string{"--shutdown-timeout", "0s"}, "--shutdown-timeout must be positive"},
		{[]string{"--webhook-url", "http://127.0.0.1:9/hook"}, "--webhook-url and --webhook-secret go together"},
		{[]string{"--webhook-url", "ftp://x", "--webhook-secret", "whsec_AAAA"}, `--webhook-url "ftp://x" is not an http or https URL`},
		{[]string{"--seed", filepath.Join(dir, "missing.json")}, "missing.json: no such file or directory"},
		{[]string{"--seed", write("syntax.json", `{"organizations": [}`)}, "syntax.json: not valid JSON at byte"},
		{[]string{"--seed", write("field.json", `{"organizations":[{"id":"org_1","nmae":"typo"}]}`)}, `field.json: unknown field "nmae"`},
		{[]string{"--seed", write("type.json", `{"organizations":{"id":"org_1"}}`)}, "type.json: organizations holds a JSON object where it needs a list"},
		{[]string{"--seed", write("noid.json", `{"organizations":[{"name":"Acme"}]}`)}, "organizations[0] has no id"},
		{[]string{"--state", write("old.json", `{"version":99}`)}, "old.json: state of version 99, want 1"},
		{[]string{"--state", write("text.json", "hello")}, "text.json: not a state clerk-fake saved: not valid JSON"},
		{[]string{"--state", write("shape.json", `{"version":"1"}`)}, "shape.json: not a state clerk-fake saved: version holds a JSON string where it needs a number"},
		{[]string{"--state", write("twice.json", `{"version":1,"organizations":[{"id":"org_1"}],"invitations":[{"id":"orginv_1","organization_id":"org_1"},{"id":"orginv_1","organization_id":"org_1"}]}`)}, "twice.json: invitation orginv_1 appears twice"},
	} {
		out, err := exec.Command(binary, tc.args...).CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%v: %s", tc.args, out)
		assert.Equal(t, exitBadInput, exit.ExitCode(), "%v: %s", tc.args, out)
		assert.Contains(t, string(out), tc.says, tc.args)
		assert.Empty(t, cliwords.Violations(string(out)), "%v: %s", tc.args, out)
		assert.Empty(t, cliwords.Repeats(string(out)), "%v: %s", tc.args, out)
	}
}
