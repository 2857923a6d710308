package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// The tests run the built binary as a script would: start it, read the
// base URL off the first line of stdout, drive it over HTTP, stop it with
// a signal.

// binary is the clerk-fake built for the tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clerk-fake-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "clerk-fake")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building clerk-fake: %v\n%s", err, out)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// process is a running clerk-fake.
type process struct {
	cmd    *exec.Cmd
	url    string // the base URL it printed
	admin  string // the admin API's base URL
	stderr *syncBuffer
	exited chan struct{}
}

// syncBuffer is a bytes.Buffer that the process writes while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startTimeout bounds how long the binary may take to print its URL.
const startTimeout = 30 * time.Second

// start runs clerk-fake with args and waits for its URL; the process is
// killed at the end of the test if it is still running.
func start(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, args...), stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	select {
	case p.url = <-lines:
	case <-time.After(startTimeout):
		t.Fatalf("clerk-fake printed no URL in %v; stderr:\n%s", startTimeout, p.stderr)
	}
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/v1$`, p.url, "stderr:\n%s", p.stderr)
	p.admin = strings.TrimSuffix(p.url, "/v1") + "/_fake"
	return p
}

// stop sends sig and returns the exit code.
func (p *process) stop(t *testing.T, sig syscall.Signal) int {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(sig))
	select {
	case <-p.exited:
	case <-time.After(startTimeout):
		t.Fatalf("clerk-fake did not stop on %v; stderr:\n%s", sig, p.stderr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// do sends a plain HTTP request, as curl would, and returns the status
// and the body.
func do(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

const key = "sk_test_clerkFakeBinary"

func newClient(t *testing.T, p *process) *client.Client {
	t.Helper()
	c, err := client.New(client.WithBaseURL(p.url), client.WithSecretKey(key), client.WithoutRequestLimit(), client.WithoutRetries())
	require.NoError(t, err)
	return c
}
