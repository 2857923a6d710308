package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offlineCommands returns the command lines of README.md's "Try it
// offline" block: comments and a trailing & dropped, split on spaces (the
// block quotes nothing).
func offlineCommands(t *testing.T, readme string) [][]string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "## Try it offline")
	require.True(t, ok, "README.md has a Try it offline section")
	_, block, ok := strings.Cut(section, "```sh\n")
	require.True(t, ok)
	block, _, _ = strings.Cut(block, "```")
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line, _, _ = strings.Cut(line, "#")
		out = append(out, strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), "&")))
	}
	return out
}

// TestTryItOffline runs README.md's three commands as they are written,
// with the built binaries for `go run`, any free port for 8099 and a
// temporary directory for /tmp.
func TestTryItOffline(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	cmds := offlineCommands(t, string(readme))
	require.Len(t, cmds, 3, "three commands")

	invite := filepath.Join(t.TempDir(), "clerk-invite")
	build := exec.Command("go", "build", "-o", invite, "./cmd/clerk-invite")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	require.Equal(t, []string{"go", "run", "./cmd/clerk-fake", "--port", "8099"}, cmds[0])
	p := start(t, "--port", "0")
	tmp := t.TempDir()
	var outputs []string
	for _, args := range cmds[1:] {
		var env []string
		for len(args) > 0 && strings.Contains(args[0], "=") {
			env, args = append(env, args[0]), args[1:]
		}
		require.Equal(t, []string{"go", "run", "./cmd/clerk-invite"}, args[:3], args)
		args = args[3:]
		for i, a := range args {
			a = strings.ReplaceAll(a, "http://127.0.0.1:8099/v1", p.url)
			args[i] = strings.Replace(a, "/tmp/", tmp+"/", 1)
		}
		cmd := exec.Command(invite, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v:\n%s", args, out)
		outputs = append(outputs, string(out))
	}
	assert.Contains(t, outputs[0], "created                3")
	for _, email := range []string{"ada@example.com", "lin@example.com", "grace@example.com"} {
		assert.Contains(t, outputs[1], email)
	}
	assert.Contains(t, outputs[1], "3 invitations")
	assert.Equal(t, 0, p.stop(t, syscall.SIGTERM))
}

// examples/offline/try.sh, the offline story as a script would run it
// (built binaries, a free port, the fake stopped by its process id), runs
// with bash to exit 0 and leaves no clerk-fake running: none of the
// processes it started from its temporary folder is left.
func TestTryScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	tmp := t.TempDir() // the script's mktemp -d lands here
	cmd := exec.Command(bash, "../../examples/offline/try.sh")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	assert.Regexp(t, `created\s+3\n`, text)
	assert.Contains(t, text, "3 invitations")
	pid := regexp.MustCompile(`clerk-fake \(process (\d+)\) stopped`).FindStringSubmatch(text)
	require.NotNil(t, pid, "the script says it stopped the fake:\n%s", text)
	n, _ := strconv.Atoi(pid[1])
	assert.ErrorIs(t, syscall.Kill(n, 0), syscall.ESRCH, "clerk-fake (process %d) is gone", n)
	assert.Empty(t, processesUnder(t, tmp), "no process left running from the script's folder")
}

// processesUnder lists the running processes whose program lies under
// dir (Linux's /proc; elsewhere none are found).
func processesUnder(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && strings.HasPrefix(exe, dir) {
			found = append(found, e.Name()+" "+exe)
		}
	}
	return found
}
