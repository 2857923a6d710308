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
	_, err := checkServer(ctx, c, []string{organizationID}, func(h pendingHit) error {
		if keep == nil || keep(h.email) {
			pending[h.email] = h.id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pending, nil
}

// ErrServerCheck is matched (errors.Is) by the error of a run that could
// not list the pending invitations before sending (see
// [Config.SkipServerCheck]): it sent nothing.
var ErrServerCheck = errors.New("bulkinvite: the pending invitations could not be listed before sending")

// ReconcileWithServer is [Reconcile] with the server asked first: when the
// plan of stored and people sends or checks anyone, the pending
// invitations of the plan's organizations that have such people are
// listed (see [ServerCheck]: by organization or in one walk of the
// instance, whichever takes fewer requests; kept to the addresses awaited)
// and go into opts.Pending, and the plan is made again, so that those who
// have one are settled with no create. Plan.ServerCheck says how the
// server was asked. It holds every person in memory, as Reconcile does:
// [DryRun] says what a run of a large list would do. An error from the
// listing matches [ErrServerCheck].
func ReconcileWithServer(ctx context.Context, c *client.Client, stored []Entry, people []Person, opts ReconcileOptions) (*Plan, error) {
	plan, err := Reconcile(stored, people, opts)
	if err != nil || len(plan.Send)+len(plan.Check) == 0 {
		return plan, err
	}
	awaiting := map[string]map[string]bool{}
	var orgs []string
	for _, list := range [][]int{plan.Send, plan.Check} {
		for _, i := range list {
			e := &plan.Entries[i]
			if awaiting[e.OrganizationID] == nil {
				awaiting[e.OrganizationID] = map[string]bool{}
				orgs = append(orgs, e.OrganizationID)
			}
			awaiting[e.OrganizationID][client.NormalEmail(e.Params.EmailAddress)] = true
		}
	}
	pending := PendingInvitations{}
	check, err := checkServer(ctx, c, orgs, func(h pendingHit) error {
		if awaiting[h.org][h.email] {
			if pending[h.org] == nil {
				pending[h.org] = map[string]string{}
			}
			pending[h.org][h.email] = h.id
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w; nothing was sent", ErrServerCheck, err)
	}
	opts.Pending = pending
	plan, err = Reconcile(stored, people, opts)
	if err == nil {
		check.Found = len(plan.Found)
		plan.ServerCheck = check
	}
	return plan, err
}
