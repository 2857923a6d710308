package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// The event types this package decodes into their own Go types.
const (
	TypeInvitationCreated  = "organizationInvitation.created"
	TypeInvitationAccepted = "organizationInvitation.accepted"
	TypeInvitationRevoked  = "organizationInvitation.revoked"
)

// Event is one verified webhook event: an [InvitationCreated], an
// [InvitationAccepted], an [InvitationRevoked] or an [OtherEvent]. Switch on
// its type; Meta gives the fields every event has.
type Event interface {
	// Meta returns the event's envelope.
	Meta() Envelope
}

// Envelope holds what every event carries besides its data.
type Envelope struct {
	// MessageID is the svix-id header: the same on every delivery of one
	// event, and different for every event. De-duplicate by it.
	MessageID string
	// Type is the event's type, e.g. "organizationInvitation.created".
	Type string
	// Timestamp is when the event happened, from the envelope's
	// timestamp (Unix milliseconds); zero when absent.
	Timestamp time.Time
	// InstanceID is the Clerk instance the event comes from, "ins_…".
	InstanceID string
	// Attributes is the envelope's event_attributes object as sent, or
	// nil when the event has none. Clerk puts there the HTTP request that
	// caused the event: its client_ip, the address it came from, and its
	// user_agent, the User-Agent header it carried:
	//
	//	{"http_request": {"client_ip": "192.0.2.1", "user_agent": "Mozilla/5.0 …"}}
	//
	// For a created or revoked invitation, that is the call to the Backend
	// API; for an accepted one, the invited person's. Decode it into a
	// struct of your own, as the Example does; fields Clerk adds later are
	// there too.
	Attributes json.RawMessage
}

// Meta returns e itself, so that every event type has it.
func (e Envelope) Meta() Envelope { return e }

// InvitationCreated is organizationInvitation.created: an invitation was
// created, by Create, BulkCreate or Clerk's dashboard.
type InvitationCreated struct {
	Envelope
	// Invitation is the invitation as the API returns it.
	Invitation client.Invitation
}

// InvitationAccepted is organizationInvitation.accepted: the invited
// person followed the invitation's link and joined the organization.
type InvitationAccepted struct {
	Envelope
	// Invitation is the invitation, now accepted.
	Invitation client.Invitation
	// UserID is the user who accepted, from data.user_id; empty when the
	// event does not carry it.
	UserID string
}

// InvitationRevoked is organizationInvitation.revoked: a pending
// invitation was revoked, and its link no longer works.
type InvitationRevoked struct {
	Envelope
	// Invitation is the invitation, now revoked.
	Invitation client.Invitation
}

// OtherEvent is an event of any type this package has no Go type for
// (user.created, organizationMembership.deleted, or one Clerk adds later).
type OtherEvent struct {
	Envelope
	// Data is the event's data object as sent, or nil when absent.
	Data json.RawMessage
}

// wireEvent is Clerk's envelope as it travels.
type wireEvent struct {
	Type       string          `json:"type"`
	Timestamp  *int64          `json:"timestamp"`
	InstanceID string          `json:"instance_id"`
	Data       json.RawMessage `json:"data"`
	Attributes json.RawMessage `json:"event_attributes"`
}

// invitationData is the data of an invitation event: the invitation, plus
// user_id on accepted.
type invitationData struct {
	Invitation client.Invitation
	UserID     string
}

// parseEvent decodes a verified body.
func parseEvent(id string, body []byte) (Event, error) {
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%w: the body is not a JSON object of the event's shape: %v", ErrMalformedEvent, err)
	}
	if w.Type == "" {
		return nil, fmt.Errorf("%w: it has no type", ErrMalformedEvent)
	}
	env := Envelope{MessageID: id, Type: w.Type, InstanceID: w.InstanceID, Attributes: present(w.Attributes)}
	if w.Timestamp != nil {
		env.Timestamp = time.UnixMilli(*w.Timestamp)
	}
	switch w.Type {
	case TypeInvitationCreated, TypeInvitationAccepted, TypeInvitationRevoked:
	default:
		return OtherEvent{Envelope: env, Data: present(w.Data)}, nil
	}
	data, err := decodeInvitation(w.Data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformedEvent, w.Type, err)
	}
	switch w.Type {
	case TypeInvitationCreated:
		return InvitationCreated{Envelope: env, Invitation: data.Invitation}, nil
	case TypeInvitationAccepted:
		return InvitationAccepted{Envelope: env, Invitation: data.Invitation, UserID: data.UserID}, nil
	default:
		return InvitationRevoked{Envelope: env, Invitation: data.Invitation}, nil
	}
}

// decodeInvitation reads an invitation event's data, which must be an
// invitation object with an id.
func decodeInvitation(raw json.RawMessage) (invitationData, error) {
	var d invitationData
	if present(raw) == nil {
		return d, fmt.Errorf("it has no data")
	}
	if err := json.Unmarshal(raw, &d.Invitation); err != nil {
		return d, fmt.Errorf("its data is not an invitation: %v", err)
	}
	var extra struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal(raw, &extra); err != nil {
		return d, fmt.Errorf("its data's user_id is not a string: %v", err)
	}
	d.UserID = extra.UserID
	if d.Invitation.ID == "" {
		return d, fmt.Errorf("its data has no invitation id")
	}
	return d, nil
}

// present returns raw, or nil for an absent or null value.
func present(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return raw
}
