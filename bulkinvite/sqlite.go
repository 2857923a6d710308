package bulkinvite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
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
	stmts  stmtCache // the statements a run uses again and again
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
// has the journal open, through this path or any other (a symbolic or hard
// link): the lock is on the file itself (flock on Unix, LockFileEx on
// Windows).
//
// The journal holds people's addresses and metadata: it is created
// readable and writable by its owner only (0600, whatever the umask), and
// an existing one is made so; SQLite gives its -wal and -shm files the
// journal's permissions.
func OpenJournal(path string) (*Journal, error) {
	unlock, err := lockJournal(path)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	j, err := openJournal(path, "rwc")
	if err != nil {
		unlock()
		return nil, err
	}
	if _, err := j.db.Exec(journalSchema + originSchema + choicesSchema); err != nil {
		_ = j.db.Close()
		unlock()
		return nil, fmt.Errorf("bulkinvite: journal %s: %w", path, err)
	}
	j.unlock = unlock
	return j, nil
}

// OpenJournalReadOnly opens an existing journal to read it, even while a
// run has it open: for reports of a run in progress. Its Put fails. It
// creates no file: with no run connected, the directory holds the same
// files after it as before.
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
	if mode == "ro" {
		for k, v := range readOnlyQuery(abs) { // no side files left behind (readonly.go)
			q.Set(k, v)
		}
	}
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
	return Entries(ctx, j, organizationID)
}

// Put writes entries in one transaction.
func (j *Journal) Put(ctx context.Context, entries ...Entry) error {
	return j.writeEach(ctx, upsertEntry, entries, nil)
}

// Close closes the file and releases its lock.
func (j *Journal) Close() error {
	j.stmts.close()
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

// lockJournal opens the journal's file, creating it empty if need be, makes
// it and the -wal and -shm files beside it private, and locks the file
// (see lockFile). It returns what releases the lock; the journal's own
// connection must be closed first, as closing any descriptor of a file
// drops the process's POSIX locks on it, SQLite's among them.
func lockJournal(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateFile)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(privateFile); err != nil { // the umask may have taken more, or an older journal is wider
		_ = f.Close()
		return nil, fmt.Errorf("making the journal private (%o): %w", privateFile, err)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		for _, side := range []string{real + "-wal", real + "-shm"} {
			if err := os.Chmod(side, privateFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
				_ = f.Close()
				return nil, fmt.Errorf("making %s private: %w", filepath.Base(side), err)
			}
		}
	}
	if err := lockFile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() { _ = f.Close() }, nil
}

// privateFile is the mode of every file a journal has: its owner's only.
const privateFile fs.FileMode = 0o600

// stmtCache keeps the statements prepared once for the life of a
// Journal, so that SQLite does not parse them again for every write.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// get returns the statement of q, prepared on db the first time.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[q]; ok {
		return s, nil
	}
	s, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[q] = s
	return s, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stmts {
		_ = s.Close()
	}
	c.stmts = nil
}
