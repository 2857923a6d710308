package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// sendFlags are send's flags.
type sendFlags struct {
	org, csv, role, journal string
	dryRun                  bool
	retryFailed             bool
	extraColumns            bool
	skipServerCheck         bool
	notifyFlags
	runFlags
}

// sendPlan is what a send has settled before it reads the file: where its
// journal is, and whether Clerk emails the invitations (nil: not chosen,
// in a dry run only), and whether the journal recorded that already.
type sendPlan struct {
	journalPath string
	notify      *bool
	recorded    bool
}

// runFlags are the flags of the commands that invite (send and resend):
// how a run paces itself and waits.
type runFlags struct {
	limits     string
	checkDelay time.Duration
}

func (f *runFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.limits, "limits", "production", "pace to Clerk's limits: production, development, or none (no pacing, for local servers)")
	fl.DurationVar(&f.checkDelay, "check-delay", bulkinvite.DefaultCheckDelay, "how long after a request with no clear outcome to look its invitation up")
}

// pacing reads --limits and checks --check-delay.
func (f *runFlags) pacing() (pacing, error) {
	if f.checkDelay <= 0 {
		return pacing{}, badInput("--check-delay must be positive")
	}
	return parseLimits(f.limits)
}

// journalSuffix names the default journal of a CSV file: people.csv keeps
// its run in people.csv.journal.db, beside it.
const journalSuffix = ".journal.db"

