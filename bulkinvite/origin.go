package bulkinvite

import (
	"context"
	"fmt"
	"time"
)

// Origin is what a journal was started for: the organization and the list
// of people of its first run. A later run of another list still works
// from the journal (people it holds keep their entries), but a caller can
// compare and say so.
type Origin struct {
	// OrganizationID is the organization of the first run.
	OrganizationID string
	// List names the list of people, such as the absolute path of a CSV
	// file.
	List string
	// Digest identifies the list's content, such as "sha256:" and the hex
	// SHA-256 of the file.
	Digest string
	// People is how many people the list held.
	People int
	// StartedAt is when the origin was recorded.
	StartedAt time.Time
}

// originSchema is the table that holds a journal's Origin: one row, or
// none in a journal started before origins were recorded (such a journal
// still opens; the table is added empty).
const originSchema = `
CREATE TABLE IF NOT EXISTS origin (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	organization_id TEXT    NOT NULL,
	list            TEXT    NOT NULL,
	digest          TEXT    NOT NULL,
	people          INTEGER NOT NULL,
	started_at      INTEGER NOT NULL
);
`

// Origin returns what the journal was started for, or nil if it does not
// say (a new journal, or one written before origins were recorded).
func (j *Journal) Origin(ctx context.Context) (*Origin, error) {
	var o Origin
	var started int64
	err := j.db.QueryRowContext(ctx, `SELECT organization_id, list, digest, people, started_at FROM origin WHERE id = 1`).
		Scan(&o.OrganizationID, &o.List, &o.Digest, &o.People, &started)
	switch {
	case absent(err): // a new journal, or an older one opened read-only
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	o.StartedAt = fromMillis(started)
	return &o, nil
}

// SetOrigin records what the journal was started for, replacing what it
// recorded before.
func (j *Journal) SetOrigin(ctx context.Context, o Origin) error {
	_, err := j.db.ExecContext(ctx, `INSERT INTO origin (id, organization_id, list, digest, people, started_at)
		VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id,
		list = excluded.list, digest = excluded.digest, people = excluded.people, started_at = excluded.started_at`,
		o.OrganizationID, o.List, o.Digest, o.People, toMillis(o.StartedAt))
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}
