package main

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// frameLog records what the bar writes, and when (the bubble's time).
type frameLog struct {
	mu     sync.Mutex
	frames []frame
}

type frame struct {
	at   time.Time
	text string
}

func (l *frameLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := string(p); strings.HasPrefix(s, "\r") || len(l.frames) == 0 {
		l.frames = append(l.frames, frame{time.Now(), s})
	} else {
		l.frames[len(l.frames)-1].text += s
	}
	return len(p), nil
}

// The bar of a run of 1,500 people at Clerk's production limits, in
// simulated time (testing/synctest: the run, the client, the fake on its
// in-memory network and the bar's ticker share the bubble's clock, so two
// hours pass in a second or so, the same on every machine): it is drawn
// five times a second; every frame's count agrees with its tallies, the
// first one too; once the rate's window is full, the rate is the pacer's
// within 10%; and the ETA is the time the run really took to finish,
// within 10%, from start to end. A second run is paused for half an hour
// by 429s half an hour in: from the pause on, the ETA counts it, and the
// rate is the pacer's again once its window is past the pause.
func TestProgressFollowsThePacer(t *testing.T) {
	for _, pause := range []time.Duration{0, 30 * time.Minute} {
		t.Run("pause "+pause.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { simulateRun(t, pause) })
		})
	}
}

// simulateRun runs 1,500 people through the fake at production's limits,
// the channels paused by 429s for pause half an hour in (none if zero),
// and checks the bar's frames.
func simulateRun(t *testing.T, pause time.Duration) {
	const n = 1500
	srv := fake.NewServer(fake.WithInMemoryNetwork(), fake.WithClerkRateLimits(false))
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(client.WithAttemptTimeout(time.Minute))
	require.NoError(t, err)
	var log frameLog
	show := startProgress(&log, false, barEvery)
	people := make([]bulkinvite.Person, n)
	for i := range people {
		people[i].Params = client.CreateParams{EmailAddress: "p" + strconv.Itoa(i) + "@example.com", Role: "org:member", Notify: client.Bool(false)}
	}
	start := time.Now()
	quiet := span{}
	if pause > 0 {
		quiet = span{start.Add(30 * time.Minute), start.Add(30*time.Minute + pause + 2*time.Minute)}
		go func() {
			time.Sleep(30 * time.Minute)
			for _, op := range []string{fake.OpBulkCreate, fake.OpCreate} {
				srv.InjectFault(op, 1, fake.Fault{Status: 429, RetryAfter: pause})
			}
		}()
	}
	sum, err := bulkinvite.Run(t.Context(), bulkinvite.Config{Client: c, OrganizationID: org, Store: bulkinvite.NewMemoryStore(),
		Limits: bulkinvite.ProductionLimits(), Progress: show.update}, people)
	end := time.Now()
	show.finish()
	require.NoError(t, err)
	require.True(t, sum.OK())
	checkFrames(t, log.frames, start, end, float64(n)/(end.Sub(start)-pause).Hours(), quiet)
}

// span is a stretch of time; the zero span holds nothing.
type span struct{ from, to time.Time }

func (s span) meets(from, to time.Time) bool {
	return !s.from.IsZero() && from.Before(s.to) && to.After(s.from)
}

// checkFrames holds the frames of a run from start to end, whose pace was
// perHour but in quiet (a pause), to the bar's promises: the ETA is
// checked from the pause on, the rate where its window is clear of it.
func checkFrames(t *testing.T, frames []frame, start, end time.Time, perHour float64, quiet span) {
	took := end.Sub(start)
	t.Logf("%d frames over %v of simulated time; the pace %.1f an hour; first %q, last %q",
		len(frames), took, perHour, strings.TrimSpace(frames[0].text), strings.TrimSpace(frames[len(frames)-1].text))
	assert.InDelta(t, took.Seconds()*5, len(frames), 3, "five frames a second")
	counts := regexp.MustCompile(`\((\d+)/1500\) created (\d+), already there (\d+), failed (\d+), to check \d+, (\S+), ETA (\S+), elapsed`)
	rated, timed := 0, 0
	for i, f := range frames {
		m := counts.FindStringSubmatch(f.text)
		require.NotNil(t, m, "frame %d: %q", i, f.text)
		assert.Equal(t, atoi(m[1]), atoi(m[2])+atoi(m[3])+atoi(m[4]), "frame %d: the count agrees with the tallies: %q", i, f.text)
		at, left := f.at.Sub(start), end.Sub(f.at)
		if rate, ok := parseRate(m[5]); at >= bulkinvite.RateWindow && left > time.Minute && !quiet.meets(f.at.Add(-bulkinvite.RateWindow), f.at) {
			rated++
			require.True(t, ok, "frame %d at %v has no rate: %q", i, at, f.text)
			assert.InEpsilon(t, perHour, rate, 0.10, "frame %d at %v: %q", i, at, f.text)
		}
		if eta, ok := parseETA(m[6]); left >= 10*time.Minute && (quiet.from.IsZero() || f.at.After(quiet.from.Add(2*time.Minute))) {
			timed++
			require.True(t, ok, "frame %d at %v has no ETA: %q", i, at, f.text)
			assert.InEpsilon(t, left.Seconds(), eta.Seconds(), 0.10, "frame %d at %v, %v left: %q", i, at, left, f.text)
		}
	}
	assert.Greater(t, rated, 1000)
	assert.Greater(t, timed, 1000)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// parseRate reads rate's text back as people an hour.
func parseRate(s string) (float64, bool) {
	for unit, per := range map[string]float64{"/s": 3600, "/min": 60, "/h": 1} {
		if v, ok := strings.CutSuffix(s, unit); ok && !strings.Contains(v, "/") {
			n, err := strconv.ParseFloat(strings.TrimSuffix(v, ","), 64)
			return n * per, err == nil
		}
	}
	return math.NaN(), false
}

// parseETA reads roughly's text back: 45s, 12m, 3h05m.
func parseETA(s string) (time.Duration, bool) {
	s = strings.TrimSuffix(s, ",")
	if h, m, ok := strings.Cut(s, "h"); ok {
		d, err := time.ParseDuration(h + "h" + m)
		return d, err == nil
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}
