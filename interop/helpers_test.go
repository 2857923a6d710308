package interop

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/fake"
)

// The organization the suites invite to, and the address that is already
// a member of it (for the "already a member" refusals).
const (
	interopOrg    = "org_interop"
	interopMember = "member@example.com"
	interopKey    = "sk_test_interop"
)

// newFake starts a fake with the suites' member, on 127.0.0.1.
func newFake(t *testing.T) *fake.Server {
	t.Helper()
	srv := fake.NewServer(fake.WithMember(interopOrg, interopMember))
	t.Cleanup(srv.Close)
	return srv
}

// jsDir returns interop/js when its node_modules is installed and node is
// on PATH. Otherwise the test is skipped, or fails when
// CLERK_INTEROP_REQUIRE=1 (as `make interop` sets it).
func jsDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("js")
	if err != nil {
		t.Fatal(err)
	}
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not on PATH"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil {
		missing = "interop/js/node_modules is not installed (run `make interop`, or `npm ci` in interop/js)"
	}
	if missing != "" {
		if os.Getenv("CLERK_INTEROP_REQUIRE") == "1" {
			t.Fatal(missing + ", and CLERK_INTEROP_REQUIRE=1")
		}
		t.Skip(missing)
	}
	return dir
}

// suiteEnv is the environment the suites read, on top of this process's.
func suiteEnv(url string) []string {
	return append(os.Environ(),
		"CLERK_INTEROP_URL="+url,
		"CLERK_INTEROP_ORG="+interopOrg,
		"CLERK_INTEROP_MEMBER="+interopMember,
		"CLERK_SECRET_KEY="+interopKey,
	)
}

// command is a child process in its own process group, killed with the
// whole group when ctx ends or the test finishes.
func command(t *testing.T, ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// runSuite runs one SDK suite to its end and checks its verdict: exit
// status 0 and a closing line saying that every check passed.
func runSuite(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(cmd.Path), err, out)
	}
	m := regexp.MustCompile(`(?m)^(.+): (\d+) of (\d+) checks passed$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the suite printed no closing line\n%s", out)
	}
	passed, _ := strconv.Atoi(string(m[2]))
	total, _ := strconv.Atoi(string(m[3]))
	if passed != total || total == 0 {
		t.Fatalf("%s: %d of %d checks passed\n%s", m[1], passed, total, out)
	}
	t.Logf("%s: all %d checks passed", m[1], total)
}

// freePort returns a port of 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// output is a child's combined output, safe to read while it runs.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor polls the output until it matches re, the process exits or ctx
// ends.
func waitFor(ctx context.Context, out *output, re *regexp.Regexp, exited <-chan struct{}) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if re.MatchString(out.String()) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("the process exited")
		case <-tick.C:
		}
	}
}
