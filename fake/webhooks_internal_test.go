package fake

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/webhook"
)

func TestAfterAttempt(t *testing.T) {
	waits := []time.Duration{time.Second, time.Minute}
	for _, tc := range []struct {
		status, n int
		waits     []time.Duration
		state     WebhookState
		retryIn   time.Duration
	}{
		{200, 1, waits, WebhookDelivered, 0},
		{204, 3, waits, WebhookDelivered, 0},
		{299, 1, nil, WebhookDelivered, 0},
		{500, 1, waits, WebhookPending, time.Second},
		{0, 2, waits, WebhookPending, time.Minute},
		{302, 2, waits, WebhookPending, time.Minute},
		{500, 3, waits, WebhookFailed, 0},
		{410, 1, nil, WebhookFailed, 0},
		{199, 1, waits, WebhookPending, time.Second},
		{300, 1, waits, WebhookPending, time.Second},
	} {
		state, retryIn := afterAttempt(tc.status, tc.n, tc.waits)
		if state != tc.state || retryIn != tc.retryIn {
			t.Errorf("afterAttempt(%d, %d, %v) = %s, %v; want %s, %v", tc.status, tc.n, tc.waits, state, retryIn, tc.state, tc.retryIn)
		}
	}
}

func TestNextDue(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	a, b, c := &queued{due: now.Add(time.Second)}, &queued{due: now.Add(-time.Second)}, &queued{due: now.Add(-time.Second)}
	for _, tc := range []struct {
		queue []*queued
		want  *queued
		wait  time.Duration
	}{
		{nil, nil, 0},
		{[]*queued{a}, a, time.Second},
		{[]*queued{a, b}, b, 0},
		{[]*queued{a, b, c}, b, 0}, // equals: the earliest emitted
		{[]*queued{c, b}, c, 0},
	} {
		got, wait := nextDue(tc.queue, now)
		if got != tc.want || wait != tc.wait {
			t.Errorf("nextDue = %p, %v; want %p, %v", got, wait, tc.want, tc.wait)
		}
	}
}

// roundTrip answers the fake's deliveries from a list of statuses (the
// last one repeats) and records when each attempt came, without a network,
// so that it runs in a synctest bubble.
type roundTrip struct {
	mu       sync.Mutex
	statuses []int
	at       []time.Time
}

func (rt *roundTrip) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.at = append(rt.at, time.Now())
	status := rt.statuses[min(len(rt.at), len(rt.statuses))-1]
	if status == 0 {
		return nil, errors.New("connection refused")
	}
	return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: req}, nil
}

func startHooks(t *testing.T, rt *roundTrip, waits ...time.Duration) *webhooks {
	st := newStore()
	w := newWebhooks(st)
	st.hooks = w
	w.url, w.secret, w.waits = "http://127.0.0.1:9/hooks", webhook.NewSecret(), waits
	w.client.Transport = rt
	w.start()
	t.Cleanup(w.stop)
	return w
}

// In simulated time: attempts come exactly after the waits, the number of
// attempts is bounded, and a later event is not held up by one waiting
// for its retry.
func TestRetriesFollowTheWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &roundTrip{statuses: []int{500, 0, 503, 503}}
		w := startHooks(t, rt, time.Second, time.Minute, time.Hour)
		start := time.Now()
		w.created(gen.OrganizationInvitation{ID: "orginv_1"}, origin{})
		if err := w.wait(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{0, time.Second, time.Second + time.Minute, time.Second + time.Minute + time.Hour}
		if len(rt.at) != len(want) {
			t.Fatalf("%d attempts, want %d", len(rt.at), len(want))
		}
		for i, at := range rt.at {
			if at.Sub(start) != want[i] {
				t.Errorf("attempt %d after %v, want %v", i+1, at.Sub(start), want[i])
			}
		}
		ev := w.events[0]
		if ev.State != WebhookFailed || len(ev.Attempts) != 4 || ev.Attempts[1].Error != "connection refused" || ev.Attempts[2].Status != 503 {
			t.Errorf("event = %+v", ev)
		}
	})
}

func TestALaterEventGoesAheadOfARetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &roundTrip{statuses: []int{500, 204}}
		w := startHooks(t, rt, time.Minute)
		start := time.Now()
		w.created(gen.OrganizationInvitation{ID: "orginv_1"}, origin{})
		synctest.Wait() // the first attempt failed; the retry waits a minute
		time.Sleep(time.Second)
		w.revoked(gen.OrganizationInvitation{ID: "orginv_2"}, origin{})
		if err := w.wait(t.Context()); err != nil {
			t.Fatal(err)
		}
		got := []time.Duration{rt.at[0].Sub(start), rt.at[1].Sub(start), rt.at[2].Sub(start)}
		if got[0] != 0 || got[1] != time.Second || got[2] != time.Minute {
			t.Errorf("attempts at %v, want [0s 1s 1m0s]", got)
		}
		if w.events[0].State != WebhookDelivered || w.events[1].State != WebhookDelivered {
			t.Errorf("states %s, %s", w.events[0].State, w.events[1].State)
		}
	})
}

// stop ends delivery during a wait: no attempt after it, and wait says
// what was left.
func TestStopEndsDelivery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &roundTrip{statuses: []int{500}}
		w := startHooks(t, rt, time.Hour)
		w.created(gen.OrganizationInvitation{ID: "orginv_1"}, origin{})
		synctest.Wait()
		w.stop()
		time.Sleep(2 * time.Hour)
		if len(rt.at) != 1 {
			t.Errorf("%d attempts, want 1", len(rt.at))
		}
		err := w.wait(context.Background())
		if err == nil || !strings.Contains(err.Error(), "1 webhook events undelivered") {
			t.Errorf("wait after stop = %v", err)
		}
	})
}

// hang is a transport whose requests last until they are cancelled.
type hang struct{ arrived chan struct{} }

func (h hang) RoundTrip(req *http.Request) (*http.Response, error) {
	h.arrived <- struct{}{}
	<-req.Context().Done()
	return nil, req.Context().Err()
}

// stop cancels an attempt under way at once, not at its timeout; the
// cancelled attempt is not recorded as the endpoint's failure.
func TestStopCancelsAnAttemptUnderWay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStore()
		w := newWebhooks(st)
		st.hooks = w
		w.url, w.secret = "http://127.0.0.1:9/hooks", webhook.NewSecret()
		h := hang{arrived: make(chan struct{}, 1)}
		w.client.Transport = h
		w.start()
		w.created(gen.OrganizationInvitation{ID: "orginv_1"}, origin{})
		<-h.arrived
		start := time.Now()
		w.stop()
		if took := time.Since(start); took != 0 {
			t.Errorf("stop took %v of simulated time, want 0 (the attempt's timeout is %v)", took, webhookTimeout)
		}
		if len(w.events[0].Attempts) != 0 {
			t.Errorf("attempts = %+v", w.events[0].Attempts)
		}
	})
}
