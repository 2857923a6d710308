package bulkinvite_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

func TestReconcile(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	person := func(email, role string) client.CreateParams {
		return client.CreateParams{EmailAddress: email, Role: role}
	}
	entry := func(email string, s bulkinvite.State) bulkinvite.Entry {
		return bulkinvite.Entry{OrganizationID: org, Params: person(email, "org:member"), State: s, Reason: "why", Attempts: 2}
	}
	journal := []bulkinvite.Entry{
		entry("a@example.com", bulkinvite.StateCreated),  // 0
		entry("b@example.com", bulkinvite.StateFailed),   // 1
		entry("c@example.com", bulkinvite.StateSent),     // 2
		entry("d@example.com", bulkinvite.StateCheck),    // 3
		entry("e@example.com", bulkinvite.StateRevoking), // 4
		entry("f@example.com", bulkinvite.StateQueued),   // 5
	}
	file := []bulkinvite.Person{
		{Params: person("A@example.com", "org:admin")}, {Params: person("b@example.com", "org:admin")},
		{Params: person("c@example.com", "org:member")}, {Params: person("new@example.com", "org:member")},
	}
	type want struct {
		changed, send, check, revoke, settled, fresh, unlisted []int
		states                                                 []bulkinvite.State
	}
	for name, tc := range map[string]struct {
		stored []bulkinvite.Entry
		people []bulkinvite.Person
		opts   bulkinvite.ReconcileOptions
		want   want
	}{
		"empty journal": {nil, file[:2], bulkinvite.ReconcileOptions{}, want{
			changed: []int{0, 1}, send: []int{0, 1}, fresh: []int{0, 1},
			states: []bulkinvite.State{bulkinvite.StateQueued, bulkinvite.StateQueued}}},
		"resume from the journal alone": {journal, nil, bulkinvite.ReconcileOptions{}, want{
			changed: []int{2}, send: []int{5}, check: []int{2, 3}, revoke: []int{4}, settled: []int{0, 1}, unlisted: []int{2, 3, 4, 5},
			states: []bulkinvite.State{bulkinvite.StateCreated, bulkinvite.StateFailed, bulkinvite.StateCheck,
				bulkinvite.StateCheck, bulkinvite.StateRevoking, bulkinvite.StateQueued}}},
		"the journal and a file": {journal, file, bulkinvite.ReconcileOptions{}, want{
			changed: []int{2, 6}, send: []int{5, 6}, check: []int{2, 3}, revoke: []int{4}, settled: []int{0, 1},
			fresh: []int{6}, unlisted: []int{3, 4, 5},
			states: []bulkinvite.State{bulkinvite.StateCreated, bulkinvite.StateFailed, bulkinvite.StateCheck,
				bulkinvite.StateCheck, bulkinvite.StateRevoking, bulkinvite.StateQueued, bulkinvite.StateQueued}}},
		"retry the failed": {journal, file, bulkinvite.ReconcileOptions{RetryFailed: true}, want{
			changed: []int{1, 2, 6}, send: []int{1, 5, 6}, check: []int{2, 3}, revoke: []int{4}, settled: []int{0},
			fresh: []int{6}, unlisted: []int{3, 4, 5},
			states: []bulkinvite.State{bulkinvite.StateCreated, bulkinvite.StateQueued, bulkinvite.StateCheck,
				bulkinvite.StateCheck, bulkinvite.StateRevoking, bulkinvite.StateQueued, bulkinvite.StateQueued}}},
		"a resend narrows the run, whatever RetryFailed says": {journal, nil,
			bulkinvite.ReconcileOptions{RetryFailed: true, Only: " E@Example.com"}, want{
				revoke: []int{0}, unlisted: []int{0}, states: []bulkinvite.State{bulkinvite.StateRevoking}}},
		"a narrowed run of someone new": {journal, file, bulkinvite.ReconcileOptions{Only: "new@example.com"}, want{
			changed: []int{0}, send: []int{0}, fresh: []int{0}, states: []bulkinvite.State{bulkinvite.StateQueued}}},
	} {
		t.Run(name, func(t *testing.T) {
			tc.opts.OrganizationID, tc.opts.Now = org, now
			stored := append([]bulkinvite.Entry(nil), tc.stored...)
			p, err := bulkinvite.Reconcile(stored, tc.people, tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.stored, stored, "the stored entries are not modified")
			var states []bulkinvite.State
			for _, e := range p.Entries {
				states = append(states, e.State)
			}
			got := want{p.Changed, p.Send, p.Check, p.Revoke, p.Settled, p.New, p.Unlisted, states}
			assert.Equal(t, tc.want, got)
			for _, i := range p.Changed {
				assert.Equal(t, now, p.Entries[i].UpdatedAt, "changed entries are stamped")
			}
		})
	}
}

// What the journal holds is kept (params, attempts), except for the failed
// under RetryFailed, who go again with their params as given now.
func TestReconcileKeepsOrRenewsParams(t *testing.T) {
	stored := []bulkinvite.Entry{
		{OrganizationID: org, Params: client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"}, State: bulkinvite.StateCreated, Attempts: 1},
		{OrganizationID: org, Params: client.CreateParams{EmailAddress: "b@example.com", Role: "org:boss"}, State: bulkinvite.StateFailed, Attempts: 3, Reason: "no role"},
		{OrganizationID: org, Params: client.CreateParams{EmailAddress: "c@example.com", Role: "org:member"}, State: bulkinvite.StateSent, Attempts: 1},
	}
	file := []bulkinvite.Person{
		{Params: client.CreateParams{EmailAddress: "a@example.com", Role: "org:admin"}},
		{Params: client.CreateParams{EmailAddress: "B@example.com", Role: "org:admin"}},
	}
	p, err := bulkinvite.Reconcile(stored, file, bulkinvite.ReconcileOptions{OrganizationID: org, RetryFailed: true})
	require.NoError(t, err)
	assert.Equal(t, "org:member", p.Entries[0].Params.Role, "a settled person keeps the journal's params")
	assert.Equal(t, "org:admin", p.Entries[1].Params.Role, "a failed person retried takes the params given now")
	assert.Zero(t, p.Entries[1].Attempts)
	assert.Equal(t, "sent again after failing: no role", p.Entries[1].Reason)
	assert.True(t, p.Entries[2].MaybeCreated, "a request in flight may have created the invitation")
	assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 1, bulkinvite.StateQueued: 1, bulkinvite.StateCheck: 1}, p.Counts())
}

// Bad people fail the whole reconciliation, naming the index.
func TestReconcileRefusesBadPeople(t *testing.T) {
	for name, tc := range map[string]struct {
		people []bulkinvite.Person
		field  string
	}{
		"no address": {[]bulkinvite.Person{{Params: client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"}}, {Params: client.CreateParams{Role: "org:member"}}}, "[1].email_address"},
		"twice":      {[]bulkinvite.Person{{Params: client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"}}, {Params: client.CreateParams{EmailAddress: "A@example.com ", Role: "org:member"}}}, "[1].email_address"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := bulkinvite.Reconcile(nil, tc.people, bulkinvite.ReconcileOptions{OrganizationID: org})
			var v *client.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tc.field, v.Field)
		})
	}
}
