package client

import (
	"context"
	"encoding/json"

	"github.com/invitekit/clerkinvitations/gen"
)

// ListInstance returns one page of the invitations of every organization in
// the instance, each with its organization's public data. A nil params
// lists the first page, newest first. To walk every page, use
// ListInstanceAll.
//
// Clerk API: GET /organization_invitations (ListInstanceOrganizationInvitations).
func (c *Client) ListInstance(ctx context.Context, params *ListInstanceParams, opts ...Option) (*InstanceInvitationList, error) {
	ep := epListInstance
	var p ListInstanceParams
	if params != nil {
		p = *params
	}
	if err := firstError(
		checkStatus(ep.op, p.Status),
		checkOrderBy(ep.op, p.OrderBy),
		checkPage(ep.op, p.Limit, p.Offset),
	); err != nil {
		return nil, err
	}
	return call[InstanceInvitationList](ctx, c, opts, ep, listInstanceRoute(&p), nil)
}

// Create invites one person to an organization: it creates a pending
// invitation and, unless params.Notify is false, Clerk emails it.
//
// Create is not idempotent. If it fails with an error for which
// OutcomeUnknown reports true, the invitation may exist: look it up (List
// with EmailAddress) before calling Create again.
//
// Clerk API: POST /organizations/{organization_id}/invitations (CreateOrganizationInvitation).
func (c *Client) Create(ctx context.Context, organizationID string, params CreateParams, opts ...Option) (*Invitation, error) {
	ep := epCreate
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkCreate(ep.op, "", &params),
	); err != nil {
		return nil, err
	}
	body, err := json.Marshal(toNewInvitation(&params))
	if err != nil {
		return nil, &ValidationError{ep.op, "metadata", err.Error()}
	}
	return call[Invitation](ctx, c, opts, ep, invitationsRoute(organizationID), body)
}

// List returns one page of an organization's invitations. A nil params lists
// the first page, newest first, of every status. To walk every page, use
// ListAll.
//
// Clerk API: GET /organizations/{organization_id}/invitations (ListOrganizationInvitations).
func (c *Client) List(ctx context.Context, organizationID string, params *ListParams, opts ...Option) (*InvitationList, error) {
	ep := epList
	var p ListParams
	if params != nil {
		p = *params
	}
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkStatus(ep.op, p.Status),
		checkOrderBy(ep.op, p.OrderBy),
		checkPage(ep.op, p.Limit, p.Offset),
	); err != nil {
		return nil, err
	}
	return call[InvitationList](ctx, c, opts, ep, listRoute(organizationID, &p), nil)
}

// BulkCreate invites up to ten people to an organization in one call and
// returns the invitations created, in the order given. Each item is checked
// as Create checks it, and no email address may appear twice. For more than
// ten people, use CreateMany.
//
// BulkCreate is not idempotent: when its outcome is unknown, some or all of
// the invitations may exist.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk (CreateOrganizationInvitationBulk).
func (c *Client) BulkCreate(ctx context.Context, organizationID string, params []CreateParams, opts ...Option) (*InvitationList, error) {
	ep := epBulkCreate
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkBulk(ep.op, params),
	); err != nil {
		return nil, err
	}
	items := make([]gen.NewOrganizationInvitation, len(params))
	for i := range params {
		items[i] = toNewInvitation(&params[i])
	}
	body, err := json.Marshal(items)
	if err != nil {
		return nil, &ValidationError{ep.op, "metadata", err.Error()}
	}
	return call[InvitationList](ctx, c, opts, ep, bulkRoute(organizationID), body)
}

// ListPending returns one page of an organization's pending invitations.
//
// Deprecated: the API deprecates this operation. Use List with
// ListParams{Status: StatusPending}, which also filters by email and sorts.
//
// Clerk API: GET /organizations/{organization_id}/invitations/pending (ListPendingOrganizationInvitations).
func (c *Client) ListPending(ctx context.Context, organizationID string, params *ListPendingParams, opts ...Option) (*InvitationList, error) {
	ep := epListPending
	var p ListPendingParams
	if params != nil {
		p = *params
	}
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkPage(ep.op, p.Limit, p.Offset),
	); err != nil {
		return nil, err
	}
	return call[InvitationList](ctx, c, opts, ep, listPendingRoute(organizationID, &p), nil)
}

// Get returns one invitation of an organization, in any status.
//
// Clerk API: GET /organizations/{organization_id}/invitations/{invitation_id} (GetOrganizationInvitation).
func (c *Client) Get(ctx context.Context, organizationID, invitationID string, opts ...Option) (*Invitation, error) {
	ep := epGet
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkID(ep.op, "invitation_id", invitationID),
	); err != nil {
		return nil, err
	}
	return call[Invitation](ctx, c, opts, ep, invitationRoute(organizationID, invitationID), nil)
}

// Revoke makes a pending invitation unusable and returns it, now revoked.
// Revoking an invitation in any other status is an error from the API. A nil
// params sends no body.
//
// Clerk API: POST /organizations/{organization_id}/invitations/{invitation_id}/revoke (RevokeOrganizationInvitation).
func (c *Client) Revoke(ctx context.Context, organizationID, invitationID string, params *RevokeParams, opts ...Option) (*Invitation, error) {
	ep := epRevoke
	if err := firstError(
		checkID(ep.op, "organization_id", organizationID),
		checkID(ep.op, "invitation_id", invitationID),
	); err != nil {
		return nil, err
	}
	var body []byte
	if params != nil {
		var err error
		body, err = json.Marshal(gen.RevokeOrganizationInvitationRequest{RequestingUserID: optString(params.RequestingUserID)})
		if err != nil {
			return nil, &ValidationError{ep.op, "body", err.Error()}
		}
	}
	return call[Invitation](ctx, c, opts, ep, revokeRoute(organizationID, invitationID), body)
}

// toNewInvitation turns the facade's parameters into the generated model,
// leaving zero values out.
func toNewInvitation(p *CreateParams) gen.NewOrganizationInvitation {
	return gen.NewOrganizationInvitation{
		EmailAddress:    p.EmailAddress,
		Role:            p.Role,
		InviterUserID:   optString(p.InviterUserID),
		PublicMetadata:  p.PublicMetadata,
		PrivateMetadata: p.PrivateMetadata,
		RedirectURL:     optString(p.RedirectURL),
		ExpiresInDays:   optInt(p.ExpiresInDays),
		Notify:          p.Notify,
	}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optInt(i int) *int {
	if i == 0 {
		return nil
	}
	return &i
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
