package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/invitekit/clerkinvitations/webhook"
)

// A verifier checks a message and gives its typed event.
func ExampleVerifier() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // from the endpoint's page in Clerk's dashboard
	sentAt := time.Unix(1778803260, 0)
	v, err := webhook.NewVerifier(secret, webhook.WithClock(func() time.Time { return sentAt }))
	if err != nil {
		log.Fatal(err)
	}

	body := []byte(`{"object":"event","type":"organizationInvitation.accepted","timestamp":1778803260000,
		"instance_id":"ins_1","data":{"object":"organization_invitation","id":"orginv_1",
		"email_address":"ada@example.com","role":"org:member","status":"accepted","user_id":"user_1"}}`)
	header, _ := webhook.Sign(secret, "msg_1", sentAt, body) // what Clerk's request would carry

	event, err := v.Verify(header, body)
	if err != nil {
		log.Fatal(err)
	}
	switch e := event.(type) {
	case webhook.InvitationAccepted:
		fmt.Println(e.Invitation.EmailAddress, "joined as", e.UserID, "- message", e.MessageID)
	case webhook.OtherEvent:
		fmt.Println("not handled:", e.Type)
	}

	_, err = v.Verify(header, bytes.Replace(body, []byte("ada"), []byte("eve"), 1))
	fmt.Println(errors.Is(err, webhook.ErrBadSignature))
	// Output:
	// ada@example.com joined as user_1 - message msg_1
	// true
}

// Handler serves the endpoint Clerk posts to. Events arrive at least once:
// skip a MessageID already handled.
func ExampleVerifier_Handler() {
	secret := webhook.NewSecret()
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		log.Fatal(err)
	}
	seen := map[string]bool{} // in a real service: a table, written with the work
	h := v.Handler(func(ctx context.Context, e webhook.Event) error {
		if seen[e.Meta().MessageID] {
			return nil // a second delivery of one event
		}
		seen[e.Meta().MessageID] = true
		if created, ok := e.(webhook.InvitationCreated); ok {
			fmt.Println("invited", created.Invitation.EmailAddress)
		}
		return nil
	})
	srv := httptest.NewServer(h) // or http.Handle("/webhooks/clerk", h)
	defer srv.Close()

	body := []byte(`{"object":"event","type":"organizationInvitation.created","data":{"id":"orginv_1","email_address":"ada@example.com"}}`)
	header, _ := webhook.Sign(secret, "msg_1", time.Now(), body)
	for range 2 { // the same message twice
		req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
		req.Header = header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// invited ada@example.com
	// 204
	// 204
}

// Attributes holds event_attributes as Clerk sent it: the HTTP request
// that caused the event, here the request that revoked an invitation.
func ExampleEnvelope_attributes() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	sentAt := time.Unix(1778803260, 0)
	v, err := webhook.NewVerifier(secret, webhook.WithClock(func() time.Time { return sentAt }))
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"object":"event","type":"organizationInvitation.revoked","timestamp":1778803260000,
		"instance_id":"ins_1","data":{"object":"organization_invitation","id":"orginv_1","status":"revoked"},
		"event_attributes":{"http_request":{"client_ip":"192.0.2.1","user_agent":"my-admin-tool/2.0"}}}`)
	header, _ := webhook.Sign(secret, "msg_1", sentAt, body)
	event, err := v.Verify(header, body)
	if err != nil {
		log.Fatal(err)
	}

	var attrs struct {
		HTTPRequest struct {
			ClientIP  string `json:"client_ip"`
			UserAgent string `json:"user_agent"`
		} `json:"http_request"`
	}
	if err := json.Unmarshal(event.Meta().Attributes, &attrs); err != nil {
		log.Fatal(err)
	}
	fmt.Println(event.Meta().Type, "from", attrs.HTTPRequest.ClientIP, "by", attrs.HTTPRequest.UserAgent)
	// Output: organizationInvitation.revoked from 192.0.2.1 by my-admin-tool/2.0
}

// Sign makes the headers of a signed message, to test a handler.
func ExampleSign() {
	body := []byte(`{"type":"user.created","data":{}}`)
	header, err := webhook.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", time.Unix(1778803260, 0), body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(header.Get("svix-id"), header.Get("svix-timestamp"), header.Get("svix-signature")[:3])
	// Output: msg_1 1778803260 v1,
}
