package bulkinvite

import (
	"errors"
	"strconv"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// ReconcileOptions are the choices of a run that decide what it does with
// the journal's entries and the people it is given.
type ReconcileOptions struct {
	// OrganizationID, if set, makes the run one of this organization (see
	// [Config.OrganizationID]); empty, the run covers the organizations
	// its people name or, with no people, those of the journal with
	// someone unsettled.
	OrganizationID string
	// RetryFailed sends the failed again (see [Config.RetryFailed]).
	RetryFailed bool
	// Only, if set, narrows the run to the person of OrganizationID with
	// this address (a resend): nobody else's entry is changed or taken up.
	Only string
	// Now stamps the entries that change.
	Now time.Time
	// Pending, if not nil, is what the server holds: the pending
	// invitations of the run's organizations (see [ListPending] and
	// [ServerCheck]). Someone the run would send or check who has one is
	// settled from it, with no request: as [StateAlreadyInvited] when no
	// request of the journal may have created it, as [StateCreated] when
	// one may have (an entry left sent or to be checked, or queued again
	// after a request with no clear outcome: [Entry.MaybeCreated]). Either
	// way the invitation's id is recorded and nobody is sent again. A
	// resend's entry waiting for its revoke is left as it is: its pending
	// invitation is the one to revoke. Nil means the server was not asked.
	Pending PendingInvitations
}

// PendingInvitations are pending invitations on the server: the id of
// each, by organization and then by [client.NormalEmail] of its address.
type PendingInvitations map[string]map[string]string

// lookup is the id of the pending invitation of an address (in the
// NormalEmail form) to an organization, if there is one.
func (p PendingInvitations) lookup(organizationID, normalEmail string) (string, bool) {
	id, ok := p[organizationID][normalEmail]
	return id, ok
}

// pendingLookup finds the pending invitation of a person, as
// PendingInvitations.lookup does; nil when the server was not asked.
type pendingLookup func(organizationID, normalEmail string) (string, bool)

// Plan is what a run does at its start, decided by [Reconcile] from the
// journal and the people given. Send, Check, Revoke and Settled index
// Entries; together they name every entry once.
type Plan struct {
	// Entries is every person of the run: the journal's entries of the
	// run's organizations first, in their order and as the run takes them
	// up, then the people new to it.
	Entries []Entry
	// Organizations are the organizations the run covers, in the order
	// of their first entry in Entries.
	Organizations []string
	// Changed indexes the entries that differ from the journal's (or that
	// it lacks): the run writes them before it sends anything.
	Changed []int
	// Send indexes the people to send, in order.
	Send []int
	// Check indexes the people whose earlier request had no clear
	// outcome, to be looked up before anything is sent for them again.
	Check []int
	// Revoke indexes the resends whose old invitation is to be revoked.
	Revoke []int
	// Settled indexes the people in a final state, left as they are.
	Settled []int
	// New indexes the people the journal did not hold (all of them in
	// Send, but for those in Found).
	New []int
	// Unlisted indexes the journal's unsettled entries that the people
	// given do not name (all of them when none are given): a run takes
	// them up all the same.
	Unlisted []int
	// Found indexes the people settled from the server's pending
	// invitations ([ReconcileOptions.Pending]), all of them in Settled and
	// Changed: nothing is sent for them.
	Found []int
	// ServerCheck, when [ReconcileWithServer] asked the server, says how,
	// and what it cost.
	ServerCheck *ServerCheck
}

// Counts tallies the plan's people by state.
func (p *Plan) Counts() Counts {
	c := Counts{}
	for i := range p.Entries {
		c[p.Entries[i].State]++
	}
	return c
}

// CountByOrganization tallies the plan's people by organization and
// state, in the order of Organizations.
func (p *Plan) CountByOrganization() []OrganizationCounts {
	out := make([]OrganizationCounts, len(p.Organizations))
	at := make(map[string]int, len(p.Organizations))
	for i, org := range p.Organizations {
		out[i] = OrganizationCounts{OrganizationID: org, Counts: Counts{}}
		at[org] = i
	}
	for i := range p.Entries {
		out[at[p.Entries[i].OrganizationID]].Counts[p.Entries[i].State]++
	}
	return out
}

// Reconcile decides what a run does from the journal's entries (stored)
// and the people it is given, without sending or writing anything: [Run],
// [Resend] and a dry run decide with the same rules, person by person.
//
// Every person given is checked first: an invalid one, one without an
// organization or of another organization than opts.OrganizationID, or
// one address given twice for one organization, is a
// *[client.ValidationError] naming the index. The run covers the
// organizations opts.OrganizationID and the people say (see
// [Config.OrganizationID]); the journal's entries of other organizations
// are left out of the plan. Then: someone the journal holds keeps their
// entry (and their params), except a failed person under RetryFailed, who
// is queued again with the params given now; an entry left "sent" by a
// run that stopped mid-request is to be checked; people new to the
// journal are queued. Last, those to be sent or checked who have a
// pending invitation on the server (opts.Pending) are settled from it.
func Reconcile(stored []Entry, people []Person, opts ReconcileOptions) (*Plan, error) {
	admitted, err := admitAll(people, opts.OrganizationID)
	if err != nil {
		return nil, err
	}
	given := make(map[string]int, len(admitted))
	for i := range admitted {
		given[admitted[i].Key()] = i
	}
	cover := reconcileCoverage(opts, admitted, stored)
	p := &Plan{}
	orgs := map[string]bool{}
	add := func(e Entry, changed, found bool) int {
		i := len(p.Entries)
		p.Entries = append(p.Entries, e)
		if changed {
			p.Changed = append(p.Changed, i)
		}
		if found {
			p.Found = append(p.Found, i)
		}
		if !orgs[e.OrganizationID] {
			orgs[e.OrganizationID] = true
			p.Organizations = append(p.Organizations, e.OrganizationID)
		}
		return i
	}
	known := make(map[string]bool, len(stored))
	for _, e := range stored {
		if !cover(e) {
			continue
		}
		key := e.Key()
		known[key] = true
		var params *client.CreateParams
		if j, ok := given[key]; ok {
			params = &admitted[j].Params
		}
		next, changed := takeUp(e, params, opts)
		next, found := fromServer(next, opts.Now, opts.Pending.lookupFunc())
		i := add(next, changed || found, found)
		if params == nil && !next.State.Final() {
			p.Unlisted = append(p.Unlisted, i)
		}
	}
	for _, e := range admitted {
		if known[e.Key()] || !cover(e) {
			continue
		}
		e.UpdatedAt = opts.Now
		e, found := fromServer(e, opts.Now, opts.Pending.lookupFunc())
		p.New = append(p.New, add(e, true, found))
	}
	p.sort()
	return p, nil
}

// lookupFunc is p's lookup, or nil when p is (the server not asked).
func (p PendingInvitations) lookupFunc() pendingLookup {
	if p == nil {
		return nil
	}
	return p.lookup
}

// admitAll checks every person (see intake) and returns the entries a run
// starts them with.
func admitAll(people []Person, organizationID string) ([]Entry, error) {
	in := newIntake(organizationID, true)
	out := make([]Entry, 0, len(people))
	for _, p := range people {
		e, err := in.admit(p)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// reconcileCoverage is the rule of [coverage] as Reconcile applies it:
// whether an entry is of the run, given the people admitted and the
// journal's entries (stored). A resume's organizations with someone
// unsettled are those with an entry not settled once taken up: not final,
// or failed under RetryFailed, as a run and DryRun judge.
func reconcileCoverage(opts ReconcileOptions, admitted, stored []Entry) func(Entry) bool {
	orgs := map[string]bool{}
	for _, e := range admitted {
		orgs[e.OrganizationID] = true
	}
	var named func(string) bool
	if len(admitted) > 0 {
		named = func(org string) bool { return orgs[org] }
	}
	c := newCoverage(opts, named, false)
	if !c.unsettledOnly() {
		return c.organization
	}
	for _, e := range stored {
		if !e.State.Final() || (e.State == StateFailed && opts.RetryFailed) {
			orgs[e.OrganizationID] = true
		}
	}
	return func(e Entry) bool { return orgs[e.OrganizationID] }
}

// sort files every entry under what the run does with it.
func (p *Plan) sort() {
	for i := range p.Entries {
		switch p.Entries[i].State {
		case StateQueued:
			p.Send = append(p.Send, i)
		case StateCheck:
			p.Check = append(p.Check, i)
		case StateRevoking:
			p.Revoke = append(p.Revoke, i)
		default:
			p.Settled = append(p.Settled, i)
		}
	}
}

// takeUp is a stored entry as a run starting at opts.Now takes it up, and
// whether that differs from the journal's. params are the person's params
// as given now, if they are.
func takeUp(e Entry, params *client.CreateParams, opts ReconcileOptions) (Entry, bool) {
	switch {
	case e.State == StateSent:
		e.State, e.MaybeCreated, e.UpdatedAt = StateCheck, true, opts.Now
		e.Reason = "the run stopped while a request for this person was in flight"
		return e, true
	case e.State == StateFailed && opts.RetryFailed:
		if params != nil {
			e.Params = *params
		}
		e.State, e.Attempts, e.UpdatedAt = StateQueued, 0, opts.Now
		e.Reason = "sent again after failing: " + e.Reason
		return e, true
	}
	return e, false
}

// awaited reports whether a person in state s is one the server's pending
// invitations can settle: someone to send or to check.
func awaited(s State) bool { return s == StateQueued || s == StateCheck }

// fromServer is e settled from the server's pending invitations, if it is
// to be sent or checked and the server has one for its address.
func fromServer(e Entry, now time.Time, pending pendingLookup) (Entry, bool) {
	if pending == nil || !awaited(e.State) {
		return e, false
	}
	id, ok := pending(e.OrganizationID, client.NormalEmail(e.Params.EmailAddress))
	if !ok {
		return e, false
	}
	e.InvitationID, e.UpdatedAt = id, now
	if e.MaybeCreated || e.State == StateCheck {
		e.State, e.Reason = StateCreated, "found pending on the server after a request with no clear outcome"
	} else {
		e.State, e.Reason = StateAlreadyInvited, "found pending on the server before sending"
	}
	return e, true
}

// indexed renames a validation error's field after the person's index.
func indexed(err error, i int) error {
	var v *client.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	return &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "]." + v.Field, Reason: v.Reason}
}
