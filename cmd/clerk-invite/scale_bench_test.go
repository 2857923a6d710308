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
	"github.com/invitekit/clerkinvitations/internal/benchenv"
)

// BenchmarkBinary measures the built clerk-invite as an ops person runs
// it, on a migration file of 100 organizations: the peak RSS of its
// process (getrusage's ru_maxrss), the time per person and the CPU time
// per person (user and system: other work on a shared machine moves it
// less than the time), at 10,000 and 100,000 people (and 1,000,000 with
// CLERK_INVITE_BENCH_MILLION=1). Three commands: the dry run without
// CLERK_SECRET_KEY (the file and the journal alone), the dry run with it
// (asking the server, a clerk-fake started for it), and the run against a
// clerk-fake with no limits. For the last two it reports the clerk-fake's
// CPU time per person and peak RSS too, the fake being stopped after each
// command, and the machine's load when the command started. The 10,000
// of each is the baseline of its larger runs. -count N runs each size N
// times, in turn.
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
			measureBinary(b, n, func() (*exec.Cmd, *exec.Cmd) {
				cmd := exec.Command(binary, "send", "--csv", csvPath, "--dry-run", "--limits", "none", "--no-notify")
				cmd.Env = environWithout(client.SecretKeyEnv)
				return cmd, nil
			})
		})
		for _, dry := range []bool{true, false} {
			name := "run"
			if dry {
				name = "dry-run-asking"
			}
			b.Run(fmt.Sprintf("%s/people=%d", name, n), func(b *testing.B) {
				measureBinary(b, n, func() (*exec.Cmd, *exec.Cmd) {
					server, base := startFakeBinary(b, fakeBin)
					args := []string{"--base-url", base, "send", "--csv", csvPath, "--limits", "none", "--no-notify",
						"--journal", filepath.Join(b.TempDir(), "bench.journal.db")}
					if dry {
						args = append(args, "--dry-run")
					}
					cmd := exec.Command(binary, args...)
					cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+testKey)
					return cmd, server
				})
			})
		}
	}
}

// measureBinary runs the command prepare makes once per iteration, and
// then stops the clerk-fake it started for it (nil: none); it reports the
// command's peak RSS, time and CPU time per person, and the fake's CPU
// time per person and peak RSS.
func measureBinary(b *testing.B, n int, prepare func() (cmd, server *exec.Cmd)) {
	var took, cpu, serverCPU time.Duration
	var rss, serverRSS int64
	load, hasLoad := benchenv.Load()
	for range b.N {
		b.StopTimer()
		cmd, server := prepare()
		b.StartTimer()
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took += time.Since(start)
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		rss = max(rss, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // KiB on Linux
		if server != nil {
			b.StopTimer()
			_ = server.Process.Signal(os.Interrupt) // a clean stop: its CPU time and RSS are then known
			_ = server.Wait()
			serverCPU += server.ProcessState.UserTime() + server.ProcessState.SystemTime()
			serverRSS = max(serverRSS, server.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
			b.StartTimer()
		}
	}
	people := float64(n * b.N)
	b.ReportMetric(float64(took.Nanoseconds())/people, "ns/person")
	b.ReportMetric(float64(cpu.Nanoseconds())/people, "cpu-ns/person")
	b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
	if serverRSS > 0 {
		b.ReportMetric(float64(serverCPU.Nanoseconds())/people, "fake-cpu-ns/person")
		b.ReportMetric(float64(serverRSS)/1024, "fake-peak-RSS-MiB")
	}
	if hasLoad {
		b.ReportMetric(load, "load")
	}
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
// request log, and returns it and its base URL; it is killed when the
// benchmark ends, unless it was stopped before.
func startFakeBinary(b *testing.B, bin string) (*exec.Cmd, string) {
	cmd := exec.Command(bin, "--secret-key", testKey, "--request-log", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	return cmd, strings.TrimSpace(line)
}
