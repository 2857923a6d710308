package client

import "github.com/invitekit/clerkinvitations/gen"

// Invitation is an organization invitation as the API returns it from
// create, get, revoke and the per-organization lists. Nullable fields
// (InviterID, PublicInviterData, URL, ExpiresAt) are pointers; Status holds
// any string the API sends, known or not.
type Invitation = gen.OrganizationInvitation

// InstanceInvitation is an invitation from the instance-wide list
// (ListInstance): an Invitation plus PublicOrganizationData naming its
// organization.
type InstanceInvitation = gen.OrganizationInvitationWithPublicOrganizationData

// InviterData is what may be shown publicly about the user who sent an
// invitation (Invitation.PublicInviterData).
type InviterData = gen.OrganizationInvitationPublicUserData

// OrganizationData is what may be shown publicly about an invitation's
// organization (InstanceInvitation.PublicOrganizationData).
type OrganizationData = gen.OrganizationInvitationPublicOrganizationData

// InvitationList is one page of invitations: Data holds the page and
// TotalCount the number of matches across all pages.
type InvitationList = gen.OrganizationInvitations

// InstanceInvitationList is one page of the instance-wide list.
type InstanceInvitationList = gen.OrganizationInvitationsWithPublicOrganizationData

// Status is where an invitation stands. The API may add statuses; a value
// not among the constants below still decodes.
type Status = gen.OrganizationInvitationStatus

// The statuses the API knows today.
const (
	StatusPending  Status = gen.OrganizationInvitationStatusPending
	StatusAccepted Status = gen.OrganizationInvitationStatusAccepted
	StatusRevoked  Status = gen.OrganizationInvitationStatusRevoked
	StatusExpired  Status = gen.OrganizationInvitationStatusExpired
)

// Orders accepted by the OrderBy fields of the list parameters: a field name
// with "-" for descending or "+" for ascending.
const (
	OrderNewestFirst = "-created_at" // the API's default
	OrderOldestFirst = "+created_at"
	OrderEmailAsc    = "+email_address"
	OrderEmailDesc   = "-email_address"
)

// The API's size limits.
const (
	MaxPageSize        = 500 // the largest Limit a list accepts
	MaxBulkInvitations = 10  // the most invitations one BulkCreate call accepts
)

// CreateParams describes one invitation to create. EmailAddress and Role are
// required; every other field is optional, and its zero value leaves it out
// of the request so that the API's default applies.
type CreateParams struct {
	// EmailAddress is where the invitation is sent. Required.
	EmailAddress string
	// Role is the key of the role the person gets, e.g. "org:member". Required.
	Role string
	// InviterUserID names the admin member who invites.
	InviterUserID string
	// PublicMetadata is copied to the membership on acceptance; readable
	// from the frontend too.
	PublicMetadata map[string]any
	// PrivateMetadata is copied to the membership on acceptance; readable
	// only from the backend.
	PrivateMetadata map[string]any
	// RedirectURL is where the acceptance link takes the person.
	RedirectURL string
	// ExpiresInDays is the invitation's lifetime, 1 to 365 days; zero means
	// the API's default, 30.
	ExpiresInDays int
	// Notify says whether Clerk emails the invitation; nil means the API's
	// default, true. Use Bool(false) to create an invitation silently.
	Notify *bool
}

// ListParams filters and pages List. The zero value lists the first page
// (10 invitations, newest first) of every status.
type ListParams struct {
	// Status keeps only invitations in this status; empty keeps all.
	Status Status
	// EmailAddress keeps only invitations sent to this address.
	EmailAddress string
	// OrderBy sorts the results, e.g. OrderEmailAsc; empty means newest first.
	OrderBy string
	// Limit is the page size, 1 to 500; zero means the API's default, 10.
	Limit int
	// Offset is how many matches to skip.
	Offset int
}

// ListInstanceParams filters and pages ListInstance.
type ListInstanceParams struct {
	// Status keeps only invitations in this status; empty keeps all.
	Status Status
	// Query keeps only invitations whose email address contains this text.
	Query string
	// OrderBy sorts the results, e.g. OrderEmailAsc; empty means newest first.
	OrderBy string
	// Limit is the page size, 1 to 500; zero means the API's default, 10.
	Limit int
	// Offset is how many matches to skip.
	Offset int
}

// ListPendingParams pages ListPending.
type ListPendingParams struct {
	// Limit is the page size, 1 to 500; zero means the API's default, 10.
	Limit int
	// Offset is how many matches to skip.
	Offset int
}

// RevokeParams are the optional details of Revoke.
type RevokeParams struct {
	// RequestingUserID names the admin member on whose behalf the invitation
	// is revoked.
	RequestingUserID string
}

// Bool returns a pointer to b, for CreateParams.Notify.
func Bool(b bool) *bool { return &b }
