// Command quickstart walks through the library: invite people, list, page,
// read, revoke, and handle a typed error.
//
//	go run ./examples/quickstart
//
// Without CLERK_SECRET_KEY it starts the in-memory fake in this process:
// no key, no network, no emails. With CLERK_SECRET_KEY set it runs the same
// steps against Clerk's real API in the organization given by -org (or
// CLERK_ORGANIZATION_ID), creating real invitations, which it revokes at the
// end. Real emails are sent only with -notify. CLERK_API_URL points it at
// another deployment of the API, such as a proxy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

func main() {
	org := flag.String("org", os.Getenv("CLERK_ORGANIZATION_ID"), "organization id (real API only)")
	notify := flag.Bool("notify", false, "let Clerk email the invitations (real API only)")
	domain := flag.String("domain", "example.com", "email domain of the people invited")
	flag.Parse()
	if err := run(os.Stdout, *org, *notify, *domain); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, org string, notify bool, domain string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var c *client.Client
	var err error
	if os.Getenv(client.SecretKeyEnv) == "" {
		srv := fake.NewServer(fake.WithOrganization("org_quickstart", "Quickstart Inc.", "quickstart"))
		defer srv.Close()
		org = "org_quickstart"
		fmt.Fprintf(out, "No %s set: using the in-memory Clerk at %s (no network, no emails).\n", client.SecretKeyEnv, srv.URL)
		c, err = srv.NewClient()
	} else {
		if org == "" {
			return errors.New("with a real key, name the organization: -org org_... or CLERK_ORGANIZATION_ID")
		}
		fmt.Fprintf(out, "Using Clerk's real API: invitations will be created in %s and revoked at the end.\n", org)
		if notify {
			fmt.Fprintln(out, "-notify is on: Clerk WILL email every address invited.")
		} else {
			fmt.Fprintln(out, "Notify is off: no emails are sent (pass -notify to send them).")
		}
		fmt.Fprintln(out)
		opts := []client.Option{client.WithUserAgentSuffix("quickstart")}
		if base := os.Getenv("CLERK_API_URL"); base != "" {
			opts = append(opts, client.WithBaseURL(base))
		}
		c, err = client.New(opts...)
	}
	if err != nil {
		return err
	}
	addr := func(name string) string { return name + "@" + domain }
	created := []string{}

	step(out, "1. Invite two people, one at a time")
	for _, p := range []client.CreateParams{
		{EmailAddress: addr("ada"), Role: "org:admin", Notify: &notify},
		{EmailAddress: addr("grace"), Role: "org:member", ExpiresInDays: 7, Notify: &notify,
			PublicMetadata: map[string]any{"team": "compilers"}},
	} {
		inv, err := c.Create(ctx, org, p)
		if client.OutcomeUnknown(err) {
			return fmt.Errorf("%w\n(the invitation may exist; look before running again)", err)
		}
		if err != nil {
			return err
		}
		created = append(created, inv.ID)
		fmt.Fprintf(out, "   %s  %-22s %-10s %s, expires %s\n", inv.ID, inv.EmailAddress, inv.Role, inv.Status, when(inv.ExpiresAt))
	}

	step(out, "2. Invite twelve more, each exactly once (package bulkinvite)")
	var more []bulkinvite.Person
	for i := 1; i <= 12; i++ {
		more = append(more, bulkinvite.Person{OrganizationID: org,
			Params: client.CreateParams{EmailAddress: addr(fmt.Sprintf("guest%02d", i)), Role: "org:member", Notify: &notify}})
	}
	// A journal in memory is enough for a dozen; a run of thousands keeps
	// it in a file (bulkinvite.OpenJournal), to go on after a crash, and is
	// paced with bulkinvite.ProductionLimits(). Twelve stay far below
	// Clerk's limits, and a 429 would only pause the run.
	journal := bulkinvite.NewMemoryStore()
	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{
		Client: c,
		Store:  journal,
		Limits: bulkinvite.NoLimits(),
	}, more)
	if err != nil {
		return err
	}
	entries, err := journal.Load(ctx, org)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.State == bulkinvite.StateCreated {
			created = append(created, e.InvitationID)
		} else {
			fmt.Fprintf(out, "   %s: %s (%s)\n", e.Params.EmailAddress, e.State, e.Reason)
		}
	}
	fmt.Fprintf(out, "   created %d, failed %d, unsettled %d\n", summary.Counts[bulkinvite.StateCreated],
		summary.Counts[bulkinvite.StateFailed], summary.Counts.Total()-summary.Counts.Settled())

	step(out, "3. List with a filter: pending ones, by email A to Z, the first 3")
	page, err := c.List(ctx, org, client.ListParams{Status: client.Statuses{client.StatusPending}, OrderBy: client.OrderEmailAsc, Limit: 3})
	if err != nil {
		return err
	}
	for _, inv := range page.Data {
		fmt.Fprintf(out, "   %-22s %s\n", inv.EmailAddress, inv.Role)
	}
	fmt.Fprintf(out, "   (%d of %d pending)\n", len(page.Data), page.TotalCount)

	step(out, "4. Page through all of them, 5 per request")
	n := 0
	for inv, err := range c.ListAll(ctx, org, client.ListParams{Limit: 5, OrderBy: client.OrderOldestFirst}) {
		if err != nil {
			return err
		}
		n++
		if n <= 2 || n == 14 {
			fmt.Fprintf(out, "   #%-2d %s\n", n, inv.EmailAddress)
		} else if n == 3 {
			fmt.Fprintln(out, "   ...")
		}
	}
	fmt.Fprintf(out, "   %d invitations in %d requests\n", n, (n+4)/5) // the last page is short, so no empty page is asked for

	step(out, "5. Get one")
	inv, err := c.Get(ctx, org, created[1])
	if err != nil {
		return err
	}
	// Metadata arrives as raw JSON: decode it into a type of your own.
	var meta struct {
		Team string `json:"team"`
	}
	if err := inv.PublicMetadata.Decode(&meta); err != nil {
		return err
	}
	fmt.Fprintf(out, "   %s is %s, role %q (%s), team %q (public metadata %s)\n", inv.EmailAddress, inv.Status, inv.Role, inv.RoleName, meta.Team, inv.PublicMetadata)

	step(out, "6. Revoke it")
	inv, err = c.Revoke(ctx, org, created[1], client.RevokeParams{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   %s is now %s\n", inv.EmailAddress, inv.Status)

	step(out, "7. Revoke it again: a typed error")
	_, err = c.Revoke(ctx, org, created[1], client.RevokeParams{})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("expected an API error, got %v", err)
	}
	fmt.Fprintf(out, "   %v\n", err)
	fmt.Fprintf(out, "   status %d, code %q, trace id %q\n", apiErr.StatusCode, apiErr.Errors[0].Code, apiErr.TraceID)

	step(out, "8. The instance's invitations, across organizations")
	all, err := c.ListInstance(ctx, client.ListInstanceParams{Query: domain, Limit: 3})
	if err != nil {
		return err
	}
	for _, inv := range all.Data {
		fmt.Fprintf(out, "   %-22s %-8s in %s\n", inv.EmailAddress, inv.Status, inv.PublicOrganizationData.Name)
	}
	fmt.Fprintf(out, "   (%d of %d)\n", len(all.Data), all.TotalCount)

	if os.Getenv(client.SecretKeyEnv) != "" {
		step(out, "Cleaning up: revoking what this run created")
		for _, id := range created {
			if _, err := c.Revoke(ctx, org, id, client.RevokeParams{}); err != nil && !client.HasCode(err, client.CodeNotPending) {
				fmt.Fprintf(out, "   %s: %v\n", id, err)
			}
		}
	}
	fmt.Fprintln(out, "\nDone.")
	return nil
}

func step(out io.Writer, title string) { fmt.Fprintln(out, "\n"+title) }

// when formats a Unix-milliseconds timestamp as a date.
func when(ms *int64) string {
	if ms == nil {
		return "never"
	}
	return time.UnixMilli(*ms).UTC().Format(time.DateOnly)
}
