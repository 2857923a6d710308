package client

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/paging"
)

// Auto-paging. [Client.ListAll] and [Client.ListInstanceAll] walk every
// page of a list and yield one invitation at a time:
//
//	for inv, err := range c.ListAll(ctx, "org_123", client.ListParams{Status: client.Statuses{client.StatusPending}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(inv.EmailAddress)
//	}
//
// They page with limit and offset: Limit in the parameters is the page size
// (default [MaxPageSize]) and Offset where to start. Every page after the
// first starts at the last item of the page before it, so 1,234
// invitations take 3 requests, at offsets 0, 499 and 998. The parameters
// are passed by value, so the caller's are never changed.
//
// The first page tells how many invitations match (total_count); the
// iterator then fetches the pages after it several at a time
// ([DefaultPageConcurrency], or [WithPageConcurrency]) while it yields, in
// order, the page it has. At most that many pages are in flight or waiting
// to be yielded at any moment, the one being yielded included: memory stays
// bounded by the concurrency times the page size, however long the list.
// Every request goes through the client's pipeline, so the walk keeps to
// its request limit ([WithRequestLimit]) and a 429 slows the whole walk
// down (every page waits out its Retry-After) instead of failing it.
// Options given to an iterator apply to every page of the walk; a
// [WithRequestLimit] among them is one limit for the whole walk.
//
// Iteration stops after the last page, at the first error (yielded once,
// with a zero invitation, after the invitations of the pages before it),
// or when the loop breaks. A break cancels the requests in flight and sends
// no more; the iterator returns once they have ended, so no request
// outlives the loop. Each request uses ctx, so cancelling it ends the
// iteration with the context's error.
//
// Offset paging over a list that changes while it is read is not a
// snapshot, but the walk is exact about what stays: every invitation in
// the list for the whole walk is yielded once, in the list's order, at any
// concurrency and whatever order the pages come back in, while others are
// created or leave the list (revoked, or no longer matching the filter).
// Those created or leaving meanwhile may or may not be yielded (package
// internal/paging says how the walk finds its place in a list that
// moved). With a page size of 1 pages cannot overlap and this does not
// hold.
//
// A walk never ends short in silence: a page shorter than asked for while
// its total_count counts more is followed on from its last item, and a
// walk that cannot go on exactly (the list ends before its total_count, a
// page brings nothing new, as from a server that ignores the offset, or
// the list changes faster than the walk can find its place) ends with a
// [PagingError]. So every request makes progress or the walk stops.

// DefaultPageConcurrency is how many pages the iterators have in flight or
// waiting to be yielded, unless [WithPageConcurrency] says otherwise. Eight
// pages of 500 take a list of 20,000 invitations in six round trips
// instead of forty, and stay well within Clerk's request limit.
const DefaultPageConcurrency = 8

// WithPageConcurrency sets how many pages [Client.ListAll] and
// [Client.ListInstanceAll] may have in flight or waiting to be yielded
// (default [DefaultPageConcurrency]). 1 fetches one page after another.
// Memory for a walk is about n pages of decoded invitations.
func WithPageConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("clerk: WithPageConcurrency: %d is not a number of pages (at least 1)", n)
		}
		s.pageConcurrency = n
		return nil
	}
}

// ListAll yields every invitation of an organization that matches params.
//
// Clerk API: GET /organizations/{organization_id}/invitations (ListOrganizationInvitations), once per page.
func (c *Client) ListAll(ctx context.Context, organizationID string, params ListParams, opts ...Option) iter.Seq2[Invitation, error] {
	return paginate(ctx, c, opts, &gen.OpListOrganizationInvitations, params.Limit, params.Offset,
		func(ctx context.Context, s *settings, limit, offset int) ([]Invitation, int64, error) {
			p := params // a copy per page: ranging twice, even at once, is safe
			p.Limit, p.Offset = limit, offset
			return pageItems(gen.ListOrganizationInvitations(ctx, s, organizationID, p))
		}, func(inv *Invitation) string { return inv.ID })
}

