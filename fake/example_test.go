package fake_test

import (
	"context"
	"fmt"
	"log"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// A create that the server carries out, but whose response is lost: the
// client cannot know whether it worked, and says so. The test then looks
// before inviting again.
func ExampleServer_InjectFault() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true, After: true}) // created, but the response is lost

	ada := client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
	_, err = c.Create(ctx, "org_1", ada)
	fmt.Println("outcome unknown:", client.OutcomeUnknown(err))

	page, err := c.List(ctx, "org_1", client.ListParams{
		EmailAddress: ada.EmailAddress,
		Status:       client.Statuses{client.StatusPending},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("invited already:", len(page.Data) == 1)
	fmt.Println("invitations on the server:", len(srv.Invitations()))
	// Output:
	// outcome unknown: true
	// invited already: true
	// invitations on the server: 1
}
