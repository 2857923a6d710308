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

// Which organizations a plan covers, and what it does in each: those of
// OrganizationID; else those the people name; else, with no people, those
// of the journal with someone unsettled. The same address in two
// organizations is two people, and a pending invitation settles only the
// person of its organization.
func TestReconcileAcrossOrganizations(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	entry := func(org, email string, s bulkinvite.State) bulkinvite.Entry {
		return bulkinvite.Entry{OrganizationID: org, Params: client.CreateParams{EmailAddress: email, Role: "org:member"}, State: s}
	}
	person := func(org, email string) bulkinvite.Person {
		return bulkinvite.Person{OrganizationID: org, Params: client.CreateParams{EmailAddress: email, Role: "org:member"}}
	}
	journal := []bulkinvite.Entry{
		entry("org_a", "ada@example.com", bulkinvite.StateCreated),
		entry("org_b", "ada@example.com", bulkinvite.StateSent),
		entry("org_c", "cy@example.com", bulkinvite.StateCreated),
		entry("org_a", "al@example.com", bulkinvite.StateQueued),
		entry("org_b", "bo@example.com", bulkinvite.StateFailed),
		entry("org_e", "eve@example.com", bulkinvite.StateFailed),
	}
	file := []bulkinvite.Person{person("org_d", "ada@example.com"), person("org_a", "ada@example.com"), person("", "dee@example.com")}
	for name, tc := range map[string]struct {
		people  []bulkinvite.Person
		opts    bulkinvite.ReconcileOptions
		orgs    []string
		entries []string // organization/address: state
		send    []int
	}{
		"the organizations the people name": {file[:2], bulkinvite.ReconcileOptions{}, []string{"org_a", "org_d"},
			[]string{"org_a/ada@example.com: created", "org_a/al@example.com: queued", "org_d/ada@example.com: queued"}, []int{1, 2}},
		"a resume: those with someone unsettled": {nil, bulkinvite.ReconcileOptions{}, []string{"org_a", "org_b"},
			[]string{"org_a/ada@example.com: created", "org_b/ada@example.com: needs_check", "org_a/al@example.com: queued", "org_b/bo@example.com: failed"}, []int{2}},
		"a resume under RetryFailed: also those whose unsettled are all failed": {nil, bulkinvite.ReconcileOptions{RetryFailed: true}, []string{"org_a", "org_b", "org_e"},
			[]string{"org_a/ada@example.com: created", "org_b/ada@example.com: needs_check", "org_a/al@example.com: queued", "org_b/bo@example.com: queued", "org_e/eve@example.com: queued"}, []int{2, 3, 4}},
		"the run's organization": {file[2:], bulkinvite.ReconcileOptions{OrganizationID: "org_d"}, []string{"org_d"},
			[]string{"org_d/dee@example.com: queued"}, []int{0}},
		"the run's organization, resumed": {nil, bulkinvite.ReconcileOptions{OrganizationID: "org_b", RetryFailed: true}, []string{"org_b"},
			[]string{"org_b/ada@example.com: needs_check", "org_b/bo@example.com: queued"}, []int{1}},
		"pending on the server, in one organization": {file[:2], bulkinvite.ReconcileOptions{Pending: bulkinvite.PendingInvitations{
			"org_d": {"ada@example.com": "inv_d"}, "org_c": {"al@example.com": "inv_c"}}}, []string{"org_a", "org_d"},
			[]string{"org_a/ada@example.com: created", "org_a/al@example.com: queued", "org_d/ada@example.com: already_invited"}, []int{1}},
	} {
		t.Run(name, func(t *testing.T) {
			tc.opts.Now = now
			p, err := bulkinvite.Reconcile(journal, tc.people, tc.opts)
			require.NoError(t, err)
			var got []string
			for _, e := range p.Entries {
				got = append(got, e.OrganizationID+"/"+e.Params.EmailAddress+": "+string(e.State))
			}
			assert.Equal(t, tc.entries, got)
			assert.Equal(t, tc.orgs, p.Organizations)
			assert.Equal(t, tc.send, p.Send)
			for _, oc := range p.CountByOrganization() {
				assert.Positive(t, oc.Counts.Total(), oc.OrganizationID)
			}
		})
	}
}
