package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

func (a *app) listCommand() *cobra.Command {
	var org, journal, format, output string
	var statuses []string
	cmd := &cobra.Command{
		Use:   "list (--org ORG | --journal FILE)",
		Short: "List the invitations of an organization, or of every organization of a journal",
		Long: `list prints every invitation of an organization (--org), or of every
organization a run's journal holds people of (--journal, read-only: one
organization after another, each row naming its organization), oldest first, or only those
in the statuses given with --status (pending, accepted, revoked, expired;
several separated by commas, or the flag repeated), as an aligned table, as
CSV with a header row, or as a JSON array of the invitations as the API
returns them.

In every format, control characters (ESC, BEL...) and invisible
formatting characters are written as escapes, so that printing the output
cannot drive a terminal: \x1b in the table and in CSV, \u001b in JSON
(which a JSON parser reads back as the character). In CSV, a cell that
starts with =, +, -, @ gets a leading single quote, so that a spreadsheet
shows it as text instead of running it as a formula. --output writes to a
file readable by its owner only (0600), unlike a shell's > redirection.`,
		Example: `  clerk-invite list --org org_123 --status pending
  clerk-invite list --org org_123 --status pending,expired
  clerk-invite list --org org_123 --format csv --output invitations.csv
  clerk-invite list --journal migration.csv.journal.db --status pending`,
		Args: cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error {
			return a.list(cmd.Context(), listTarget{org, journal}, statuses, format, output)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&org, "org", "", "the organization (this or --journal is required)")
	fl.StringVar(&journal, "journal", "", "a run's journal: every organization it holds people of (this or --org is required)")
	fl.StringSliceVar(&statuses, "status", nil, "only invitations in one of these statuses: pending, accepted, revoked, expired (repeat the flag or separate with commas for several)")
	fl.StringVar(&format, "format", "table", "table, csv (formula cells neutralised) or json")
	fl.StringVar(&output, "output", "", "write to this file (0600) instead of standard output")
	return cmd
}

func (a *app) list(ctx context.Context, where listTarget, statuses []string, format, output string) error {
	var filter client.Statuses
	for _, status := range statuses {
		st := client.Status(strings.TrimSpace(status))
		if !st.Valid() {
			return badInput("--status %q: say pending, accepted, revoked or expired", status)
		}
		filter = append(filter, st)
	}
	write, ok := listFormats[format]
	if !ok {
		return badInput("--format %q: say table, csv or json", format)
	}
	orgs, err := where.organizations(ctx)
	if err != nil {
		return err
	}
	c, err := a.newClient()
	if err != nil {
		return err
	}
	// Everything is read before anything is written: a failure halfway
	// leaves no half a table, and no JSON without its end.
	var invitations []client.Invitation
	err = readAll(ctx, c, orgs, client.ListParams{Status: filter}, func(inv client.Invitation) {
		invitations = append(invitations, inv)
	})
	if err != nil {
		return err
	}
	withOrg := where.journal != ""
	if output != "" {
		return writeOutput(output, func(w io.Writer) error { return write(w, invitations, withOrg) })
	}
	return write(a.stdout, invitations, withOrg)
}

// readAll calls each with every invitation of orgs that matches params,
// one organization after another, each oldest first: in that order,
// invitations created while the list is read land at its end and nothing
// already read moves. It holds no invitation itself.
func readAll(ctx context.Context, c *client.Client, orgs []string, params client.ListParams, each func(client.Invitation)) error {
	params.OrderBy = client.OrderOldestFirst
	for _, org := range orgs {
		for inv, err := range c.ListAll(ctx, org, params) {
			if err != nil {
				return err
			}
			each(inv)
		}
	}
	return nil
}

var listFormats = map[string]func(w io.Writer, invitations []client.Invitation, withOrg bool) error{
	"table": writeTable,
	"csv":   writeCSV,
	"json":  writeJSON,
}

var listColumns = []string{"id", "email_address", "role", "status", "created_at"}

// listRow is an invitation's cells, its organization's first with withOrg.
func listRow(inv *client.Invitation, withOrg bool) []string {
	row := []string{inv.ID, inv.EmailAddress, inv.Role, string(inv.Status), created(inv)}
	if withOrg {
		return append([]string{inv.OrganizationID}, row...)
	}
	return row
}

// created is when the invitation was created, in UTC, to the second.
func created(inv *client.Invitation) string {
	return time.UnixMilli(inv.CreatedAt).UTC().Format(time.RFC3339)
}

func writeTable(w io.Writer, invitations []client.Invitation, withOrg bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "ID\tEMAIL\tROLE\tSTATUS\tCREATED"
	if withOrg {
		header = "ORGANIZATION\t" + header
	}
	fmt.Fprintln(tw, header)
	for i := range invitations {
		fmt.Fprintln(tw, strings.Join(terminalRow(listRow(&invitations[i], withOrg)), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d %s\n", len(invitations), plural(len(invitations), "invitation", "invitations"))
	return err
}

func writeCSV(w io.Writer, invitations []client.Invitation, withOrg bool) error {
	cw := csv.NewWriter(w)
	columns := listColumns
	if withOrg {
		columns = append([]string{"organization_id"}, columns...)
	}
	_ = cw.Write(columns)
	for i := range invitations {
		_ = cw.Write(spreadsheetRow(listRow(&invitations[i], withOrg)))
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes the invitations as the API returns them, with the
// characters a terminal obeys as \u escapes, which a JSON parser reads
// back as they were.
func writeJSON(w io.Writer, invitations []client.Invitation, _ bool) error { // each has its organization_id
	if invitations == nil {
		invitations = []client.Invitation{} // [], not null
	}
	doc, err := json.MarshalIndent(invitations, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(textsafe.JSON(doc), '\n'))
	return err
}

// listTarget is where list and revoke work: one organization (--org), or
// every organization of a run's journal (--journal).
type listTarget struct {
	org, journal string
}

// organizations are the organizations of the target: --org, or those the
// journal holds people of, read-only. One of the two is required, never
// both.
func (t listTarget) organizations(ctx context.Context) ([]string, error) {
	switch {
	case t.org != "" && t.journal != "":
		return nil, badInput("both --org %s and --journal %s say which organizations: use one", t.org, t.journal)
	case t.org == "" && t.journal == "":
		return nil, badInput("say which organizations: --org ORG for one, or --journal FILE for every organization of a run's journal")
	case t.org != "":
		return []string{t.org}, checkTarget(t.org, "")
	}
	j, err := openJournalReadOnly(t.journal)
	if err != nil {
		return nil, err
	}
	if j == nil {
		return nil, badInput("no journal at %s", t.journal)
	}
	defer j.Close()
	orgs, err := j.Organizations(ctx)
	if err != nil {
		return nil, damagedJournal(t.journal, err)
	}
	return orgs, nil
}
