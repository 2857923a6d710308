package fake

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/gen"
)

// invite creates an invitation in s as a create request does, without
// its checks, and returns it.
func invite(t *testing.T, s *store, org, email string) *record {
	t.Helper()
	s.org(org)
	in := gen.NewOrganizationInvitation{EmailAddress: email, Role: "org:member"}
	r, errs := s.build(context.Background(), org, in, -1)
	require.Nil(t, errs)
	s.add(origin{}, org, []*record{r}, []gen.NewOrganizationInvitation{in})
	return r
}

// The index finds each invitation by its id and by its address (any case)
// in its organization, the same when every key has one hash as with
// maphash: keys that share a hash are told apart.
func TestIndexTellsKeysWithOneHashApart(t *testing.T) {
	for name, idx := range map[string]index{"maphash": newIndex(), "every key one hash": newIndexHashing(func(string) uint64 { return 7 })} {
		t.Run(name, func(t *testing.T) {
			s, now := newStore(), time.UnixMilli(1_800_000_000_000)
			s.now, s.index = func() time.Time { return now }, idx
			adaA, lin, adaB := invite(t, s, "org_a", "ada@example.com"), invite(t, s, "org_a", "lin@example.com"), invite(t, s, "org_b", "Ada@Example.com")
			for _, r := range []*record{adaA, lin, adaB} {
				assert.Same(t, r, s.index.id(s.invitations, r.inv.ID))
				assert.Same(t, r, s.find(r.inv.OrganizationID, r.inv.ID))
			}
			assert.Nil(t, s.index.id(s.invitations, "orginv_unknown"))
			assert.Nil(t, s.find("org_b", adaA.inv.ID), "another organization's")

			assert.Equal(t, codeNotUnique, s.refusal("org_a", " ADA@example.com"))
			assert.Equal(t, codeNotUnique, s.refusal("org_b", "ada@example.com"))
			assert.Empty(t, s.refusal("org_c", "ada@example.com"))
			assert.Empty(t, s.refusal("org_a", "grace@example.com"))

			adaA.inv.Status = gen.OrganizationInvitationStatusRevoked
			assert.Empty(t, s.refusal("org_a", "ada@example.com"), "revoked: invited again")
			again := invite(t, s, "org_a", "ada@example.com")
			assert.Equal(t, []*record{adaA, again}, s.index.at(s.invitations, "org_a", "ADA@example.com"), "in creation order")
			assert.Equal(t, []*record{adaB}, s.index.at(s.invitations, "org_b", "ada@example.com"))
			page, total, errs := s.list(context.Background(), query{org: "org_a", email: "ada@example.com"})
			require.Nil(t, errs)
			assert.Equal(t, int64(2), total)
			assert.Equal(t, []*record{again, adaA}, page, "newest first")
		})
	}
}

// An invitation the fake creates is four objects on the heap (the
// record, its address, its id and link, and its role), indexes included,
// where it was ten: a fake holding a million has fewer for the garbage
// collector to mark in each cycle. Counted, not timed.
func TestAnInvitationIsFewObjects(t *testing.T) {
	s, now := newStore(), time.UnixMilli(1_800_000_000_000)
	s.now = func() time.Time { return now }
	const n = 20_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		add(s, i, 0)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perInvitation := float64(after.HeapObjects-before.HeapObjects) / n
	assert.LessOrEqual(t, perInvitation, 4.5, "heap objects per invitation")
	runtime.KeepAlive(s)
}

// A restored invitation holds its link and expiry in its record, as a
// created one does, and Expire keeps it so: no object of its own for
// either.
func TestARestoredInvitationHoldsItsLinkAndExpiry(t *testing.T) {
	srv := NewServer()
	t.Cleanup(srv.Close)
	for i := range 3 {
		add(srv.store, i, 0)
	}
	saved, err := srv.Snapshot()
	require.NoError(t, err)
	require.NoError(t, srv.Restore(saved))
	for _, r := range srv.store.invitations {
		require.NotNil(t, r.inv.URL)
		assert.Same(t, &r.link, r.inv.URL, "the link lives in the record")
		assert.Same(t, &r.expires, r.inv.ExpiresAt, "the expiry lives in the record")
	}
	first := srv.store.invitations[0]
	require.NoError(t, srv.Expire(first.inv.ID))
	assert.Same(t, &first.expires, first.inv.ExpiresAt, "Expire sets the record's expiry")
	again, err := srv.Snapshot()
	require.NoError(t, err)
	assert.NotEqual(t, string(saved), string(again), "the expiry changed")
}
