package main

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/webhook"
)

// With --webhook-url and --webhook-secret, the program delivers Clerk's
// invitation events, signed, to a handler built with package webhook: the
// handler sees each event once after de-duplication by svix-id, the first
// one too, whose first delivery failed; GET /_fake/webhooks shows each
// delivered. Each event names in event_attributes.http_request the
// request that caused it: the client's, or the admin API's for accept.
func TestWebhooksFromTheProgram(t *testing.T) {
	secret := webhook.NewSecret()
	v, err := webhook.NewVerifier(secret)
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[string]string{}   // svix-id -> "type invitation"
	caused := map[string]string{} // "type invitation" -> "client_ip user_agent"
	deliveries, failedOnce := 0, false
	got := make(chan struct{}, 16)
	endpoint := httptest.NewServer(v.Handler(func(_ context.Context, e webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		deliveries++
		if !failedOnce { // the first delivery fails: the program tries again
			failedOnce = true
			return errors.New("not now")
		}
		if _, dup := seen[e.Meta().MessageID]; dup {
			return nil // de-duplicated by svix-id
		}
		switch e := e.(type) {
		case webhook.InvitationCreated:
			seen[e.MessageID] = e.Type + " " + e.Invitation.ID
		case webhook.InvitationAccepted:
			seen[e.MessageID] = e.Type + " " + e.Invitation.ID
		case webhook.InvitationRevoked:
			seen[e.MessageID] = e.Type + " " + e.Invitation.ID
		default:
			seen[e.Meta().MessageID] = "other " + e.Meta().Type
		}
		var attrs struct {
			HTTPRequest struct {
				ClientIP  string `json:"client_ip"`
				UserAgent string `json:"user_agent"`
			} `json:"http_request"`
		}
		if err := json.Unmarshal(e.Meta().Attributes, &attrs); err != nil {
			return err
		}
		caused[seen[e.Meta().MessageID]] = attrs.HTTPRequest.ClientIP + " " + attrs.HTTPRequest.UserAgent
		got <- struct{}{}
		return nil
	}))
	defer endpoint.Close()

	p := start(t, "--secret-key", key, "--webhook-url", endpoint.URL, "--webhook-secret", secret)
	c := newClient(t, p)
	ctx := context.Background()
	ada, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	require.NoError(t, err)
	lin, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"})
	require.NoError(t, err)
	status, body := do(t, "POST", p.admin+"/invitations/"+ada.ID+"/accept", "", "")
	require.Equal(t, http.StatusOK, status, body)
	_, err = c.Revoke(ctx, "org_1", lin.ID, client.RevokeParams{})
	require.NoError(t, err)

	for range 4 {
		select {
		case <-got:
		case <-time.After(startTimeout):
			t.Fatalf("not every event arrived; stderr:\n%s", p.stderr)
		}
	}
	mu.Lock()
	var kinds []string
	for _, k := range seen {
		kinds = append(kinds, k)
	}
	assert.GreaterOrEqual(t, deliveries, 5, "four events, one of them delivered twice")
	causes := maps.Clone(caused)
	mu.Unlock()
	assert.ElementsMatch(t, []string{
		"organizationInvitation.created " + ada.ID,
		"organizationInvitation.created " + lin.ID,
		"organizationInvitation.accepted " + ada.ID,
		"organizationInvitation.revoked " + lin.ID,
	}, kinds)
	fromClient := "127.0.0.1 clerkinvitations-go/" + client.Version + " (" + runtime.Version() + ")"
	assert.Equal(t, map[string]string{
		"organizationInvitation.created " + ada.ID:  fromClient,
		"organizationInvitation.created " + lin.ID:  fromClient,
		"organizationInvitation.accepted " + ada.ID: "127.0.0.1 Go-http-client/1.1", // do's request to the admin API
		"organizationInvitation.revoked " + lin.ID:  fromClient,
	}, causes)

	var events []fake.WebhookEvent
	require.Eventually(t, func() bool {
		status, body := do(t, "GET", p.admin+"/webhooks", "", "")
		require.Equal(t, http.StatusOK, status)
		require.NoError(t, json.Unmarshal([]byte(body), &events))
		for _, e := range events {
			if e.State != fake.WebhookDelivered {
				return false
			}
		}
		return len(events) == 4
	}, startTimeout, 20*time.Millisecond, "the admin API lists four delivered events")
	retried := 0
	for _, e := range events {
		if len(e.Attempts) == 2 {
			retried++
		}
	}
	assert.Equal(t, 1, retried, "one event took a second attempt: %+v", events)
	assert.Equal(t, 0, p.stop(t, syscall.SIGTERM), "stderr:\n%s", p.stderr)
	assert.NotContains(t, p.stderr.String(), secret, "the webhook secret is never printed")
}
