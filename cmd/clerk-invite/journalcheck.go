package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// fileStore is a journal as a run of one CSV file sees it: the entries of
// the people in the file only. Someone the journal holds but the file no
// longer does is not sent by this run, nor counted in its summary; their
// entry stays as it was.
type fileStore struct {
	bulkinvite.Store
	inFile map[string]bool // by client.NormalEmail
}

// newFileStore is j as a run of these people sees it.
func newFileStore(j bulkinvite.Store, people []person) fileStore {
	inFile := make(map[string]bool, len(people))
	for _, p := range people {
		inFile[client.NormalEmail(p.params.EmailAddress)] = true
	}
	return fileStore{j, inFile}
}

// paramsOf returns the people's invitations to org, in order, and each
// one's line in the file by client.NormalEmail.
func paramsOf(people []person, org string) ([]bulkinvite.Person, map[string]int) {
	params := make([]bulkinvite.Person, len(people))
	lines := make(map[string]int, len(people))
	for i, p := range people {
		params[i] = bulkinvite.Person{OrganizationID: org, Params: p.params}
		lines[client.NormalEmail(p.params.EmailAddress)] = p.line
	}
	return params, lines
}

// Scan calls fn with the organization's entries of people in the file.
func (s fileStore) Scan(ctx context.Context, organizationID string, fn func(id int64, e bulkinvite.Entry) error) error {
	return s.Store.Scan(ctx, organizationID, func(id int64, e bulkinvite.Entry) error {
		if !s.inFile[client.NormalEmail(e.Params.EmailAddress)] {
			return nil
		}
		return fn(id, e)
	})
}

// Load returns the organization's entries of people in the file.
func (s fileStore) Load(ctx context.Context, organizationID string) ([]bulkinvite.Entry, error) {
	return bulkinvite.Entries(ctx, s, organizationID)
}

// journalReview is what a journal holds that a run of a file must heed
// before it starts.
type journalReview struct {
	otherOrgs map[string]int     // organization -> people not settled, for another organization
	dropped   []bulkinvite.Entry // not settled, and no longer in the file
	changed   []string           // rows whose invitation differs from the journal's
}

// reviewJournal compares a journal's entries with the file's people for
// org: a pure function of the two.
func reviewJournal(entries []bulkinvite.Entry, org string, people []person) journalReview {
	rows := make(map[string]person, len(people))
	for _, p := range people {
		rows[client.NormalEmail(p.params.EmailAddress)] = p
	}
	rev := journalReview{otherOrgs: map[string]int{}}
	for _, e := range entries {
		switch p, inFile := rows[client.NormalEmail(e.Params.EmailAddress)]; {
		case e.OrganizationID != org:
			if !e.State.Final() {
				rev.otherOrgs[e.OrganizationID]++
			}
		case !inFile:
			if !e.State.Final() {
				rev.dropped = append(rev.dropped, e)
			}
		default:
			if d := differences(e.Params, p.params); d != "" {
				rev.changed = append(rev.changed, fmt.Sprintf("line %d, %s: %s", p.line, p.params.EmailAddress, d))
			}
		}
	}
	return rev
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

// checkJournal reads the journal before a send: it refuses a journal with
// another organization's unfinished run or one that cannot be read, and
// says on w who is dropped from the file (not sent) and whose row changed
// (the journal's invitation is kept).
func checkJournal(ctx context.Context, w io.Writer, j bulkinvite.Store, path, org string, people []person) error {
	entries, err := bulkinvite.Entries(ctx, j, "")
	if err != nil {
		return damagedJournal(path, err)
	}
	rev := reviewJournal(entries, org, people)
	if len(rev.otherOrgs) > 0 {
		other := slices.Sorted(maps.Keys(rev.otherOrgs))[0]
		n := rev.otherOrgs[other]
		return badInput("the journal %s holds an unfinished run for %s (%d not settled), and this run is for %s: finish that one (clerk-invite send --org %s --journal %s with its file), or give this run its own --journal",
			path, other, n, org, other, path)
	}
	if len(rev.dropped) > 0 {
		printf(w, "Not sent: %d %s in the journal's unfinished run no longer in the file (dropped from the file); their entries stay as they are:\n",
			len(rev.dropped), plural(len(rev.dropped), "person", "people"))
		for _, e := range rev.dropped {
			note := ""
			if e.State == bulkinvite.StateSent || e.State == bulkinvite.StateCheck || e.MaybeCreated {
				note = " (a request may have invited them: put their row back to settle it)"
			}
			printf(w, "  %s: %s%s\n", e.Params.EmailAddress, stateNames[e.State], note)
		}
	}
	if len(rev.changed) > 0 {
		printf(w, "Changed since the journal recorded them (the journal's invitation is kept; --retry-failed sends the failed as the file says now):\n")
		for _, c := range rev.changed {
			printf(w, "  %s\n", c)
		}
	}
	return nil
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
