package client

import (
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/metadata"
)

// The types users fill in and read are gen's, generated from
// api/openapi.yaml; these aliases give them short names. Their fields and
// doc comments come from the spec, so a field added to the spec reaches
// users with `make generate` and no edit here.

// Invitation is an organization invitation as the API returns it from
// create, get, revoke and the per-organization lists. Nullable fields
// (InviterID, PublicInviterData, URL, ExpiresAt) are pointers; Status holds
// any string the API sends, known or not.
type Invitation = gen.OrganizationInvitation

// InstanceInvitation is an invitation from the instance-wide list
// ([Client.ListInstance]): an [Invitation] plus PublicOrganizationData naming
// its organization.
type InstanceInvitation = gen.OrganizationInvitationWithPublicOrganizationData

// Metadata is the public or private metadata of an [Invitation] or an
// [InstanceInvitation], kept as the raw JSON object the API sent. Decode it
// when needed: into a struct of your own with Decode, or into a map with
// Map; IsEmpty tells that there is none. Reading a page costs one copy of
// each object's bytes and no map. Metadata sent with [CreateParams] is a
// plain map.
type Metadata = metadata.Raw

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

// CreateParams describes one invitation, for [Client.Create],
// [Client.BulkCreate] (and package bulkinvite). EmailAddress and Role are
// required; every other field is optional, and its zero value leaves it out
// of the request, so the API's default applies:
//
//   - EmailAddress: the address to invite (required; must hold an @).
//   - Role: the role the person gets on accepting, by key, such as
//     "org:member" or "org:admin" (required, not blank).
//   - ExpiresInDays: days until the invitation expires, 1 to 365 (default 30).
//   - InviterUserID: the admin member who invites (default none).
//   - Notify: whether Clerk emails the invitation. A pointer, because the
//     default is true: [Bool](false) creates an invitation silently.
//   - PublicMetadata, PrivateMetadata: any JSON objects, copied to the
//     membership on acceptance; private is readable only from the backend
//     (default none).
//   - RedirectURL: where the acceptance link leads, for a custom flow
//     (default Clerk's own).
type CreateParams = gen.NewOrganizationInvitation

// ListParams filters and pages [Client.List] and [Client.ListAll]. The zero
// value lists the first page (10 invitations, newest first) of every
// status. Each zero field is left out of the request:
//
//   - Status: only invitations in any of these [Statuses] (default every
//     status).
//   - EmailAddress: only invitations sent to this exact address, in any
//     case (default any).
//   - OrderBy: the [Order] (default [OrderNewestFirst]).
//   - Limit: the page size, 1 to [MaxPageSize] (default 10; the iterators
//     default to [MaxPageSize]).
//   - Offset: how many matching invitations to skip (default 0).
type ListParams = gen.ListOrganizationInvitationsParams

// ListInstanceParams filters and pages [Client.ListInstance] and
// [Client.ListInstanceAll], across every organization of the instance.
// Each zero field is left out of the request:
//
//   - Status: only invitations in any of these [Statuses] (default every
//     status).
//   - Query: only invitations whose address contains this text, in any
//     case (default any).
//   - OrderBy: the [Order] (default [OrderNewestFirst]).
//   - Limit: the page size, 1 to [MaxPageSize] (default 10; the iterators
//     default to [MaxPageSize]).
//   - Offset: how many matching invitations to skip (default 0).
type ListInstanceParams = gen.ListInstanceOrganizationInvitationsParams

// RevokeParams are the optional details of [Client.Revoke]. The zero value
// sends no body.
//
//   - RequestingUserID: the admin member on whose behalf the invitation is
//     revoked (default none).
type RevokeParams = gen.RevokeOrganizationInvitationRequest

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

// Statuses is the status filter of [ListParams] and [ListInstanceParams]:
// a list keeps the invitations in any one of them, and an empty filter
// keeps every status. One status is written
// client.Statuses{client.StatusPending}; several, as
// client.Statuses{client.StatusPending, client.StatusExpired}. A value that
// is not one of the API's statuses is refused before sending.
type Statuses = gen.Status

// Order is how a list is sorted (the OrderBy field of [ListParams] and
// [ListInstanceParams]). The zero value means the API's default, newest
// first.
type Order = gen.Order

// The orders the API takes: a field, descending with "-", ascending with
// "+" or with no sign (OrderCreatedAt sorts as OrderOldestFirst,
// OrderEmailAddress as OrderEmailAsc).
const (
	OrderNewestFirst  Order = gen.OrderNewestFirst
	OrderOldestFirst  Order = gen.OrderOldestFirst
	OrderCreatedAt    Order = gen.OrderCreatedAt
	OrderEmailAsc     Order = gen.OrderEmailAsc
	OrderEmailDesc    Order = gen.OrderEmailDesc
	OrderEmailAddress Order = gen.OrderEmailAddress
)

// The API's size limits, from the spec.
const (
	// MaxPageSize is the largest Limit a list accepts, and the page size
	// of the iterators.
	MaxPageSize = gen.ListOrganizationInvitationsLimitMax
	// MaxBulkInvitations is the most invitations one [Client.BulkCreate]
	// call accepts.
	MaxBulkInvitations = gen.CreateOrganizationInvitationBulkBodyMaxItems
)

// Bool returns a pointer to b, for CreateParams.Notify.
func Bool(b bool) *bool { return &b }
