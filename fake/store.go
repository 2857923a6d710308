package fake

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/metadata"
)

// store is the fake's state and its implementation of the seven operations,
// through the strict server interface that oapi-codegen generates from
// api/openapi.yaml: the request and response types are the contract's own.
type store struct {
	gen.UnimplementedStrictServer // 501 for an operation not served yet

	mu            sync.Mutex
	now           func() time.Time
	roles         map[string]string // role key -> display name
	onlyDeclared  bool              // unknown organizations are 404, not created
	orgs          map[string]*gen.OrganizationInvitationPublicOrganizationData
	invitations   []*record            // every invitation, in creation order
	members       map[string]bool      // addressKey(org, email) of every member
	byAddress     map[string][]*record // addressKey(org, email) -> its invitations
	byID          map[string]*record
	notifications []Notification
	hooks         *webhooks // WithWebhook's deliveries, or nil
}

// record is one stored invitation. seq numbers invitations in creation
// order, to order those created in the same millisecond.
type record struct {
	inv gen.OrganizationInvitation
	seq int
}

var _ gen.StrictServerInterface = (*store)(nil)

func newStore() *store {
	return &store{
		now:       time.Now,
		roles:     map[string]string{"org:admin": "Admin", "org:member": "Member"},
		orgs:      map[string]*gen.OrganizationInvitationPublicOrganizationData{},
		byID:      map[string]*record{},
		members:   map[string]bool{},
		byAddress: map[string][]*record{},
	}
}

// org finds an organization, creating it on first use unless only declared
// organizations exist. The caller holds s.mu.
func (s *store) org(id string) (*gen.OrganizationInvitationPublicOrganizationData, bool) {
	if o, ok := s.orgs[id]; ok {
		return o, true
	}
	if s.onlyDeclared {
		return nil, false
	}
	o := &gen.OrganizationInvitationPublicOrganizationData{
		ID:   id,
		Name: "Organization " + id,
		Slug: strings.ReplaceAll(strings.ToLower(id), "_", "-"),
	}
	s.orgs[id] = o
	return o, true
}

// refresh marks a pending invitation whose time has passed as expired. The
// caller holds s.mu.
func (s *store) refresh(r *record) {
	if r.inv.Status == gen.OrganizationInvitationStatusPending &&
		r.inv.ExpiresAt != nil && *r.inv.ExpiresAt <= s.now().UnixMilli() {
		r.inv.Status = gen.OrganizationInvitationStatusExpired
	}
}

// build validates one invitation and, if it is valid, builds it without
// storing it. field prefixes parameter names ("[2]."). Whether the address
// may be invited (refuse) is checked apart. The caller holds s.mu.
func (s *store) build(ctx context.Context, orgID string, in gen.NewOrganizationInvitation, index int) (*record, *gen.ClerkErrors) {
	field := ""
	if index >= 0 {
		field = fmt.Sprintf("[%d].", index)
	}
	roleName, errs := s.check(ctx, &in, index, field)
	if errs != nil {
		return nil, errs
	}

	// Requests carry metadata as maps; responses as the JSON object,
	// {} when none was given.
	public, err := metadata.Encode(orEmpty(in.PublicMetadata))
	if err != nil {
		return nil, clerkError(client.CodeParamValueInvalid, "is invalid", field+"public_metadata must be an object.", field+"public_metadata")
	}
	private, err := metadata.Encode(orEmpty(in.PrivateMetadata))
	if err != nil {
		return nil, clerkError(client.CodeParamValueInvalid, "is invalid", field+"private_metadata must be an object.", field+"private_metadata")
	}

	now := s.now().UnixMilli()
	days := 30
	if in.ExpiresInDays != 0 {
		days = in.ExpiresInDays
	}
	expires := now + int64(days)*24*int64(time.Hour/time.Millisecond)
	link := "https://accounts.fake.invalid/v1/tickets/accept?ticket=" + randomID(32)
	r := &record{inv: gen.OrganizationInvitation{
		Object:          gen.OrganizationInvitationObjectOrganizationInvitation,
		ID:              "orginv_" + randomID(27),
		EmailAddress:    in.EmailAddress,
		Role:            in.Role,
		RoleName:        roleName,
		OrganizationID:  orgID,
		Status:          gen.OrganizationInvitationStatusPending,
		PublicMetadata:  public,
		PrivateMetadata: private,
		URL:             &link,
		ExpiresAt:       &expires,
		CreatedAt:       now,
		UpdatedAt:       now,
	}}
	if in.InviterUserID != "" {
		inviter := in.InviterUserID
		r.inv.InviterID = &inviter
		r.inv.PublicInviterData = &gen.OrganizationInvitationPublicUserData{
			UserID:     inviter,
			ImageURL:   "https://img.fake.invalid/default-avatar.png",
			Identifier: inviter,
		}
	}
	return r, nil
}

