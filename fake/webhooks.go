package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/webhook"
)

// The fake emits Clerk's three invitation events when it is given
// WithWebhook: organizationInvitation.created for each invitation that
// Create or BulkCreate makes, .accepted on Accept, .revoked on Revoke.
// Each event is queued as it happens and delivered by one goroutine,
// one attempt at a time: in the order of the events, except that an event
// whose attempt failed waits for its retry while later ones go ahead.
// Webhooks shows them and WaitWebhooks waits for them.

// defaultWebhookRetries are the waits between the attempts to deliver one
// event, unless WithWebhookRetries sets them.
var defaultWebhookRetries = []time.Duration{100 * time.Millisecond, time.Second, 5 * time.Second, 30 * time.Second}

// webhookTimeout bounds one delivery attempt, connecting included.
const webhookTimeout = 10 * time.Second

// WithWebhook makes the fake deliver Clerk's invitation events to url (an
// http or https URL: a handler of the webhook package, for instance), as
// POST requests signed with secret ("whsec_…", as webhook.NewSecret makes)
// the way Clerk signs them: svix-id, svix-timestamp and svix-signature. The
// body is Clerk's envelope, with object "event", type, timestamp (Unix
// milliseconds), instance_id, data, the invitation as the API returns it
// (accepted adds data.user_id), and event_attributes.http_request: the
// client_ip and user_agent of the request that caused the event (the
// create, bulk create or revoke; for accepted, the admin API's accept, see
// Accept). A response other than 2xx, or none
// within 10 s, is a failed attempt, retried after the waits of
// WithWebhookRetries. Timestamps come from the fake's clock (WithClock),
// the waits between attempts from real timers. NewServer panics if url or
// secret is malformed.
func WithWebhook(url, secret string) Option {
	return func(s *Server) {
		if s.store.hooks == nil {
			s.store.hooks = newWebhooks(s.store)
		}
		s.store.hooks.url, s.store.hooks.secret = url, secret
	}
}

// WithWebhookRetries sets the waits between delivery attempts of one event:
// len(waits)+1 attempts in all. No waits means a single attempt. By default
// the waits are 100 ms, 1 s, 5 s and 30 s: five attempts, the last about
// 36 s after the first. (Clerk's Svix waits far longer, 5 s, 5 min, 30 min,
// then hours; a fake for tests keeps them short.) Without WithWebhook it
// has no effect.
func WithWebhookRetries(waits ...time.Duration) Option {
	return func(s *Server) {
		if s.store.hooks == nil {
			s.store.hooks = newWebhooks(s.store)
		}
		s.store.hooks.waits = slices.Clone(waits)
	}
}

// WebhookEvent is one event the fake emitted and its delivery so far.
type WebhookEvent struct {
	// MessageID is the svix-id of every attempt.
	MessageID string `json:"message_id"`
	// Type is e.g. "organizationInvitation.created".
	Type string `json:"type"`
	// InvitationID is the invitation the event is about.
	InvitationID string `json:"invitation_id"`
	// Payload is the body of every attempt.
	Payload json.RawMessage `json:"payload"`
	// State is pending until an attempt is answered 2xx or the last
	// attempt fails.
	State WebhookState `json:"state"`
	// Attempts are the attempts so far, oldest first.
	Attempts []WebhookAttempt `json:"attempts"`
}

// WebhookState is where the delivery of a [WebhookEvent] stands.
type WebhookState string

// The states of a delivery.
const (
	WebhookPending   WebhookState = "pending"   // not yet delivered; more attempts to come
	WebhookDelivered WebhookState = "delivered" // an attempt was answered 2xx
	WebhookFailed    WebhookState = "failed"    // every attempt failed
)

// WebhookAttempt is one delivery attempt.
type WebhookAttempt struct {
	At     time.Time `json:"at"`               // when it was sent, by the fake's clock
	Status int       `json:"status,omitempty"` // the response's status, 0 for none
	Error  string    `json:"error,omitempty"`  // why there was no response
}

