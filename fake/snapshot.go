package fake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/invitekit/clerkinvitations/gen"
)

// snapshotVersion is the version of the format Snapshot writes; Restore
// refuses any other.
const snapshotVersion = 1

// snapshot is the fake's state as Snapshot writes it: everything a
// restarted fake needs to serve the same invitations. The configuration
// (keys, limits, WithOnlyDeclaredOrganizations, the clock) is not part of
// it.
type snapshot struct {
	Version       int                                                `json:"version"`
	Organizations []gen.OrganizationInvitationPublicOrganizationData `json:"organizations"`
	Roles         map[string]string                                  `json:"roles"`
	Members       []member                                           `json:"members"`
	Invitations   []gen.OrganizationInvitation                       `json:"invitations"`
	Notifications []notification                                     `json:"notifications"`
}

type member struct {
	OrganizationID string `json:"organization_id"`
	EmailAddress   string `json:"email_address"`
}

type notification struct {
	OrganizationID string `json:"organization_id"`
	InvitationID   string `json:"invitation_id"`
	EmailAddress   string `json:"email_address"`
}

// Snapshot returns the fake's state as JSON: its organizations, roles,
// members, invitations (in creation order) and the emails it would have
// sent. Restore, on this or another Server, loads it back. The JSON holds
// people's addresses: keep any file it goes to private.
func (s *Server) Snapshot() ([]byte, error) {
	return json.Marshal(s.capture())
}

// Restore replaces the fake's state with one that Snapshot returned. It
// refuses, changing nothing, JSON that is not such a state: another
// version, an invitation id given twice, or an invitation of an
// organization the state does not list.
//
// Its error is a *[StateError].
func (s *Server) Restore(data []byte) error {
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return &StateError{Reason: "not a saved state", Err: err}
	}
	if snap.Version != snapshotVersion {
		return &StateError{Reason: fmt.Sprintf("state of version %d, want %d", snap.Version, snapshotVersion)}
	}
	if err := s.store.restore(snap); err != nil {
		return &StateError{Reason: err.Error(), Err: err}
	}
	s.notifyChange()
	return nil
}

// StateError is [Server.Restore]'s refusal of data that is not a state it
// can load. Reason says why in a few words; Err, when not nil, is the cause
// (the JSON decoder's error, say).
type StateError struct {
	Reason string
	Err    error
}

// Error says that Restore refused the data, and why.
func (e *StateError) Error() string {
	if e.Err != nil && e.Reason != e.Err.Error() {
		return "fake: Restore: " + e.Reason + ": " + e.Err.Error()
	}
	return "fake: Restore: " + e.Reason
}

// Unwrap returns the cause, if any.
func (e *StateError) Unwrap() error { return e.Err }

// Reset puts the fake back as NewServer left it: the organizations,
// members and roles its options declared, no invitations and no emails;
// and it drops pending faults, the recorded requests, and what the rate
// limits have counted (the limits themselves stay).
func (s *Server) Reset() {
	_ = s.store.restore(s.initial) // it was captured from a valid state
	s.mu.Lock()
	s.faults = nil
	s.log.clear()
	s.mu.Unlock()
	s.limitMu.Lock()
	for _, w := range s.limits {
		w.sent = nil
	}
	s.refused = nil
	s.limitMu.Unlock()
	s.notifyChange()
}

// Expire lets a pending invitation expire now, as if its expires_at had
// passed. It fails for an unknown invitation or one that is not pending.
func (s *Server) Expire(invitationID string) error {
	return s.settlePending("Expire", invitationID, func(_ *store, r *record, now int64) {
		r.inv.Status = gen.OrganizationInvitationStatusExpired
		r.expires = now
		r.inv.ExpiresAt = &r.expires
		r.inv.UpdatedAt = now
	})
}

// WithOnChange calls f after anything that may have changed the fake's
// state: a POST of the API (served or refused), Accept, Expire, Reset,
// Restore, whether or not it succeeded. f runs on the goroutine that made
// the change, after the response and with no lock held: it should return
// quickly, e.g. by signalling a goroutine that saves a Snapshot.
func WithOnChange(f func()) Option {
	return func(s *Server) { s.changed = f }
}

func (s *Server) notifyChange() {
	if s.changed != nil {
		s.changed()
	}
}

// capture copies the state out of the store.
func (s *Server) capture() snapshot {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	snap := snapshot{
		Version: snapshotVersion, Roles: map[string]string{}, Members: []member{},
		Invitations: []gen.OrganizationInvitation{}, Notifications: []notification{},
	}
	for _, o := range st.orgs {
		snap.Organizations = append(snap.Organizations, *o)
	}
	// Sorted, so that the same state always gives the same JSON.
	sortBy(snap.Organizations, func(o gen.OrganizationInvitationPublicOrganizationData) string { return o.ID })
	for k, v := range st.roles {
		snap.Roles[k] = v
	}
	for key := range st.members {
		org, email, _ := strings.Cut(key, "\x00")
		snap.Members = append(snap.Members, member{OrganizationID: org, EmailAddress: email})
	}
	sortBy(snap.Members, func(m member) string { return m.OrganizationID + "\x00" + m.EmailAddress })
	for _, r := range st.invitations {
		snap.Invitations = append(snap.Invitations, r.inv)
	}
	for _, n := range st.notifications {
		snap.Notifications = append(snap.Notifications, notification(n))
	}
	return snap
}

// restore replaces the store's state with snap, or changes nothing if snap
// is not consistent.
func (st *store) restore(snap snapshot) error {
	orgs := map[string]*gen.OrganizationInvitationPublicOrganizationData{}
	for _, o := range snap.Organizations {
		o := o
		orgs[o.ID] = &o
	}
	idx := newIndex()
	byOrg := map[string][]*record{}
	invitations := make([]*record, 0, len(snap.Invitations))
	for i, inv := range snap.Invitations {
		if _, ok := orgs[inv.OrganizationID]; !ok {
			return fmt.Errorf("invitation %s is of organization %q, which the state does not list", inv.ID, inv.OrganizationID)
		}
		if idx.id(invitations, inv.ID) != nil {
			return fmt.Errorf("invitation %s appears twice", inv.ID)
		}
		r := restoredRecord(inv, i)
		invitations = append(invitations, r)
		idx.add(r)
		byOrg[inv.OrganizationID] = append(byOrg[inv.OrganizationID], r)
	}
	members := map[string]bool{}
	for _, m := range snap.Members {
		members[addressKey(m.OrganizationID, m.EmailAddress)] = true
	}
	roles := map[string]string{}
	for k, v := range snap.Roles {
		roles[k] = v
	}
	notifications := make([]Notification, 0, len(snap.Notifications))
	for _, n := range snap.Notifications {
		notifications = append(notifications, Notification(n))
	}

	st.mu.Lock()
	defer st.mu.Unlock()
	st.orgs, st.roles, st.members = orgs, roles, members
	st.invitations, st.index, st.byOrg = invitations, idx, byOrg
	st.notifications = notifications
	st.version++
	return nil
}

// sortBy sorts xs by the key of each.
func sortBy[T any](xs []T, key func(T) string) {
	slices.SortFunc(xs, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