// check validates one invitation (the bulk item index, or -1) as Clerk
// does, naming its fields after the prefix field, and returns the name of
// its role. The caller holds s.mu.
func (s *store) check(ctx context.Context, in *gen.NewOrganizationInvitation, index int, field string) (string, *gen.ClerkErrors) {
	// The spec's rules were checked (specRefusal); these are Clerk's own.
	switch {
	case strings.TrimSpace(in.EmailAddress) == "":
		return "", clerkError(client.CodeParamMissing, "is missing", field+"email_address must be given.", field+"email_address")
	case client.CheckEmailAddress(in.EmailAddress) != nil:
		return "", clerkError(client.CodeParamFormatInvalid, "is invalid", field+"email_address must be a valid email address.", field+"email_address")
	case in.ExpiresInDays == 0 && bodyGiven(ctx, index, "expires_in_days"): // gen reads 0 as unset
		return "", clerkError(client.CodeParamValueInvalid, "is invalid", field+"expires_in_days must be between 1 and 365, got 0.", field+"expires_in_days")
	}
	roleName, ok := s.roles[in.Role]
	if !ok {
		// Clerk looks the role up like any resource: a 404 naming it.
		e := clerkError(client.CodeNotFound, "not found", "There is no role "+in.Role+" in this instance.", field+"role")
		e.Errors[0].Meta["name"] = in.Role
		return "", e
	}
	return roleName, nil
}

// refusal is why an address cannot be invited to an organization, as the
// API's 400 codes say it, or "" when it can.
func (s *store) refusal(orgID, email string) string {
	key := addressKey(orgID, email)
	if s.members[key] {
		return codeAlreadyMember
	}
	for _, r := range s.byAddress[key] {
		s.refresh(r)
		if r.inv.Status == gen.OrganizationInvitationStatusPending {
			return codeNotUnique
		}
	}
	return ""
}

// The codes of the API's refusals to invite (see client.IsAlreadyInvited).
const (
	codeNotUnique     = client.CodeInvitationNotUnique
	codeDuplicate     = client.CodeDuplicateRecord
	codeAlreadyMember = client.CodeAlreadyMember
)

// addressKey is the key of s.members and s.byAddress: addresses compare in
// any case.
func addressKey(orgID, email string) string { return orgID + "\x00" + client.NormalEmail(email) }

// add stores built invitations and records the emails Clerk would send;
// from is the request that created them. The caller holds s.mu.
func (s *store) add(from origin, orgID string, recs []*record, inputs []gen.NewOrganizationInvitation) {
	for i, r := range recs {
		r.seq = len(s.invitations)
		s.invitations = append(s.invitations, r)
		s.byID[r.inv.ID] = r
		key := addressKey(orgID, r.inv.EmailAddress)
		s.byAddress[key] = append(s.byAddress[key], r)
		s.hooks.created(r.inv, from)
		if n := inputs[i].Notify; n == nil || *n {
			s.notifications = append(s.notifications, Notification{
				OrganizationID: orgID, InvitationID: r.inv.ID, EmailAddress: r.inv.EmailAddress,
			})
		}
	}
}

// CreateOrganizationInvitation serves POST /organizations/{organization_id}/invitations.
func (s *store) CreateOrganizationInvitation(ctx context.Context, req gen.CreateOrganizationInvitationRequestObject) (gen.CreateOrganizationInvitationResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.org(req.OrganizationID); !ok {
		return gen.CreateOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	if req.Body == nil {
		req.Body = &gen.NewOrganizationInvitation{}
	}
	if errs := specRefusal(ctx, gen.ValidateCreateOrganizationInvitation(req.OrganizationID, *req.Body)); errs != nil {
		return gen.CreateOrganizationInvitation422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
	}
	r, errs := s.build(ctx, req.OrganizationID, *req.Body, -1)
	if notFound(errs) {
		return gen.CreateOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*errs)}, nil
	}
	if errs != nil {
		return gen.CreateOrganizationInvitation422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
	}
	switch s.refusal(req.OrganizationID, req.Body.EmailAddress) {
	case codeNotUnique:
		return gen.CreateOrganizationInvitation400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(*clerkError(codeNotUnique, "duplicate invitation",
			req.Body.EmailAddress+" already has a pending invitation to this organization.", "email_address"))}, nil
	case codeAlreadyMember:
		return gen.CreateOrganizationInvitation400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(*clerkError(codeAlreadyMember, "already a member",
			req.Body.EmailAddress+" is already a member of this organization.", "email_address"))}, nil
	}
	s.add(originFrom(ctx), req.OrganizationID, []*record{r}, []gen.NewOrganizationInvitation{*req.Body})
	return gen.CreateOrganizationInvitation200JSONResponse{InvitationJSONResponse: gen.InvitationJSONResponse(r.inv)}, nil
}

