package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

func (a *app) revokeCommand() *cobra.Command {
	var org, journal, status, olderThan string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "revoke (--org ORG | --journal FILE) --status pending --older-than AGE",
		Short: "Revoke the pending invitations older than an age",
		Long: `revoke revokes every pending invitation of an organization (--org), or of
every organization a run's journal holds people of (--journal), created
more than --older-than ago (7d, 36h, 90m, or a sum such as 1d12h), and
prints each.
Only pending invitations can be revoked, so --status must be pending. An
invitation that stopped being pending meanwhile counts as done; a revoke
whose outcome is unknown is looked up before it is sent again.`,
		Example: `  clerk-invite revoke --org org_123 --status pending --older-than 7d --dry-run
  clerk-invite revoke --journal migration.csv.journal.db --status pending --older-than 30d`,
		Args: cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error {
			return a.revoke(cmd.Context(), listTarget{org, journal}, status, olderThan, dryRun)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&org, "org", "", "the organization (this or --journal is required)")
	fl.StringVar(&journal, "journal", "", "a run's journal: every organization it holds people of (this or --org is required)")
	fl.StringVar(&status, "status", "pending", "the status of the invitations to revoke: pending is the only one")
	fl.StringVar(&olderThan, "older-than", "", "revoke those created longer ago than this: 7d, 36h, 90m (required)")
	fl.BoolVar(&dryRun, "dry-run", false, "print what would be revoked; revoke nothing")
	required(cmd, "older-than")
	return cmd
}

func (a *app) revoke(ctx context.Context, where listTarget, status, olderThan string, dryRun bool) error {
	if client.Status(status) != client.StatusPending {
		return badInput("--status %q: only pending invitations can be revoked", status)
	}
	age, err := parseAge(olderThan)
	if err != nil {
		return err
	}
	orgs, err := where.organizations(ctx)
	if err != nil {
		return err
	}
	c, err := a.newClient()
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-age)
	// Every candidate is found before the first revoke: revoking while
	// paging through the pending list would shift it and skip some.
	// Only those to revoke are held: a journal's organizations may have a
	// million pending.
	var old []client.Invitation
	pending := 0
	err = readAll(ctx, c, orgs, client.ListParams{Status: client.Statuses{client.StatusPending}}, func(inv client.Invitation) {
		pending++
		if time.UnixMilli(inv.CreatedAt).Before(cutoff) {
			old = append(old, inv)
		}
	})
	if err != nil {
		return err
	}
	w, withOrg := a.stdout, where.journal != ""
	if dryRun {
		for i := range old {
			printf(w, "would revoke %s%s %s (created %s)\n", orgPrefix(old[i].OrganizationID, withOrg), old[i].ID, old[i].EmailAddress, created(&old[i]))
		}
		printf(w, "Dry run: %d of %d pending invitations are older than %s; nothing revoked.\n", len(old), pending, olderThan)
		return nil
	}
	revoked, done, failed := revokeEach(ctx, c, w, old, withOrg)
	printf(w, "Revoked %d, already done %d, failed %d, of %d pending invitations older than %s.\n", revoked, done, failed, len(old), olderThan)
	if failed > 0 || ctx.Err() != nil {
		return exitWith(exitFailed)
	}
	return nil
}

// revokeEach revokes the invitations old, printing each outcome to w,
// until the end or until ctx ends, and counts them: revoked by this run,
// done already, failed.
func revokeEach(ctx context.Context, c *client.Client, w io.Writer, old []client.Invitation, withOrg bool) (revoked, done, failed int) {
	for i := range old {
		inv := &old[i]
		outcome, err := revokeOnce(ctx, c, inv.OrganizationID, inv.ID)
		switch {
		case err != nil:
			failed++
			printf(w, "failed  %s%s %s: %s\n", orgPrefix(inv.OrganizationID, withOrg), inv.ID, inv.EmailAddress, say(err))
		case outcome == "":
			revoked++
			printf(w, "revoked %s%s %s (created %s)\n", orgPrefix(inv.OrganizationID, withOrg), inv.ID, inv.EmailAddress, created(inv))
		default:
			done++
			printf(w, "done    %s%s %s: %s\n", orgPrefix(inv.OrganizationID, withOrg), inv.ID, inv.EmailAddress, outcome)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return revoked, done, failed
}

// revokeAttempts bounds the revokes of one invitation whose outcome stays
// unknown.
const revokeAttempts = 3

// revokeOnce revokes one invitation. It returns "" when this call revoked
// it, or what made it done already: it was no longer pending (someone
// accepted or revoked it meanwhile), or a revoke whose response was lost
// did revoke it, as a look-up showed. Revoking again is safe, so an outcome
// that stays unknown is tried again a few times.
func revokeOnce(ctx context.Context, c *client.Client, org, id string) (string, error) {
	var err error
	for range revokeAttempts {
		_, err = c.Revoke(ctx, org, id, client.RevokeParams{})
		switch {
		case err == nil:
			return "", nil
		case client.HasCode(err, client.CodeNotPending):
			return "no longer pending", nil
		case !client.OutcomeUnknown(err):
			return "", err
		}
		inv, gerr := c.Get(ctx, org, id)
		switch {
		case gerr != nil:
			return "", fmt.Errorf("%s; looking it up failed too: %s", say(err), say(gerr))
		case inv.Status == client.StatusRevoked:
			return "revoked (the response was lost; a look-up shows it)", nil
		case inv.Status != client.StatusPending:
			return "no longer pending: " + string(inv.Status), nil
		}
	}
	return "", err
}

// agePart is one number and unit of an --older-than value.
var agePart = regexp.MustCompile(`(\d+)([dhm])`)

// maxAge is the oldest --older-than: an invitation expires at most 365
// days after it is created (expires_in_days), so no pending one is older.
const maxAge = 365 * 24 * time.Hour

// parseAge reads an age such as 7d, 36h, 90m or 1d12h, from a minute up
// to maxAge. The sum is checked part by part, so no value can overflow
// into a shorter age.
func parseAge(s string) (time.Duration, error) {
	if s == "" || agePart.ReplaceAllString(s, "") != "" {
		return 0, badInput("--older-than %q: say a number of days, hours or minutes, such as 7d, 36h or 90m", s)
	}
	tooOld := badInput("--older-than %s: at most 365d; no pending invitation is older, as invitations expire within 365 days", textsafe.Quote(s, 64))
	units := map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute}
	var total time.Duration
	for _, m := range agePart.FindAllStringSubmatch(s, -1) {
		unit := units[m[2]]
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > int64(maxAge/unit) {
			return 0, tooOld
		}
		if total += time.Duration(n) * unit; total > maxAge {
			return 0, tooOld
		}
	}
	if total <= 0 {
		return 0, badInput("--older-than %q: the age must be more than zero", s)
	}
	return total, nil
}
