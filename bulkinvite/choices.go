package bulkinvite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// choicesSchema is the table of a journal's recorded choices, by name: a
// run's settings that a resume must keep, such as whether Clerk emails the
// invitations. A journal started before the table existed still opens; it
// is added empty.
const choicesSchema = `
CREATE TABLE IF NOT EXISTS choices (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`

// choiceNotify is the name of the choice whether Clerk emails each
// invitation ("true" or "false").
const choiceNotify = "notify"

// Notify returns whether the run the journal holds has Clerk email each
// invitation, as [Journal.SetNotify] recorded it, or nil if it was not
// recorded (a new journal, or one started before the choice was recorded).
func (j *Journal) Notify(ctx context.Context) (*bool, error) {
	var v string
	err := j.db.QueryRowContext(ctx, `SELECT value FROM choices WHERE name = ?`, choiceNotify).Scan(&v)
	switch {
	case absent(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	notify := v == "true"
	return &notify, nil
}

// absent reports whether a query's error means that what it read is not
// recorded: no such row, or no such table (an older journal, opened
// read-only, which cannot add the table).
func absent(err error) bool {
	return errors.Is(err, sql.ErrNoRows) || (err != nil && strings.Contains(err.Error(), "no such table"))
}

// SetNotify records whether the run the journal holds has Clerk email each
// invitation, so that a resume can keep the choice. Each person's entry
// holds the invitation as it is sent, notify included; this is the run's
// choice for the people still to come.
func (j *Journal) SetNotify(ctx context.Context, notify bool) error {
	_, err := j.db.ExecContext(ctx, `INSERT INTO choices (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, choiceNotify, fmt.Sprint(notify))
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}
