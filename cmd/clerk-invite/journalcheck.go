package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// journalReview is what a journal holds that a run of a file must heed
// before it starts.
type journalReview struct {
	otherOrgs map[string]int     // organization -> people not settled, of an organization the run is not for
	dropped   []bulkinvite.Entry // not settled, and no longer in the file
	changed   []changedRow       // rows whose invitation differs from the journal's
	settled   int                // people of the file the journal holds settled, whom the run does not send
}

// changedRow is a row of the file whose invitation differs from the one
// the journal recorded for the person.
type changedRow struct {
	line    int
	journal client.CreateParams
}

// reviewer reviews a journal's entries against the file, one at a time.
type reviewer struct {
	rev         journalReview
	org         string // --org, or "" for a file with an organization_id column
	retryFailed bool
	file        func(org, email string) (rowKey, bool)
	named       map[string]bool // the organizations of the file
}

// review files one entry of the journal.
func (r *reviewer) review(e bulkinvite.Entry) {
	row, inFile := r.file(e.OrganizationID, e.Params.EmailAddress)
	switch {
	case r.org != "" && !r.named[e.OrganizationID]:
		if !e.State.Final() {
			r.rev.otherOrgs[e.OrganizationID]++ // a run of one organization, and a journal of another's
		}
	case !inFile: // for a file of many organizations, also everyone of an organization it no longer has
		if !e.State.Final() {
			r.rev.dropped = append(r.rev.dropped, e)
		}
	default:
		if e.State.Final() && !(r.retryFailed && e.State == bulkinvite.StateFailed) {
			r.rev.settled++
		}
		if paramsHash(e.Params) != row.params {
			r.rev.changed = append(r.rev.changed, changedRow{int(row.line), e.Params})
		}
	}
}

// differences names what a row changed in an invitation the journal holds.
func differences(journal, row client.CreateParams) string {
	var d []string
	if journal.Role != row.Role {
		d = append(d, fmt.Sprintf("role %s in the file, %s in the journal", row.Role, journal.Role))
	}
	if journal.ExpiresInDays != row.ExpiresInDays {
		d = append(d, fmt.Sprintf("expires_in_days %d in the file, %d in the journal", row.ExpiresInDays, journal.ExpiresInDays))
	}
	if journal.RedirectURL != row.RedirectURL {
		d = append(d, fmt.Sprintf("redirect_url %q in the file, %q in the journal", row.RedirectURL, journal.RedirectURL))
	}
	return strings.Join(d, "; ")
}

// checkJournal reads the journal before a send: it refuses, for a run of
// one organization (--org), a journal with another organization's
// unfinished run, or one that cannot be read, and says on w who is
// dropped from the file (not sent) and whose row changed (the journal's
// invitation is kept). It reads the journal one entry at a time, against
// the file's keys.
func checkJournal(ctx context.Context, w io.Writer, j bulkinvite.Store, path string, f *csvFile, org string, retryFailed bool) (journalReview, error) {
	named := make(map[string]bool, len(f.orgs))
	for _, o := range f.orgs {
		named[o] = true
	}
	r := reviewer{rev: journalReview{otherOrgs: map[string]int{}}, org: org, retryFailed: retryFailed, file: f.find, named: named}
	if err := j.Scan(ctx, "", func(_ int64, e bulkinvite.Entry) error { r.review(e); return nil }); err != nil {
		return journalReview{}, damagedJournal(path, err)
	}
	rev := r.rev
	if len(rev.otherOrgs) > 0 {
		other := slices.Sorted(maps.Keys(rev.otherOrgs))[0]
		n := rev.otherOrgs[other]
		return rev, badInput("the journal %s holds an unfinished run for %s (%d not settled), and this run is for %s: finish that one (clerk-invite send --org %s --journal %s with its file), or give this run its own --journal",
			path, other, n, org, other, path)
	}
	writeDropped(w, rev.dropped)
	return rev, writeChanged(w, f, rev.changed)
}

