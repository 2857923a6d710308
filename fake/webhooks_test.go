package fake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/webhook"
)

// receiver is an endpoint built with package webhook, as a user would
// build one: it de-duplicates by svix-id. Its handle fails the first
// delivery it sees after doing the work, as when a response is lost, so
// the fake delivers that event again.
type receiver struct {
	mu         sync.Mutex
	deliveries []string                 // the MessageID of every call of handle
	handled    map[string]webhook.Event // by MessageID, each once
	order      []string                 // MessageIDs in the order first handled
}

func newReceiver(t *testing.T, secret string) (*receiver, *httptest.Server) {
	v, err := webhook.NewVerifier(secret)
	require.NoError(t, err)
	r := &receiver{handled: map[string]webhook.Event{}}
	srv := httptest.NewServer(v.Handler(func(_ context.Context, e webhook.Event) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		id := e.Meta().MessageID
		r.deliveries = append(r.deliveries, id)
		if _, seen := r.handled[id]; seen {
			return nil // a second delivery: the work is done already
		}
		r.handled[id] = e
		r.order = append(r.order, id)
		if len(r.deliveries) == 1 {
			return errors.New("the response is lost") // 500: Svix, and the fake, try again
		}
		return nil
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

// waitWebhooks waits for the fake's deliveries to settle; the deadline
// only stops a hang, the outcome does not depend on how fast this runs.
func waitWebhooks(t *testing.T, srv *fake.Server) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(wctx))
}

// Create, bulk create, accept and revoke, against a handler built with
// package webhook: the handler sees exactly those events, each once after
// de-duplication, although the first delivery failed and came again.
func TestWebhooksEndToEnd(t *testing.T) {
	secret := webhook.NewSecret()
	rec, endpoint := newReceiver(t, secret)
	srv, c := newFake(t, fake.WithWebhook(endpoint.URL+"/webhooks/clerk", secret), fake.WithWebhookRetries(time.Millisecond, time.Millisecond))

	single, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)
	bulk, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{
		{EmailAddress: "bob@example.com", Role: "org:admin"}, {EmailAddress: "cy@example.com", Role: "org:member"},
	})
	require.NoError(t, err)
	require.NoError(t, srv.Accept(single.ID))
	_, err = c.Revoke(ctx, "org_1", bulk.Data[0].ID, client.RevokeParams{})
	require.NoError(t, err)
	waitWebhooks(t, srv)

	type seen struct{ typ, id, status string }
	want := []seen{
		{webhook.TypeInvitationCreated, single.ID, "pending"},
		{webhook.TypeInvitationCreated, bulk.Data[0].ID, "pending"},
		{webhook.TypeInvitationCreated, bulk.Data[1].ID, "pending"},
		{webhook.TypeInvitationAccepted, single.ID, "accepted"},
		{webhook.TypeInvitationRevoked, bulk.Data[0].ID, "revoked"},
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var got []seen
	for _, id := range rec.order {
		got = append(got, seenOf(t, rec.handled[id]))
	}
	assert.ElementsMatch(t, want, got, "each event once, none other")
	assert.Len(t, rec.deliveries, len(want)+1, "one event delivered twice")
	count := map[string]int{}
	for _, id := range rec.deliveries {
		count[id]++
	}
	assert.Equal(t, 2, count[rec.deliveries[0]], "the retry carries the same svix-id")
	assert.Len(t, count, len(want), "every other event came once")

	events := srv.Webhooks()
	require.Len(t, events, len(want))
	for i, ev := range events {
		assert.Equal(t, want[i].typ, ev.Type, "the fake lists events in the order they happened")
		assert.Equal(t, want[i].id, ev.InvitationID)
		assert.Equal(t, fake.WebhookDelivered, ev.State)
		assert.Equal(t, http.StatusNoContent, ev.Attempts[len(ev.Attempts)-1].Status)
	}
	assert.Equal(t, []int{500, 204}, statuses(events[0]), "the first delivery failed once")
}

func seenOf(t *testing.T, e webhook.Event) struct{ typ, id, status string } {
	t.Helper()
	var inv client.Invitation
	switch e := e.(type) {
	case webhook.InvitationCreated:
		inv = e.Invitation
	case webhook.InvitationAccepted:
		inv = e.Invitation
		assert.Regexp(t, `^user_\w+$`, e.UserID)
	case webhook.InvitationRevoked:
		inv = e.Invitation
	default:
		t.Errorf("an event of type %T", e)
	}
	assert.Equal(t, "org_1", inv.OrganizationID)
	assert.Regexp(t, `^ins_\w+$`, e.Meta().InstanceID)
	assert.Equal(t, time.UnixMilli(inv.UpdatedAt), e.Meta().Timestamp, "the event happened when the invitation changed")
	return struct{ typ, id, status string }{e.Meta().Type, inv.ID, string(inv.Status)}
}

func statuses(ev fake.WebhookEvent) []int {
	var out []int
	for _, a := range ev.Attempts {
		out = append(out, a.Status)
	}
	return out
}

