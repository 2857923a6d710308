// Command clerk-invite invites people to Clerk organizations from a CSV
// file, each exactly once, and lists, revokes and resends organization
// invitations. It is built on package bulkinvite: a run keeps a journal, so
// a run that is stopped, even by SIGKILL, goes on where it was when the
// same command is run again.
//
//	export CLERK_SECRET_KEY=sk_live_...
//	clerk-invite send --org org_123 --csv people.csv --dry-run
//	clerk-invite send --org org_123 --csv people.csv --notify
//	clerk-invite status --journal people.csv.journal.db
//
// Install it with go install github.com/invitekit/clerkinvitations/cmd/clerk-invite@latest;
// clerk-invite --version (or clerk-invite version) says which version and
// commit a binary was built from.
//
// # The key and the organization
//
// The secret key comes from CLERK_SECRET_KEY only, never from a flag, so
// that it stays out of shell histories and process lists. A key that
// cannot be a secret key (empty, with whitespace, a publishable pk_ key) is
// refused before anything is sent, and so is an --org that cannot be an
// organization id (whitespace, a control character, / \ ? # %). --base-url
// points the tool at another server, such as clerk-fake; plain http only
// to loopback addresses.
//
// # Sending
//
// send reads the CSV file (a header row; email_address, and optionally
// organization_id, role, redirect_url, expires_in_days), checks every row
// first and
// reports every bad one with its line (and, for a quote out of place, its
// column), sending nothing if any is bad. Whether Clerk emails each person
// is a choice the command line makes: --notify or --no-notify, one of them,
// or the run refuses to start. The journal (people.csv.journal.db beside
// the file, or --journal) records the choice; a resume keeps it without the
// flag, and refuses the opposite flag, so that everyone of a run hears of
// it the same way. Each row goes to the organization its organization_id
// names, or, in a file without the column, to --org; a file with the
// column and --org as well is refused, and so is one with neither. One
// file may so hold a whole migration, many organizations in one run and
// one journal, paced together to the instance's limits (docs/clerk-invite.md
// walks through one). A run first lists the pending invitations of its
// organizations (one list each, or one walk of the instance's, whichever
// takes fewer requests; the dry run says how many) and settles those
// already invited without a create (--skip-server-check sends without
// looking). The file is read twice, to check it and as the run takes its
// people, and never held whole. status, and the summary, give each
// organization's counts and a total. The summary lists the first 100 who
// failed and the first 100 unsettled, and says which command lists the
// rest: status, which lists every one who failed, and with --unsettled
// everyone unsettled, read from the journal as it prints them. list and
// revoke take --journal to work
// on every organization of a run. --limits paces the run to
// Clerk's production or development limits, or not at all (none, for
// local servers). A run with nobody left to send says so at once.
//
// # Progress
//
// On a terminal a bar is redrawn five times a second, each frame drawn
// once: settled of total, the counts (created, already there, failed, to
// check), the rate, the ETA and the elapsed time. Elsewhere (a log, CI) a
// plain line is printed a second at most, when the counts change or every
// 30 seconds. The rate is what settled over the last 15 minutes, counted
// from the first settle in that window; it reads ?/h until 50 people have
// settled in it, so neither the first burst nor a run's start is taken for
// its pace. The ETA is the pacer's own schedule for the people left: when
// each channel (bulk and single creates) may next send under its limit,
// a pause for a 429 included.
//
// # Reading
//
// status, send --dry-run and list send nothing. status and the dry run
// read the journal read-only and leave its folder as they found it (no
// -wal or -shm file); status works while a run is going, and shows the
// email choice. list writes a table, CSV or JSON; in every format control
// characters and invisible formatting characters are escaped (\x1b in the
// table and CSV, \u001b in JSON, which a JSON parser reads back as the
// character), and CSV cells that a spreadsheet would run as a formula get
// a leading quote. --output writes a file readable by its owner only.
//
// # Messages
//
// Every message names flags, files, environment variables and people, says
// what happened and what to do, and says it once; an error of the API says
// Clerk's answer (status, code, message, trace id), one of the network
// says which host did not answer and why. Addresses and reasons from the
// API or a journal are printed with their control characters escaped.
//
// # Exit codes
//
// 0 when everyone was invited or was already there (or a command other
// than send did all it was asked), 1 on failures, on anyone left
// unsettled, when a run stopped early (Ctrl-C, SIGTERM, a refused key), a
// journal in use by another run or damaged, or an error of the API, 2 on
// bad input (flags, the CSV file, the environment, the email choice)
// before anything was sent.
package main
