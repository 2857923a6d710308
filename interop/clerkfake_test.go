package interop

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestClerkBackendJSAgainstClerkFake runs the same JS suite against the
// built clerk-fake program rather than the package: the program serves
// what the package serves, to a client written in another language, and
// stops cleanly on SIGTERM.
func TestClerkBackendJSAgainstClerkFake(t *testing.T) {
	dir := jsDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "clerk-fake")
	if out, err := command(t, ctx, "..", os.Environ(), "go", "build", "-o", bin, "./cmd/clerk-fake").CombinedOutput(); err != nil {
		t.Fatalf("building clerk-fake: %v\n%s", err, out)
	}
	srv := command(t, ctx, ".", os.Environ(), bin, "--port", "0", "--member", interopOrg+"="+interopMember)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr output
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("clerk-fake printed no URL; stderr:\n%s", stderr.String())
	}
	url := strings.TrimSpace(lines.Text())
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/v1") {
		t.Fatalf("the first line is not the base URL: %q", url)
	}
	go func() { // keep the pipe drained
		for lines.Scan() {
		}
	}()

	runSuite(t, command(t, ctx, dir, suiteEnv(url), "node", "clerk-backend.mjs", url))

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("clerk-fake did not exit 0 on SIGTERM: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("clerk-fake did not stop within 30 s of SIGTERM; stderr:\n%s", stderr.String())
	}
}
