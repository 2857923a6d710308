package bulkinvite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// A run of 25 people on the in-memory fake, one of whom already belongs to
// the organization. The journal is an SQLite file: start the same run
// again after a crash and it goes on from there.
func ExampleRun() {
	srv := fake.NewServer(fake.WithMember("org_123", "person00007@example.com"))
	defer srv.Close()
	c, err := srv.NewClient() // with a real key: client.New()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "invites")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	journal, err := bulkinvite.OpenJournal(filepath.Join(dir, "invites.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer journal.Close()

	var people []bulkinvite.Person
	for i := range 25 {
		people = append(people, bulkinvite.Person{Params: client.CreateParams{
			EmailAddress: fmt.Sprintf("person%05d@example.com", i),
			Role:         "org:member",
		}})
	}
	summary, err := bulkinvite.Run(context.Background(), bulkinvite.Config{
		Client:         c,
		OrganizationID: "org_123",
		Store:          journal,
		Limits:         bulkinvite.NoLimits(), // against Clerk: bulkinvite.ProductionLimits()
	}, people)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("everyone settled:", summary.OK())
	for _, s := range bulkinvite.States {
		if n := summary.Counts[s]; n > 0 {
			fmt.Printf("%s: %d\n", s, n)
		}
	}
	// Output:
	// everyone settled: true
	// created: 24
	// already_member: 1
}

// A short run with its journal in memory, in place of a loop of bulk
// creates: everyone is checked first, and every outcome is settled. The
// journal's entries, in the order given, hold the invitations.
func ExampleRun_inMemory() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	var people []bulkinvite.Person
	for i := range 12 {
		people = append(people, bulkinvite.Person{Params: client.CreateParams{EmailAddress: fmt.Sprintf("guest%02d@example.com", i), Role: "org:member"}})
	}
	journal := bulkinvite.NewMemoryStore()
	ctx := context.Background()
	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{
		Client: c, OrganizationID: "org_123", Store: journal, Limits: bulkinvite.NoLimits(),
	}, people)
	if err != nil {
		log.Fatal(err) // bad input (nothing sent), a refused key, or ctx
	}
	entries, _ := journal.Load(ctx, "org_123")
	fmt.Println(summary.OK(), len(entries), entries[0].Params.EmailAddress, entries[0].State, entries[0].InvitationID != "")
	// Output:
	// true 12 guest00@example.com created true
}
