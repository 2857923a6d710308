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
	var org, format, output string
	var statuses []string
	cmd := &cobra.Command{
		Use:   "list --org ORG",
		Short: "List an organization's invitations",
		Long: `list prints every invitation of an organization, oldest first, or only those
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
  clerk-invite list --org org_123 --format csv --output invitations.csv`,
		Args: cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error { return a.list(cmd.Context(), org, statuses, format, output) }),
	}
	fl := cmd.Flags()
	fl.StringVar(&org, "org", "", "the organization (required)")
	fl.StringSliceVar(&statuses, "status", nil, "only invitations in one of these statuses: pending, accepted, revoked, expired (repeat the flag or separate with commas for several)")
	fl.StringVar(&format, "format", "table", "table, csv (formula cells neutralised) or json")
	fl.StringVar(&output, "output", "", "write to this file (0600) instead of standard output")
	required(cmd, "org")
	return cmd
}

func (a *app) list(ctx context.Context, org string, statuses []string, format, output string) error {
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
	if err := checkTarget(org, ""); err != nil {
		return err
	}
	c, err := a.newClient()
	if err != nil {
		return err
	}
	// Everything is read before anything is written: a failure halfway
	// leaves no half a table, and no JSON without its end.
	invitations, err := listAll(ctx, c, org, client.ListParams{Status: filter})
	if err != nil {
		return err
	}
	if output != "" {
		return writeOutput(output, func(w io.Writer) error { return write(w, invitations) })
	}
	return write(a.stdout, invitations)
}

// listAll reads every invitation that matches params, oldest first: in
// that order, invitations created while the list is read land at its end
// and nothing already read moves.
func listAll(ctx context.Context, c *client.Client, org string, params client.ListParams) ([]client.Invitation, error) {
	params.OrderBy = client.OrderOldestFirst
	var out []client.Invitation
	for inv, err := range c.ListAll(ctx, org, params) {
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

var listFormats = map[string]func(io.Writer, []client.Invitation) error{
	"table": writeTable,
	"csv":   writeCSV,
	"json":  writeJSON,
}

var listColumns = []string{"id", "email_address", "role", "status", "created_at"}

func listRow(inv *client.Invitation) []string {
	return []string{inv.ID, inv.EmailAddress, inv.Role, string(inv.Status), created(inv)}
}

// created is when the invitation was created, in UTC, to the second.
func created(inv *client.Invitation) string {
	return time.UnixMilli(inv.CreatedAt).UTC().Format(time.RFC3339)
}

func writeTable(w io.Writer, invitations []client.Invitation) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSTATUS\tCREATED")
	for i := range invitations {
		fmt.Fprintln(tw, strings.Join(terminalRow(listRow(&invitations[i])), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d %s\n", len(invitations), plural(len(invitations), "invitation", "invitations"))
	return err
}

func writeCSV(w io.Writer, invitations []client.Invitation) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(listColumns)
	for i := range invitations {
		_ = cw.Write(spreadsheetRow(listRow(&invitations[i])))
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes the invitations as the API returns them, with the
// characters a terminal obeys as \u escapes, which a JSON parser reads
// back as they were.
func writeJSON(w io.Writer, invitations []client.Invitation) error {
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
