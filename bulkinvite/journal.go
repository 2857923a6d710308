package bulkinvite

import (
	"context"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// State is where one person of a run stands. The journal records it
// before each request and after each response.
type State string

// The states. Queued, Revoking, Sent and Check are on the way; the other
// four are final.
const (
	// StateQueued: waiting to be sent.
	StateQueued State = "queued"
	// StateRevoking: a resend whose old invitation (Entry.Replaces) is
	// being revoked; the person is sent once it is.
	StateRevoking State = "revoking"
	// StateSent: a request for this person is in flight. A run that finds
	// this state when it starts was stopped mid-request, and checks.
	StateSent State = "sent"
	// StateCheck: a request may have created the invitation, but no
	// response said so. The run looks before sending again.
	StateCheck State = "needs_check"
	// StateCreated: the invitation exists; Entry.InvitationID names it.
	StateCreated State = "created"
	// StateAlreadyInvited: the person already had a pending invitation to
	// the organization before the run.
	StateAlreadyInvited State = "already_invited"
	// StateAlreadyMember: the person already belongs to the organization.
	StateAlreadyMember State = "already_member"
	// StateFailed: the API refused the invitation; Entry.Reason says why.
	StateFailed State = "failed"
)

// States lists every state, in the order a person moves through them.
var States = []State{StateQueued, StateRevoking, StateSent, StateCheck, StateCreated, StateAlreadyInvited, StateAlreadyMember, StateFailed}

// Final reports whether a person in this state is settled: the run sends
// nothing more for them.
func (s State) Final() bool {
	switch s {
	case StateCreated, StateAlreadyInvited, StateAlreadyMember, StateFailed:
		return true
	}
	return false
}

// Channel is the endpoint a person was last sent through.
type Channel string

// The two ways to invite.
const (
	ChannelBulk   Channel = "bulk"   // POST /organizations/{organization_id}/invitations/bulk
	ChannelCreate Channel = "create" // POST /organizations/{organization_id}/invitations
)

// Entry is the journal's record of one person of a run. Entries are
// keyed by organization and email address (compared without regard to
// case or surrounding space).
type Entry struct {
	// OrganizationID is the organization the person is invited to.
	OrganizationID string
	// Params is the invitation to create; Params.EmailAddress is the
	// person's address as given.
	Params client.CreateParams
	// State is where the person stands.
	State State
	// InvitationID is the invitation created, or found, for the person.
	InvitationID string
	// Reason says why the person failed (StateFailed), or what the last
	// problem on the way was.
	Reason string
	// Attempts counts the requests sent for the person.
	Attempts int
	// MaybeCreated is set once a request for the person ended without a
	// clear outcome: any later refusal as "already invited" may be the
	// run's own invitation, so the run looks it up.
	MaybeCreated bool
	// Channel is the endpoint of the last request.
	Channel Channel
	// Replaces, for a resend, is the pending invitation to revoke before
	// the person is invited again.
	Replaces string
	// SentAt is when the last request was sent.
	SentAt time.Time
	// UpdatedAt is when the entry last changed.
	UpdatedAt time.Time
}

// Key is what identifies the entry in a journal: its organization and
// its address in lower case, without surrounding space.
func (e *Entry) Key() string { return entryKey(e.OrganizationID, e.Params.EmailAddress) }

func entryKey(organizationID, email string) string {
	return organizationID + "\x00" + client.NormalEmail(email)
}

// NormalEmail is the form in which a run compares addresses: two that
// give the same NormalEmail are one person.
//
// Deprecated: the rule lives in package client; use [client.NormalEmail],
// which this calls.
func NormalEmail(email string) string { return client.NormalEmail(email) }

// Store is where a run keeps its journal. [OpenJournal] is the default
// store, an SQLite file; [NewMemoryStore] keeps it in memory, for tests
// and short runs that need no resuming. Another store (a database table, say) needs only these methods. A run
// calls them from one goroutine at a time.
type Store interface {
	// Load returns the entries of an organization ("" for every
	// organization), in the order they were first put.
	Load(ctx context.Context, organizationID string) ([]Entry, error)
	// Put writes entries, replacing those with the same key: all of them
	// or, on error, none. When it returns nil they must survive a crash
	// of the process.
	Put(ctx context.Context, entries ...Entry) error
	// Close releases the store.
	Close() error
}

// MemoryStore is a [Store] in memory: it survives a run, not the process.
// It is safe for concurrent use.
type MemoryStore struct {
	mu      sync.Mutex
	entries []Entry
	index   map[string]int
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{index: map[string]int{}} }

// Load returns copies of the organization's entries in the order they were
// first put.
func (m *MemoryStore) Load(_ context.Context, organizationID string) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if organizationID == "" || e.OrganizationID == organizationID {
			out = append(out, clone(e))
		}
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

// Counts holds how many people of a run are in each state.
type Counts map[State]int

// Total is the number of people counted.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Settled is the number of people in a final state.
func (c Counts) Settled() int {
	n := 0
	for s, v := range c {
		if s.Final() {
			n += v
		}
	}
	return n
}

// count tallies entries by state.
func count(entries []*Entry) Counts {
	c := Counts{}
	for _, e := range entries {
		c[e.State]++
	}
	return c
}
