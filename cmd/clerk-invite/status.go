package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

func (a *app) statusCommand() *cobra.Command {
	var path string
	var unsettled bool
	cmd := &cobra.Command{
		Use:   "status --journal FILE [--unsettled]",
		Short: "Show where a run stands, from its journal",
		Long: `status reads a run's journal, read-only, and shows for each organization how
many people are in each state, everyone who failed with the reason, and how
many are not settled yet, with a total when the journal holds several
organizations, and whether Clerk emails the invitations
(--notify or --no-notify, as the run recorded). --unsettled lists everyone
not settled yet too, with their state. It reads the people from the
journal as it prints them, so a journal of a million takes little memory.
It sends nothing, needs no key, leaves no file behind, and works while a
run is going.`,
		Example: `  clerk-invite status --journal people.csv.journal.db
  clerk-invite status --journal people.csv.journal.db --unsettled`,
		Args: cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error { return a.status(cmd.Context(), path, unsettled) }),
	}
	cmd.Flags().StringVar(&path, "journal", "", "the journal of a run (required)")
	cmd.Flags().BoolVar(&unsettled, "unsettled", false, "list everyone not settled yet, with their state")
	required(cmd, "journal")
	return cmd
}

func (a *app) status(ctx context.Context, path string, unsettled bool) error {
	j, err := openJournalReadOnly(path)
	if err != nil {
		return err
	}
	if j == nil {
		return badInput("no journal at %s", path)
	}
	defer j.Close()
	orgs, err := j.CountByOrganization(ctx) // in SQL: the entries are not read
	if err != nil {
		return damagedJournal(path, err)
	}
	notify, err := j.Notify(ctx)
	if err != nil {
		return damagedJournal(path, err)
	}
	w := a.stdout
	defer fmt.Fprintf(w, "\nEmail from Clerk: %s.\n", statusNotify(notify))
	if len(orgs) == 0 {
		printf(w, "%s: no one yet\n", path)
		return nil
	}
	total := bulkinvite.Counts{}
	for i, o := range orgs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := writeOrgStatus(ctx, w, j, o, unsettled); err != nil {
			return damagedJournal(path, err)
		}
		for s, n := range o.Counts {
			total[s] += n
		}
	}
	if len(orgs) > 1 {
		fmt.Fprintln(w)
		printf(w, "Total, %d organizations: %d %s, %d settled, %d unsettled\n", len(orgs), total.Total(), plural(total.Total(), "person", "people"),
			total.Settled(), total.Total()-total.Settled())
		writeCounts(w, "  ", total)
	}
	return nil
}

// writeOrgStatus writes an organization's counts and everyone of it who
// failed, with the reason, and, with unsettled, everyone not settled yet,
// with their state: read from the journal as they are written, and only
// when the counts say there are any.
func writeOrgStatus(ctx context.Context, w io.Writer, j *bulkinvite.Journal, o bulkinvite.OrganizationCounts, unsettled bool) error {
	counts := o.Counts
	printf(w, "%s: %d %s, %d settled, %d unsettled\n", o.OrganizationID, counts.Total(), plural(counts.Total(), "person", "people"), counts.Settled(), counts.Total()-counts.Settled())
	writeCounts(w, "  ", counts)
	if n := counts[bulkinvite.StateFailed]; n > 0 {
		fmt.Fprintf(w, "  failed (%d):\n", n)
		err := j.Scan(ctx, o.OrganizationID, func(_ int64, e bulkinvite.Entry) error {
			if e.State == bulkinvite.StateFailed {
				writePerson(w, "    ", e, "")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if n := counts.Total() - counts.Settled(); unsettled && n > 0 {
		fmt.Fprintf(w, "  unsettled (%d):\n", n)
		return j.Scan(ctx, o.OrganizationID, func(_ int64, e bulkinvite.Entry) error {
			if !e.State.Final() {
				writePerson(w, "    ", e, "")
			}
			return nil
		})
	}
	return nil
}

// statusNotify says what the journal recorded of the choice whether Clerk
// emails the invitations.
func statusNotify(notify *bool) string {
	if notify == nil {
		return "not recorded (the journal was started before clerk-invite recorded it)"
	}
	return notifyWords(notify, false)
}
