package bulkinvite

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/invitekit/clerkinvitations/client"
)

// MemoryStore is a [Store] in memory: it survives a run, not the process.
// It is safe for concurrent use. An entry's ID is its place in the order
// of first puts, from 1.
type MemoryStore struct {
	mu      sync.Mutex
	entries []Entry
	index   map[string]int
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{index: map[string]int{}} }

// Load returns copies of the organization's entries ("" for every
// organization) in the order they were first put.
func (m *MemoryStore) Load(ctx context.Context, organizationID string) ([]Entry, error) {
	return Entries(ctx, m, organizationID)
}

// Import adds people, all or none (see [Store.Import]).
func (m *MemoryStore) Import(_ context.Context, people iter.Seq2[Entry, error], update func(stored, given Entry) (Entry, bool)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var added []Entry
	changed := map[int]Entry{}
	given := map[string]int{} // key -> its place in people
	n := 0
	for e, err := range people {
		if err != nil {
			return err
		}
		key := e.Key()
		if j, twice := given[key]; twice {
			return &DuplicateError{Index: n, First: j, OrganizationID: e.OrganizationID, EmailAddress: e.Params.EmailAddress}
		}
		given[key] = n
		n++
		if i, ok := m.index[key]; ok {
			if update != nil {
				if next, ok := update(clone(m.entries[i]), e); ok {
					changed[i] = clone(next)
				}
			}
			continue
		}
		added = append(added, clone(e))
	}
	for i, e := range changed {
		m.entries[i] = e
	}
	for _, e := range added {
		m.index[e.Key()] = len(m.entries)
		m.entries = append(m.entries, e)
	}
	return nil
}

// Scan calls fn with a copy of each entry of the organization ("" for
// every organization), in the order first put. fn must not call m.
func (m *MemoryStore) Scan(_ context.Context, organizationID string, fn func(id int64, e Entry) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.entries {
		if organizationID == "" || e.OrganizationID == organizationID {
			if err := fn(int64(i+1), clone(e)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Get returns copies of the entries with these IDs.
func (m *MemoryStore) Get(_ context.Context, ids ...int64) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Entry, len(ids))
	for k, id := range ids {
		if id < 1 || id > int64(len(m.entries)) {
			return nil, fmt.Errorf("bulkinvite: no entry %d in the store", id)
		}
		out[k] = clone(m.entries[id-1])
	}
	return out, nil
}

// Put stores copies of entries.
func (m *MemoryStore) Put(_ context.Context, entries ...Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range entries {
		if i, ok := m.index[e.Key()]; ok {
			m.entries[i] = clone(e)
			continue
		}
		m.index[e.Key()] = len(m.entries)
		m.entries = append(m.entries, clone(e))
	}
	return nil
}

// PutByID stores copies of entries over those with these IDs, which have
// their keys.
func (m *MemoryStore) PutByID(_ context.Context, ids []int64, entries []Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, id := range ids {
		if id < 1 || id > int64(len(m.entries)) || m.entries[id-1].Key() != entries[i].Key() {
			return fmt.Errorf("bulkinvite: no entry %d of %s in the store", id, entries[i].Params.EmailAddress)
		}
	}
	for i, id := range ids {
		m.entries[id-1] = clone(entries[i])
	}
	return nil
}

// Close does nothing: the entries stay readable.
func (m *MemoryStore) Close() error { return nil }

// clone copies an entry deeply enough that neither copy can change the
// other: the metadata maps are copied at their top level, and values in
// them are never modified by this package.
func clone(e Entry) Entry {
	e.Params.PublicMetadata = cloneMap(e.Params.PublicMetadata)
	e.Params.PrivateMetadata = cloneMap(e.Params.PrivateMetadata)
	if e.Params.Notify != nil {
		e.Params.Notify = client.Bool(*e.Params.Notify)
	}
	return e
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

var _ Store = (*MemoryStore)(nil)
