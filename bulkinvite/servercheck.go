package bulkinvite

import (
	"context"
	"fmt"
	"sync"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/paging"
)

// CheckStrategy is how a run asks the server for the pending invitations
// of its organizations (see [ServerCheck]).
type CheckStrategy string

// The two strategies.
const (
	// CheckByOrganization lists each organization's pending invitations:
	// GET /organizations/{organization_id}/invitations?status=pending,
	// one request per 500 invitations, and at least one per organization.
	CheckByOrganization CheckStrategy = "organizations"
	// CheckInstance walks the pending invitations of the whole instance
	// once: GET /organization_invitations?status=pending, one request per
	// 500 invitations (499 after the first page), whatever the number of
	// organizations.
	CheckInstance CheckStrategy = "instance"
)

// ServerCheck is how a run, or a dry run, asked the server for the
// pending invitations of its organizations before sending, and what that
// cost.
//
// A run of one organization lists that organization's pending
// invitations. A run of several first asks for the first page of the
// instance's pending invitations, whose total_count says how many pages
// the walk of the whole instance takes; it then takes the strategy that
// needs fewer requests: the rest of that walk (the first page counts as
// its first request), or one list per organization (at least one request
// each). Every request comes from the client's general request limit
// ([client.WithRequestLimit]), none from the create limits.
type ServerCheck struct {
	// Strategy is how the server was asked.
	Strategy CheckStrategy
	// Organizations is how many organizations the check was for.
	Organizations int
	// InstancePending is the instance's number of pending invitations, as
	// the first page of its walk said; -1 when it was not asked (a run of
	// one organization).
	InstancePending int64
	// Requests is how many list requests the check took, counted from
	// the invitations each list held (see [paging.Requests]): a list that
	// changes while it is walked may take a few more.
	Requests int
	// Found is how many of the run's people had a pending invitation.
	Found int
}

// chooseCheck decides how to ask the server about organizations
// organizations, given the instance's number of pending invitations
// (instancePending, or -1 when unknown), and returns the requests that
// takes: exactly, for CheckInstance; at least, for CheckByOrganization,
// which costs one request per organization and more for one with over 500
// pending. The first page of the instance's walk, which tells
// instancePending, counts as a request of either strategy. A pure
// function: [ServerCheck] says the rule.
func chooseCheck(organizations int, instancePending int64) (CheckStrategy, int) {
	switch {
	case organizations <= 0:
		return CheckByOrganization, 0
	case organizations == 1 || instancePending < 0:
		return CheckByOrganization, organizations
	}
	walk := paging.Requests(instancePending, client.MaxPageSize)
	lists := 1 + organizations // the first page, then one list each at least
	if walk <= lists {
		return CheckInstance, walk
	}
	return CheckByOrganization, lists
}

// pendingHit is one pending invitation of the server, as a check reports
// it: its organization, its address in the client.NormalEmail form, and
// its id.
type pendingHit struct{ org, email, id string }

// checkServer lists the pending invitations of orgs, by the strategy that
// costs fewer requests (see [ServerCheck]), and calls each with every one
// of them, from the calling goroutine. With CheckInstance, each also gets
// invitations of other organizations, and may get one twice (after the
// list moved under the walk). It returns at each's first error.
func checkServer(ctx context.Context, c *client.Client, orgs []string, each func(pendingHit) error) (*ServerCheck, error) {
	sc := &ServerCheck{Strategy: CheckByOrganization, Organizations: len(orgs), InstancePending: -1}
	if len(orgs) == 0 {
		return sc, nil
	}
	if len(orgs) == 1 {
		return sc, listOrganizations(ctx, c, orgs, sc, each)
	}
	first, err := c.ListInstance(ctx, pendingInstance(0))
	if err != nil {
		return nil, fmt.Errorf("listing the instance's pending invitations: %w", err)
	}
	sc.Requests, sc.InstancePending = 1, first.TotalCount
	if sc.Strategy, _ = chooseCheck(len(orgs), first.TotalCount); sc.Strategy == CheckByOrganization {
		return sc, listOrganizations(ctx, c, orgs, sc, each)
	}
	return sc, walkInstance(ctx, c, first, sc, each)
}

