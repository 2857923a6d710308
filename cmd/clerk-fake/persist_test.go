package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// A state that cannot be saved is reported with the --state file and the
// cause, never the temporary file written beside it, and the exit says it
// failed.
func TestFailedSaveNamesTheStateFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		dir   func(t *testing.T) string
		cause string
	}{
		{"its directory is missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") }, "no such file or directory"},
		{"its directory is read-only", func(t *testing.T) string {
			if os.Geteuid() == 0 {
				t.Skip("root writes in a read-only directory")
			}
			dir := t.TempDir()
			require.NoError(t, os.Chmod(dir, 0o500))
			t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
			return dir
		}, "permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(tc.dir(t), "fake.json")
			p := start(t, "--state", state)
			assert.Equal(t, exitFailed, p.stop(t, syscall.SIGTERM), "stderr:\n%s", p.stderr)
			stderr := p.stderr.String()
			assert.Contains(t, stderr, "clerk-fake: saving the state to "+state+": "+tc.cause+"\n")
			assert.NotContains(t, stderr, ".tmp", "the temporary file is not the user's")
			assert.Empty(t, cliwords.Violations(stderr), stderr)
			assert.Empty(t, cliwords.Repeats(stderr), stderr)
		})
	}
}
