package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// progress shows a run's progress on stderr: a bar that redraws itself on
// a terminal, plain lines elsewhere (a log file, CI, a pipe). It is fed
// from bulkinvite.Config.Progress, on the run's goroutine, which only
// stores the event; a ticker of its own draws, so that the elapsed time
// and the ETA stay live between events, and no event is left undrawn.
// The rate and the ETA are the run's (bulkinvite.Progress): the rate is
// what settled over a recent window, the ETA the pacer's schedule.
type progress struct {
	w     io.Writer
	plain bool // plain lines, not a bar
	now   func() time.Time

	mu        sync.Mutex
	last      bulkinvite.Progress
	at        time.Time // when last came
	have      bool      // an event came
	drawn     bool      // a bar was drawn: finish ends its line
	printed   string    // the plain line printed last, less its times
	printedAt time.Time

	stop chan struct{}
	done chan struct{}
}

// How often progress is drawn: a bar five times a second, so that it looks
// alive; plain lines once a second at most, and only when the counts
// changed or plainQuiet has passed, so that a log of a long run stays
// short but shows that it goes on.
const (
	barEvery   = 200 * time.Millisecond
	plainEvery = time.Second
	plainQuiet = 30 * time.Second
)

// newProgress starts drawing; finish stops it.
func newProgress(w io.Writer, terminal bool) *progress {
	if terminal {
		return startProgress(w, false, barEvery)
	}
	return startProgress(w, true, plainEvery)
}

// startProgress starts drawing every so often.
func startProgress(w io.Writer, plain bool, every time.Duration) *progress {
	p := &progress{w: w, plain: plain, now: time.Now, stop: make(chan struct{}), done: make(chan struct{})}
	go p.tick(every)
	return p
}

func (p *progress) tick(every time.Duration) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw(false)
			p.mu.Unlock()
		}
	}
}

// update takes a progress event; the next tick draws it.
func (p *progress) update(ev bulkinvite.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last, p.at, p.have = ev, p.now(), true
}

// finish stops the ticker, draws the last event once, and ends the bar's
// line.
func (p *progress) finish() {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// live is the last event brought up to now: its elapsed time grown, its
// ETA shrunk by the time since it came.
func (p *progress) live() bulkinvite.Progress {
	ev, since := p.last, p.now().Sub(p.at)
	ev.Elapsed += since
	if ev.ETA > 0 {
		ev.ETA = max(ev.ETA-since, time.Second)
	}
	return ev
}

// draw shows the live state. The caller holds p.mu.
func (p *progress) draw(final bool) {
	if !p.have {
		return
	}
	ev := p.live()
	c := ev.Counts
	settled, total := c.Settled(), c.Total()
	if p.plain {
		line := fmt.Sprintf("progress: %d/%d settled (%s)", settled, total, tally(c))
		if line == p.printed && (final || p.now().Sub(p.printedAt) < plainQuiet) {
			return // said already: the last line is printed once
		}
		p.printed, p.printedAt = line, p.now()
		fmt.Fprintf(p.w, "%s, %s, ETA %s, elapsed %s\n", line, rate(ev.Rate), eta(ev), roughly(ev.Elapsed))
		return
	}
	if total == 0 {
		return // nothing to draw a bar of
	}
	p.frame(total, settled, fitLine(termColumns(p.w), total, []string{
		tally(c) + ", " + rate(ev.Rate) + ", ETA " + eta(ev) + ", elapsed " + roughly(ev.Elapsed),
		shortTally(c) + ", ETA " + eta(ev),
	}))
}

// frame draws one frame of the bar, settled of total with the
// description. The bar is made anew for each frame, with its value and
// its description, so that a frame is drawn once and whole: the library
// draws on every change of either, and a bar changed twice a frame showed
// the new counts beside the old value ("0% (0/17) ... created 11") and
// drew twice as often as it should. Its line starts with a carriage
// return and ends by erasing the rest, so each frame overwrites the last.
func (p *progress) frame(total, settled int, description string) {
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetTheme(progressbar.ThemeASCII), // draws on any terminal, UTF-8 or not
		progressbar.OptionSetWidth(30),                     // narrowed by the library when the terminal is narrower
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false), // the ETA comes from the pacing, in the description
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionUseANSICodes(true), // erase the rest of the line: the description changes length
	)
	_ = bar.Set(settled) // the one drawing of this frame
	p.drawn = true
}

