package fake

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// The three list operations. Each page filters the invitations that may
// match (an organization's alone when the query names one, one address's
// when it names both), and the matches of the last queries are kept while
// no invitation changes, so that the pages of one walk of a list of a
// million cost what they hold, not a million each.

// ListOrganizationInvitations serves GET /organizations/{organization_id}/invitations.
func (s *store) ListOrganizationInvitations(ctx context.Context, req gen.ListOrganizationInvitationsRequestObject) (gen.ListOrganizationInvitationsResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.org(req.OrganizationID); !ok {
		return gen.ListOrganizationInvitations404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	q := query{org: req.OrganizationID, status: p.Status, email: p.EmailAddress, order: p.OrderBy, limit: p.Limit, offset: p.Offset}
	recs, total, errs := s.list(ctx, q)
	if errs != nil {
		return gen.ListOrganizationInvitations422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
	}
	return gen.ListOrganizationInvitations200JSONResponse{InvitationPageJSONResponse: gen.InvitationPageJSONResponse(page(recs, total))}, nil
}

// ListPendingOrganizationInvitations serves GET /organizations/{organization_id}/invitations/pending.
func (s *store) ListPendingOrganizationInvitations(ctx context.Context, req gen.ListPendingOrganizationInvitationsRequestObject) (gen.ListPendingOrganizationInvitationsResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.org(req.OrganizationID); !ok {
		return gen.ListPendingOrganizationInvitations404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	recs, total, errs := s.list(ctx, query{org: req.OrganizationID, status: gen.Status{gen.OrganizationInvitationStatusPending}, limit: p.Limit, offset: p.Offset})
	if errs != nil {
		return gen.ListPendingOrganizationInvitations400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(*errs)}, nil
	}
	return gen.ListPendingOrganizationInvitations200JSONResponse{InvitationPageJSONResponse: gen.InvitationPageJSONResponse(page(recs, total))}, nil
}

// ListInstanceOrganizationInvitations serves GET /organization_invitations, with each organization's public data.
func (s *store) ListInstanceOrganizationInvitations(ctx context.Context, req gen.ListInstanceOrganizationInvitationsRequestObject) (gen.ListInstanceOrganizationInvitationsResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	recs, total, errs := s.list(ctx, query{status: p.Status, contains: p.Query, order: p.OrderBy, limit: p.Limit, offset: p.Offset})
	if errs != nil {
		return gen.ListInstanceOrganizationInvitations422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
	}
	out := gen.OrganizationInvitationsWithPublicOrganizationData{
		Data:       make([]gen.OrganizationInvitationWithPublicOrganizationData, len(recs)),
		TotalCount: total,
	}
	for i, r := range recs {
		org := *s.orgs[r.inv.OrganizationID]
		out.Data[i] = withOrganization(r.inv, &org)
	}
	return gen.ListInstanceOrganizationInvitations200JSONResponse(out), nil
}

// query is what the three list operations filter, sort and page by. Zero
// values filter nothing and mean the API's defaults.
type query struct {
	org           string     // every organization
	status        gen.Status // any of these; none filters nothing
	email         string     // exact address, any case
	contains      string     // part of the address, any case
	order         gen.Order
	limit, offset int
}

// list returns one page of the matching invitations and the count of all
// matches. The caller holds s.mu.
func (s *store) list(ctx context.Context, q query) ([]*record, int64, *gen.ClerkErrors) {
	// The three operations share the spec's bounds of limit.
	const minLimit, maxLimit = gen.ListOrganizationInvitationsLimitMin, gen.ListOrganizationInvitationsLimitMax
	limit, offset := cmp.Or(q.limit, 10), q.offset
	switch {
	case limit < minLimit || limit > maxLimit || (q.limit == 0 && queryGiven(ctx, "limit")):
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", fmt.Sprintf("limit must be between %d and %d.", minLimit, maxLimit), "limit")
	case offset < 0:
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", "offset must not be negative.", "offset")
	case slices.ContainsFunc(q.status, func(st gen.OrganizationInvitationStatus) bool { return !st.Valid() }):
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", "status must be one of pending, accepted, revoked, expired.", "status")
	}
	less, errs := ordering(q.order, queryGiven(ctx, "order_by"))
	if errs != nil {
		return nil, 0, errs
	}

	match := s.matching(q, less)
	total := int64(len(match))
	if offset >= len(match) {
		return nil, total, nil
	}
	match = match[offset:]
	return match[:min(limit, len(match))], total, nil
}

// ordering turns order_by into a comparison. Ties go by creation order, in
// the same direction: newest first means the last created first. An empty
// order_by that was given ("order_by=") names no field: it is refused.
func ordering(order gen.Order, given bool) (func(a, b *record) int, *gen.ClerkErrors) {
	spec := string(cmp.Or(order, gen.OrderNewestFirst))
	if given && order == "" {
		spec = ""
	}
	desc := strings.HasPrefix(spec, "-")
	field := spec
	if desc || strings.HasPrefix(spec, "+") {
		field = spec[1:] // one sign at most; no sign sorts ascending
	}
	var key func(a, b *record) int
	switch field {
	case "created_at":
		key = func(a, b *record) int {
			return cmp.Or(cmp.Compare(a.inv.CreatedAt, b.inv.CreatedAt), cmp.Compare(a.seq, b.seq))
		}
	case "email_address":
		key = func(a, b *record) int {
			return cmp.Or(cmp.Compare(a.inv.EmailAddress, b.inv.EmailAddress), cmp.Compare(a.seq, b.seq))
		}
	default:
		return nil, clerkError(client.CodeParamValueInvalid, "is invalid", "order_by must be created_at or email_address, with an optional + or -.", "order_by")
	}
	if desc {
		return func(a, b *record) int { return key(b, a) }, nil
	}
	return key, nil
}

func page(recs []*record, total int64) gen.OrganizationInvitations {
	out := gen.OrganizationInvitations{Data: make([]gen.OrganizationInvitation, len(recs)), TotalCount: total}
	for i, r := range recs {
		out.Data[i] = r.inv
	}
	return out
}

// withOrganization is an invitation as the instance-wide list shows it.
func withOrganization(inv gen.OrganizationInvitation, org *gen.OrganizationInvitationPublicOrganizationData) gen.OrganizationInvitationWithPublicOrganizationData {
	return gen.OrganizationInvitationWithPublicOrganizationData{
		Object:                 gen.OrganizationInvitationWithPublicOrganizationDataObject(inv.Object),
		ID:                     inv.ID,
		EmailAddress:           inv.EmailAddress,
		Role:                   inv.Role,
		RoleName:               inv.RoleName,
		OrganizationID:         inv.OrganizationID,
		InviterID:              inv.InviterID,
		PublicInviterData:      inv.PublicInviterData,
		Status:                 inv.Status,
		PublicMetadata:         inv.PublicMetadata,
		PrivateMetadata:        inv.PrivateMetadata,
		URL:                    inv.URL,
		ExpiresAt:              inv.ExpiresAt,
		CreatedAt:              inv.CreatedAt,
		UpdatedAt:              inv.UpdatedAt,
		PublicOrganizationData: org,
	}
}

// matching is every invitation that matches q, in the order less says:
// from the list cache when no invitation has changed since it was made
// and none it considered has expired since. The caller holds s.mu.
func (s *store) matching(q query, less func(a, b *record) int) []*record {
	key, now := q.key(), s.now().UnixMilli()
	s.lists.sync(s.version)
	if c, ok := s.lists.entries[key]; ok && (c.until == 0 || now < c.until) {
		return c.match
	}
	var match []*record
	var until int64 // the first expiry of a pending invitation considered
	candidates := s.candidates(q)
	for _, r := range candidates {
		s.refresh(r)
		if r.inv.Status == gen.OrganizationInvitationStatusPending && r.inv.ExpiresAt != nil && (until == 0 || *r.inv.ExpiresAt < until) {
			until = *r.inv.ExpiresAt
		}
		if q.matches(r) {
			match = append(match, r)
		}
	}
	slices.SortFunc(match, less) // a total order: seq breaks every tie
	if len(candidates) >= minCached {
		s.lists.sync(s.version) // refresh may have expired some
		s.lists.put(key, cachedList{match: match, until: until})
	}
	return match
}

// candidates are the invitations that may match q, in creation order.
func (s *store) candidates(q query) []*record {
	switch {
	case q.org != "" && q.email != "" && ascii(q.email):
		return s.index.at(s.invitations, q.org, q.email) // EqualFold of ASCII is ToLower's equality
	case q.org != "":
		return s.byOrg[q.org]
	}
	return s.invitations
}

// matches reports whether r matches q's filters.
func (q *query) matches(r *record) bool {
	switch {
	case q.org != "" && r.inv.OrganizationID != q.org:
	case len(q.status) > 0 && !slices.Contains(q.status, r.inv.Status):
	case q.email != "" && !strings.EqualFold(r.inv.EmailAddress, q.email):
	case q.contains != "" && !strings.Contains(strings.ToLower(r.inv.EmailAddress), strings.ToLower(q.contains)):
	default:
		return true
	}
	return false
}

// key is q without its page, as the list cache keys it.
func (q *query) key() string {
	var b strings.Builder
	for _, f := range []string{q.org, q.email, q.contains, string(q.order)} {
		b.WriteString(f)
		b.WriteByte(0)
	}
	for _, st := range q.status {
		b.WriteString(string(st))
		b.WriteByte(',')
	}
	return b.String()
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// minCached is how many candidates a query must consider for its matches
// to be kept: fewer are cheaper to filter again.
const minCached = 64

// listCache holds the matches of the last queries, for as long as no
// invitation changes (version).
type listCache struct {
	version uint64
	entries map[string]cachedList
}

// cachedList is the matches of one query, valid until the time until (in
// Unix milliseconds; 0 for ever) when a pending invitation it considered
// expires.
type cachedList struct {
	match []*record
	until int64
}

// maxCached is how many queries the list cache holds at most.
const maxCached = 16

// sync empties the cache if the invitations changed since it was filled.
func (c *listCache) sync(version uint64) {
	if c.version != version {
		clear(c.entries)
		c.version = version
	}
}

func (c *listCache) put(key string, l cachedList) {
	if c.entries == nil || len(c.entries) >= maxCached {
		c.entries = map[string]cachedList{}
	}
	c.entries[key] = l
}
