package fake

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/gen"
)

// reference is what list returns, computed the slow way: every invitation
// filtered, sorted, paged.
func reference(s *store, q query) ([]string, int64) {
	less, _ := ordering(q.order, false)
	var match []*record
	for _, r := range s.invitations {
		s.refresh(r)
		if q.matches(r) {
			match = append(match, r)
		}
	}
	slices.SortFunc(match, less)
	total := int64(len(match))
	match = match[min(q.offset, len(match)):]
	return ids(match[:min(q.limit, len(match))]), total
}

func ids(recs []*record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.inv.ID
	}
	return out
}

// seed adds n invitations to the store over orgs organizations, a
// minute apart, expiring after a day or a year.
func seed(s *store, rnd *rand.Rand, n, orgs int, at *time.Time) {
	for i := range n {
		org := fmt.Sprintf("org_%d", rnd.IntN(orgs))
		s.org(org)
		days := []int{1, 365}[rnd.IntN(2)]
		in := gen.NewOrganizationInvitation{EmailAddress: fmt.Sprintf("P%d@Example.com", rnd.IntN(n)), Role: "org:member", ExpiresInDays: days}
		r, errs := s.build(context.Background(), org, in, -1)
		if errs != nil || s.refusal(org, in.EmailAddress) != "" {
			continue
		}
		s.add(origin{}, org, []*record{r}, []gen.NewOrganizationInvitation{in})
		*at = at.Add(time.Minute)
		_ = i
	}
}

// Lists by index and from the cache return what a scan of every
// invitation returns, page for page, while invitations are created,
// revoked and accepted and time lets some expire.
func TestListsMatchAScan(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 27))
	now := time.UnixMilli(1_800_000_000_000)
	s := newStore()
	s.now = func() time.Time { return now }
	srv := &Server{store: s}
	statuses := []gen.Status{nil, {gen.OrganizationInvitationStatusPending}, {gen.OrganizationInvitationStatusExpired, gen.OrganizationInvitationStatusRevoked}}
	orders := []gen.Order{"", "+created_at", "-email_address", "email_address"}
	for round := range 40 {
		seed(s, rnd, 100, 5, &now)
		for range 60 {
			q := query{status: statuses[rnd.IntN(len(statuses))], order: orders[rnd.IntN(len(orders))],
				limit: []int{1, 10, 500}[rnd.IntN(3)], offset: rnd.IntN(400)}
			switch rnd.IntN(4) {
			case 0:
				q.org = fmt.Sprintf("org_%d", rnd.IntN(6))
			case 1:
				q.org, q.email = fmt.Sprintf("org_%d", rnd.IntN(5)), fmt.Sprintf("p%d@EXAMPLE.com", rnd.IntN(100))
			case 2:
				q.contains = fmt.Sprint(rnd.IntN(20))
			}
			want, wantTotal := reference(s, q)
			got, total, errs := s.list(context.Background(), q)
			require.Nil(t, errs)
			require.Equal(t, wantTotal, total, "round %d: %+v", round, q)
			require.Equal(t, want, ids(got), "round %d: %+v", round, q)
			change(t, s, srv, rnd, &now)
		}
	}
	require.Greater(t, len(s.invitations), 1000)
	require.True(t, slices.ContainsFunc(s.invitations, func(r *record) bool {
		return r.inv.Status == gen.OrganizationInvitationStatusExpired
	}), "some expired")
	require.True(t, slices.ContainsFunc(s.invitations, func(r *record) bool {
		return r.inv.Status == gen.OrganizationInvitationStatusAccepted
	}), "some accepted")
}

// change changes the invitations between two lists, now and then, through
// the paths the API and the admin take: a revoke, an acceptance, or hours
// that let some expire.
func change(t *testing.T, s *store, srv *Server, rnd *rand.Rand, now *time.Time) {
	r := s.invitations[rnd.IntN(len(s.invitations))]
	switch rnd.IntN(8) {
	case 0:
		_, err := s.RevokeOrganizationInvitation(context.Background(), gen.RevokeOrganizationInvitationRequestObject{
			OrganizationID: r.inv.OrganizationID, InvitationID: r.inv.ID})
		require.NoError(t, err)
	case 1:
		_ = srv.Accept(r.inv.ID) // refused unless pending
	case 2:
		*now = now.Add(time.Duration(rnd.IntN(30)) * time.Hour)
	}
}
