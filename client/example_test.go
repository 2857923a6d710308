package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/gen"
)

// Against the real API, client.New() reads the key from CLERK_SECRET_KEY.
// The examples run on the in-memory fake instead, so they need no key.
func exampleClient() (*client.Client, func()) {
	srv := fake.NewServer()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

func ExampleNew() {
	c, err := client.New(
		client.WithSecretKey("sk_test_..."),              // or set CLERK_SECRET_KEY
		client.WithUserAgentSuffix("onboarding-job/1.4"), // say who is calling
		client.WithMaxRetries(2),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)
	// Output: clerk client for https://api.clerk.com/v1/
}

func ExampleClient_Create() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()

	inv, err := c.Create(ctx, "org_123", client.CreateParams{
		EmailAddress:   "ada@example.com",
		Role:           "org:member",
		PublicMetadata: map[string]any{"team": "compilers"},
		ExpiresInDays:  7,
	})
	if client.OutcomeUnknown(err) {
		// The invitation may exist: look it up before inviting again.
		log.Fatal(err)
	}
	if err != nil {
		log.Fatal(err)
	}
	// Metadata comes back as the JSON the API sent; decode what you need.
	var meta struct {
		Team string `json:"team"`
	}
	if err := inv.PublicMetadata.Decode(&meta); err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.EmailAddress, inv.Status, inv.RoleName, meta.Team, inv.PublicMetadata)
	// Output: ada@example.com pending Member compilers {"team":"compilers"}
}

func ExampleClient_List() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for _, email := range []string{"ada@example.com", "grace@example.com", "alan@example.com"} {
		if _, err := c.Create(ctx, "org_123", client.CreateParams{EmailAddress: email, Role: "org:member"}); err != nil {
			log.Fatal(err)
		}
	}

	page, err := c.List(ctx, "org_123", client.ListParams{
		Status:  client.Statuses{client.StatusPending},
		OrderBy: client.OrderEmailAsc,
		Limit:   2,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d:\n", len(page.Data), page.TotalCount)
	for _, inv := range page.Data {
		fmt.Println(inv.EmailAddress)
	}
	// Output:
	// 2 of 3:
	// ada@example.com
	// alan@example.com
}

// A filter of several statuses keeps the invitations in any one of them:
// here the pending and the revoked, not the accepted.
func ExampleClient_List_severalStatuses() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	var ids []string
	for _, email := range []string{"ada@example.com", "grace@example.com"} {
		inv, err := c.Create(ctx, "org_123", client.CreateParams{EmailAddress: email, Role: "org:member"})
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	if _, err := c.Revoke(ctx, "org_123", ids[1], client.RevokeParams{}); err != nil {
		log.Fatal(err)
	}

	page, err := c.List(ctx, "org_123", client.ListParams{
		Status:  client.Statuses{client.StatusPending, client.StatusRevoked},
		OrderBy: client.OrderEmailAddress, // no sign: ascending
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, inv := range page.Data {
		fmt.Println(inv.EmailAddress, inv.Status)
	}
	// Output:
	// ada@example.com pending
	// grace@example.com revoked
}

func ExampleClient_ListAll() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	_, err := c.BulkCreate(ctx, "org_123", []client.CreateParams{
		{EmailAddress: "ada@example.com", Role: "org:member"},
		{EmailAddress: "grace@example.com", Role: "org:admin"},
		{EmailAddress: "alan@example.com", Role: "org:member"},
	})
	if err != nil {
		log.Fatal(err)
	}

	// Every invitation, in pages of 2. After the first page, up to 4 pages
	// are in flight at once (the default is DefaultPageConcurrency); the
	// invitations still come in the list's order. A break would cancel the
	// pages in flight.
	for inv, err := range c.ListAll(ctx, "org_123", client.ListParams{OrderBy: client.OrderEmailAsc, Limit: 2}, client.WithPageConcurrency(4)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(inv.EmailAddress, inv.Role)
	}
	// Output:
	// ada@example.com org:member
	// alan@example.com org:member
	// grace@example.com org:admin
}

func ExampleClient_Revoke() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	inv, err := c.Create(ctx, "org_123", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	if err != nil {
		log.Fatal(err)
	}

	revoked, err := c.Revoke(ctx, "org_123", inv.ID, client.RevokeParams{RequestingUserID: "user_admin"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(revoked.Status)

	// Only pending invitations can be revoked: the second time is an error.
	_, err = c.Revoke(ctx, "org_123", inv.ID, client.RevokeParams{})
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Errors[0].Code)
	}
	// Output:
	// revoked
	// 404 organization_invitation_not_pending
}

func ExampleHasCode() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	ada := client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
	if _, err := c.Create(ctx, "org_123", ada); err != nil {
		log.Fatal(err)
	}
	_, err := c.Create(ctx, "org_123", ada)
	switch {
	case client.HasCode(err, client.CodeInvitationNotUnique):
		fmt.Println("already invited")
	case client.IsNotFound(err):
		fmt.Println("no such organization")
	case err != nil:
		log.Fatal(err)
	}
	// Output: already invited
}

// A bulk create that names someone already invited creates none of its
// invitations; the error says which addresses were the cause, so the rest
// can be sent again without them.
func ExampleRefusedAddresses() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	ada := client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
	lin := client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"}
	if _, err := c.Create(ctx, "org_123", ada); err != nil {
		log.Fatal(err)
	}
	_, err := c.BulkCreate(ctx, "org_123", []client.CreateParams{lin, ada})
	if client.IsAlreadyInvited(err) {
		fmt.Println("already invited:", client.RefusedAddresses(err))
		page, err := c.BulkCreate(ctx, "org_123", []client.CreateParams{lin})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created:", page.Data[0].EmailAddress)
	}
	// Output:
	// already invited: [ada@example.com]
	// created: lin@example.com
}

// A Client is a gen.Caller: any operation that package gen generates from
// the spec runs through the client's key, retries and error types, even one
// this package has no method for.
func ExampleClient_Call() {
	c, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	inv, err := c.Create(ctx, "org_123", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	if err != nil {
		log.Fatal(err)
	}

	got, err := gen.GetOrganizationInvitation(ctx, c, "org_123", inv.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.EmailAddress, got.Status)

	// gen checks the arguments against the spec before anything is sent.
	_, err = gen.ListOrganizationInvitations(ctx, c, "org_123", gen.ListOrganizationInvitationsParams{Limit: 1000})
	fmt.Println(err)
	// Output:
	// ada@example.com pending
	// clerk: ListOrganizationInvitations: invalid limit: must be between 1 and 500, got 1000
}
