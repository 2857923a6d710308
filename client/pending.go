package client

import (
	"context"
	"iter"

	"github.com/invitekit/clerkinvitations/gen"
)

// The seventh operation, which the API deprecates. It stays on the facade,
// marked as deprecated, so that staticcheck points its callers at
// [Client.List] rather than leaving them to call gen.

// ListPendingParams pages [Client.ListPending] and [Client.ListPendingAll].
// Each zero field is left out of the request:
//
//   - Limit: the page size, 1 to [MaxPageSize] (default 10; the iterator
//     defaults to [MaxPageSize]).
//   - Offset: how many pending invitations to skip (default 0).
type ListPendingParams = gen.ListPendingOrganizationInvitationsParams

// ListPending returns one page of an organization's pending invitations,
// newest first.
//
// Deprecated: the API deprecates this route. Use [Client.List] with
// Status: Statuses{StatusPending}, which returns the same invitations and
// can also sort and filter them.
//
// Clerk API: GET /organizations/{organization_id}/invitations/pending (ListPendingOrganizationInvitations).
func (c *Client) ListPending(ctx context.Context, organizationID string, params ListPendingParams, opts ...Option) (*InvitationList, error) {
	return gen.ListPendingOrganizationInvitations(ctx, c.with(opts), organizationID, params)
}

// ListPendingAll yields every pending invitation of an organization, page
// by page as [Client.ListAll] does.
//
// Deprecated: the API deprecates this route. Use [Client.ListAll] with
// Status: Statuses{StatusPending}.
//
// Clerk API: GET /organizations/{organization_id}/invitations/pending (ListPendingOrganizationInvitations), once per page.
func (c *Client) ListPendingAll(ctx context.Context, organizationID string, params ListPendingParams, opts ...Option) iter.Seq2[Invitation, error] {
	return paginate(ctx, c, opts, &gen.OpListPendingOrganizationInvitations, params.Limit, params.Offset,
		func(ctx context.Context, s *settings, limit, offset int) ([]Invitation, int64, error) {
			p := params
			p.Limit, p.Offset = limit, offset
			return pageItems(gen.ListPendingOrganizationInvitations(ctx, s, organizationID, p))
		}, func(inv *Invitation) string { return inv.ID })
}