func (a *app) sendCommand() *cobra.Command {
	var f sendFlags
	cmd := &cobra.Command{
		Use:   "send (--org ORG | a file with organization_id) --csv FILE",
		Short: "Invite the people of a CSV file, each exactly once",
		Long: `send invites every person of a CSV file to their organization, each exactly once.

The file has a header row naming its columns, in any order: email_address
(required), and optionally organization_id, role, redirect_url and
expires_in_days; any other column is refused unless --allow-extra-columns
is given. A row without a role gets --role. Each row goes to the
organization its organization_id names; a file without the column goes to
--org. A file with the column and --org as well is refused (exit 2):
say where people go once. The same address in two organizations is two
people; the same address twice in one organization is a bad row. Every row is checked before anything is sent;
if any is bad, all the bad ones are reported with their line numbers (the
header is line 1) and nothing is sent (exit 2). The file must be UTF-8
text; a row may hold 64 KiB, a cell 4 KiB, the file 1,000,000 people.

The run keeps a journal (by default FILE` + journalSuffix + `, beside the CSV
file). Run the same command again after a crash, a kill or Ctrl-C, and it
goes on from the journal: nobody is invited twice, nobody is lost. Someone
the journal already holds keeps the invitation it recorded, even if their
row has changed since; someone who failed stays failed, unless
--retry-failed sends them again with their row as it is now.

Before sending, the run lists the pending invitations of its organizations
(one request per 500 of them: one list per organization, or one walk of
the instance's, whichever takes fewer requests) and settles everyone of
the file who has one as already invited, with no create: a lost or damaged journal costs minutes,
not hours of creates that Clerk refuses. So a journal that is lost, or
moved aside because it is damaged, is rebuilt from the server: run the
same command and a new journal starts, settled from the server's state.
--skip-server-check sends without looking, for people known to be new.
The journal records the file it was started for; a run of another file,
or of the file changed, says so and goes on.

Whether Clerk emails each person their invitation is a choice to make out
loud: a run needs --notify (Clerk emails them) or --no-notify (no email;
you tell them yourself), and refuses to start without one (exit 2). The
journal records the choice: a resume keeps it without the flag, and one
with the opposite flag is refused (exit 2), so that everyone of a run
hears of it the same way. The dry run shows the choice.`,
		Example: `  export CLERK_SECRET_KEY=sk_live_...
  clerk-invite send --org org_123 --csv people.csv --dry-run
  clerk-invite send --org org_123 --csv people.csv --notify
  clerk-invite send --csv migration.csv --no-notify    # organization_id, email_address, role`,
		Args: cliwords.NoArgs,
		RunE: run(func(cmd *cobra.Command) error { return a.send(cmd.Context(), f) }),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.org, "org", "", "the organization to invite everyone to, for a file without an organization_id column")
	fl.StringVar(&f.csv, "csv", "", "the CSV file of people (required)")
	fl.StringVar(&f.role, "role", "org:member", "the role of rows that name none")
	fl.StringVar(&f.journal, "journal", "", "the run's journal (default FILE"+journalSuffix+")")
	f.register(fl)
	fl.BoolVar(&f.notify, "notify", false, "have Clerk email each person their invitation (this or --no-notify is required)")
	fl.BoolVar(&f.noNotify, "no-notify", false, "create the invitations without an email from Clerk (this or --notify is required)")
	fl.BoolVar(&f.retryFailed, "retry-failed", false, "send again the people the journal holds as failed, with their rows as they are now")
	fl.BoolVar(&f.extraColumns, "allow-extra-columns", false, "ignore columns other than those above (spreadsheet exports often have more), instead of refusing the file")
	fl.BoolVar(&f.skipServerCheck, "skip-server-check", false, "send without first listing the pending invitations (for people known to be new)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "check the file and say what would be sent; send nothing, write no journal (with "+client.SecretKeyEnv+" set, it lists the pending invitations as a run does)")
	required(cmd, "csv")
	return cmd
}

func (a *app) send(ctx context.Context, f sendFlags) error {
	pace, err := f.pacing()
	if err != nil {
		return err
	}
	if f.org != "" {
		if err := checkTarget(f.org, ""); err != nil {
			return err // once, rather than on every row
		}
	}
	plan, err := f.plan(ctx)
	if err != nil {
		return err
	}
	file, err := a.readFile(f, plan.notify)
	if err != nil {
		return err
	}
	origin := originOf(f.org, f.csv, file.digest, file.people, time.Now())
	if f.dryRun {
		return a.dryRun(ctx, f, pace, file, plan, origin)
	}

	c, err := a.newClient(pace.request)
	if err != nil {
		return err
	}
	journal, rev, err := a.openRunJournal(ctx, f, plan, file, origin)
	if err != nil {
		return err
	}
	defer journal.Close()
	return a.invite(ctx, f, c, journal, plan, file, rev, pace)
}

// invite runs the send from the journal, open and checked: it says what it
// is about to do, shows the progress, and writes the summary. The people
// are read from the file again as the run takes them, into the journal.
func (a *app) invite(ctx context.Context, f sendFlags, c *client.Client, journal *bulkinvite.Journal, plan sendPlan, file *csvFile, rev journalReview, pace pacing) error {
	file.released()
	todo := a.announce(f, plan, file, rev)
	cfg := bulkinvite.Config{
		Client:          c,
		OrganizationID:  f.org,
		Store:           journal,
		GivenOnly:       true, // the journal's people dropped from the file stay as they are
		Limits:          pace.run,
		CheckDelay:      f.checkDelay,
		RetryFailed:     f.retryFailed,
		SkipServerCheck: f.skipServerCheck,
	}
	var show *progress
	if todo > 0 {
		show = newProgress(a.stderr, isTerminal(a.stderr)) // a bar on a terminal only
		cfg.Progress = show.update
	}
	sum, err := bulkinvite.RunSeq(ctx, cfg, file.stream())
	if show != nil {
		show.finish()
	}
	if sum != nil {
		// The summary lists a few hundred people at most, however many
		// there are: so does the map of their lines in the file.
		lines, lerr := file.linesOf(append(slices.Clip(sum.Failed), sum.Unsettled...))
		if lerr != nil { // the run is done: its summary is still told, without lines
			printf(a.stderr, "The summary gives no line numbers: %s.\n", lerr)
		}
		writeSummary(a.stdout, target(f.org, file.orgs), plan.journalPath, sum, lines)
	}
	return a.sendEnded(ctx, target(f.org, file.orgs), plan.journalPath, sum, err)
}

// target names where a run invites people, for messages: the one
// organization, or how many.
func target(org string, orgs []string) string {
	switch {
	case org != "":
		return org
	case len(orgs) == 1:
		return orgs[0]
	}
	return fmt.Sprintf("%d organizations", len(orgs))
}

// announce says what the run is about to do, from the journal's review:
// how many people it sends, checks or revokes, of how many, and whether
// Clerk emails them; or, when that is nobody, that there is nothing to
// send. It returns how many that is.
func (a *app) announce(f sendFlags, plan sendPlan, file *csvFile, rev journalReview) int {
	todo, all := file.people-rev.settled, file.people
	if todo == 0 {
		printf(a.stderr, "Nothing to send: all %d %s of %s %s settled in the journal %s.\n", all, plural(all, "person", "people"), f.csv, plural(all, "is", "are"), plan.journalPath)
		return 0
	}
	of := ""
	if todo < all {
		of = fmt.Sprintf(" of %d (%d settled already in the journal)", all, all-todo)
	}
	to := target(f.org, file.orgs)
	printf(a.stderr, "Inviting %d %s%s from %s to %s (limits: %s); journal %s\nEmail from Clerk: %s.\n", todo, plural(todo, "person", "people"), of,
		f.csv, to, f.limits, plan.journalPath, notifyWords(plan.notify, plan.recorded))
	if !f.skipServerCheck {
		printf(a.stderr, "First, the pending invitations of %s are listed (one request per 500), so that nobody already invited is sent.\n", to)
	}
	return todo
}

// sendEnded is how a send ends once the run returned sum and err: what it
// says on stderr, and the error that sets the exit code.
func (a *app) sendEnded(ctx context.Context, org, journalPath string, sum *bulkinvite.Summary, err error) error {
	if err != nil {
		return runFailed(ctx, err, org, journalPath)
	}
	if !sum.Complete() {
		fmt.Fprintln(a.stderr, "Some people are not settled yet: run the same command again to settle them.")
	}
	if sum.Counts[bulkinvite.StateFailed] > 0 {
		fmt.Fprintln(a.stderr, "The journal keeps the failed as failed: to try them again, fix their rows and run the same command with --retry-failed.")
	}
	if !sum.OK() {
		return exitWith(exitFailed)
	}
	return nil
}

// openRunJournal opens the run's journal, locked, and reads it before a
// send (see checkJournal): another organization's unfinished run is
// refused; who is dropped from the file, whose row changed and whether
// the file is the one the journal was started for are said on stderr.
func (a *app) openRunJournal(ctx context.Context, f sendFlags, plan sendPlan, file *csvFile, origin bulkinvite.Origin) (*bulkinvite.Journal, journalReview, error) {
	journalPath := plan.journalPath
	journal, err := bulkinvite.OpenJournal(journalPath)
	if errors.Is(err, bulkinvite.ErrLocked) {
		return nil, journalReview{}, fmt.Errorf("the journal %s is in use by another run; let that one finish (follow it with: clerk-invite status --journal %s)", journalPath, journalPath)
	}
	if err != nil {
		return nil, journalReview{}, damagedJournal(journalPath, err)
	}
	rev, err := checkJournal(ctx, a.stderr, journal, journalPath, file, f.org, f.retryFailed)
	if err == nil {
		err = checkOrigin(ctx, a.stderr, journal, journalPath, origin, true)
	}
	if err == nil && !plan.recorded {
		if err = journal.SetNotify(ctx, *plan.notify); err != nil {
			err = damagedJournal(journalPath, err)
		}
	}
	if err != nil {
		_ = journal.Close()
		return nil, journalReview{}, err
	}
	return journal, rev, nil
}

// plan settles the journal's path and the choice whether Clerk emails the
// invitations, from the flags and what the journal recorded; it writes
// nothing.
func (f sendFlags) plan(ctx context.Context) (sendPlan, error) {
	p := sendPlan{journalPath: f.journal}
	if p.journalPath == "" {
		p.journalPath = f.csv + journalSuffix
	}
	flag, err := f.given()
	if err != nil {
		return sendPlan{}, err
	}
	recorded, err := recordedNotify(ctx, p.journalPath)
	if err != nil {
		return sendPlan{}, err
	}
	p.recorded = recorded != nil
	p.notify, err = decideNotify(flag, recorded, p.journalPath, !f.dryRun)
	return p, err
}

// runFailed is the error of a run that stopped early, with the way on.
func runFailed(ctx context.Context, err error, org, journalPath string) error {
	if errors.Is(err, bulkinvite.ErrServerCheck) {
		return serverCheckFailed(err, org)
	}
	how := "run the same command again to go on from where it stopped"
	if ctx.Err() != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("stopped: the journal %s holds where the run was; %s", journalPath, how)}
	}
	return &exitError{code: exitFailed, err: fmt.Errorf("%s. The journal %s holds where the run was: %s", say(err), journalPath, how)}
}

