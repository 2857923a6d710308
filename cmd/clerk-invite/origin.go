package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// fileDigest hashes a CSV file as it is read.
type fileDigest struct{ h hash.Hash }

func newFileDigest() fileDigest { return fileDigest{sha256.New()} }

// reader is r, feeding the hash.
func (d fileDigest) reader(r io.Reader) io.Reader { return io.TeeReader(r, d.h) }

// String is the digest of what was read, "sha256:" and the hex.
func (d fileDigest) String() string { return "sha256:" + hex.EncodeToString(d.h.Sum(nil)) }

// originOf is what a run of this file records in a new journal.
func originOf(org, csvPath, digest string, people int, at time.Time) bulkinvite.Origin {
	if abs, err := filepath.Abs(csvPath); err == nil {
		csvPath = abs
	}
	return bulkinvite.Origin{OrganizationID: org, List: csvPath, Digest: digest, People: people, StartedAt: at}
}

// originNote says how this run's file differs from the one the journal
// was started for, or "" if it does not (or the journal does not say): a
// pure function of the two. Paths and names are escaped for the terminal.
func originNote(journalPath string, was *bulkinvite.Origin, now bulkinvite.Origin) string {
	if was == nil || (was.Digest == now.Digest && was.OrganizationID == now.OrganizationID) {
		return ""
	}
	safe := func(o bulkinvite.Origin) bulkinvite.Origin {
		o.List, o.OrganizationID = textsafe.Terminal(o.List), textsafe.Terminal(o.OrganizationID)
		return o
	}
	w, n := safe(*was), safe(now)
	was, now, journalPath = &w, n, textsafe.Terminal(journalPath)
	var b strings.Builder
	fmt.Fprintf(&b, "Note: the journal %s was started", journalPath)
	if !was.StartedAt.IsZero() {
		fmt.Fprintf(&b, " on %s", was.StartedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	fmt.Fprintf(&b, " for %s (%d %s, for %s), ", was.List, was.People, plural(was.People, "person", "people"), was.OrganizationID)
	switch {
	case was.Digest == now.Digest:
		fmt.Fprintf(&b, "and this run is for %s.\n", now.OrganizationID)
	case was.List == now.List:
		fmt.Fprintf(&b, "and the file has changed since (%d %s now).\n", now.People, plural(now.People, "person", "people"))
	default:
		fmt.Fprintf(&b, "and this run's file is another: %s (%d %s).\n", now.List, now.People, plural(now.People, "person", "people"))
	}
	b.WriteString("  Going on: people the journal holds keep their entries, people no longer in the file are not sent, new rows are invited. For a separate run, give it its own --journal.\n")
	return b.String()
}

// checkOrigin says on w how this run's file differs from the journal's
// origin, and records the origin in a journal that has none when record
// is set (a run; a dry run writes nothing).
func checkOrigin(ctx context.Context, w io.Writer, j *bulkinvite.Journal, journalPath string, now bulkinvite.Origin, record bool) error {
	was, err := j.Origin(ctx)
	if err != nil {
		return damagedJournal(journalPath, err)
	}
	fmt.Fprint(w, originNote(journalPath, was, now))
	if was == nil && record {
		return j.SetOrigin(ctx, now)
	}
	return nil
}

// serverCheckFailed is the error of a run that could not list the
// pending invitations, in the tool's terms.
func serverCheckFailed(err error, org string) error {
	return &exitError{code: exitFailed, err: fmt.Errorf("the pending invitations of %s could not be listed before sending (%s), so nothing was sent. Run the same command again, or add --skip-server-check to send without looking (a person already invited is then refused by Clerk, at the cost of a create each)",
		org, sayCause(err))}
}