// writeDropped says who is not sent: people of the journal's unfinished
// run no longer in the file.
func writeDropped(w io.Writer, dropped []bulkinvite.Entry) {
	if len(dropped) == 0 {
		return
	}
	printf(w, "Not sent: %d %s in the journal's unfinished run no longer in the file (dropped from the file); their entries stay as they are:\n",
		len(dropped), plural(len(dropped), "person", "people"))
	many := manyOrgs(dropped)
	for _, e := range dropped {
		note := ""
		if e.State == bulkinvite.StateSent || e.State == bulkinvite.StateCheck || e.MaybeCreated {
			note = " (a request may have invited them: put their row back to settle it)"
		}
		printf(w, "  %s%s: %s%s\n", orgPrefix(e.OrganizationID, many), e.Params.EmailAddress, stateNames[e.State], note)
	}
}

// writeChanged says whose row changed since the journal recorded them,
// reading those rows again.
func writeChanged(w io.Writer, f *csvFile, changed []changedRow) error {
	if len(changed) == 0 {
		return nil
	}
	lines := make(map[int]int, len(changed))
	for _, c := range changed {
		lines[c.line] = c.line
	}
	rows, err := f.rowsAt(lines)
	if err != nil {
		return err
	}
	printf(w, "Changed since the journal recorded them (the journal's invitation is kept; --retry-failed sends the failed as the file says now):\n")
	slices.SortFunc(changed, func(a, b changedRow) int { return a.line - b.line })
	for _, c := range changed {
		p := rows[c.line]
		printf(w, "  line %d, %s: %s\n", c.line, p.params.EmailAddress, differences(c.journal, p.params))
	}
	return nil
}

// manyOrgs reports whether a list holds people of several organizations.
func manyOrgs(list []bulkinvite.Entry) bool {
	for _, e := range list {
		if e.OrganizationID != list[0].OrganizationID {
			return true
		}
	}
	return false
}

// orgPrefix names the organization of a person in a list of people of
// several organizations (many), and nothing in a list of one.
func orgPrefix(org string, many bool) string {
	if many {
		return org + " "
	}
	return ""
}

// openJournalReadOnly opens the journal at path read-only, which leaves
// no file behind. It returns nil and no error when there is no journal
// there: each caller says what that means for it.
func openJournalReadOnly(path string) (*bulkinvite.Journal, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	j, err := bulkinvite.OpenJournalReadOnly(path)
	if err != nil {
		return nil, damagedJournal(path, err)
	}
	return j, nil
}

// damagedJournal is the error for a journal that cannot be opened or
// read. For one SQLite cannot read as a database, or whose entries cannot
// be decoded, it gives the way out; for anything else (a directory it
// cannot write, say), what went wrong.
func damagedJournal(path string, err error) error {
	var db *sqlite.Error
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &db) && (db.Code()&0xff == sqlite3.SQLITE_NOTADB || db.Code()&0xff == sqlite3.SQLITE_CORRUPT):
	case errors.As(err, &syntax), errors.As(err, &typ):
	default:
		return fmt.Errorf("the journal %s: %s", path, sayCause(err))
	}
	return fmt.Errorf("the journal %s cannot be read (%s): it is damaged, or not a journal. Move it aside (mv %s %s.damaged) and run the same command again: a new journal starts from the server's state (the run first lists the organization's pending invitations and settles everyone already invited without a create, unless --skip-server-check is given), so none is invited twice",
		path, entryWords(err), path, path)
}

// entryWords says what is wrong in a damaged journal.
func entryWords(err error) string {
	var db *sqlite.Error
	switch {
	case !errors.As(err, &db):
		return "an entry is not one clerk-invite wrote"
	case db.Code()&0xff == sqlite3.SQLITE_NOTADB:
		return "it is not an SQLite database"
	}
	return "its database is malformed"
}
