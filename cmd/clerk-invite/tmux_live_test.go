package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bar stays live between events: a run paced to production's limits
// settles its first people at once and the next ones only every few
// seconds, and the screen, read every quarter of a second for 20 seconds,
// shows the elapsed time moving on every second all the same. Time here
// is the machine's: the bounds are wide (no stretch of 2.5 s with one
// elapsed value), for a busy machine.
func TestTmuxBarStaysLive(t *testing.T) {
	const n = 60
	srv := newFake(t)
	csvPath := filepath.Join(t.TempDir(), "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(n)), 0o600))
	tm := startInTmux(t, srv, "--csv", csvPath, "--limits", "production", "--no-notify")

	bar := regexp.MustCompile(`\((\d+)/` + strconv.Itoa(n) + `\) .*, elapsed (\d+)s`)
	type sample struct {
		at      time.Duration
		elapsed int
	}
	var samples []sample
	var first time.Time
	screens, last := 0, ""
	start := time.Now()
	for time.Since(start) < 40*time.Second && (first.IsZero() || time.Since(first) < 20*time.Second) {
		screen, err := tm("capture-pane", "-p", "-t", "run").Output()
		require.NoError(t, err)
		screens++
		last = string(screen)
		if m := bar.FindStringSubmatch(last); m != nil {
			if first.IsZero() {
				first = time.Now()
			}
			secs, _ := strconv.Atoi(m[2])
			samples = append(samples, sample{time.Since(first), secs})
		}
		if strings.Contains(last, "exit status ") {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	require.NoError(t, tm("send-keys", "-t", "run", "C-c").Run())
	t.Logf("read %d screens, %d with the bar, over %v; the last:\n%s", screens, len(samples), time.Since(start), trimScreen(last))
	require.NotEmpty(t, samples, "no bar drawn")
	require.Greater(t, samples[len(samples)-1].at, 19*time.Second, "the bar was read for 20 s")

	distinct, stuck, since := map[int]bool{}, time.Duration(0), samples[0]
	for _, s := range samples {
		distinct[s.elapsed] = true
		if s.elapsed != since.elapsed {
			since = s
		}
		stuck = max(stuck, s.at-since.at)
	}
	assert.Less(t, stuck, 2500*time.Millisecond, "the elapsed time stood still on the screen")
	assert.GreaterOrEqual(t, len(distinct), 18, "elapsed values seen in 20 s: %v", distinct)

	waitFor(t, 20*time.Second, "the run to stop on Ctrl-C", func() bool {
		screen, err := tm("capture-pane", "-p", "-t", "run").Output()
		last = string(screen)
		return err == nil && strings.Contains(last, "exit status ")
	})
	t.Logf("after Ctrl-C:\n%s", trimScreen(last))
	assert.Contains(t, last, "exit status 1", "stopped early: exit 1")
}