// CreateOrganizationInvitationBulk serves POST /organizations/{organization_id}/invitations/bulk: all or nothing.
func (s *store) CreateOrganizationInvitationBulk(ctx context.Context, req gen.CreateOrganizationInvitationBulkRequestObject) (gen.CreateOrganizationInvitationBulkResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.org(req.OrganizationID); !ok {
		return gen.CreateOrganizationInvitationBulk404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	var items []gen.NewOrganizationInvitation
	if req.Body != nil {
		items = *req.Body
	}
	if len(items) == 0 || len(items) > 10 {
		return gen.CreateOrganizationInvitationBulk422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(
			*clerkError(client.CodeParamValueInvalid, "is invalid", fmt.Sprintf("A bulk request holds 1 to 10 invitations, not %d.", len(items)), "body"))}, nil
	}
	if errs := specRefusal(ctx, gen.ValidateCreateOrganizationInvitationBulk(req.OrganizationID, items)); errs != nil {
		return gen.CreateOrganizationInvitationBulk422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
	}
	// All or nothing: every item is checked before any is created.
	recs := make([]*record, 0, len(items))
	seen := map[string]bool{}
	for i, in := range items {
		addr := client.NormalEmail(in.EmailAddress)
		if seen[addr] {
			return gen.CreateOrganizationInvitationBulk422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(
				*clerkError(client.CodeDuplicateRecord, "duplicate", in.EmailAddress+" appears twice in this request.", fmt.Sprintf("[%d].email_address", i)))}, nil
		}
		seen[addr] = true
		r, errs := s.build(ctx, req.OrganizationID, in, i)
		if notFound(errs) {
			return gen.CreateOrganizationInvitationBulk404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*errs)}, nil
		}
		if errs != nil {
			return gen.CreateOrganizationInvitationBulk422JSONResponse{UnprocessableEntityJSONResponse: gen.UnprocessableEntityJSONResponse(*errs)}, nil
		}
		recs = append(recs, r)
	}
	// Addresses that cannot be invited refuse the whole request, naming
	// every such address in meta.email_addresses: first the members, then
	// the ones already invited.
	for _, code := range []string{codeAlreadyMember, codeNotUnique} {
		var refused []any
		for _, in := range items {
			if s.refusal(req.OrganizationID, in.EmailAddress) == code {
				refused = append(refused, in.EmailAddress)
			}
		}
		if len(refused) == 0 {
			continue
		}
		e := clerkError(codeDuplicate, "duplicate invitations", fmt.Sprintf("%d of these addresses already have pending invitations to this organization.", len(refused)), "")
		if code == codeAlreadyMember {
			e = clerkError(codeAlreadyMember, "already members", fmt.Sprintf("%d of these addresses already belong to members of this organization.", len(refused)), "")
		}
		e.Errors[0].Meta = map[string]any{"email_addresses": refused}
		return gen.CreateOrganizationInvitationBulk400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(*e)}, nil
	}
	s.add(originFrom(ctx), req.OrganizationID, recs, items)
	page := gen.OrganizationInvitations{Data: make([]gen.OrganizationInvitation, len(recs)), TotalCount: int64(len(recs))}
	for i, r := range recs {
		page.Data[i] = r.inv
	}
	return gen.CreateOrganizationInvitationBulk200JSONResponse{InvitationPageJSONResponse: gen.InvitationPageJSONResponse(page)}, nil
}

