package bulkinvite

import (
	"context"
	"iter"
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
// and short runs that need no resuming. Another store (a database table,
// say) needs only these methods. A run calls them from one goroutine at a
// time, and never while a Scan is under way.
//
// A run holds little of each person in memory: the store is where the
// people are. It imports them once ([Store.Import]), reads the journal
// once when it starts ([Store.Scan]) and then loads the people it is about
// to send by ID ([Store.Get]), a few at a time.
//
// A store may also have two methods a run uses where it finds them:
// PutByID(ctx, ids []int64, entries []Entry) error, which writes each
// entry over the one with its ID (and its key), as Put does, without
// looking the key up; and CountByOrganization(ctx)
// ([]OrganizationCounts, error), which counts without a scan (see
// [CountByOrganization]). [Journal] has both.
type Store interface {
	// Import adds the people of a run, given as the entries a run starts
	// them with, in order: all of them or, on error, none. An entry
	// whose key the store does not hold is added. For one it holds,
	// update (if not nil) is called with the stored entry and the one
	// given, and what it returns is written if it reports a change. A key
	// that comes twice is an error, a *[DuplicateError]. If people yields
	// an error, or a write fails, nothing of the import is kept and
	// Import returns that error. When Import returns nil the entries must
	// survive a crash of the process. A store finds the keys given twice
	// without holding the people in memory if it can: a run of a million
	// holds a few bytes a person.
	Import(ctx context.Context, people iter.Seq2[Entry, error], update func(stored, given Entry) (Entry, bool)) error
	// Scan calls fn with every entry of an organization ("" for every
	// organization) in the order the entries were first put, each with
	// its ID: a number the store gives an entry when it is first put,
	// unique in the store and never changed. It stops at fn's first error
	// and returns it. fn must not call the store.
	Scan(ctx context.Context, organizationID string, fn func(id int64, e Entry) error) error
	// Get returns the entries with these IDs, in the same order. An ID
	// the store does not hold is an error.
	Get(ctx context.Context, ids ...int64) ([]Entry, error)
	// Put writes entries, replacing those with the same key: all of them
	// or, on error, none. When it returns nil they must survive a crash
	// of the process.
	Put(ctx context.Context, entries ...Entry) error
	// Close releases the store.
	Close() error
}

// Entries returns the entries of an organization ("" for every
// organization) that the store holds, in the order they were first put.
// It holds them all in memory: for a large journal, prefer
// [CountByOrganization] or the store's Scan.
func Entries(ctx context.Context, s Store, organizationID string) ([]Entry, error) {
	var out []Entry
	err := s.Scan(ctx, organizationID, func(_ int64, e Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// OrganizationCounts is how many people of one organization are in each
// state.
type OrganizationCounts struct {
	OrganizationID string
	Counts         Counts
}

// idPutter is a store that writes entries found by their IDs, which a run
// knows, more cheaply than by their keys ([Journal] and [MemoryStore]
// do). A run uses PutByID where a store has it, Put elsewhere; a custom
// store may have it too: PutByID(ctx, ids, entries) writes entries[i]
// over the entry with ID ids[i], which has its key, all or none, as Put.
type idPutter interface {
	PutByID(ctx context.Context, ids []int64, entries []Entry) error
}

// counter is a store that counts its entries by organization and state
// itself, more cheaply than a scan ([Journal] does, with SQL).
type counter interface {
	CountByOrganization(ctx context.Context) ([]OrganizationCounts, error)
}

// CountByOrganization returns how many people of each organization the
// store holds in each state, the organizations in the order their first
// entry was put. A [Journal] counts in SQL without reading the entries;
// another store is scanned.
func CountByOrganization(ctx context.Context, s Store) ([]OrganizationCounts, error) {
	if c, ok := s.(counter); ok {
		return c.CountByOrganization(ctx)
	}
	var out []OrganizationCounts
	at := map[string]int{}
	err := s.Scan(ctx, "", func(_ int64, e Entry) error {
		i, ok := at[e.OrganizationID]
		if !ok {
			i = len(out)
			at[e.OrganizationID] = i
			out = append(out, OrganizationCounts{OrganizationID: e.OrganizationID, Counts: Counts{}})
		}
		out[i].Counts[e.State]++
		return nil
	})
	return out, err
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

// move counts one person out of state from and into state to. A state
// nobody is in has no key.
func (c Counts) move(from, to State) {
	if c[from]--; c[from] <= 0 {
		delete(c, from)
	}
	c[to]++
}
