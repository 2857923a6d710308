package fake_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"sync"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/webhook"
)

// The fake delivers Clerk's invitation events to an endpoint built with
// package webhook, signed as Clerk signs them. The handler skips an event
// it has handled already: an event may come more than once.
func ExampleWithWebhook() {
	if err := receiveWebhooks(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// invited ada@example.com
	// joined ada@example.com
}

func receiveWebhooks(ctx context.Context) error {
	secret := webhook.NewSecret() // in production: the endpoint's whsec_… secret from Clerk's dashboard
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	seen := map[string]bool{} // an event may come more than once: skip an id already handled
	endpoint := httptest.NewServer(v.Handler(func(ctx context.Context, e webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if seen[e.Meta().MessageID] {
			return nil
		}
		seen[e.Meta().MessageID] = true
		switch e := e.(type) {
		case webhook.InvitationCreated:
			fmt.Println("invited", e.Invitation.EmailAddress)
		case webhook.InvitationAccepted:
			fmt.Println("joined", e.Invitation.EmailAddress)
		case webhook.InvitationRevoked:
			fmt.Println("revoked", e.Invitation.EmailAddress)
		}
		return nil // 204; an error would answer 500, and the event would come again
	}))
	defer endpoint.Close()

	srv := fake.NewServer(fake.WithWebhook(endpoint.URL, secret))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		return err
	}
	inv, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	if err != nil {
		return err
	}
	if err := srv.Accept(inv.ID); err != nil { // as the invited person would
		return err
	}
	return srv.WaitWebhooks(ctx) // until every event is delivered
}
