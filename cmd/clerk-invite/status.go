package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

func (a *app) statusCommand() *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "status --journal FILE",
		Short: "Show where a run stands, from its journal",
		Long: `status reads a run's journal, read-only, and shows for each organization how
many people are in each state, everyone who failed with the reason, and how
many are not settled yet, with a total when the journal holds several
organizations, and whether Clerk emails the invitations
(--notify or --no-notify, as the run recorded). It sends nothing, needs no
key, leaves no file behind, and works while a run is going.`,
		Example: `  clerk-invite status --journal people.csv.journal.db`,
		Args:    cliwords.NoArgs,
		RunE:    run(func(cmd *cobra.Command) error { return a.status(cmd.Context(), path) }),
	}
	cmd.Flags().StringVar(&path, "journal", "", "the journal of a run (required)")
	required(cmd, "journal")
	return cmd
}

func (a *app) status(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return badInput("no journal at %s", path)
	}
	j, err := bulkinvite.OpenJournalReadOnly(path)
	if err != nil {
		return damagedJournal(path, err)
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
	failed, err := failedByOrg(ctx, j, orgs)
	if err != nil {
		return damagedJournal(path, err)
	}
	total := bulkinvite.Counts{}
	for i, o := range orgs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeOrgStatus(w, o.OrganizationID, o.Counts, failed[o.OrganizationID])
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

// writeOrgStatus writes an organization's counts, and who failed.
func writeOrgStatus(w io.Writer, org string, counts bulkinvite.Counts, failed []bulkinvite.Entry) {
	printf(w, "%s: %d %s, %d settled, %d unsettled\n", org, counts.Total(), plural(counts.Total(), "person", "people"), counts.Settled(), counts.Total()-counts.Settled())
	writeCounts(w, "  ", counts)
	if len(failed) > 0 {
		fmt.Fprintf(w, "  failed (%d):\n", len(failed))
		for _, e := range failed {
			printf(w, "    %s: %s\n", e.Params.EmailAddress, reasonWords(e.Reason))
		}
	}
}

// failedByOrg reads the failed of the journal, by organization: only if
// the counts say there are any.
func failedByOrg(ctx context.Context, j *bulkinvite.Journal, orgs []bulkinvite.OrganizationCounts) (map[string][]bulkinvite.Entry, error) {
	out := map[string][]bulkinvite.Entry{}
	if !slices.ContainsFunc(orgs, func(o bulkinvite.OrganizationCounts) bool { return o.Counts[bulkinvite.StateFailed] > 0 }) {
		return out, nil
	}
	err := j.Scan(ctx, "", func(_ int64, e bulkinvite.Entry) error {
		if e.State == bulkinvite.StateFailed {
			out[e.OrganizationID] = append(out[e.OrganizationID], e)
		}
		return nil
	})
	return out, err
}

// statusNotify says what the journal recorded of the choice whether Clerk
// emails the invitations.
func statusNotify(notify *bool) string {
	if notify == nil {
		return "not recorded (the journal was started before clerk-invite recorded it)"
	}
	return notifyWords(notify, false)
}
