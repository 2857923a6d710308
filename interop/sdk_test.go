// Package interop runs clients that nobody on this project wrote against
// the fake: Clerk's JavaScript backend SDK (js/clerk-backend.mjs), Clerk's
// Go SDK (gosdk, a module of its own), and this project's client through
// Prism, a proxy that validates every request and response against
// api/openapi.yaml. `make interop` installs js/'s packages and runs them
// with CLERK_INTEROP_REQUIRE=1, so that a missing tool fails instead of
// skipping. See README.md to point the SDK suites at another server.
package interop

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// suiteTimeout bounds each child process: building and running a suite
// takes seconds; a hung one is killed with its process group.
const suiteTimeout = 3 * time.Minute

// TestClerkBackendJS runs every organization-invitation method of
// @clerk/backend, error paths included, against the fake.
func TestClerkBackendJS(t *testing.T) {
	dir := jsDir(t)
	srv := newFake(t)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	runSuite(t, command(t, ctx, dir, suiteEnv(srv.URL), "node", "clerk-backend.mjs", srv.URL))
}

// TestClerkSDKGo runs every method of clerk-sdk-go's organizationinvitation
// package, error paths included, against the fake. The suite is built
// first, so that the run's timeout is not spent compiling and only one
// process runs.
func TestClerkSDKGo(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CLERK_INTEROP_REQUIRE") == "1" {
			t.Fatal("go is not on PATH, and CLERK_INTEROP_REQUIRE=1")
		}
		t.Skip("go is not on PATH")
	}
	dir, err := filepath.Abs("gosdk")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "gosdk")
	build := command(t, ctx, dir, gosdkEnv(t, ctx, goTool, dir), goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building interop/gosdk: %v\n%s", err, out)
	}
	srv := newFake(t)
	runSuite(t, command(t, ctx, dir, suiteEnv(srv.URL), bin))
}

// gosdkEnv is the environment that builds interop/gosdk. That module needs
// clerk-sdk-go, which the main module does not, and this test does not
// reach for the network by itself: with a module cache that lacks it, the
// test is skipped. CLERK_INTEROP_REQUIRE=1 (make interop, which vets
// interop/gosdk first and so downloads it) lets the build fetch instead.
func gosdkEnv(t *testing.T, ctx context.Context, goTool, dir string) []string {
	t.Helper()
	if os.Getenv("CLERK_INTEROP_REQUIRE") == "1" {
		return os.Environ()
	}
	offline := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	if out, err := command(t, ctx, dir, offline, goTool, "mod", "download").CombinedOutput(); err != nil {
		line, _, _ := bytes.Cut(bytes.TrimSpace(out), []byte("\n"))
		t.Skipf("interop/gosdk's modules are not in the module cache, and this test does not download them; "+
			"run `make interop`, or `go mod download` in interop/gosdk (%s)", line)
	}
	return offline
}
