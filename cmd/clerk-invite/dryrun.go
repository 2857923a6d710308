package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// dryRun says what a run would do, from the file, what the journal
// already holds and, when it can ask, the server's pending invitations,
// without sending any invitation or creating the journal: per
// organization when the file has several, and in total.
func (a *app) dryRun(ctx context.Context, f sendFlags, pace pacing, file *csvFile, sp sendPlan, origin bulkinvite.Origin) error {
	journalPath := sp.journalPath
	j, notes, err := readDryJournal(ctx, f, file, journalPath, origin)
	if err != nil {
		return err
	}
	if j != nil {
		defer j.Close()
	}
	file.released()
	fc, server, err := a.forecast(ctx, f, pace, file, j)
	if err != nil {
		return err
	}
	w, c := a.stdout, fc.Total
	to := target(f.org, file.orgs)
	fmt.Fprintf(w, "Dry run: no invitation sent, no journal written.\n")
	printf(w, "%s: %d %s for %s, all rows valid\n", f.csv, file.people, plural(file.people, "person", "people"), to)
	fmt.Fprintf(w, "Email from Clerk: %s.\n", notifyWords(sp.notify, sp.recorded))
	fmt.Fprintf(w, "  new, to invite:                  %6d\n", c.New)
	fmt.Fprintf(w, "  already invited (server):        %6d\n", c.Found)
	fmt.Fprintf(w, "  settled already (journal):       %6d\n", c.Settled.Settled())
	fmt.Fprintf(w, "  unfinished in the journal:       %6d\n", c.Unfinished)
	if c.Settled.Settled() > 0 {
		writeCounts(w, "    ", c.Settled)
	}
	if len(fc.ByOrganization) > 1 {
		writeForecasts(w, fc.ByOrganization)
	}
	fmt.Fprint(w, server)
	fmt.Fprint(w, notes)
	todo := c.New + c.Unfinished
	switch perHour := pace.run.PerHour(); {
	case todo == 0 && c.Found > 0:
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

// writeForecasts writes a line for each organization of a dry run.
func writeForecasts(w io.Writer, orgs []bulkinvite.OrganizationForecast) {
	fmt.Fprintf(w, "By organization (new, already invited, settled, unfinished):\n")
	for _, o := range orgs {
		printf(w, "  %s: %d, %d, %d, %d\n", o.OrganizationID, o.New, o.Found, o.Settled.Settled(), o.Unfinished)
	}
}

// readDryJournal opens the journal read-only, if there is one, and reads
// it with the same checks as a run's; notes is what the checks say of it.
// The journal is nil when there is none yet.
func readDryJournal(ctx context.Context, f sendFlags, file *csvFile, journalPath string, origin bulkinvite.Origin) (*bulkinvite.Journal, string, error) {
	j, err := openJournalReadOnly(journalPath)
	if err != nil || j == nil {
		return nil, "", err
	}
	var b strings.Builder
	if _, err = checkJournal(ctx, &b, j, journalPath, file, f.org, f.retryFailed); err == nil {
		err = checkOrigin(ctx, &b, j, journalPath, origin, false)
	}
	if err != nil {
		_ = j.Close()
		return nil, "", err
	}
	return j, b.String(), nil
}

// forecast is what a run would do (bulkinvite.DryRun, asking the server
// as the run would when it can); server says what it learnt, and what
// asking cost, or why it did not ask.
func (a *app) forecast(ctx context.Context, f sendFlags, pace pacing, file *csvFile, j *bulkinvite.Journal) (*bulkinvite.Forecast, string, error) {
	cfg := bulkinvite.Config{OrganizationID: f.org, RetryFailed: f.retryFailed, GivenOnly: true}
	if j != nil {
		cfg.Store = j
	}
	var server string
	switch {
	case f.skipServerCheck:
		server = "The server was not asked (--skip-server-check): people already invited are counted as new.\n"
	case os.Getenv(client.SecretKeyEnv) == "":
		server = "The server was not asked: " + client.SecretKeyEnv + " is not set. With it, the dry run lists the pending invitations, as the run does, counts those already invited, and says how many list requests that takes.\n"
	default:
		c, err := a.newClient(pace.request)
		if err != nil {
			return nil, "", err
		}
		cfg.Client = c
	}
	fc, err := bulkinvite.DryRun(ctx, cfg, file.stream())
	switch {
	case errors.Is(err, bulkinvite.ErrServerCheck):
		return fc, fmt.Sprintf("The server could not be asked (%s): the counts are from the journal alone.\n", textsafe.Terminal(sayCause(err))), nil
	case err != nil:
		return nil, "", badInput("%s: %s", f.csv, say(err))
	case fc.ServerCheck != nil:
		server = askedWords(fc.ServerCheck, target(f.org, file.orgs))
	}
	return fc, server, nil
}

// askedWords says what asking the server found, and what it cost.
func askedWords(sc *bulkinvite.ServerCheck, to string) string {
	how := fmt.Sprintf("one list of the pending invitations of each organization, %d", sc.Organizations)
	switch {
	case sc.Organizations == 1:
		how = "a list of its pending invitations"
	case sc.Strategy == bulkinvite.CheckInstance:
		how = fmt.Sprintf("one walk of the instance's %d pending invitations, fewer requests than a list for each of the %d organizations", sc.InstancePending, sc.Organizations)
	}
	return fmt.Sprintf("Asked the server: %d of the file's people have a pending invitation to %s.\nThat took %d list %s (%s), as the run's check will.\n",
		sc.Found, to, sc.Requests, plural(sc.Requests, "request", "requests"), how)
}
