package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// dryRun says what a run would do, from the file, what the journal
// already holds and, when it can ask, the server's pending invitations,
// without sending any invitation or creating the journal.
func (a *app) dryRun(ctx context.Context, f sendFlags, pace pacing, people []person, sp sendPlan, origin bulkinvite.Origin) error {
	journalPath := sp.journalPath
	stored, notes, err := readDryJournal(ctx, f, people, journalPath, origin)
	if err != nil {
		return err
	}
	plan, server, err := a.dryRunPlan(ctx, f, pace, people, stored)
	if err != nil {
		return err
	}
	c := countPlan(plan)
	w := a.stdout
	fmt.Fprintf(w, "Dry run: no invitation sent, no journal written.\n")
	printf(w, "%s: %d %s for %s, all rows valid\n", f.csv, len(people), plural(len(people), "person", "people"), f.org)
	fmt.Fprintf(w, "Email from Clerk: %s.\n", notifyWords(sp.notify, sp.recorded))
	fmt.Fprintf(w, "  new, to invite:                  %6d\n", c.fresh)
	fmt.Fprintf(w, "  already invited (server):        %6d\n", c.found)
	fmt.Fprintf(w, "  settled already (journal):       %6d\n", c.settled.Settled())
	fmt.Fprintf(w, "  unfinished in the journal:       %6d\n", c.unsettled)
	if c.settled.Settled() > 0 {
		writeCounts(w, "    ", c.settled)
	}
	fmt.Fprint(w, server)
	fmt.Fprint(w, notes)
	todo := c.fresh + c.unsettled
	switch perHour := pace.run.PerHour(); {
	case todo == 0 && c.found > 0:
		printf(w, "Nothing to send: everyone is settled in %s or already invited on the server.\n", journalPath)
	case todo == 0:
		printf(w, "Nothing to send: everyone is settled in %s.\n", journalPath)
	case perHour > 0:
		printf(w, "At the %s limits (%.0f people an hour at most) that takes about %s, by the pacer's schedule.\n",
			f.limits, perHour, roughly(pace.run.TimeFor(todo)))
	default:
		fmt.Fprintf(w, "Unpaced (--limits none): as fast as the server responds.\n")
	}
	return nil
}

// readDryJournal reads the journal, if there is one, with the same
// checks and the same view of it as a run's; notes is what the checks
// say of it.
func readDryJournal(ctx context.Context, f sendFlags, people []person, journalPath string, origin bulkinvite.Origin) (stored []bulkinvite.Entry, notes string, err error) {
	switch _, err := os.Stat(journalPath); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "", nil
	case err != nil:
		return nil, "", err
	}
	j, err := bulkinvite.OpenJournalReadOnly(journalPath)
	if err != nil {
		return nil, "", damagedJournal(journalPath, err)
	}
	defer j.Close()
	var b strings.Builder
	if err := checkJournal(ctx, &b, j, journalPath, f.org, people); err != nil {
		return nil, "", err
	}
	if err := checkOrigin(ctx, &b, j, journalPath, origin, false); err != nil {
		return nil, "", err
	}
	stored, err = newFileStore(j, people).Load(ctx, f.org)
	return stored, b.String(), err
}

// planCounts are a dry run's counts of a plan.
type planCounts struct {
	fresh     int               // new to the journal, to invite
	found     int               // settled from the server's pending invitations
	unsettled int               // the journal's, to send, check or revoke
	settled   bulkinvite.Counts // settled in the journal, by state
}

// countPlan counts a plan for a dry run.
func countPlan(plan *bulkinvite.Plan) planCounts {
	found := map[int]bool{}
	for _, i := range plan.Found {
		found[i] = true
	}
	c := planCounts{found: len(plan.Found), settled: bulkinvite.Counts{}}
	for _, i := range plan.Settled {
		if !found[i] {
			c.settled[plan.Entries[i].State]++
		}
	}
	for _, i := range plan.New {
		if !found[i] {
			c.fresh++
		}
	}
	c.unsettled = len(plan.Send) + len(plan.Check) + len(plan.Revoke) - c.fresh
	return c
}

// dryRunPlan is what a run would do: bulkinvite.ReconcileWithServer, as
// the run plans, when the dry run can ask the server, or else
// bulkinvite.Reconcile; server says what it learnt, or why it did not ask.
func (a *app) dryRunPlan(ctx context.Context, f sendFlags, pace pacing, people []person, stored []bulkinvite.Entry) (*bulkinvite.Plan, string, error) {
	params, _ := paramsOf(people, f.org)
	opts := bulkinvite.ReconcileOptions{OrganizationID: f.org, RetryFailed: f.retryFailed}
	plan, err := bulkinvite.Reconcile(stored, params, opts)
	if err != nil {
		return nil, "", badInput("%s: %s", f.csv, say(err))
	}
	switch {
	case len(plan.Send)+len(plan.Check) == 0:
		return plan, "", nil
	case f.skipServerCheck:
		return plan, "The server was not asked (--skip-server-check): people already invited are counted as new.\n", nil
	case os.Getenv(client.SecretKeyEnv) == "":
		return plan, "The server was not asked: " + client.SecretKeyEnv + " is not set. With it, the dry run lists the organization's pending invitations, as the run does, and counts those already invited.\n", nil
	}
	c, err := a.newClient(pace.request)
	if err != nil {
		return nil, "", err
	}
	asked, err := bulkinvite.ReconcileWithServer(ctx, c, stored, params, opts)
	if err != nil {
		return plan, fmt.Sprintf("The server could not be asked (%s): the counts are from the journal alone.\n", textsafe.Terminal(sayCause(err))), nil
	}
	return asked, fmt.Sprintf("Asked the server: %d of the file's people have a pending invitation to %s.\n", len(asked.Found), f.org), nil
}
