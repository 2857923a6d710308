package bulkinvite

import (
	"context"
	"errors"
	"fmt"

	"github.com/invitekit/clerkinvitations/client"
)

// ListPending lists the organization's pending invitations, in pages of
// [client.MaxPageSize] fetched several at a time (see [client.Client.ListAll]),
// and returns the id of each by [client.NormalEmail] of its address: the
// server's side of [ReconcileOptions.Pending]. keep, if not nil, says
// which addresses (in the NormalEmail form) to keep, so that memory is
// bounded by the people of a run rather than by the organization's
// invitations.
//
// It costs one request per 500 pending invitations (one at least), from
// the client's general request limit ([client.WithRequestLimit]) and none
// from the create limits. It returns every invitation or an error, never
// a short list: every invitation pending for the whole listing is in it
// (one created, revoked or accepted meanwhile may or may not be).
//
// Clerk API: GET /organizations/{organization_id}/invitations?status=pending, once per page.
func ListPending(ctx context.Context, c *client.Client, organizationID string, keep func(normalEmail string) bool) (map[string]string, error) {
	pending := map[string]string{}
	params := client.ListParams{Status: client.Statuses{client.StatusPending}, Limit: client.MaxPageSize, OrderBy: client.OrderOldestFirst}
	for inv, err := range c.ListAll(ctx, organizationID, params) {
		if err != nil {
			return nil, fmt.Errorf("listing the pending invitations of %s: %w", organizationID, err)
		}
		key := client.NormalEmail(inv.EmailAddress)
		if keep == nil || keep(key) {
			pending[key] = inv.ID
		}
	}
	return pending, nil
}

// ErrServerCheck is matched (errors.Is) by the error of a run that could
// not list the organization's pending invitations before sending (see
// [Config.SkipServerCheck]): it sent nothing.
var ErrServerCheck = errors.New("bulkinvite: the pending invitations could not be listed before sending")

// ReconcileWithServer is [Reconcile] with the server asked first: when the
// plan of stored and people sends or checks anyone, the organization's
// pending invitations (see [ListPending], kept to the addresses awaited)
// go into opts.Pending, and the plan is made again, so that those who
// have one are settled with no create. A run (unless
// [Config.SkipServerCheck] is set, or for a resend) and a dry run that can
// reach the server both plan this way. An error from the listing matches
// [ErrServerCheck].
func ReconcileWithServer(ctx context.Context, c *client.Client, stored []Entry, people []client.CreateParams, opts ReconcileOptions) (*Plan, error) {
	plan, err := Reconcile(stored, people, opts)
	if err != nil || len(plan.Send)+len(plan.Check) == 0 {
		return plan, err
	}
	awaiting := make(map[string]bool, len(plan.Send)+len(plan.Check))
	for _, list := range [][]int{plan.Send, plan.Check} {
		for _, i := range list {
			awaiting[client.NormalEmail(plan.Entries[i].Params.EmailAddress)] = true
		}
	}
	pending, err := ListPending(ctx, c, opts.OrganizationID, func(key string) bool { return awaiting[key] })
	if err != nil {
		return nil, fmt.Errorf("%w: %w; nothing was sent", ErrServerCheck, err)
	}
	opts.Pending = pending
	return Reconcile(stored, people, opts)
}
