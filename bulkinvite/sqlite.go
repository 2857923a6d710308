package bulkinvite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", in pure Go
)

// Journal is the default [Store]: one SQLite file, written through a pure-Go
// driver (no C compiler needed). Every Put is one transaction, synced to
// disk before it returns, so the journal survives a crash of the process
// or of the machine. While a Journal is open for writing, the file is
// locked (where the system allows), so that two runs cannot work from
// one journal at once.
type Journal struct {
	db     *sql.DB
	unlock func()
}

// journalSchema is the journal's table; user_version tells its layout.
const journalSchema = `
CREATE TABLE IF NOT EXISTS entries (
	organization_id TEXT    NOT NULL,
	email_key       TEXT    NOT NULL,
	params          TEXT    NOT NULL,
	state           TEXT    NOT NULL,
	invitation_id   TEXT    NOT NULL DEFAULT '',
	reason          TEXT    NOT NULL DEFAULT '',
	attempts        INTEGER NOT NULL DEFAULT 0,
	maybe_created   INTEGER NOT NULL DEFAULT 0,
	channel         TEXT    NOT NULL DEFAULT '',
	replaces        TEXT    NOT NULL DEFAULT '',
	sent_at         INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (organization_id, email_key)
);
PRAGMA user_version = 1;
`

// OpenJournal opens the journal at path for a run, creating it if it does
// not exist. It fails with an error matching [ErrLocked] if another process
// has the journal open.
func OpenJournal(path string) (*Journal, error) {
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	j, err := openJournal(path, "rwc")
	if err != nil {
		unlock()
		return nil, err
	}
	if _, err := j.db.Exec(journalSchema); err != nil {
		_ = j.db.Close()
		unlock()
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	j.unlock = unlock
	return j, nil
}

// OpenJournalReadOnly opens an existing journal to read it, even while a
// run has it open: for reports of a run in progress. Its Put fails.
func OpenJournalReadOnly(path string) (*Journal, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return openJournal(path, "ro")
}

func openJournal(path, mode string) (*Journal, error) {
	// A relative path would read as the URL's authority ("file://a.db"),
	// which SQLite refuses: the path goes in whole.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("mode", mode)
	q.Add("_pragma", "busy_timeout(10000)")
	if mode != "ro" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
	}
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; the run is the only user
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	return &Journal{db: db, unlock: func() {}}, nil
}

// Load returns the entries of an organization ("" for all), in the order
// they were first put.
func (j *Journal) Load(ctx context.Context, organizationID string) ([]Entry, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT organization_id, params, state, invitation_id, reason, attempts,
		maybe_created, channel, replaces, sent_at, updated_at FROM entries
		WHERE ?1 = '' OR organization_id = ?1 ORDER BY rowid`, organizationID)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var (
			e              Entry
			params         string
			state, channel string
			sent, updated  int64
		)
		if err := rows.Scan(&e.OrganizationID, &params, &state, &e.InvitationID, &e.Reason, &e.Attempts,
			&e.MaybeCreated, &channel, &e.Replaces, &sent, &updated); err != nil {
			return nil, fmt.Errorf("bulkinvite: journal: %w", err)
		}
		if err := json.Unmarshal([]byte(params), &e.Params); err != nil {
			return nil, fmt.Errorf("bulkinvite: journal: an entry of %s: %w", e.OrganizationID, err)
		}
		e.State, e.Channel = State(state), Channel(channel)
		e.SentAt, e.UpdatedAt = fromMillis(sent), fromMillis(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return out, nil
}

// Put writes entries in one transaction.
func (j *Journal) Put(ctx context.Context, entries ...Entry) (err error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO entries (organization_id, email_key, params, state,
		invitation_id, reason, attempts, maybe_created, channel, replaces, sent_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (organization_id, email_key) DO UPDATE SET params = excluded.params,
		state = excluded.state, invitation_id = excluded.invitation_id, reason = excluded.reason,
		attempts = excluded.attempts, maybe_created = excluded.maybe_created, channel = excluded.channel,
		replaces = excluded.replaces, sent_at = excluded.sent_at, updated_at = excluded.updated_at`)
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer stmt.Close()
	for i := range entries {
		e := &entries[i]
		params, err := json.Marshal(e.Params)
		if err != nil {
			return fmt.Errorf("bulkinvite: journal: the entry of %s: %w", e.Params.EmailAddress, err)
		}
		if _, err := stmt.ExecContext(ctx, e.OrganizationID, NormalEmail(e.Params.EmailAddress), string(params), string(e.State),
			e.InvitationID, e.Reason, e.Attempts, e.MaybeCreated, string(e.Channel), e.Replaces,
			toMillis(e.SentAt), toMillis(e.UpdatedAt)); err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}

// Close closes the file and releases its lock.
func (j *Journal) Close() error {
	err := j.db.Close()
	j.unlock()
	return err
}

func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// ErrLocked is matched (errors.Is) by OpenJournal's error when another
// process has the journal open for a run, so that a caller can say so
// rather than report a broken file.
var ErrLocked = errors.New("another run has this journal open")

var _ Store = (*Journal)(nil)