// GetOrganizationInvitation serves GET /organizations/{organization_id}/invitations/{invitation_id}.
func (s *store) GetOrganizationInvitation(_ context.Context, req gen.GetOrganizationInvitationRequestObject) (gen.GetOrganizationInvitationResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.find(req.OrganizationID, req.InvitationID)
	if r == nil {
		return gen.GetOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*invitationNotFound(req.InvitationID))}, nil
	}
	return gen.GetOrganizationInvitation200JSONResponse{InvitationJSONResponse: gen.InvitationJSONResponse(r.inv)}, nil
}

// RevokeOrganizationInvitation serves POST /organizations/{organization_id}/invitations/{invitation_id}/revoke: pending only.
func (s *store) RevokeOrganizationInvitation(ctx context.Context, req gen.RevokeOrganizationInvitationRequestObject) (gen.RevokeOrganizationInvitationResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Body == nil {
		req.Body = &gen.RevokeOrganizationInvitationRequest{}
	}
	if errs := specRefusal(ctx, gen.ValidateRevokeOrganizationInvitation(req.OrganizationID, req.InvitationID, *req.Body)); errs != nil {
		return gen.RevokeOrganizationInvitation400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(*errs)}, nil
	}
	r := s.find(req.OrganizationID, req.InvitationID)
	if r == nil {
		return gen.RevokeOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*invitationNotFound(req.InvitationID))}, nil
	}
	if r.inv.Status != gen.OrganizationInvitationStatusPending {
		return gen.RevokeOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(
			*clerkError(client.CodeNotPending, "not pending",
				"Only pending invitations can be revoked; this one is "+string(r.inv.Status)+".", "invitation_id"))}, nil
	}
	r.inv.Status = gen.OrganizationInvitationStatusRevoked
	r.inv.UpdatedAt = s.now().UnixMilli()
	s.hooks.revoked(r.inv, originFrom(ctx))
	return gen.RevokeOrganizationInvitation200JSONResponse{InvitationJSONResponse: gen.InvitationJSONResponse(r.inv)}, nil
}

// find returns the invitation with this id in this organization, or nil.
// The caller holds s.mu.
func (s *store) find(orgID, id string) *record {
	r, ok := s.byID[id]
	if !ok || r.inv.OrganizationID != orgID {
		return nil
	}
	s.refresh(r)
	return r
}

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
	limit, offset := cmp.Or(q.limit, 10), q.offset
	switch {
	case limit < 1 || limit > 500 || (q.limit == 0 && queryGiven(ctx, "limit")):
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", "limit must be between 1 and 500.", "limit")
	case offset < 0:
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", "offset must not be negative.", "offset")
	case slices.ContainsFunc(q.status, func(st gen.OrganizationInvitationStatus) bool { return !st.Valid() }):
		return nil, 0, clerkError(client.CodeParamValueInvalid, "is invalid", "status must be one of pending, accepted, revoked, expired.", "status")
	}
	less, errs := ordering(q.order, queryGiven(ctx, "order_by"))
	if errs != nil {
		return nil, 0, errs
	}

	var match []*record
	for _, r := range s.invitations {
		s.refresh(r)
		switch {
		case q.org != "" && r.inv.OrganizationID != q.org:
		case len(q.status) > 0 && !slices.Contains(q.status, r.inv.Status):
		case q.email != "" && !strings.EqualFold(r.inv.EmailAddress, q.email):
		case q.contains != "" && !strings.Contains(strings.ToLower(r.inv.EmailAddress), strings.ToLower(q.contains)):
		default:
			match = append(match, r)
		}
	}
	slices.SortFunc(match, less) // a total order: seq breaks every tie
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

// clerkError is a Clerk error body with one error.
func clerkError(code, message, long, param string) *gen.ClerkErrors {
	e := gen.ClerkError{Code: code, Message: message, LongMessage: long}
	if param != "" {
		e.Meta = map[string]any{"param_name": param}
	}
	return &gen.ClerkErrors{Errors: []gen.ClerkError{e}, ClerkTraceID: randomID(32)}
}

// notFound reports whether build's errors are a 404 (an unknown role)
// rather than a 422.
func notFound(errs *gen.ClerkErrors) bool {
	return errs != nil && errs.Errors[0].Code == client.CodeNotFound
}

func orgNotFound(id string) *gen.ClerkErrors {
	return clerkError(client.CodeNotFound, "not found", "No organization was found with id "+id+".", "organization_id")
}

func invitationNotFound(id string) *gen.ClerkErrors {
	return clerkError(client.CodeNotFound, "not found", "No organization invitation was found with id "+id+".", "invitation_id")
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// randomID returns n random characters from [0-9A-Za-z].
func randomID(n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
