package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// requireTmuxEnv makes a missing tmux a failure instead of a skip; CI sets
// it, having installed tmux.
const requireTmuxEnv = "CLERK_INVITE_REQUIRE_TMUX"

// The progress bar as a person sees it: the tool runs in a real terminal
// (a tmux pane of 120 by 30) against a fake slowed down so that the run
// takes a few seconds, and the test reads the screen while it goes and at
// the end. The bar must show a partial count N/M with 0 < N < M at some
// point, then the full count, and the summary must be on the screen.
func TestTmuxProgressBar(t *testing.T) {
	const n = 250
	srv := newFake(t, slowly(200*time.Millisecond))
	csvPath := filepath.Join(t.TempDir(), "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(n)), 0o600))
	tm := startInTmux(t, srv, "--csv", csvPath, "--limits", "none", "--no-notify")

	count := regexp.MustCompile(`\((\d+)/(\d+)\)`)
	var partial, final string // a screen with a partial count (the nearest half way), and the last one
	best := n
	counts := map[int]bool{} // the partial counts seen
	screens := 0
	start := time.Now()
	for time.Since(start) < 40*time.Second {
		screen, err := tm("capture-pane", "-p", "-t", "run").Output()
		require.NoError(t, err)
		screens++
		text := string(screen)
		assertNoKey(t, text)
		if m := count.FindStringSubmatch(text); m != nil {
			done, _ := strconv.Atoi(m[1])
			total, _ := strconv.Atoi(m[2])
			if total == n && done > 0 && done < n {
				counts[done] = true
				if d := abs(done - n/2); d < best {
					best, partial = d, text
				}
			}
		}
		if strings.Contains(text, "exit status ") {
			final = text
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	require.NotEmpty(t, final, "the run did not end within 40 s")
	t.Logf("read %d screens in %v; a screen while the run went:\n%s", screens, took, trimScreen(partial))
	t.Logf("the screen at the end:\n%s", trimScreen(final))

	require.NotEmpty(t, partial, "no screen showed a partial count 0 < N < %d", n)
	assert.GreaterOrEqual(t, len(counts), 3, "the bar moved while the run went: %v", counts)
	assert.Regexp(t, `\d+% \[=*>?\.*\] \(\d+/250\)`, partial, "a bar drawn, with its count")
	assert.Contains(t, partial, "ETA")
	assert.Regexp(t, `100% \[=+\] \(250/250\)`, final, "the full count, the bar full")
	assert.Contains(t, final, "created 250, already there 0, failed 0, to check 0")
	assert.Contains(t, final, "exit status 0")
	assert.Regexp(t, `Summary for `+org+` \(journal .*\):\n\s+created\s+250\n`, final)
	barLines := 0
	for _, line := range strings.Split(final, "\n") {
		if count.MatchString(line) {
			barLines++
		}
	}
	assert.Equal(t, 1, barLines, "the bar redraws itself on one line, never below itself")
	assertOncePerPerson(t, srv, n)
}

// startInTmux runs clerk-invite send against srv, with args, in a tmux
// pane of 120 by 30, and returns what runs tmux commands on its server.
// The pane prints "exit status N" when the tool ends.
func startInTmux(t *testing.T, srv *fake.Server, args ...string) func(args ...string) *exec.Cmd {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv(requireTmuxEnv) == "1" {
			t.Fatalf("tmux is not installed, and %s=1 requires it", requireTmuxEnv)
		}
		t.Skipf("tmux is not installed (set %s=1 to make this a failure)", requireTmuxEnv)
	}
	// A server of its own (-L), with no configuration read (-f), so that
	// neither a user's tmux nor their settings take part.
	socket := fmt.Sprintf("clerk-invite-test-%d-%s", os.Getpid(), t.Name())
	tm := func(args ...string) *exec.Cmd {
		cmd := exec.Command(tmux, append([]string{"-L", socket, "-f", os.DevNull}, args...)...)
		cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+testKey, "TERM=xterm-256color")
		return cmd
	}
	t.Cleanup(func() { _ = tm("kill-server").Run() })
	script := fmt.Sprintf("%s --base-url %s send --org %s %s; echo \"exit status $?\"; sleep 60",
		binary, srv.URL, org, strings.Join(args, " "))
	out, err := tm("new-session", "-d", "-s", "run", "-x", "120", "-y", "30", script).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return tm
}

func abs(x int) int { return max(x, -x) }

// trimScreen drops a screen's empty lines at the end.
func trimScreen(s string) string { return strings.TrimRight(s, "\n ") + "\n" }
