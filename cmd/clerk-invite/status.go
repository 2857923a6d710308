package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

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
many are not settled yet, and whether Clerk emails the invitations
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
	entries, err := j.Load(ctx, "")
	if err != nil {
		return damagedJournal(path, err)
	}
	notify, err := j.Notify(ctx)
	if err != nil {
		return damagedJournal(path, err)
	}
	w := a.stdout
	defer fmt.Fprintf(w, "\nEmail from Clerk: %s.\n", statusNotify(notify))
	if len(entries) == 0 {
		printf(w, "%s: no one yet\n", path)
		return nil
	}
	var orgs []string
	byOrg := map[string][]bulkinvite.Entry{}
	for _, e := range entries {
		if _, ok := byOrg[e.OrganizationID]; !ok {
			orgs = append(orgs, e.OrganizationID)
		}
		byOrg[e.OrganizationID] = append(byOrg[e.OrganizationID], e)
	}
	for i, org := range orgs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		list := byOrg[org]
		counts := bulkinvite.Counts{}
		for _, e := range list {
			counts[e.State]++
		}
		printf(w, "%s: %d %s, %d settled, %d unsettled\n", org, counts.Total(), plural(counts.Total(), "person", "people"), counts.Settled(), counts.Total()-counts.Settled())
		writeCounts(w, "  ", counts)
		if n := counts[bulkinvite.StateFailed]; n > 0 {
			fmt.Fprintf(w, "  failed (%d):\n", n)
			for _, e := range list {
				if e.State == bulkinvite.StateFailed {
					printf(w, "    %s: %s\n", e.Params.EmailAddress, reasonWords(e.Reason))
				}
			}
		}
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