// The payload is Clerk's envelope around the invitation exactly as the
// API returned it.
func TestWebhookPayloadIsClerksEnvelope(t *testing.T) {
	secret := webhook.NewSecret()
	_, endpoint := newReceiver(t, secret)
	srv, c := newFake(t, fake.WithWebhook(endpoint.URL, secret), fake.WithWebhookRetries(time.Millisecond))
	inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member",
		PublicMetadata: map[string]any{"team": "compilers"}, InviterUserID: "user_inviter"})
	require.NoError(t, err)
	waitWebhooks(t, srv)

	var env struct {
		Object     string          `json:"object"`
		Type       string          `json:"type"`
		Timestamp  int64           `json:"timestamp"`
		InstanceID string          `json:"instance_id"`
		Data       json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(srv.Webhooks()[0].Payload, &env))
	assert.Equal(t, "event", env.Object)
	assert.Equal(t, webhook.TypeInvitationCreated, env.Type)
	assert.Equal(t, inv.CreatedAt, env.Timestamp)
	fromAPI, err := json.Marshal(inv)
	require.NoError(t, err)
	assert.JSONEq(t, string(fromAPI), string(env.Data))
}

// Deliveries are bounded: an endpoint that always fails gets 1 + retries
// attempts and the event is marked failed; an unreachable one the same,
// with the reason.
func TestWebhookDeliveryGivesUp(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	t.Cleanup(failing.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	for name, url := range map[string]string{"502": failing.URL, "unreachable": gone.URL} {
		t.Run(name, func(t *testing.T) {
			srv, c := newFake(t, fake.WithWebhook(url, webhook.NewSecret()), fake.WithWebhookRetries(time.Millisecond, time.Millisecond))
			_, err := c.Create(ctx, "org_1", ada)
			require.NoError(t, err)
			waitWebhooks(t, srv)
			ev := srv.Webhooks()[0]
			assert.Equal(t, fake.WebhookFailed, ev.State)
			require.Len(t, ev.Attempts, 3)
			for _, a := range ev.Attempts {
				if name == "502" {
					assert.Equal(t, http.StatusBadGateway, a.Status)
				} else {
					assert.Zero(t, a.Status)
					assert.Contains(t, a.Error, "connection refused")
				}
			}
		})
	}
}

// Close stops a delivery that hangs, and WaitWebhooks then says what was
// left undelivered.
func TestCloseStopsAHangingDelivery(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	hanging := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) })
	srv, c := newFake(t, fake.WithWebhook(hanging.URL, webhook.NewSecret()))
	_, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)
	<-arrived
	srv.Close() // returns: the attempt under way is cancelled
	err = srv.WaitWebhooks(ctx)
	require.ErrorContains(t, err, "1 webhook events undelivered")
	assert.Equal(t, fake.WebhookPending, srv.Webhooks()[0].State)
	assert.Empty(t, srv.Webhooks()[0].Attempts, "an attempt stopped by Close is not the endpoint's failure")
}

// The signature's timestamp comes from the fake's clock, so a verifier on
// the same clock accepts it.
func TestWebhooksAreSignedByTheFakesClock(t *testing.T) {
	at := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	secret := webhook.NewSecret()
	got := make(chan string, 1)
	v, err := webhook.NewVerifier(secret, webhook.WithClock(func() time.Time { return at }))
	require.NoError(t, err)
	endpoint := httptest.NewServer(v.Handler(func(_ context.Context, e webhook.Event) error {
		got <- e.Meta().Timestamp.UTC().String()
		return nil
	}))
	t.Cleanup(endpoint.Close)
	srv, c := newFake(t, fake.WithClock(func() time.Time { return at }), fake.WithWebhook(endpoint.URL, secret))
	_, err = c.Create(ctx, "org_1", ada)
	require.NoError(t, err)
	waitWebhooks(t, srv)
	assert.Equal(t, at.String(), <-got)
	assert.Equal(t, at, srv.Webhooks()[0].Attempts[0].At)
}

func TestNoWebhooksWithoutTheOption(t *testing.T) {
	srv, c := newFake(t, fake.WithWebhookRetries(time.Second))
	_, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)
	assert.Nil(t, srv.Webhooks())
	assert.NoError(t, srv.WaitWebhooks(ctx))
}

func TestWebhookOptionsAreChecked(t *testing.T) {
	for name, opt := range map[string]fake.Option{
		"bad secret":   fake.WithWebhook("http://127.0.0.1:1/", "sk_test_notawebhooksecret"),
		"no secret":    fake.WithWebhook("http://127.0.0.1:1/", ""),
		"not http":     fake.WithWebhook("ftp://127.0.0.1/", webhook.NewSecret()),
		"not absolute": fake.WithWebhook("/webhooks", webhook.NewSecret()),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				p := recover()
				require.NotNil(t, p, "NewServer did not panic")
				assert.NotContains(t, p, "notawebhooksecret")
			}()
			fake.NewServer(opt).Close()
		})
	}
}
