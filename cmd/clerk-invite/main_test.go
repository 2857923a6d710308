package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// The tests run the real binary, built once, as a person would: a
// subprocess with CLERK_SECRET_KEY in its environment, pointed at a fake
// Clerk on 127.0.0.1 with --base-url.

// binary is the clerk-invite built for the tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clerk-invite-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "clerk-invite")
	build := exec.Command("go", "build", "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building clerk-invite: %v\n%s", err, out)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// testKey is the only key the tests' fakes accept. No output of the tool
// may ever hold it, nor its secret part.
const testKey = "sk_test_cliKeyThatMustNeverBePrinted0123456789"

const org = "org_cli"

// newFake starts a fake that accepts only testKey.
func newFake(t *testing.T, opts ...fake.Option) *fake.Server {
	t.Helper()
	srv := fake.NewServer(append([]fake.Option{fake.WithSecretKey(testKey)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// fakeClient is a client of srv for a test's own setup and checks.
func fakeClient(t *testing.T, srv *fake.Server) *client.Client {
	t.Helper()
	c, err := srv.NewClient()
	require.NoError(t, err)
	return c
}

// result is how a run of the tool ended.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// command prepares the tool with args, pointed at srv (when not nil),
// with the key in its environment.
func command(srv *fake.Server, args ...string) *exec.Cmd {
	if srv != nil {
		args = append([]string{"--base-url", srv.URL}, args...)
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+testKey)
	return cmd
}

// environWithout is the test's environment less the variable name.
func environWithout(name string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, name+"=") {
			env = append(env, kv)
		}
	}
	return env
}

// cli runs the tool to its end and checks that the key shows nowhere in
// what it printed.
func cli(t *testing.T, srv *fake.Server, args ...string) result {
	t.Helper()
	return finish(t, command(srv, args...))
}

// finish runs a prepared command to its end, within a minute.
func finish(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("clerk-invite %v did not end within a minute\n%s\n%s", cmd.Args[1:], stdout.String(), stderr.String())
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running clerk-invite: %v", err)
	}
	assertNoKey(t, r.stdout+r.stderr)
	return r
}

// assertNoKey fails the test if out holds the key or its secret part.
func assertNoKey(t *testing.T, out string) {
	t.Helper()
	secret := strings.TrimPrefix(testKey, "sk_test_")
	if strings.Contains(out, testKey) || strings.Contains(out, secret) {
		t.Errorf("the secret key was printed:\n%s", out)
	}
}

// writeFile writes content to a file named name in a new temporary
// directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// peopleCSV is a CSV file of n people, person000@example.com onwards.
func peopleCSV(n int) string {
	var b strings.Builder
	b.WriteString("email_address\n")
	for i := range n {
		fmt.Fprintf(&b, "person%03d@example.com\n", i)
	}
	return b.String()
}

// invitationsByEmail groups the fake's invitations of org by address, in
// lower case.
func invitationsByEmail(srv *fake.Server) map[string][]client.Invitation {
	out := map[string][]client.Invitation{}
	for _, inv := range srv.Invitations() {
		if inv.OrganizationID == org {
			key := strings.ToLower(inv.EmailAddress)
			out[key] = append(out[key], inv)
		}
	}
	return out
}

// assertOncePerPerson checks that the fake holds exactly one invitation
// for each of the n people of peopleCSV(n), and no other.
func assertOncePerPerson(t *testing.T, srv *fake.Server, n int) map[string][]client.Invitation {
	t.Helper()
	byEmail := invitationsByEmail(srv)
	twice := 0
	for email, list := range byEmail {
		if len(list) != 1 {
			twice++
			t.Errorf("%s has %d invitations", email, len(list))
		}
	}
	assert.Zero(t, twice, "people invited more than once")
	assert.Len(t, byEmail, n, "one invitation per person")
	for i := range n {
		assert.Contains(t, byEmail, fmt.Sprintf("person%03d@example.com", i))
	}
	return byEmail
}

// loadJournal reads a journal read-only, as status does.
func loadJournal(t *testing.T, path string) []bulkinvite.Entry {
	t.Helper()
	j, err := bulkinvite.OpenJournalReadOnly(path)
	require.NoError(t, err)
	defer j.Close()
	entries, err := j.Load(context.Background(), "")
	require.NoError(t, err)
	return entries
}

// countOps counts the fake's requests by operation.
func countOps(srv *fake.Server) map[string]int {
	ops := map[string]int{}
	for _, r := range srv.Requests() {
		ops[r.Operation]++
	}
	return ops
}

// slowly delays every response of the fake by d, half before the
// request is carried out and half after, so that a run can be stopped
// with requests in flight, some of them carried out already.
func slowly(d time.Duration) fake.Option {
	return fake.WithMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(d / 2)
			next.ServeHTTP(w, r)
			time.Sleep(d / 2)
		})
	})
}

// waitFor polls cond every 10 ms until it holds, or fails the test after
// limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
