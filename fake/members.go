package fake

import (
	"errors"

	"github.com/invitekit/clerkinvitations/gen"
)

// WithMember makes emailAddress a member of the organization from the
// start, so that inviting it is refused with [client.CodeAlreadyMember].
func WithMember(organizationID, emailAddress string) Option {
	return func(s *Server) { s.store.members[addressKey(organizationID, emailAddress)] = true }
}

// Accept does what the invited person does by following the link of a
// pending invitation: the invitation becomes accepted and its address a
// member of the organization. It fails for an unknown invitation or one that
// is not pending.
//
// With WithWebhook, it emits organizationInvitation.accepted. A call from
// Go has no HTTP request, so the event's http_request has an empty
// client_ip and user_agent; through the admin API (POST
// /_fake/invitations/{id}/accept) they are those of the admin request.
func (s *Server) Accept(invitationID string) error {
	return s.accept(invitationID, origin{})
}

// accept is Accept, with the request that caused it.
func (s *Server) accept(invitationID string, from origin) error {
	return s.settlePending("Accept", invitationID, func(st *store, r *record, now int64) {
		r.inv.Status = gen.OrganizationInvitationStatusAccepted
		r.inv.UpdatedAt = now
		st.members[addressKey(r.inv.OrganizationID, r.inv.EmailAddress)] = true
		st.hooks.accepted(r.inv, "user_"+randomID(27), from)
	})
}

// settlePending applies change to a pending invitation, under the store's
// lock, and then reports the change; verb names the caller in its errors,
// for an unknown invitation or one that is not pending.
func (s *Server) settlePending(verb, invitationID string, change func(st *store, r *record, now int64)) error {
	defer s.notifyChange() // after the unlock below
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	r := st.index.id(st.invitations, invitationID)
	if r == nil {
		return errors.New("fake: " + verb + ": no invitation " + invitationID)
	}
	st.refresh(r)
	if r.inv.Status != gen.OrganizationInvitationStatusPending {
		return errors.New("fake: " + verb + ": invitation " + invitationID + " is " + string(r.inv.Status) + ", not pending")
	}
	change(st, r, st.now().UnixMilli())
	st.version++
	return nil
}

// Invitations returns every invitation the fake holds, in creation order,
// as the API would show it now.
func (s *Server) Invitations() []gen.OrganizationInvitation {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]gen.OrganizationInvitation, len(st.invitations))
	for i, r := range st.invitations {
		st.refresh(r)
		out[i] = r.inv
	}
	return out
}
