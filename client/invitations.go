package client

import (
	"context"

	"github.com/invitekit/clerkinvitations/gen"
)

// The operations. Each one checks what the spec cannot say (see
// validate.go), then calls the function that gen generates for it, which
// checks the spec's own rules, builds the request and sends it through this
// client. The spec's operations that have no method here are listed, with
// the reason, in completeness_test.go.

// ListInstance returns one page of the invitations of every organization in
// the instance, each with its organization's public data. The zero params
// list the first page, newest first. To walk every page, use
// [Client.ListInstanceAll].
//
// Clerk API: GET /organization_invitations (ListInstanceOrganizationInvitations).
func (c *Client) ListInstance(ctx context.Context, params ListInstanceParams, opts ...Option) (*InstanceInvitationList, error) {
	return gen.ListInstanceOrganizationInvitations(ctx, c.with(opts), params)
}

// Create invites one person to an organization: it creates a pending
// invitation and, unless params.Notify is false, Clerk emails it.
//
// Create is not idempotent. If it fails with an error for which
// [OutcomeUnknown] reports true, the invitation may exist: look it up
// ([Client.List] with EmailAddress) before calling Create again.
//
// Clerk API: POST /organizations/{organization_id}/invitations (CreateOrganizationInvitation).
func (c *Client) Create(ctx context.Context, organizationID string, params CreateParams, opts ...Option) (*Invitation, error) {
	if err := checkInvitation(gen.OpCreateOrganizationInvitation.ID, "", &params); err != nil {
		return nil, err
	}
	return gen.CreateOrganizationInvitation(ctx, c.with(opts), organizationID, params)
}

// List returns one page of an organization's invitations. The zero params
// list the first page, newest first, of every status. To walk every page,
// use [Client.ListAll].
//
// Clerk API: GET /organizations/{organization_id}/invitations (ListOrganizationInvitations).
func (c *Client) List(ctx context.Context, organizationID string, params ListParams, opts ...Option) (*InvitationList, error) {
	return gen.ListOrganizationInvitations(ctx, c.with(opts), organizationID, params)
}

// BulkCreate invites up to ten people to an organization in one call and
// returns the invitations created. Each item is checked as Create checks
// it, and no email address may appear twice. For more than ten people, use
// package bulkinvite, which settles the outcomes a request leaves unknown.
//
// BulkCreate is not idempotent: when its outcome is unknown, some or all of
// the invitations may exist.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk (CreateOrganizationInvitationBulk).
func (c *Client) BulkCreate(ctx context.Context, organizationID string, params []CreateParams, opts ...Option) (*InvitationList, error) {
	if err := checkInvitations(gen.OpCreateOrganizationInvitationBulk.ID, params); err != nil {
		return nil, err
	}
	return gen.CreateOrganizationInvitationBulk(ctx, c.with(opts), organizationID, params)
}

// Get returns one invitation of an organization, in any status.
//
// Clerk API: GET /organizations/{organization_id}/invitations/{invitation_id} (GetOrganizationInvitation).
func (c *Client) Get(ctx context.Context, organizationID, invitationID string, opts ...Option) (*Invitation, error) {
	return gen.GetOrganizationInvitation(ctx, c.with(opts), organizationID, invitationID)
}

// Revoke makes a pending invitation unusable and returns it, now revoked.
// Revoking an invitation in any other status is an error from the API. The
// zero params send no body.
//
// Clerk API: POST /organizations/{organization_id}/invitations/{invitation_id}/revoke (RevokeOrganizationInvitation).
func (c *Client) Revoke(ctx context.Context, organizationID, invitationID string, params RevokeParams, opts ...Option) (*Invitation, error) {
	return gen.RevokeOrganizationInvitation(ctx, c.with(opts), organizationID, invitationID, params)
}
