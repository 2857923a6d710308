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
	// OrganizationID is the run's organization.
	OrganizationID string
	// RetryFailed sends the failed again (see [Config.RetryFailed]).
	RetryFailed bool
	// Only, if set, narrows the run to the person with this address (a
	// resend): nobody else's entry is changed or taken up.
	Only string
	// Now stamps the entries that change.
	Now time.Time
	// Pending, if not nil, is what the server holds: the organization's
	// pending invitations, the id of each by [client.NormalEmail] of its
	// address (see [ListPending]). Someone the run would send or check who
	// has one is settled from it, with no request: as
	// [StateAlreadyInvited] when no request of the journal may have
	// created it, as [StateCreated] when one may have (an entry left sent
	// or to be checked, or queued again after a request with no clear
	// outcome: [Entry.MaybeCreated]). Either way the invitation's id is
	// recorded and nobody is sent again. A resend's entry waiting for its
	// revoke is left as it is: its pending invitation is the one to
	// revoke. Nil means the server was not asked.
	Pending map[string]string
}

// Plan is what a run does at its start, decided by [Reconcile] from the
// journal and the people given. Send, Check, Revoke and Settled index
// Entries; together they name every entry once.
type Plan struct {
	// Entries is every person of the run: the journal's entries first, in
	// their order and as the run takes them up, then the people new to it.
	Entries []Entry
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
}

// Counts tallies the plan's people by state.
func (p *Plan) Counts() Counts {
	c := Counts{}
	for i := range p.Entries {
		c[p.Entries[i].State]++
	}
	return c
}

// Reconcile decides what a run does from the journal's entries of the
// organization (stored) and the people it is given, without sending or
// writing anything: [Run], [Resend] and a dry run share it.
//
// Every person given is checked first: an invalid one, or one address
// given twice, is a *[client.ValidationError] naming the index. Then:
// someone the journal holds keeps their entry (and their params), except
// a failed person under RetryFailed, who is queued again with the params
// given now; an entry left "sent" by a run that stopped mid-request is
// to be checked; people new to the journal are queued. Last, those to be
// sent or checked who have a pending invitation on the server
// (opts.Pending) are settled from it.
func Reconcile(stored []Entry, people []client.CreateParams, opts ReconcileOptions) (*Plan, error) {
	org := opts.OrganizationID
	given, err := checkPeople(org, people)
	if err != nil {
		return nil, err
	}
	only := ""
	if opts.Only != "" {
		only = entryKey(org, opts.Only)
	}
	p := &Plan{}
	known := make(map[string]bool, len(stored))
	for _, e := range stored {
		key := e.Key()
		known[key] = true
		if only != "" && key != only {
			continue
		}
		var params *client.CreateParams
		if q, ok := given[key]; ok {
			params = &q
		}
		i := len(p.Entries)
		next, changed := takeUp(e, params, opts)
		if found, ok := fromServer(next, opts); ok {
			next, changed = found, true
			p.Found = append(p.Found, i)
		}
		if changed {
			e = next
			p.Changed = append(p.Changed, i)
		}
		p.Entries = append(p.Entries, e)
		if params == nil && !e.State.Final() {
			p.Unlisted = append(p.Unlisted, i)
		}
	}
	for _, params := range people {
		e := Entry{OrganizationID: org, Params: params, State: StateQueued, UpdatedAt: opts.Now}
		if known[e.Key()] || (only != "" && e.Key() != only) {
			continue
		}
		i := len(p.Entries)
		if found, ok := fromServer(e, opts); ok {
			e = found
			p.Found = append(p.Found, i)
		}
		p.Entries = append(p.Entries, e)
		p.Changed = append(p.Changed, i)
		p.New = append(p.New, i)
	}
	p.sort()
	return p, nil
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

// fromServer is e settled from the server's pending invitations, if it is
// to be sent or checked and the server has one for its address.
func fromServer(e Entry, opts ReconcileOptions) (Entry, bool) {
	if e.State != StateQueued && e.State != StateCheck {
		return e, false
	}
	id, ok := opts.Pending[client.NormalEmail(e.Params.EmailAddress)]
	if !ok {
		return e, false
	}
	e.InvitationID, e.UpdatedAt = id, opts.Now
	if e.MaybeCreated || e.State == StateCheck {
		e.State, e.Reason = StateCreated, "found pending on the server after a request with no clear outcome"
	} else {
		e.State, e.Reason = StateAlreadyInvited, "found pending on the server before sending"
	}
	return e, true
}

// checkPeople checks every person and that no address is given twice, and
// returns the people by key.
func checkPeople(org string, people []client.CreateParams) (map[string]client.CreateParams, error) {
	given := make(map[string]client.CreateParams, len(people))
	seen := make(map[string]int, len(people))
	for i, p := range people {
		if err := client.ValidateCreate(org, p); err != nil {
			return nil, indexed(err, i)
		}
		key := entryKey(org, p.EmailAddress)
		if j, dup := seen[key]; dup {
			return nil, &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "].email_address",
				Reason: strconv.Quote(p.EmailAddress) + " is also person [" + strconv.Itoa(j) + "]"}
		}
		seen[key] = i
		given[key] = p
	}
	return given, nil
}

// indexed renames a validation error's field after the person's index.
func indexed(err error, i int) error {
	var v *client.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	return &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "]." + v.Field, Reason: v.Reason}
}
