package bulkinvite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/invitekit/clerkinvitations/client"
)

// The journal's entries, read and written by rowid: the rowid of an entry
// is its ID (see [Store.Scan]), and orders entries as they were first put.

// entryColumns are the columns readEntry reads, in its order.
const entryColumns = `rowid, organization_id, params, state, invitation_id, reason, attempts,
	maybe_created, channel, replaces, sent_at, updated_at`

// upsertEntry writes one entry, replacing the one with its key.
const upsertEntry = `INSERT INTO entries (organization_id, email_key, params, state,
	invitation_id, reason, attempts, maybe_created, channel, replaces, sent_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (organization_id, email_key) DO UPDATE SET params = excluded.params,
	state = excluded.state, invitation_id = excluded.invitation_id, reason = excluded.reason,
	attempts = excluded.attempts, maybe_created = excluded.maybe_created, channel = excluded.channel,
	replaces = excluded.replaces, sent_at = excluded.sent_at, updated_at = excluded.updated_at`

// insertNewEntry writes one entry unless the journal holds its key.
const insertNewEntry = `INSERT INTO entries (organization_id, email_key, params, state,
	invitation_id, reason, attempts, maybe_created, channel, replaces, sent_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (organization_id, email_key) DO NOTHING`

// updateEntry writes one entry over the one with its rowid, which has its
// key: by rowid, the row is found without the index of keys.
const updateEntry = `UPDATE entries SET params = ?3, state = ?4, invitation_id = ?5, reason = ?6, attempts = ?7,
	maybe_created = ?8, channel = ?9, replaces = ?10, sent_at = ?11, updated_at = ?12
	WHERE rowid = ?13 AND organization_id = ?1 AND email_key = ?2`

// entryArgs are the arguments of upsertEntry and insertNewEntry for e.
func entryArgs(e *Entry) ([]any, error) {
	params, err := json.Marshal(e.Params)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: the entry of %s: %w", e.Params.EmailAddress, err)
	}
	return []any{e.OrganizationID, client.NormalEmail(e.Params.EmailAddress), string(params), string(e.State),
		e.InvitationID, e.Reason, e.Attempts, e.MaybeCreated, string(e.Channel), e.Replaces,
		toMillis(e.SentAt), toMillis(e.UpdatedAt)}, nil
}

// readEntry reads the entryColumns of one row.
func readEntry(row interface{ Scan(...any) error }) (int64, Entry, error) {
	var (
		id             int64
		e              Entry
		params         string
		state, channel string
		sent, updated  int64
	)
	if err := row.Scan(&id, &e.OrganizationID, &params, &state, &e.InvitationID, &e.Reason, &e.Attempts,
		&e.MaybeCreated, &channel, &e.Replaces, &sent, &updated); err != nil {
		return 0, Entry{}, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	if err := json.Unmarshal([]byte(params), &e.Params); err != nil {
		return 0, Entry{}, fmt.Errorf("bulkinvite: journal: an entry of %s: %w", e.OrganizationID, err)
	}
	e.State, e.Channel = State(state), Channel(channel)
	e.SentAt, e.UpdatedAt = fromMillis(sent), fromMillis(updated)
	return id, e, nil
}

// Scan calls fn with each entry of an organization ("" for all) and its
// ID, in the order they were first put, reading one row at a time. One
// organization's entries are found by the index of keys, so that a scan
// of each organization of a journal reads each entry once, not the whole
// journal each time: the rowids of the organization are listed from the
// index, in order, and its rows read by them.
func (j *Journal) Scan(ctx context.Context, organizationID string, fn func(id int64, e Entry) error) error {
	q, args := scanQuery(organizationID)
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		id, e, err := readEntry(rows)
		if err != nil {
			return err
		}
		if err := fn(id, e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}

// scanQuery is Scan's query of an organization ("" for all), and its
// arguments.
func scanQuery(organizationID string) (string, []any) {
	if organizationID == "" {
		return `SELECT ` + entryColumns + ` FROM entries ORDER BY rowid`, nil
	}
	return `SELECT ` + entryColumns + ` FROM entries
		WHERE rowid IN (SELECT rowid FROM entries WHERE organization_id = ?) ORDER BY rowid`, []any{organizationID}
}

// Get returns the entries with these IDs, in their order.
func (j *Journal) Get(ctx context.Context, ids ...int64) ([]Entry, error) {
	q, arg := getQuery(ids)
	stmt, err := j.stmts.get(ctx, j.db, q)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]Entry, len(ids))
	for rows.Next() {
		id, e, err := readEntry(rows)
		if err != nil {
			return nil, err
		}
		byID[id] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	out := make([]Entry, len(ids))
	for i, id := range ids {
		e, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("bulkinvite: journal: no entry %d", id)
		}
		out[i] = e
	}
	return out, nil
}

// getQuery is the query of Get for ids, and its argument: by rowid for
// one, by a JSON list of them for more.
func getQuery(ids []int64) (string, any) {
	if len(ids) == 1 {
		return `SELECT ` + entryColumns + ` FROM entries WHERE rowid = ?`, ids[0]
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	return `SELECT ` + entryColumns + ` FROM entries WHERE rowid IN (SELECT value FROM json_each(?))`, "[" + strings.Join(list, ",") + "]"
}

// importKeys is the table in which an import keeps the keys it was given,
// to find one given twice without holding them in memory: a temporary
// table of the journal's connection, emptied by each import.
const importKeys = `CREATE TEMP TABLE IF NOT EXISTS import_keys (
	organization_id TEXT    NOT NULL,
	email_key       TEXT    NOT NULL,
	place           INTEGER NOT NULL,
	PRIMARY KEY (organization_id, email_key)
) WITHOUT ROWID; DELETE FROM import_keys;`

// PutByID writes entries over those with these IDs, in one transaction,
// as Put does, but finding each by its rowid rather than by its key.
// An ID the journal does not hold, or whose entry has another key, is an
// error, and nothing is written.
func (j *Journal) PutByID(ctx context.Context, ids []int64, entries []Entry) error {
	return j.writeEach(ctx, updateEntry, entries, func(i int, args []any, stmt *sql.Stmt) error {
		res, err := stmt.ExecContext(ctx, append(args, ids[i])...)
		if err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("bulkinvite: journal: no entry %d of %s", ids[i], entries[i].Params.EmailAddress)
		}
		return nil
	})
}

