package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/bulkinvite"
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
the working directory.`,
		Example: `  clerk-invite resend --org org_123 --email ada@example.com --journal people.csv.journal.db`,
		Args:    cobra.NoArgs,
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
		return err
	}
	defer journal.Close()
	e, err := bulkinvite.Resend(ctx, bulkinvite.Config{
		Client:         c,
		OrganizationID: org,
		Store:          journal,
		Limits:         pace.run,
		CheckDelay:     rf.checkDelay,
	}, email, bulkinvite.ResendOptions{RedirectURL: redirect})
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("stopped: run the same command again to finish the resend (%w)", err)
	}
	if err != nil {
		return err
	}
	switch e.State {
	case bulkinvite.StateCreated:
		fmt.Fprintf(a.stdout, "Resent %s: the pending invitation was revoked and %s created in its place (role %s).\n",
			e.Params.EmailAddress, e.InvitationID, e.Params.Role)
		return nil
	case bulkinvite.StateAlreadyMember:
		fmt.Fprintf(a.stdout, "%s joined %s meanwhile: nothing to resend.\n", e.Params.EmailAddress, org)
		return nil
	}
	fmt.Fprintf(a.stdout, "Not resent %s: %s", e.Params.EmailAddress, stateNames[e.State])
	if e.Reason != "" {
		fmt.Fprintf(a.stdout, ": %s", e.Reason)
	}
	fmt.Fprintln(a.stdout)
	return exitWith(exitFailed)
}