// readFile reads and checks the CSV file (see checkFile); bad rows are
// reported on stderr, all of them, and are bad input.
func (a *app) readFile(f sendFlags, notify *bool) (*csvFile, error) {
	file, problems, err := checkFile(f.csv, peopleDefaults{org: f.org, role: f.role, notify: notify != nil && *notify, extraColumn: f.extraColumns})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			printf(a.stderr, "%s:%d: %s\n", f.csv, p.line, p.msg)
		}
		return nil, badInput("%s: %d %s; nothing was sent", f.csv, len(problems), plural(len(problems), "problem", "problems"))
	}
	return file, nil
}

// pacing is what a --limits value sets: the pace of a run's two create
// endpoints and the request limit of its client.
type pacing struct {
	run     bulkinvite.Limits
	request client.Option
}

// parseLimits reads a --limits value.
func parseLimits(name string) (pacing, error) {
	switch name {
	case "production":
		return pacing{bulkinvite.ProductionLimits(), client.WithRequestLimit(client.ProductionRequestLimit, client.RequestLimitWindow)}, nil
	case "development":
		return pacing{bulkinvite.DevelopmentLimits(), client.WithRequestLimit(client.DevelopmentRequestLimit, client.RequestLimitWindow)}, nil
	case "none":
		return pacing{bulkinvite.NoLimits(), client.WithoutRequestLimit()}, nil
	}
	return pacing{}, badInput("--limits %q: say production, development or none", name)
}
