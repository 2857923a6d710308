package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// defaultResendJournal is where resend keeps its journal without
// --journal: in the working directory, so that running the same resend
// again there finishes one that was stopped.
const defaultResendJournal = "clerk-invite-resend" + journalSuffix

func (a *app) resendCommand() *cobra.Command {
	var org, email, journal, redirect string
	var rf runFlags
	cmd := &cobra.Command{
		Use:   "resend --org ORG --email ADDRESS",
		Short: "Send a pending invitation again",
		Long: `resend sends someone's pending invitation again. Clerk has no endpoint for
that, so resend revokes the pending invitation and creates a new one with
the same role and metadata, which Clerk emails. It does so exactly once,
through a journal: stopped at any point, the same command finishes the
work instead of starting anew.

The API does not return an invitation's redirect URL. Give --redirect-url,
or pass the journal of the send run that invited the person (--journal
people.csv` + journalSuffix + `), which recorded it; otherwise the new invitation
has none. Without --journal, the journal is ` + defaultResendJournal + ` in
the working directory, removed once the resend is settled.

If the old invitation is revoked but the API refuses the new one, the
person is left with no pending invitation: resend says so and exits 1.`,
		Example: `  clerk-invite resend --org org_123 --email ada@example.com --journal people.csv.journal.db`,
		Args:    cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error {
			return a.resend(cmd.Context(), org, email, journal, redirect, rf)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&org, "org", "", "the organization (required)")
	fl.StringVar(&email, "email", "", "the address whose invitation to send again (required)")
	fl.StringVar(&journal, "journal", defaultResendJournal, "the journal that makes the resend exactly-once; the send run's gives its redirect URL")
	fl.StringVar(&redirect, "redirect-url", "", "where the new invitation's link lands (the API does not say where the old one's did)")
	rf.register(fl)
	required(cmd, "org", "email")
	return cmd
}

func (a *app) resend(ctx context.Context, org, email, journalPath, redirect string, rf runFlags) error {
	pace, err := rf.pacing()
	if err != nil {
		return err
	}
	if err := checkTarget(org, email); err != nil {
		return err
	}
	c, err := a.newClient(pace.request)
	if err != nil {
		return err
	}
	journal, err := bulkinvite.OpenJournal(journalPath)
	if errors.Is(err, bulkinvite.ErrLocked) {
		return fmt.Errorf("the journal %s is in use by another run; let that one finish first", journalPath)
	}
	if err != nil {
		return damagedJournal(journalPath, err)
	}
	defer closeResendJournal(ctx, journal, journalPath)
	e, err := bulkinvite.Resend(ctx, bulkinvite.Config{
		Client:         c,
		OrganizationID: org,
		Store:          journal,
		Limits:         pace.run,
		CheckDelay:     rf.checkDelay,
	}, email, bulkinvite.ResendOptions{RedirectURL: redirect})
	if err != nil && ctx.Err() != nil {
		return errors.New("stopped: run the same command again to finish the resend")
	}
	if err != nil {
		return err
	}
	return a.resendOutcome(org, journalPath, e)
}

// resendOutcome says what became of a resend; anything but a new
// invitation or a person who joined meanwhile exits 1.
func (a *app) resendOutcome(org, journalPath string, e *bulkinvite.Entry) error {
	addr := e.Params.EmailAddress
	switch e.State {
	case bulkinvite.StateCreated:
		printf(a.stdout, "Resent %s: the pending invitation was revoked and %s created in its place (role %s).\n",
			addr, e.InvitationID, e.Params.Role)
		return nil
	case bulkinvite.StateAlreadyMember:
		printf(a.stdout, "%s joined %s meanwhile: nothing to resend.\n", addr, org)
		return nil
	case bulkinvite.StateFailed:
		if e.Replaces != "" { // the revoke itself was refused: the old invitation stands
			printf(a.stdout, "Not resent %s: the API refused to revoke %s: %s\nTheir pending invitation is unchanged.\n", addr, e.Replaces, reasonWords(e.Reason))
			return exitWith(exitFailed)
		}
		printf(a.stdout, "Not resent %s: the old invitation was revoked, but the API refused the new one: %s\n", addr, reasonWords(e.Reason))
		printf(a.stdout, "%s now has NO pending invitation to %s. Fix the cause, then invite them again (clerk-invite send with a CSV file holding their row).\n", addr, org)
		return exitWith(exitFailed)
	}
	printf(a.stdout, "Not resent %s yet: %s", addr, stateNames[e.State])
	if e.Reason != "" {
		printf(a.stdout, " (%s)", reasonWords(e.Reason))
	}
	printf(a.stdout, ".\nRun the same command again to finish it; the journal %s holds where it stands.\n", journalPath)
	return exitWith(exitFailed)
}

// closeResendJournal closes the journal, and removes the default one
// (defaultResendJournal) when nothing in it is left to finish: it exists
// only to make a resend exactly-once, so a settled resend leaves no file
// behind. A journal named with --journal is kept.
func closeResendJournal(ctx context.Context, j *bulkinvite.Journal, path string) {
	if path != defaultResendJournal {
		_ = j.Close()
		return
	}
	entries, err := j.Load(context.WithoutCancel(ctx), "")
	settled := err == nil
	for _, e := range entries {
		settled = settled && e.State.Final()
	}
	if err := j.Close(); err == nil && settled {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			_ = os.Remove(f)
		}
	}
}
