package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// BenchmarkBinary measures the built clerk-invite as an ops person runs
// it, on a migration file of 100 organizations: the peak RSS of its
// process (getrusage's ru_maxrss) and the time per person, at 10,000 and
// 100,000 people (and 1,000,000 with CLERK_INVITE_BENCH_MILLION=1). Three
// commands: the dry run without CLERK_SECRET_KEY (the file and the journal
// alone), the dry run with it (asking the server, a clerk-fake started
// for it), and the run against a clerk-fake with no limits. The 10,000
// of each is the baseline of its larger runs.
//
//	go test -run '^$' -bench BenchmarkBinary -benchtime 1x -timeout 2h ./cmd/clerk-invite
func BenchmarkBinary(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("CLERK_INVITE_BENCH_MILLION") != "" {
		sizes = append(sizes, 1_000_000)
	}
	fakeBin := filepath.Join(b.TempDir(), "clerk-fake")
	if out, err := exec.Command("go", "build", "-o", fakeBin, "../clerk-fake").CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	for _, n := range sizes {
		csvPath := benchFile(b, n)
		b.Run(fmt.Sprintf("dry-run-no-key/people=%d", n), func(b *testing.B) {
			measureBinary(b, n, func() *exec.Cmd {
				cmd := exec.Command(binary, "send", "--csv", csvPath, "--dry-run", "--limits", "none", "--no-notify")
				cmd.Env = environWithout(client.SecretKeyEnv)
				return cmd
			})
		})
		for _, dry := range []bool{true, false} {
			name := "run"
			if dry {
				name = "dry-run-asking"
			}
			b.Run(fmt.Sprintf("%s/people=%d", name, n), func(b *testing.B) {
				measureBinary(b, n, func() *exec.Cmd {
					base := startFakeBinary(b, fakeBin)
					args := []string{"--base-url", base, "send", "--csv", csvPath, "--limits", "none", "--no-notify",
						"--journal", filepath.Join(b.TempDir(), "bench.journal.db")}
					if dry {
						args = append(args, "--dry-run")
					}
					cmd := exec.Command(binary, args...)
					cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+testKey)
					return cmd
				})
			})
		}
	}
}

// measureBinary runs the command prepare makes once per iteration and
// reports its peak RSS and its time per person.
func measureBinary(b *testing.B, n int, prepare func() *exec.Cmd) {
	var took time.Duration
	var rss int64
	for range b.N {
		b.StopTimer()
		cmd := prepare()
		b.StartTimer()
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took += time.Since(start)
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		rss = max(rss, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // KiB on Linux
	}
	b.ReportMetric(float64(took.Nanoseconds())/float64(n*b.N), "ns/person")
	b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
}

// benchFile writes a migration file of n people in 100 organizations.
func benchFile(b *testing.B, n int) string {
	path := filepath.Join(b.TempDir(), fmt.Sprintf("people-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "organization_id,email_address,role")
	for i := range n {
		fmt.Fprintf(w, "org_%03d,person%07d@example.com,org:member\n", i*100/n, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// startFakeBinary starts the built clerk-fake, with no limits and no
// request log, and returns its base URL; it stops when the benchmark ends.
func startFakeBinary(b *testing.B, bin string) string {
	cmd := exec.Command(bin, "--secret-key", testKey, "--request-log", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimSpace(line)
}