// writeEach writes entries in one transaction through the statement q,
// prepared once for the journal's life: exec runs it for entry i with its
// arguments (entryArgs), or, when nil, the statement runs with them alone.
func (j *Journal) writeEach(ctx context.Context, q string, entries []Entry, exec func(i int, args []any, stmt *sql.Stmt) error) error {
	prepared, err := j.stmts.get(ctx, j.db, q)
	if err != nil {
		return err
	}
	return j.inTx(ctx, func(tx *sql.Tx) error {
		stmt := tx.StmtContext(ctx, prepared)
		for i := range entries {
			args, err := entryArgs(&entries[i])
			if err != nil {
				return err
			}
			if exec != nil {
				err = exec(i, args, stmt)
			} else if _, err = stmt.ExecContext(ctx, args...); err != nil {
				err = fmt.Errorf("bulkinvite: journal: %w", err)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Import adds people in one transaction (see [Store.Import]): the journal
// holds all of them or, on error, none.
func (j *Journal) Import(ctx context.Context, people iter.Seq2[Entry, error], update func(stored, given Entry) (Entry, bool)) error {
	return j.inTx(ctx, func(tx *sql.Tx) (err error) {
		if _, err := tx.ExecContext(ctx, importKeys); err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
		im := importer{update: update}
		for i, q := range []string{insertNewEntry, upsertEntry, `SELECT ` + entryColumns + ` FROM entries WHERE organization_id = ? AND email_key = ?`,
			`INSERT INTO import_keys VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, `SELECT place FROM import_keys WHERE organization_id = ? AND email_key = ?`} {
			if im.stmts[i], err = tx.PrepareContext(ctx, q); err != nil {
				return fmt.Errorf("bulkinvite: journal: %w", err)
			}
			defer im.stmts[i].Close()
		}
		for e, err := range people {
			if err != nil {
				return err
			}
			if err := im.add(ctx, &e); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_keys`); err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
		return nil
	})
}

// inTx runs fn in one transaction, which it commits if fn returns nil and
// rolls back if not.
func (j *Journal) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}

// importer is an Import under way: its statements (insertNewEntry,
// upsertEntry, a select by key, and the insert and select of import_keys)
// and the people it has taken.
type importer struct {
	stmts  [5]*sql.Stmt
	update func(stored, given Entry) (Entry, bool)
	n      int
}

// add adds e, or updates the entry the journal holds with its key; a key
// given before in this import is a *DuplicateError.
func (im *importer) add(ctx context.Context, e *Entry) error {
	args, err := entryArgs(e)
	if err != nil {
		return err
	}
	place := im.n
	im.n++
	if res, err := im.stmts[3].ExecContext(ctx, args[0], args[1], place); err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	} else if n, _ := res.RowsAffected(); n == 0 {
		first := 0
		if err := im.stmts[4].QueryRowContext(ctx, args[0], args[1]).Scan(&first); err != nil {
			return fmt.Errorf("bulkinvite: journal: %w", err)
		}
		return &DuplicateError{Index: place, First: first, OrganizationID: e.OrganizationID, EmailAddress: e.Params.EmailAddress}
	}
	res, err := im.stmts[0].ExecContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 || im.update == nil {
		return err
	}
	_, held, err := readEntry(im.stmts[2].QueryRowContext(ctx, args[0], args[1]))
	if err != nil {
		return err
	}
	next, changed := im.update(held, *e)
	if !changed {
		return nil
	}
	if args, err = entryArgs(&next); err != nil {
		return err
	}
	if _, err := im.stmts[1].ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return nil
}

// CountByOrganization counts the journal's people by organization and
// state in SQL, without reading the entries, the organizations in the
// order their first entry was put.
func (j *Journal) CountByOrganization(ctx context.Context) ([]OrganizationCounts, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT organization_id, state, count(*), min(rowid) FROM entries
		GROUP BY organization_id, state`)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer rows.Close()
	type org struct {
		OrganizationCounts
		first int64
	}
	var out []org
	at := map[string]int{}
	for rows.Next() {
		var id, state string
		var n, first int64
		if err := rows.Scan(&id, &state, &n, &first); err != nil {
			return nil, fmt.Errorf("bulkinvite: journal: %w", err)
		}
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, org{OrganizationCounts{OrganizationID: id, Counts: Counts{}}, first})
		}
		out[i].Counts[State(state)] += int(n)
		out[i].first = min(out[i].first, first)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	slices.SortFunc(out, func(a, b org) int { return cmp.Compare(a.first, b.first) })
	counts := make([]OrganizationCounts, len(out))
	for i := range out {
		counts[i] = out[i].OrganizationCounts
	}
	return counts, nil
}

// Organizations lists the organizations the journal holds people of, in
// the order their first entry was put.
func (j *Journal) Organizations(ctx context.Context) ([]string, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT organization_id FROM entries GROUP BY organization_id ORDER BY min(rowid)`)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("bulkinvite: journal: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	return out, nil
}