// fitLine picks the first of the descriptions that fits on one line of a
// terminal cols wide beside the bar, or cuts the last one to fit: a line
// that wraps would be drawn again below itself at every update. cols <= 0
// means the width is unknown.
func fitLine(cols, total int, descriptions []string) string {
	d := descriptions[0]
	if cols <= 0 {
		return d
	}
	// The rest of the line: " 100% [" + a bar of 10 at least + "] (" +
	// total/total + ") ", and a column spare.
	n := len(strconv.Itoa(total))
	room := cols - (7 + 10 + 3 + 2*n + 1 + 2 + 1)
	for _, d = range descriptions {
		if len(d) <= room {
			return d
		}
	}
	return d[:max(0, room)]
}

// tally is the counts a person watches: what the run achieved, what went
// wrong, and what it still has to look up.
func tally(c bulkinvite.Counts) string {
	return fmt.Sprintf("created %d, already there %d, failed %d, to check %d",
		c[bulkinvite.StateCreated], c[bulkinvite.StateAlreadyInvited]+c[bulkinvite.StateAlreadyMember],
		c[bulkinvite.StateFailed], c[bulkinvite.StateCheck])
}

// shortTally is tally for a narrow terminal.
func shortTally(c bulkinvite.Counts) string {
	return fmt.Sprintf("new %d, there %d, failed %d",
		c[bulkinvite.StateCreated], c[bulkinvite.StateAlreadyInvited]+c[bulkinvite.StateAlreadyMember], c[bulkinvite.StateFailed])
}

// rate writes people an hour in the unit that gives a readable number,
// or "?/h" while the run has not settled enough people to say.
func rate(perHour float64) string {
	switch {
	case perHour <= 0:
		return "?/h"
	case perHour >= 3600:
		return strconv.FormatFloat(perHour/3600, 'f', 0, 64) + "/s"
	case perHour >= 60:
		return strconv.FormatFloat(perHour/60, 'f', 0, 64) + "/min"
	}
	return strconv.FormatFloat(perHour, 'f', 0, 64) + "/h"
}

// eta is the estimate of the time left, "done" when nothing is, or "?"
// when there is no estimate yet.
func eta(p bulkinvite.Progress) string {
	switch {
	case p.Counts.Settled() == p.Counts.Total():
		return "done"
	case p.ETA <= 0:
		return "?"
	}
	return roughly(p.ETA)
}

// roughly writes a duration to the second below a minute, to the minute
// below a day: "45s", "12m", "3h05m", "2d4h".
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + "m"
	case d < 24*time.Hour:
		m := int(d.Round(time.Minute) / time.Minute)
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	h := int(d.Round(time.Hour) / time.Hour)
	return fmt.Sprintf("%dd%dh", h/24, h%24)
}

// stateNames are the states as a person reads them.
var stateNames = map[bulkinvite.State]string{
	bulkinvite.StateQueued:         "queued",
	bulkinvite.StateRevoking:       "revoking (resend)",
	bulkinvite.StateSent:           "in flight",
	bulkinvite.StateCheck:          "to check",
	bulkinvite.StateCreated:        "created",
	bulkinvite.StateAlreadyInvited: "already invited",
	bulkinvite.StateAlreadyMember:  "already a member",
	bulkinvite.StateFailed:         "failed",
}

// writeCounts writes one line a state: every final state, and the states
// on the way that someone is in.
func writeCounts(w io.Writer, indent string, c bulkinvite.Counts) {
	width := 0
	for _, name := range stateNames {
		width = max(width, len(name))
	}
	for _, s := range bulkinvite.States {
		if s.Final() || c[s] > 0 {
			fmt.Fprintf(w, "%s%-*s %6d\n", indent, width, stateNames[s], c[s])
		}
	}
	fmt.Fprintf(w, "%s%s\n", indent, strings.Repeat("-", width+7))
	fmt.Fprintf(w, "%s%-*s %6d\n", indent, width, "total", c.Total())
}
