package fake

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
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
	index         index                // the invitations by id and by address
	byOrg         map[string][]*record // organization -> its invitations, in creation order
	version       uint64               // counts the changes to invitations, for lists (see list.go)
	lists         listCache
	notifications []Notification
	hooks         *webhooks // WithWebhook's deliveries, or nil
}

var _ gen.StrictServerInterface = (*store)(nil)

func newStore() *store {
	return &store{
		now:     time.Now,
		roles:   map[string]string{"org:admin": "Admin", "org:member": "Member"},
		orgs:    map[string]*gen.OrganizationInvitationPublicOrganizationData{},
		members: map[string]bool{},
		index:   newIndex(),
		byOrg:   map[string][]*record{},
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

// knownOrg reports whether the organization with this id is known, made
// known as org does unless its id breaks the spec's rule (badID): such an
// id names no organization, and none is made for it. The caller holds
// s.mu.
func (s *store) knownOrg(id string, badID bool) bool {
	if badID {
		return false
	}
	_, ok := s.org(id)
	return ok
}

// refresh marks a pending invitation whose time has passed as expired. The
// caller holds s.mu.
func (s *store) refresh(r *record) {
	if r.inv.Status == gen.OrganizationInvitationStatusPending &&
		r.inv.ExpiresAt != nil && *r.inv.ExpiresAt <= s.now().UnixMilli() {
		r.inv.Status = gen.OrganizationInvitationStatusExpired
		s.version++
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
	public, err := encodeMetadata(in.PublicMetadata)
	if err != nil {
		return nil, clerkError(client.CodeParamValueInvalid, "is invalid", field+"public_metadata must be an object.", field+"public_metadata")
	}
	private, err := encodeMetadata(in.PrivateMetadata)
	if err != nil {
		return nil, clerkError(client.CodeParamValueInvalid, "is invalid", field+"private_metadata must be an object.", field+"private_metadata")
	}

	now := s.now().UnixMilli()
	days := 30
	if in.ExpiresInDays != 0 {
		days = in.ExpiresInDays
	}
	expires := now + int64(days)*24*int64(time.Hour/time.Millisecond)
	r := newRecord(gen.OrganizationInvitation{
		Object:          gen.OrganizationInvitationObjectOrganizationInvitation,
		EmailAddress:    in.EmailAddress,
		Role:            in.Role,
		RoleName:        roleName,
		OrganizationID:  orgID,
		Status:          gen.OrganizationInvitationStatusPending,
		PublicMetadata:  public,
		PrivateMetadata: private,
		CreatedAt:       now,
		UpdatedAt:       now,
	}, expires)
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
	if s.members[addressKey(orgID, email)] {
		return codeAlreadyMember
	}
	code := ""
	s.index.eachAt(s.invitations, orgID, email, func(r *record) bool {
		s.refresh(r)
		if r.inv.Status == gen.OrganizationInvitationStatusPending {
			code = codeNotUnique
		}
		return code == ""
	})
	return code
}

// The codes of the API's refusals to invite (see client.IsAlreadyInvited).
const (
	codeNotUnique     = client.CodeInvitationNotUnique
	codeDuplicate     = client.CodeDuplicateRecord
	codeAlreadyMember = client.CodeAlreadyMember
)

// addressKey is the key of s.members: addresses compare in any case.
func addressKey(orgID, email string) string { return orgID + "\x00" + client.NormalEmail(email) }

// add stores built invitations and records the emails Clerk would send;
// from is the request that created them. The caller holds s.mu.
func (s *store) add(from origin, orgID string, recs []*record, inputs []gen.NewOrganizationInvitation) {
	for i, r := range recs {
		r.seq = len(s.invitations)
		s.invitations = append(s.invitations, r)
		s.index.add(r)
		s.byOrg[orgID] = append(s.byOrg[orgID], r)
		s.version++
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
	if req.Body == nil {
		req.Body = &gen.NewOrganizationInvitation{}
	}
	errs, badID := specRefusal(ctx, gen.ValidateCreateOrganizationInvitation(req.OrganizationID, *req.Body))
	if !s.knownOrg(req.OrganizationID, badID) {
		return gen.CreateOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	if errs != nil {
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
	var items []gen.NewOrganizationInvitation
	if req.Body != nil {
		items = *req.Body
	}
	errs, badID := specRefusal(ctx, gen.ValidateCreateOrganizationInvitationBulk(req.OrganizationID, items))
	if !s.knownOrg(req.OrganizationID, badID) {
		return gen.CreateOrganizationInvitationBulk404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*orgNotFound(req.OrganizationID))}, nil
	}
	if errs != nil {
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
	errs, badID := specRefusal(ctx, gen.ValidateRevokeOrganizationInvitation(req.OrganizationID, req.InvitationID, *req.Body))
	if badID {
		return gen.RevokeOrganizationInvitation404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(*invitationNotFound(req.InvitationID))}, nil
	}
	if errs != nil {
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
	s.version++
	s.hooks.revoked(r.inv, originFrom(ctx))
	return gen.RevokeOrganizationInvitation200JSONResponse{InvitationJSONResponse: gen.InvitationJSONResponse(r.inv)}, nil
}

// find returns the invitation with this id in this organization, or nil.
// The caller holds s.mu.
func (s *store) find(orgID, id string) *record {
	r := s.index.id(s.invitations, id)
	if r == nil || r.inv.OrganizationID != orgID {
		return nil
	}
	s.refresh(r)
	return r
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
