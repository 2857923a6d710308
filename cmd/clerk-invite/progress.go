package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// progress shows a run's progress on stderr: a bar that redraws itself on
// a terminal, plain lines elsewhere (a log file, CI, a pipe). It is fed
// from bulkinvite.Config.Progress, on the run's goroutine, and keeps each
// update quick by drawing at most every few tenths of a second.
type progress struct {
	w       io.Writer
	plain   bool // plain lines, not a bar
	every   time.Duration
	bar     *progressbar.ProgressBar // made at the first event, which tells the total
	last    bulkinvite.Progress
	shown   time.Time
	pending bool // last has not been shown
}

// How often progress is drawn: a bar often enough to look alive, plain
// lines once a second at most, so that a log of a long run stays short.
const (
	barEvery   = 150 * time.Millisecond
	plainEvery = time.Second
)

func newProgress(w io.Writer, terminal bool) *progress {
	if terminal {
		return &progress{w: w, every: barEvery}
	}
	return &progress{w: w, plain: true, every: plainEvery}
}

// update takes a progress event. It draws it unless it comes too soon
// after the last drawing.
func (p *progress) update(ev bulkinvite.Progress) {
	p.last, p.pending = ev, true
	if !p.shown.IsZero() && time.Since(p.shown) < p.every {
		return
	}
	p.draw()
}

// finish draws the last event, whenever it came, and ends the bar's line.
func (p *progress) finish() {
	if p.pending {
		p.draw()
	}
	if p.bar != nil {
		_ = p.bar.Exit()
		fmt.Fprintln(p.w)
	}
}

func (p *progress) draw() {
	p.shown, p.pending = time.Now(), false
	c := p.last.Counts
	settled, total := c.Settled(), c.Total()
	if p.plain {
		fmt.Fprintf(p.w, "progress: %d/%d settled (%s), %s, ETA %s\n", settled, total, tally(c), rate(p.last.Rate), eta(p.last))
		return
	}
	if p.bar == nil {
		if total == 0 {
			return // nothing to draw a bar of
		}
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetTheme(progressbar.ThemeASCII), // draws on any terminal, UTF-8 or not
			progressbar.OptionSetWidth(30),                     // narrowed by the library when the terminal is narrower
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false), // the ETA comes from the pacing, below
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionUseANSICodes(true), // erase the rest of the line: the description changes length
		)
	}
	p.bar.Describe(fitLine(termColumns(p.w), total, []string{
		tally(c) + ", " + rate(p.last.Rate) + ", ETA " + eta(p.last),
		shortTally(c) + ", ETA " + eta(p.last),
	}))
	_ = p.bar.Set(settled)
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
	// total/total + ") [" + elapsed (up to 10) + "] ", and a column spare.
	n := len(strconv.Itoa(total))
	room := cols - (7 + 10 + 3 + 2*n + 1 + 3 + 10 + 2 + 1)
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

// rate writes people an hour in the unit that gives a readable number.
func rate(perHour float64) string {
	switch {
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