// Webhooks returns every event emitted so far, in order, with its
// attempts. It is empty without WithWebhook.
func (s *Server) Webhooks() []WebhookEvent {
	w := s.store.hooks
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]WebhookEvent, len(w.events))
	for i, ev := range w.events {
		out[i] = *ev
		out[i].Payload = slices.Clone(ev.Payload)
		out[i].Attempts = slices.Clone(ev.Attempts)
	}
	return out
}

// WaitWebhooks waits until no event is pending: each one emitted so far is
// delivered or has failed every attempt. It returns ctx's error if ctx ends
// first, and an error if the server is closed with events still pending.
// It returns at once without WithWebhook. Without ctx's bound, it takes at
// most, after the last event, the sum of the retry waits and 10 s an
// attempt, for each pending event.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	return s.store.hooks.wait(ctx)
}

func (w *webhooks) wait(ctx context.Context) error {
	if w == nil {
		return nil
	}
	for {
		w.mu.Lock()
		left, changed := len(w.queue), w.changed
		w.mu.Unlock()
		if left == 0 {
			return nil
		}
		select {
		case <-changed:
		case <-w.done:
			return fmt.Errorf("fake: closed with %d webhook events undelivered", left)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// webhooks queues and delivers events.
type webhooks struct {
	url, secret string
	waits       []time.Duration
	instanceID  string
	store       *store // for its clock
	client      *http.Client

	mu      sync.Mutex
	events  []*WebhookEvent
	queue   []*queued     // the pending events, in the order emitted
	changed chan struct{} // closed and replaced when an event changes
	wake    chan struct{} // a new event is queued
	cancel  context.CancelFunc
	done    chan struct{} // closed when the delivering goroutine ends
}

// queued is a pending event and when its next attempt is due.
type queued struct {
	ev  *WebhookEvent
	due time.Time
}

func newWebhooks(st *store) *webhooks {
	return &webhooks{
		waits:      defaultWebhookRetries,
		instanceID: "ins_" + randomID(27),
		store:      st,
		client: &http.Client{
			Transport:     &http.Transport{},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		changed: make(chan struct{}),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
}

// start checks the configuration and starts delivering; it panics, as
// NewServer does, when the configuration cannot work.
func (w *webhooks) start() {
	if w == nil {
		return
	}
	if w.url == "" && w.secret == "" { // WithWebhookRetries alone
		w.store.hooks = nil
		return
	}
	if u, err := url.Parse(w.url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		panic(fmt.Sprintf("fake: WithWebhook: %q is not an http or https URL", w.url))
	}
	if _, err := webhook.NewVerifier(w.secret); err != nil {
		panic("fake: WithWebhook: " + err.Error())
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go w.run(ctx)
}

// stop ends delivery, an attempt under way included, and waits for it.
func (w *webhooks) stop() {
	if w == nil || w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
	w.client.CloseIdleConnections()
}

// created, accepted and revoked emit the three events; from is the
// request that caused each.
func (w *webhooks) created(inv gen.OrganizationInvitation, from origin) {
	w.emit(webhook.TypeInvitationCreated, inv, "", from)
}

func (w *webhooks) accepted(inv gen.OrganizationInvitation, userID string, from origin) {
	w.emit(webhook.TypeInvitationAccepted, inv, userID, from)
}

func (w *webhooks) revoked(inv gen.OrganizationInvitation, from origin) {
	w.emit(webhook.TypeInvitationRevoked, inv, "", from)
}

// emit queues an event about inv; userID goes into the data of accepted,
// from into event_attributes.http_request. The caller holds the store's
// lock, so events are queued in the order they happen. Without
// WithWebhook it does nothing.
func (w *webhooks) emit(typ string, inv gen.OrganizationInvitation, userID string, from origin) {
	if w == nil {
		return
	}
	var data any = inv
	if userID != "" {
		data = struct {
			gen.OrganizationInvitation
			UserID string `json:"user_id"`
		}{inv, userID}
	}
	payload, err := json.Marshal(map[string]any{
		"object":           "event",
		"type":             typ,
		"timestamp":        inv.UpdatedAt, // the moment of the change
		"instance_id":      w.instanceID,
		"data":             data,
		"event_attributes": map[string]any{"http_request": from},
	})
	if err != nil {
		panic("fake: an event that does not encode: " + err.Error()) // the store's own types: a bug
	}
	ev := &WebhookEvent{MessageID: "msg_" + randomID(27), Type: typ, InvitationID: inv.ID, Payload: payload, State: WebhookPending}
	w.mu.Lock()
	w.events = append(w.events, ev)
	w.queue = append(w.queue, &queued{ev: ev, due: time.Now()})
	w.changedLocked()
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// changedLocked wakes WaitWebhooks. The caller holds w.mu.
func (w *webhooks) changedLocked() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// run delivers until ctx ends: each time the earliest due event.
func (w *webhooks) run(ctx context.Context) {
	defer close(w.done)
	for {
		w.mu.Lock()
		next, wait := nextDue(w.queue, time.Now())
		w.mu.Unlock()
		if next == nil || wait > 0 {
			if !w.sleep(ctx, next != nil, wait) {
				return
			}
			continue
		}
		w.attempt(ctx, next)
		if ctx.Err() != nil {
			return
		}
	}
}

// sleep waits for d (forever when !timed) or a new event, and reports
// false when ctx ends first.
func (w *webhooks) sleep(ctx context.Context, timed bool, d time.Duration) bool {
	var due <-chan time.Time
	if timed {
		t := time.NewTimer(d)
		defer t.Stop()
		due = t.C
	}
	select {
	case <-due:
	case <-w.wake:
	case <-ctx.Done():
		return false
	}
	return true
}

// nextDue picks the queued event due first (the earliest emitted among
// equals) and how long until it is due.
func nextDue(queue []*queued, now time.Time) (*queued, time.Duration) {
	var next *queued
	for _, q := range queue {
		if next == nil || q.due.Before(next.due) {
			next = q
		}
	}
	if next == nil {
		return nil, 0
	}
	return next, max(next.due.Sub(now), 0)
}

// attempt sends one delivery attempt of q and records it.
func (w *webhooks) attempt(ctx context.Context, q *queued) {
	at := w.store.now()
	status, err := w.send(ctx, q.ev, at)
	a := WebhookAttempt{At: at, Status: status}
	if err != nil {
		a.Error = err.Error()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if ctx.Err() != nil && status == 0 {
		return // stopped by Close: not an attempt of the endpoint's
	}
	q.ev.Attempts = append(q.ev.Attempts, a)
	state, retryIn := afterAttempt(status, len(q.ev.Attempts), w.waits)
	q.ev.State = state
	if state == WebhookPending {
		q.due = time.Now().Add(retryIn)
	} else {
		w.queue = slices.DeleteFunc(w.queue, func(o *queued) bool { return o == q })
	}
	w.changedLocked()
}

// afterAttempt decides, from the status of attempt number n (1 for the
// first; 0 when there was no response), whether the event is delivered,
// failed for good, or pending with its next attempt after retryIn.
func afterAttempt(status, n int, waits []time.Duration) (state WebhookState, retryIn time.Duration) {
	switch {
	case status >= 200 && status <= 299:
		return WebhookDelivered, 0
	case n > len(waits):
		return WebhookFailed, 0
	default:
		return WebhookPending, waits[n-1]
	}
}

// send posts the event, signed now, and returns the response's status.
func (w *webhooks) send(ctx context.Context, ev *WebhookEvent, at time.Time) (int, error) {
	header, err := webhook.Sign(w.secret, ev.MessageID, at, ev.Payload)
	if err != nil {
		return 0, err // start checked the secret
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(ev.Payload))
	if err != nil {
		return 0, err
	}
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "clerkinvitations-fake-webhooks")
	resp, err := w.client.Do(req)
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // drop the "Post <url>:" the caller knows
		}
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
