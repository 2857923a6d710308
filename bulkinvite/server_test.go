package bulkinvite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// What the server's pending invitations settle: everyone to be sent or
// checked who has one, as already invited or, when a request of the
// journal may have created it, as created; never a resend waiting for its
// revoke, never someone settled already.
func TestReconcileWithThePendingOnTheServer(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	entry := func(email string, s bulkinvite.State, maybe bool) bulkinvite.Entry {
		return bulkinvite.Entry{OrganizationID: org, State: s, MaybeCreated: maybe, Attempts: 1,
			Params: client.CreateParams{EmailAddress: email, Role: "org:member"}}
	}
	file := []bulkinvite.Person{{Params: client.CreateParams{EmailAddress: "New@Example.com", Role: "org:member"}}, {Params: client.CreateParams{EmailAddress: "fresh@example.com", Role: "org:member"}}}
	for name, tc := range map[string]struct {
		stored  bulkinvite.Entry
		state   bulkinvite.State // what the entry becomes
		id      string           // the invitation it records
		found   bool
		pending bulkinvite.PendingInvitations
	}{
		"queued, never sent":      {entry("q@example.com", bulkinvite.StateQueued, false), bulkinvite.StateAlreadyInvited, "inv_q", true, nil},
		"queued after a lost one": {entry("q@example.com", bulkinvite.StateQueued, true), bulkinvite.StateCreated, "inv_q", true, nil},
		"left in flight":          {entry("q@example.com", bulkinvite.StateSent, false), bulkinvite.StateCreated, "inv_q", true, nil},
		"to be checked":           {entry("q@example.com", bulkinvite.StateCheck, true), bulkinvite.StateCreated, "inv_q", true, nil},
		"a resend to revoke":      {entry("q@example.com", bulkinvite.StateRevoking, false), bulkinvite.StateRevoking, "", false, nil},
		"created already":         {entry("q@example.com", bulkinvite.StateCreated, false), bulkinvite.StateCreated, "", false, nil},
		"failed, left failed":     {entry("q@example.com", bulkinvite.StateFailed, false), bulkinvite.StateFailed, "", false, nil},
		"not on the server":       {entry("q@example.com", bulkinvite.StateQueued, false), bulkinvite.StateQueued, "", false, bulkinvite.PendingInvitations{org: {"other@example.com": "inv_o"}}},
		"the server not asked":    {entry("q@example.com", bulkinvite.StateQueued, false), bulkinvite.StateQueued, "", false, bulkinvite.PendingInvitations(nil)},
	} {
		t.Run(name, func(t *testing.T) {
			pending := tc.pending
			if pending == nil && name != "the server not asked" {
				pending = bulkinvite.PendingInvitations{org: {"q@example.com": "inv_q", "new@example.com": "inv_new"}}
			}
			p, err := bulkinvite.Reconcile([]bulkinvite.Entry{tc.stored}, file, bulkinvite.ReconcileOptions{OrganizationID: org, Now: now, Pending: pending})
			require.NoError(t, err)
			require.Len(t, p.Entries, 3)
			e := p.Entries[0]
			assert.Equal(t, tc.state, e.State)
			assert.Equal(t, tc.id, e.InvitationID)
			assert.Equal(t, 1, e.Attempts, "nothing is sent, nothing counted")
			assert.Equal(t, tc.found, len(p.Found) > 0 && p.Found[0] == 0, "Found: %v", p.Found)
			if tc.found {
				assert.Contains(t, p.Settled, 0)
				assert.Contains(t, p.Changed, 0, "written before anything is sent")
				assert.Equal(t, now, e.UpdatedAt)
			}
			// The people new to the journal: one has a pending invitation,
			// unless the server was not asked.
			if pending != nil && pending[org]["new@example.com"] != "" {
				assert.Equal(t, bulkinvite.StateAlreadyInvited, p.Entries[1].State)
				assert.Equal(t, "inv_new", p.Entries[1].InvitationID)
				assert.Contains(t, p.Found, 1)
				assert.Equal(t, []int{1, 2}, p.New)
				assert.NotContains(t, p.Send, 1, "nobody with a pending invitation is sent")
			} else {
				assert.Equal(t, bulkinvite.StateQueued, p.Entries[1].State)
			}
			assert.Equal(t, bulkinvite.StateQueued, p.Entries[2].State)
			assert.Contains(t, p.Send, 2)
		})
	}
}

