package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// The plain lines: a tick that shows the last event leaves nothing for
// finish to repeat; the same counts are said again only after plainQuiet;
// and the times shown move on from the event's.
func TestPlainProgressDrawing(t *testing.T) {
	var buf bytes.Buffer
	p := startProgress(&buf, true, time.Hour) // the test ticks
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	tick := func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.draw(false)
	}
	ev := bulkinvite.Progress{Counts: bulkinvite.Counts{bulkinvite.StateCreated: 1, bulkinvite.StateQueued: 1}, Elapsed: time.Second, ETA: time.Minute}
	p.update(ev)
	tick()
	now = now.Add(10 * time.Second)
	tick() // nothing new, and not quiet for long: no line
	now = now.Add(plainQuiet)
	tick() // quiet for long: said again, with the times moved on
	ev.Counts = bulkinvite.Counts{bulkinvite.StateCreated: 2}
	p.update(ev)
	tick()
	p.finish() // the last event was shown: not again
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	assert.Equal(t, []string{
		"progress: 1/2 settled (created 1, already there 0, failed 0, to check 0), ?/h, ETA 1m, elapsed 1s",
		"progress: 1/2 settled (created 1, already there 0, failed 0, to check 0), ?/h, ETA 20s, elapsed 41s",
		"progress: 2/2 settled (created 2, already there 0, failed 0, to check 0), ?/h, ETA done, elapsed 1s",
	}, lines)
}
