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
// a short list. An invitation revoked or accepted while the list is read
// can shift another one out of sight; a run is none the worse for that,
// as Clerk refuses to invite that person again and the run records them
// as already invited.
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

// reconcileWithServer is the run's plan once the server has been asked:
// when the plan sends or checks anyone and the run may ask (not a resend,
// not turned off with Config.SkipServerCheck), the organization's pending
// invitations settle those who have one; otherwise the plan as it is.
func (r *runner) reconcileWithServer(ctx context.Context, stored []Entry, people []client.CreateParams, opts ReconcileOptions, plan *Plan) (*Plan, error) {
	if r.cfg.SkipServerCheck || opts.Only != "" || len(plan.Send)+len(plan.Check) == 0 {
		return plan, nil
	}
	awaiting := make(map[string]bool, len(plan.Send)+len(plan.Check))
	for _, list := range [][]int{plan.Send, plan.Check} {
		for _, i := range list {
			awaiting[client.NormalEmail(plan.Entries[i].Params.EmailAddress)] = true
		}
	}
	pending, err := ListPending(ctx, r.cfg.Client, r.cfg.OrganizationID, func(key string) bool { return awaiting[key] })
	if err != nil {
		return nil, fmt.Errorf("%w: %w; nothing was sent", ErrServerCheck, err)
	}
	opts.Pending = pending
	plan, err = Reconcile(stored, people, opts)
	if err != nil {
		return nil, err
	}
	r.found = len(plan.Found)
	r.log.Info("bulkinvite: settled from the server's pending invitations", "organization", r.cfg.OrganizationID,
		"found", len(plan.Found), "awaiting", len(awaiting))
	return plan, nil
}