// pendingInstance is the query of the instance's pending invitations,
// from offset, oldest first: created invitations then join the end of the
// list and leave the pages before it where they were.
func pendingInstance(offset int) client.ListInstanceParams {
	return client.ListInstanceParams{Status: client.Statuses{client.StatusPending}, Limit: client.MaxPageSize,
		OrderBy: client.OrderOldestFirst, Offset: offset}
}

// walkInstance walks the instance's pending invitations on from the first
// page. The walk after it starts at its last item, as a walk's pages do
// (see [client.Client.ListInstanceAll]); if that item is no longer there,
// the list moved in between, and the walk starts again from the top, so
// that every invitation pending throughout is reported.
func walkInstance(ctx context.Context, c *client.Client, first *client.InstanceInvitationList, sc *ServerCheck, each func(pendingHit) error) error {
	for _, inv := range first.Data {
		if err := each(pendingHit{inv.OrganizationID, client.NormalEmail(inv.EmailAddress), inv.ID}); err != nil {
			return err
		}
	}
	if n := len(first.Data); n == 0 || int64(n) >= first.TotalCount {
		return nil
	}
	joined, err := walkFrom(ctx, c, len(first.Data)-1, first.Data[len(first.Data)-1].ID, sc, each)
	if err != nil || joined {
		return err
	}
	_, err = walkFrom(ctx, c, 0, "", sc, each)
	return err
}

// walkFrom walks the instance's pending invitations from offset. If join
// is set, the first one must be it, or the walk stops and reports false.
func walkFrom(ctx context.Context, c *client.Client, offset int, join string, sc *ServerCheck, each func(pendingHit) error) (bool, error) {
	n := 0
	defer func() { sc.Requests += paging.Requests(int64(n), client.MaxPageSize) }()
	for inv, err := range c.ListInstanceAll(ctx, pendingInstance(offset)) {
		if err != nil {
			return false, fmt.Errorf("listing the instance's pending invitations: %w", err)
		}
		if n++; n == 1 && join != "" && inv.ID != join {
			return false, nil
		}
		if err := each(pendingHit{inv.OrganizationID, client.NormalEmail(inv.EmailAddress), inv.ID}); err != nil {
			return false, err
		}
	}
	return true, nil
}

// listConcurrency is how many organizations' lists a check walks at once.
const listConcurrency = 4

// listOrganizations lists the pending invitations of each organization,
// listConcurrency at a time, and hands them to each on this goroutine.
func listOrganizations(ctx context.Context, c *client.Client, orgs []string, sc *ServerCheck, each func(pendingHit) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan string)
	hits := make(chan pendingHit, client.MaxPageSize)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range min(listConcurrency, len(orgs)) {
		wg.Go(func() {
			for org := range todo {
				n, err := listOrganization(ctx, c, org, hits)
				mu.Lock()
				sc.Requests += paging.Requests(int64(n), client.MaxPageSize)
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	go func() {
		defer close(hits)
		defer wg.Wait()
		defer close(todo)
		for _, org := range orgs {
			select {
			case todo <- org:
			case <-ctx.Done():
				return
			}
		}
	}()
	var eachErr error
	for h := range hits {
		if eachErr == nil {
			if eachErr = each(h); eachErr != nil {
				cancel()
			}
		}
	}
	if eachErr != nil {
		return eachErr
	}
	if firstErr == nil {
		// Nothing failed, but the caller's context ended: the organizations
		// not handed out yet were never listed.
		firstErr = ctx.Err()
	}
	return firstErr
}

// listOrganization sends the pending invitations of org to hits, and
// returns how many there were.
func listOrganization(ctx context.Context, c *client.Client, org string, hits chan<- pendingHit) (int, error) {
	n := 0
	params := client.ListParams{Status: client.Statuses{client.StatusPending}, Limit: client.MaxPageSize, OrderBy: client.OrderOldestFirst}
	for inv, err := range c.ListAll(ctx, org, params) {
		if err != nil {
			return n, fmt.Errorf("listing the pending invitations of %s: %w", org, err)
		}
		n++
		select {
		case hits <- pendingHit{org, client.NormalEmail(inv.EmailAddress), inv.ID}:
		case <-ctx.Done():
			return n, ctx.Err()
		}
	}
	return n, nil
}
