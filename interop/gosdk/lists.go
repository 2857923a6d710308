package main

import (
	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/organizationinvitation"
)

// listCase is one call of a list method: its params and the page it must
// return.
type listCase struct {
	name string
	list organizationinvitation.ListParams
	want listWant
}

func statuses(s ...string) *[]string { return &s }

func reversed(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

// lists runs List with each filter the SDK has. ids are a, b, c, d in
// creation order; b is revoked, the others pending.
func (s *suite) lists(ids []string) {
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	newest := reversed(ids)
	cases := []listCase{
		{"list", organizationinvitation.ListParams{}, listWant{4, newest}},
		{"list Statuses=[pending]", organizationinvitation.ListParams{Statuses: statuses("pending")}, listWant{3, []string{d, c, a}}},
		{"list Statuses=[revoked]", organizationinvitation.ListParams{Statuses: statuses("revoked")}, listWant{1, []string{b}}},
		{"list Statuses=[pending,revoked]", organizationinvitation.ListParams{Statuses: statuses("pending", "revoked")}, listWant{4, newest}},
		{"list Statuses=[revoked,accepted]", organizationinvitation.ListParams{Statuses: statuses("revoked", "accepted")}, listWant{1, []string{b}}},
		{"list Statuses=[accepted,expired]", organizationinvitation.ListParams{Statuses: statuses("accepted", "expired")}, listWant{0, []string{}}},
		{"list EmailAddress", organizationinvitation.ListParams{EmailAddress: clerk.String(s.addr("c"))}, listWant{1, []string{c}}},
		{"list OrderBy=+created_at", organizationinvitation.ListParams{OrderBy: clerk.String("+created_at")}, listWant{4, ids}},
		{"list OrderBy=created_at", organizationinvitation.ListParams{OrderBy: clerk.String("created_at")}, listWant{4, ids}},
		{"list OrderBy=email_address", organizationinvitation.ListParams{OrderBy: clerk.String("email_address")}, listWant{4, ids}},
		{"list OrderBy=-email_address", organizationinvitation.ListParams{OrderBy: clerk.String("-email_address")}, listWant{4, newest}},
		{"list Limit=2", organizationinvitation.ListParams{ListParams: page2(2, 0)}, listWant{4, newest[:2]}},
		{"list Limit=2 Offset=3", organizationinvitation.ListParams{ListParams: page2(2, 3)}, listWant{4, newest[3:]}},
		{"list Statuses=[pending,expired] Limit=2 Offset=1", organizationinvitation.ListParams{
			Statuses: statuses("pending", "expired"), ListParams: page2(2, 1)}, listWant{3, []string{c, a}}},
	}
	for _, lc := range cases {
		params := lc.list
		params.OrganizationID = s.org
		list, err := s.c.List(s.ctx, &params)
		s.listChecks(lc.name, list, err, lc.want, false)
		s.sentStatuses(lc.name, params.Statuses)
	}
}

// sentStatuses checks that several statuses went out as repeated status
// parameters, the form the wire contract gives.
func (s *suite) sentStatuses(name string, want *[]string) {
	if want != nil && len(*want) > 1 {
		s.t.equal(name+": sent as repeated status", s.sent.last()["status"], *want)
	}
}

func page2(limit, offset int64) clerk.ListParams {
	return clerk.ListParams{Limit: clerk.Int64(limit), Offset: clerk.Int64(offset)}
}

// instanceLists runs ListFromInstance with each filter the SDK has, each
// narrowed by Query to this run's addresses.
func (s *suite) instanceLists(ids []string) {
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	newest := reversed(ids)
	q := clerk.String(s.tag)
	cases := []struct {
		name string
		p    organizationinvitation.ListFromInstanceParams
		want listWant
	}{
		{"instance list Query", organizationinvitation.ListFromInstanceParams{Query: q}, listWant{4, newest}},
		{"instance list Query Statuses=[pending]", organizationinvitation.ListFromInstanceParams{Query: q, Statuses: statuses("pending")}, listWant{3, []string{d, c, a}}},
		{"instance list Query Statuses=[revoked,pending]", organizationinvitation.ListFromInstanceParams{Query: q, Statuses: statuses("revoked", "pending")}, listWant{4, newest}},
		{"instance list Query Statuses=[revoked,expired]", organizationinvitation.ListFromInstanceParams{Query: q, Statuses: statuses("revoked", "expired")}, listWant{1, []string{b}}},
		{"instance list Query OrderBy=email_address", organizationinvitation.ListFromInstanceParams{Query: q, OrderBy: clerk.String("email_address")}, listWant{4, ids}},
		{"instance list Query OrderBy=+created_at Limit=2 Offset=1", organizationinvitation.ListFromInstanceParams{
			Query: q, OrderBy: clerk.String("+created_at"), ListParams: page2(2, 1)}, listWant{4, []string{b, c}}},
		{"instance list Query=" + s.addr("d"), organizationinvitation.ListFromInstanceParams{Query: clerk.String(s.addr("d"))}, listWant{1, []string{d}}},
	}
	for _, lc := range cases {
		list, err := s.c.ListFromInstance(s.ctx, &lc.p)
		objs := s.listChecks(lc.name, list, err, lc.want, true)
		s.sentStatuses(lc.name, lc.p.Statuses)
		if lc.name == "instance list Query" && objs != nil && len(list.OrganizationInvitations) > 0 {
			pod := list.OrganizationInvitations[0].PublicOrganizationData
			s.t.check("instance list: public_organization_data names the organization", pod != nil && pod.ID == s.org,
				string(objs[0]["public_organization_data"]))
		}
	}
}

// refusals meets each refusal the SDK's methods can get, then checks that
// none of them changed anything.
func (s *suite) refusals(ids []string) {
	create := func(email, role string) error {
		_, err := s.c.Create(s.ctx, &organizationinvitation.CreateParams{
			OrganizationID: s.org, EmailAddress: clerk.String(email), Role: clerk.String(role),
		})
		return err
	}
	get := func(id string) error {
		_, err := s.c.Get(s.ctx, &organizationinvitation.GetParams{OrganizationID: s.org, ID: id})
		return err
	}
	revoke := func(id string) error {
		_, err := s.c.Revoke(s.ctx, &organizationinvitation.RevokeParams{OrganizationID: s.org, ID: id})
		return err
	}
	list := func(limit int64) error {
		_, err := s.c.List(s.ctx, &organizationinvitation.ListParams{OrganizationID: s.org, ListParams: clerk.ListParams{Limit: clerk.Int64(limit)}})
		return err
	}
	instance := func(limit int64) error {
		_, err := s.c.ListFromInstance(s.ctx, &organizationinvitation.ListFromInstanceParams{ListParams: clerk.ListParams{Limit: clerk.Int64(limit)}})
		return err
	}
	s.errorChecks("duplicate pending invitation", create(s.addr("a"), "org:member"), errorWant{400, "organization_invitation_not_unique"})
	s.errorChecks("already a member", create(s.member, "org:member"), errorWant{400, "already_a_member_in_organization"})
	s.errorChecks("get of an unknown id", get("orginv_unknown"), errorWant{404, "resource_not_found"})
	s.errorChecks("revoke of an unknown id", revoke("orginv_unknown"), errorWant{404, "resource_not_found"})
	s.errorChecks("revoke twice", revoke(ids[1]), errorWant{404, "organization_invitation_not_pending"})
	s.errorChecks("bad role", create(s.addr("y"), "org:no_such_role"), errorWant{404, "resource_not_found"})
	s.errorChecks("bad limit (501)", list(501), errorWant{422, "form_param_value_invalid"})
	s.errorChecks("bad limit (0), instance list", instance(0), errorWant{422, "form_param_value_invalid"})

	after, err := s.c.List(s.ctx, &organizationinvitation.ListParams{OrganizationID: s.org, ListParams: page2(100, 0)})
	s.listChecks("list after the refusals", after, err, listWant{4, reversed(ids)}, false)
}
