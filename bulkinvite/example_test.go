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

// One run for a migration: people of three organizations in one list,
// each naming theirs, the same address in two of them. The organizations
// share the instance's limits and take turns; the summary counts each.
func ExampleRun_manyOrganizations() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	rows := []struct{ org, email string }{
		{"org_acme", "ada@example.com"}, {"org_acme", "lin@example.com"},
		{"org_globex", "ada@example.com"}, {"org_globex", "sam@example.com"}, {"org_globex", "kim@example.com"},
		{"org_initech", "bo@example.com"},
	}
	var people []bulkinvite.Person
	for _, r := range rows {
		people = append(people, bulkinvite.Person{OrganizationID: r.org,
			Params: client.CreateParams{EmailAddress: r.email, Role: "org:member"}})
	}
	summary, err := bulkinvite.Run(context.Background(), bulkinvite.Config{
		Client: c, Store: bulkinvite.NewMemoryStore(), Limits: bulkinvite.NoLimits(),
	}, people)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range summary.ByOrganization {
		fmt.Printf("%s: %d created\n", o.OrganizationID, o.Counts[bulkinvite.StateCreated])
	}
	fmt.Println("total:", summary.Counts.Total(), "settled:", summary.Counts.Settled())
	// Output:
	// org_acme: 2 created
	// org_globex: 3 created
	// org_initech: 1 created
	// total: 6 settled: 6
}

// A dry run of a list across organizations, one of whose people already
// has a pending invitation: it sends no invitation and writes nothing, and
// says what the run would do and what asking the server cost.
func ExampleDryRun() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Create(ctx, "org_globex", client.CreateParams{EmailAddress: "sam@example.com", Role: "org:member"}); err != nil {
		log.Fatal(err)
	}
	people := []bulkinvite.Person{
		{OrganizationID: "org_acme", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}},
		{OrganizationID: "org_globex", Params: client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}},
		{OrganizationID: "org_globex", Params: client.CreateParams{EmailAddress: "sam@example.com", Role: "org:member"}},
	}
	// Store: a read-only journal (bulkinvite.OpenJournalReadOnly) if one
	// exists; nil for none yet.
	forecast, err := bulkinvite.DryRun(ctx, bulkinvite.Config{Client: c}, bulkinvite.People(people))
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range forecast.ByOrganization {
		fmt.Printf("%s: %d to invite, %d already invited\n", o.OrganizationID, o.New, o.Found)
	}
	sc := forecast.ServerCheck
	fmt.Printf("asked the server by %s: list requests %d\n", sc.Strategy, sc.Requests)
	// Output:
	// org_acme: 1 to invite, 0 already invited
	// org_globex: 1 to invite, 1 already invited
	// asked the server by instance: list requests 1
}

// A run in which more people fail than a Summary lists: its counts are
// exact, its list holds the first MaxSummaryEntries, and the store's Scan
// goes through every one, one entry at a time.
func ExampleSummary_everyFailed() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	var people []bulkinvite.Person
	for i := range 150 {
		people = append(people, bulkinvite.Person{Params: client.CreateParams{
			EmailAddress: fmt.Sprintf("person%05d@example.com", i),
			Role:         "org:boss", // no such role: Clerk refuses each
		}})
	}
	journal := bulkinvite.NewMemoryStore()
	ctx := context.Background()
	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{Client: c, OrganizationID: "org_123", Store: journal, Limits: bulkinvite.NoLimits()}, people)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("failed:", summary.Counts[bulkinvite.StateFailed], "listed:", len(summary.Failed))
	every := 0
	err = journal.Scan(ctx, "org_123", func(_ int64, e bulkinvite.Entry) error {
		if e.State == bulkinvite.StateFailed {
			every++ // e.Params.EmailAddress and e.Reason say who and why
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scanned:", every)
	// Output:
	// failed: 150 listed: 100
	// scanned: 150
}