// The lost journal: 1,000 people already invited and 1,000 new, run with
// no journal. The run lists the pending invitations (three pages of 500
// that overlap by one: offsets 0, 499 and 998),
// sends no create for the first thousand and invites each of the others
// once.
func TestRunWithoutAJournalSettlesTheInvitedFromTheServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithRequestLog(10_000))
		all := people(2000)
		invited, fresh := all[:1000], all[1000:]
		for i := 0; i < len(invited); i += client.MaxBulkInvitations {
			_, err := c.BulkCreate(ctx, org, paramsOf(invited[i:i+client.MaxBulkInvitations]))
			require.NoError(t, err)
		}
		before := map[string]string{}
		for _, inv := range srv.Invitations() {
			before[client.NormalEmail(inv.EmailAddress)] = inv.ID
		}
		setup := len(srv.Requests())

		store := bulkinvite.NewMemoryStore()
		sum, err := bulkinvite.Run(ctx, config(c, store, nil), all)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assert.Equal(t, 1000, sum.FoundOnServer)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateAlreadyInvited: 1000, bulkinvite.StateCreated: 1000}, sum.Counts)

		ops := map[string]int{}
		sent := map[string]int{}
		for _, r := range srv.Requests()[setup:] {
			ops[r.Operation]++
			for _, p := range sentIn(t, r) {
				sent[client.NormalEmail(p.EmailAddress)]++
			}
		}
		t.Logf("requests: %v", ops)
		for _, p := range invited {
			assert.Zero(t, sent[client.NormalEmail(p.Params.EmailAddress)], "%s was invited already: no create", p.Params.EmailAddress)
		}
		for _, p := range fresh {
			assert.Equal(t, 1, sent[client.NormalEmail(p.Params.EmailAddress)], "%s sent once", p.Params.EmailAddress)
		}
		assert.Equal(t, 3, ops[fake.OpList], "1,000 pending invitations are three pages of 500 that overlap by one; no checks")
		assert.Zero(t, ops[fake.OpListInstance], "one organization: its own list, and no page of the instance's")
		assert.Equal(t, &bulkinvite.ServerCheck{Strategy: bulkinvite.CheckByOrganization, Organizations: 1, InstancePending: -1,
			Requests: 3, Found: 1000}, sum.ServerCheck)
		entries, err := store.Load(ctx, org)
		require.NoError(t, err)
		for _, e := range entries[:1000] {
			assert.Equal(t, before[client.NormalEmail(e.Params.EmailAddress)], e.InvitationID, "the invitation found is recorded")
		}
	})
}

// SkipServerCheck sends without listing; a run with nobody to send lists
// nothing either.
func TestSkipServerCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		cfg := config(c, bulkinvite.NewMemoryStore(), nil)
		cfg.SkipServerCheck = true
		_, err := bulkinvite.Run(ctx, cfg, people(3))
		require.NoError(t, err)
		cfg.SkipServerCheck = false
		_, err = bulkinvite.Run(ctx, cfg, people(3))
		require.NoError(t, err)
		for _, r := range srv.Requests() {
			assert.NotEqual(t, fake.OpList, r.Operation, "%s %s", r.Method, r.Path)
		}
	})
}

// sentIn is the invitations a create or bulk create request carried.
func sentIn(t *testing.T, r fake.Request) []client.CreateParams {
	t.Helper()
	var batch []client.CreateParams
	switch r.Operation {
	case fake.OpCreate:
		var one client.CreateParams
		require.NoError(t, json.Unmarshal(r.Body, &one), fmt.Sprint(r.Path))
		batch = append(batch, one)
	case fake.OpBulkCreate:
		require.NoError(t, json.Unmarshal(r.Body, &batch))
	}
	return batch
}

// paramsOf is the invitations of people.
func paramsOf(people []bulkinvite.Person) []client.CreateParams {
	out := make([]client.CreateParams, len(people))
	for i, p := range people {
		out[i] = p.Params
	}
	return out
}

// ListPending gives every pending invitation of the organization that keep
// keeps, by normal address, and nothing of another organization or not
// pending.
func TestListPending(t *testing.T) {
	srv, c := newFake(t)
	ctx := t.Context()
	var want = map[string]string{}
	for i := range 12 {
		inv, err := c.Create(ctx, "org_a", client.CreateParams{EmailAddress: fmt.Sprintf("Person%02d@example.com", i), Role: "org:member"})
		require.NoError(t, err)
		if i%3 != 0 {
			want[fmt.Sprintf("person%02d@example.com", i)] = inv.ID
		}
	}
	_, err := c.Create(ctx, "org_b", client.CreateParams{EmailAddress: "person01@example.com", Role: "org:member"})
	require.NoError(t, err)
	accepted, err := c.Create(ctx, "org_a", client.CreateParams{EmailAddress: "person20@example.com", Role: "org:member"})
	require.NoError(t, err)
	require.NoError(t, srv.Accept(accepted.ID))

	got, err := bulkinvite.ListPending(ctx, c, "org_a", func(email string) bool {
		var i int
		_, err := fmt.Sscanf(email, "person%02d@example.com", &i)
		return err == nil && i%3 != 0
	})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// On a context that has ended, ListPending returns an error, never a list
// that may be short: whether the context's end stops the one list or comes
// before it was started.
func TestListPendingOnAnEndedContext(t *testing.T) {
	_, c := newFake(t)
	_, err := c.Create(t.Context(), "org_a", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 20 { // where the context's end is seen varies: each way must fail
		got, err := bulkinvite.ListPending(ctx, c, "org_a", nil)
		require.ErrorIs(t, err, context.Canceled)
		assert.Nil(t, got)
	}
}