// pageItems is what a page of an organization's invitations holds, for
// paginate: its invitations and its total_count.
func pageItems(page *InvitationList, err error) ([]Invitation, int64, error) {
	if err != nil {
		return nil, 0, err
	}
	return page.Data, page.TotalCount, nil
}

// ListInstanceAll yields every invitation of the instance that matches
// params, each with its organization's public data.
//
// Clerk API: GET /organization_invitations (ListInstanceOrganizationInvitations), once per page.
func (c *Client) ListInstanceAll(ctx context.Context, params ListInstanceParams, opts ...Option) iter.Seq2[InstanceInvitation, error] {
	return paginate(ctx, c, opts, &gen.OpListInstanceOrganizationInvitations, params.Limit, params.Offset,
		func(ctx context.Context, s *settings, limit, offset int) ([]InstanceInvitation, int64, error) {
			p := params
			p.Limit, p.Offset = limit, offset
			page, err := gen.ListInstanceOrganizationInvitations(ctx, s, p)
			if err != nil {
				return nil, 0, err
			}
			return page.Data, page.TotalCount, nil
		}, func(inv *InstanceInvitation) string { return inv.ID })
}

// fetchFunc fetches the page of size limit at offset: its items and the
// total_count it reports.
type fetchFunc[T any] func(ctx context.Context, s *settings, limit, offset int) ([]T, int64, error)

// paginate walks the pages of size limit (MaxPageSize when zero) from
// offset, fetching each with fetch under the client's settings changed by
// opts, and yields the items whose id it has not yielded before.
func paginate[T any](ctx context.Context, c *Client, opts []Option, op *gen.Operation, limit, offset int, fetch fetchFunc[T], id func(*T) string) iter.Seq2[T, error] {
	if limit == 0 {
		limit = MaxPageSize
	}
	return func(yield func(T, error) bool) {
		s, err := c.s.apply(opts)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		paging.Walk(ctx, paging.Config[T]{
			Limit:       limit,
			Concurrency: s.pageConcurrency,
			Fetch: func(ctx context.Context, limit, offset int) ([]T, int64, error) {
				return fetch(ctx, s, limit, offset)
			},
			ID: id,
			Ended: func(ctx context.Context) error {
				return &RequestError{Operation: op.ID, Err: context.Cause(ctx)}
			},
			Stopped: newPagingError,
		}, offset, yield)
	}
}

// PagingError ends an iteration that could not page exactly: a page said
// more invitations were to come than the server then gave (a page shorter
// than asked for, or empty, while its total_count counted further), a page
// held only invitations yielded already (as when a server ignores the
// offset), or the list changed faster than the walk could find its place
// again. Without it such a server would keep the loop sending requests for
// ever, or end it with a short list.
type PagingError struct {
	// Offset is where the page that ended the walk started.
	Offset int
	// Items is how many invitations that page held.
	Items int
	// Expected is the total_count that page reported: how many
	// invitations the list was said to hold.
	Expected int64
	// Yielded is how many invitations the walk had yielded.
	Yielded int
	// why says which of the cases it is, in words.
	why string
}

// newPagingError is the PagingError of a walk that stopped at s.
func newPagingError(s paging.Stop) error {
	return &PagingError{Offset: s.Offset, Items: s.Items, Expected: s.Expected, Yielded: s.Yielded, why: s.Why}
}

// Error says which page ended the walk and why.
func (e *PagingError) Error() string {
	return "clerk: paging stopped at the page at offset " + strconv.Itoa(e.Offset) + " (" +
		strconv.Itoa(e.Items) + " invitations): " + e.why + "; " + strconv.Itoa(e.Yielded) +
		" invitations were yielded where total_count said " + strconv.FormatInt(e.Expected, 10)
}
