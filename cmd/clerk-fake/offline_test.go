package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offlineRecipe returns README.md's "Try it offline" block: the first sh
// block after that heading.
func offlineRecipe(t *testing.T, readme string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "## Try it offline")
	require.True(t, ok, "README.md has a Try it offline section")
	_, block, ok := strings.Cut(section, "```sh\n")
	require.True(t, ok, "the Try it offline section has an sh block")
	block, _, _ = strings.Cut(block, "```")
	return block
}

// recipeTimeout bounds the whole recipe: two builds, a fake, two commands.
const recipeTimeout = 3 * time.Minute

// TestTryItOffline runs README.md's offline recipe as a script does: bash
// with -e and without job control. Its binaries go to a temporary bin/
// instead of the checkout's, and mktemp to the test's temporary folder.
// The recipe must pass, and nothing it started may outlive it: the fake
// holds the script's stderr, so a fake left running makes Wait report
// exec.ErrWaitDelay.
func TestTryItOffline(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	recipe := offlineRecipe(t, string(readme))
	require.Contains(t, recipe, "go build -o bin/ ", "the recipe builds the binaries into bin/")

	bin := t.TempDir()
	script := strings.ReplaceAll(recipe, "bin/", bin+"/")

	ctx, cancel := context.WithTimeout(context.Background(), recipeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-eu", "-o", "pipefail", "-c", script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir(), "CLERK_SECRET_KEY=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 20 * time.Second
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }) // whatever is left of its group
	out, err := cmd.CombinedOutput()
	require.False(t, errors.Is(err, exec.ErrWaitDelay), "a process the recipe started outlived it:\n%s", out)
	require.NoError(t, err, "%s", out)

	for _, email := range []string{"ada@example.com", "lin@example.com", "grace@example.com"} {
		assert.Contains(t, string(out), email)
	}
	assert.Contains(t, string(out), "3 invitations")
}
