package client

import (
	"context"
	"iter"
	"strconv"
)

// Auto-paging. [Client.ListAll] and [Client.ListInstanceAll] walk every
// page of a list and yield one invitation at a time:
//
//	for inv, err := range c.ListAll(ctx, "org_123", client.ListParams{Status: client.StatusPending}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(inv.EmailAddress)
//	}
//
// They page with limit and offset: Limit in the parameters is the page size
// (default [MaxPageSize], so 1,234 invitations take 3 requests) and Offset
// where to start. The parameters are passed by value, so the caller's are
// never changed. Iteration stops after the last page, at the first error
// (yielded once, with a zero invitation), or when the loop breaks; a break
// makes no further request. A page that brings no invitation not yielded
// before ends the iteration with a [PagingError], so every request makes
// progress. Each request uses ctx, so cancelling it ends
// the iteration with the context's error.
//
// Offset paging over a list that changes while it is read is not a
// snapshot. An invitation created meanwhile shifts the newest-first order by
// one, which would repeat an item: the iterators never yield the same id
// twice. An invitation that leaves the filtered set meanwhile (one revoked
// while pending ones are listed) shifts later ones back by one, and one of
// them can be missed. Listing oldest first ([OrderOldestFirst]), new
// invitations land at the end and nothing already listed moves.

// PagingError ends an iteration whose server is not paging: a page held
// only invitations that were yielded already, as when a server ignores the
// offset and returns the same page again. Without it such a server would
// keep the loop sending requests for ever.
type PagingError struct {
	// Offset is where the page that brought nothing new started.
	Offset int
	// Items is how many invitations that page held.
	Items int
}

// Error says which page brought nothing new.
func (e *PagingError) Error() string {
	return "clerk: paging made no progress: the page at offset " + strconv.Itoa(e.Offset) +
		" held " + strconv.Itoa(e.Items) + " invitations, all yielded before; the server may be ignoring the offset"
}

// ListAll yields every invitation of an organization that matches params.
//
// Clerk API: GET /organizations/{organization_id}/invitations (ListOrganizationInvitations), once per page.
func (c *Client) ListAll(ctx context.Context, organizationID string, params ListParams, opts ...Option) iter.Seq2[Invitation, error] {
	return paginate(params.Limit, params.Offset, func(limit, offset int) ([]Invitation, int64, error) {
		p := params // a copy per page: ranging twice, even at once, is safe
		p.Limit, p.Offset = limit, offset
		page, err := c.List(ctx, organizationID, p, opts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Data, page.TotalCount, nil
	}, func(inv *Invitation) string { return inv.ID })
}

// ListInstanceAll yields every invitation of the instance that matches
// params, each with its organization's public data.
//
// Clerk API: GET /organization_invitations (ListInstanceOrganizationInvitations), once per page.
func (c *Client) ListInstanceAll(ctx context.Context, params ListInstanceParams, opts ...Option) iter.Seq2[InstanceInvitation, error] {
	return paginate(params.Limit, params.Offset, func(limit, offset int) ([]InstanceInvitation, int64, error) {
		p := params
		p.Limit, p.Offset = limit, offset
		page, err := c.ListInstance(ctx, p, opts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Data, page.TotalCount, nil
	}, func(inv *InstanceInvitation) string { return inv.ID })
}

// paginate walks pages of size limit (MaxPageSize when zero) from offset,
// fetching each with fetch, and yields the items whose id it has not
// yielded before.
func paginate[T any](limit, offset int, fetch func(limit, offset int) ([]T, int64, error), id func(*T) string) iter.Seq2[T, error] {
	if limit == 0 {
		limit = MaxPageSize
	}
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]struct{}{}
		for {
			items, total, err := fetch(limit, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			fresh := 0
			for i := range items {
				key := id(&items[i])
				if _, dup := seen[key]; dup {
					continue
				}
				seen[key] = struct{}{}
				fresh++
				if !yield(items[i], nil) {
					return
				}
			}
			if fresh == 0 && len(items) > 0 {
				yield(zero, &PagingError{Offset: offset, Items: len(items)})
				return
			}
			offset += len(items)
			if len(items) < limit || int64(offset) >= total {
				return
			}
		}
	}
}
