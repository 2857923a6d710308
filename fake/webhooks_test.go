package fake_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
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
// de-duplication, although the first delivery failed and came again. Each
// carries in event_attributes.http_request the address and user agent of
// the request that caused it: the API's, or the admin API's for accept.
func TestWebhooksEndToEnd(t *testing.T) {
	secret := webhook.NewSecret()
	rec, endpoint := newReceiver(t, secret)
	srv, c := newFake(t, fake.WithWebhook(endpoint.URL+"/webhooks/clerk", secret), fake.WithWebhookRetries(time.Millisecond, time.Millisecond),
		fake.WithAdmin())

	single, err := c.Create(ctx, "org_1", ada, client.WithUserAgentSuffix("creator/1"))
	require.NoError(t, err)
	bulk, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{
		{EmailAddress: "bob@example.com", Role: "org:admin"}, {EmailAddress: "cy@example.com", Role: "org:member"},
	}, client.WithUserAgentSuffix("bulk/2"))
	require.NoError(t, err)
	acceptAs(t, srv, single.ID, "invitee-browser/3")
	_, err = c.Revoke(ctx, "org_1", bulk.Data[0].ID, client.RevokeParams{}, client.WithUserAgentSuffix("revoker/4"))
	require.NoError(t, err)
	waitWebhooks(t, srv)

	want := []seen{
		{webhook.TypeInvitationCreated, single.ID, "pending", "creator/1"},
		{webhook.TypeInvitationCreated, bulk.Data[0].ID, "pending", "bulk/2"},
		{webhook.TypeInvitationCreated, bulk.Data[1].ID, "pending", "bulk/2"},
		{webhook.TypeInvitationAccepted, single.ID, "accepted", "invitee-browser/3"},
		{webhook.TypeInvitationRevoked, bulk.Data[0].ID, "revoked", "revoker/4"},
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

// acceptAs accepts an invitation through the admin API, with userAgent.
func acceptAs(t *testing.T, srv *fake.Server, id, userAgent string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.AdminURL()+"/invitations/"+id+"/accept", nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", userAgent)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// seen is an event as a test compares it: its type, its invitation and
// that invitation's status, and the last product token of the user agent
// in its http_request.
type seen struct{ typ, id, status, agent string }

func seenOf(t *testing.T, e webhook.Event) seen {
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
	var attrs struct {
		HTTPRequest struct {
			ClientIP  string `json:"client_ip"`
			UserAgent string `json:"user_agent"`
		} `json:"http_request"`
	}
	require.NoError(t, json.Unmarshal(e.Meta().Attributes, &attrs), "event_attributes: %s", e.Meta().Attributes)
	assert.Equal(t, "127.0.0.1", attrs.HTTPRequest.ClientIP)
	agent := strings.Fields(attrs.HTTPRequest.UserAgent)
	require.NotEmpty(t, agent, "a user agent")
	return seen{e.Meta().Type, inv.ID, string(inv.Status), agent[len(agent)-1]}
}

func statuses(ev fake.WebhookEvent) []int {
	var out []int
	for _, a := range ev.Attempts {
		out = append(out, a.Status)
	}
	return out
}

// The payload is Clerk's envelope, with exactly its fields, around the
// invitation exactly as the API returned it. An Accept called from Go has
// no HTTP request: its http_request is there, with empty values.
func TestWebhookPayloadIsClerksEnvelope(t *testing.T) {
	secret := webhook.NewSecret()
	_, endpoint := newReceiver(t, secret)
	srv, c := newFake(t, fake.WithWebhook(endpoint.URL, secret), fake.WithWebhookRetries(time.Millisecond))
	inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member",
		PublicMetadata: map[string]any{"team": "compilers"}, InviterUserID: "user_inviter"})
	require.NoError(t, err)
	require.NoError(t, srv.Accept(inv.ID))
	waitWebhooks(t, srv)

	var env map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(srv.Webhooks()[0].Payload, &env))
	assert.ElementsMatch(t, []string{"object", "type", "timestamp", "instance_id", "data", "event_attributes"}, slices.Collect(maps.Keys(env)))
	assert.JSONEq(t, `"event"`, string(env["object"]))
	assert.JSONEq(t, `"`+webhook.TypeInvitationCreated+`"`, string(env["type"]))
	assert.JSONEq(t, strconv.FormatInt(inv.CreatedAt, 10), string(env["timestamp"]))
	fromAPI, err := json.Marshal(inv)
	require.NoError(t, err)
	assert.JSONEq(t, string(fromAPI), string(env["data"]))
	var attrs map[string]map[string]string
	require.NoError(t, json.Unmarshal(env["event_attributes"], &attrs))
	assert.Equal(t, "127.0.0.1", attrs["http_request"]["client_ip"])
	assert.Contains(t, attrs["http_request"]["user_agent"], "clerkinvitations-go/", "the client's user agent")
	assert.Len(t, attrs["http_request"], 2)

	require.NoError(t, json.Unmarshal(srv.Webhooks()[1].Payload, &env))
	assert.JSONEq(t, `{"http_request":{"client_ip":"","user_agent":""}}`, string(env["event_attributes"]))
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
