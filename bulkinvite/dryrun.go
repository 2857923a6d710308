package bulkinvite

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/invitekit/clerkinvitations/client"
)

// Forecast is what a run would do, as [DryRun] tells it.
type Forecast struct {
	// ByOrganization is what the run would do in each of its
	// organizations: those of the journal in the order of their first
	// entry, then those new to it in the order of the people.
	ByOrganization []OrganizationForecast
	// Total sums ByOrganization up (its OrganizationID is empty).
	Total OrganizationForecast
	// ServerCheck says how the server was asked, and what it cost; nil
	// when it was not (no client, [Config.SkipServerCheck], or nobody to
	// send or check).
	ServerCheck *ServerCheck
}

// OrganizationForecast is what a run would do for the people of one
// organization.
type OrganizationForecast struct {
	OrganizationID string
	// New is how many people new to the journal the run would invite.
	New int
	// Found is how many people, new or of the journal, the server's
	// pending invitations settle with no create.
	Found int
	// Unfinished is how many of the journal's people the run would send,
	// check or revoke.
	Unfinished int
	// Settled is how many of the journal's people are settled already, by
	// state.
	Settled Counts
}

// DryRun says what [RunSeq] would do with cfg and people, sending no
// invitation and writing nothing: it reads the journal (cfg.Store, which
// may be a read-only [Journal], or nil for none yet), checks every person
// as a run does (and fails as a run would, with a
// *[client.ValidationError] naming the index), and, when cfg.Client is
// set and cfg.SkipServerCheck is not, asks the server for the pending
// invitations of the run's organizations as the run would (see
// [ServerCheck]), so that Forecast.ServerCheck says how many list
// requests that takes. If the server cannot be asked, DryRun returns the
// forecast of the journal alone and an error matching [ErrServerCheck].
// Its memory follows the people, as a run's does: some 60 bytes a person,
// whatever they hold.
//
// Clerk API: GET /organization_invitations or GET
// /organizations/{organization_id}/invitations, as [ServerCheck] says.
func DryRun(ctx context.Context, cfg Config, people iter.Seq2[Person, error]) (*Forecast, error) {
	d := &dryRun{opts: ReconcileOptions{OrganizationID: cfg.OrganizationID, RetryFailed: cfg.RetryFailed,
		Now: clockOf(cfg).Now()}, at: map[string]int{}}
	if err := d.intake(people); err != nil {
		return nil, err
	}
	var named func(string) bool
	if d.named {
		named = func(org string) bool { _, ok := d.at[org]; return ok }
	}
	d.cover = newCoverage(d.opts, named, cfg.GivenOnly)
	if cfg.Store != nil {
		if err := d.scan(ctx, cfg.Store); err != nil {
			return nil, err
		}
	}
	d.fresh()
	f := &Forecast{}
	var err error
	if cfg.Client != nil && !cfg.SkipServerCheck && len(d.awaiting) > 0 {
		if f.ServerCheck, err = d.ask(ctx, cfg.Client); err != nil {
			err = fmt.Errorf("%w: %w", ErrServerCheck, err)
		}
	}
	f.Total.Settled = Counts{}
	for _, o := range d.orgs {
		if o.New+o.Found+o.Unfinished+o.Settled.Total() == 0 {
			continue // named by nobody the run covers
		}
		f.ByOrganization = append(f.ByOrganization, *o)
		f.Total.New, f.Total.Found, f.Total.Unfinished = f.Total.New+o.New, f.Total.Found+o.Found, f.Total.Unfinished+o.Unfinished
		for s, n := range o.Settled {
			f.Total.Settled[s] += n
		}
	}
	return f, err
}

// dryRun is a DryRun under way.
type dryRun struct {
	opts     ReconcileOptions
	in       *intake
	orgOf    []int32  // each person's organization, by index
	named    bool     // people were given
	cover    coverage // which entries are of the run
	orgs     []*OrganizationForecast
	at       map[string]int
	awaiting []dryAwait
}

// dryAwait is a person the server's pending invitations can settle.
type dryAwait struct {
	h     uint64
	org   int32
	fresh bool // new to the journal
	found bool
}

func (d *dryRun) org(id string) int32 {
	i, ok := d.at[id]
	if !ok {
		i = len(d.orgs)
		d.at[id] = i
		d.orgs = append(d.orgs, &OrganizationForecast{OrganizationID: id, Settled: Counts{}})
	}
	return int32(i)
}

// intake checks every person, as a run does, and keeps their keyHash and
// organization.
func (d *dryRun) intake(people iter.Seq2[Person, error]) error {
	d.in = newIntake(d.opts.OrganizationID, true)
	if people == nil {
		return nil
	}
	for p, err := range people {
		var e Entry
		if err == nil {
			e, err = d.in.admit(p)
		}
		if err != nil {
			return err
		}
		d.orgOf = append(d.orgOf, d.org(e.OrganizationID))
		d.named = true
	}
	return nil
}

// scan takes up the journal's entries as a run would, and counts them.
func (d *dryRun) scan(ctx context.Context, s Store) error {
	return s.Scan(ctx, "", func(_ int64, e Entry) error {
		if !d.cover.organization(e) {
			return nil
		}
		o := d.org(e.OrganizationID)
		k := hashKey(e.OrganizationID, client.NormalEmail(e.Params.EmailAddress))
		var params *client.CreateParams
		_, given := d.in.seen[k]
		switch {
		case given:
			delete(d.in.seen, k) // not new
			params = &e.Params   // the params do not change the state
		case d.cover.givenOnly:
			return nil // not of the run
		}
		next, _ := takeUp(e, params, d.opts)
		f := d.orgs[o]
		if next.State.Final() {
			f.Settled[next.State]++
			return nil
		}
		f.Unfinished++
		if awaited(next.State) {
			d.awaiting = append(d.awaiting, dryAwait{h: k[0], org: o})
		}
		return nil
	})
}

// fresh counts the people the journal does not hold, all to be sent.
func (d *dryRun) fresh() {
	d.awaiting = slices.Grow(d.awaiting, len(d.in.seen))
	for k, i := range d.in.seen {
		o := d.orgOf[i]
		d.orgs[o].New++
		d.awaiting = append(d.awaiting, dryAwait{h: k[0], org: o, fresh: true})
	}
	// The people are counted: what the server check needs is in awaiting.
	d.in, d.orgOf = nil, nil
	if d.cover.unsettledOnly() { // a resume covers the organizations with someone unsettled
		for _, o := range d.orgs {
			if o.Unfinished == 0 {
				o.Settled = Counts{}
			}
		}
	}
}

// ask asks the server, as a run would, and moves those it settles from
// New or Unfinished to Found.
func (d *dryRun) ask(ctx context.Context, c *client.Client) (*ServerCheck, error) {
	aw := d.awaiting
	slices.SortFunc(aw, func(a, b dryAwait) int { return cmp.Compare(a.h, b.h) })
	var orgs []string
	for _, o := range d.orgs {
		if o.New+o.Unfinished > 0 {
			orgs = append(orgs, o.OrganizationID)
		}
	}
	found := 0
	sc, err := checkServer(ctx, c, orgs, func(h pendingHit) error {
		o, ok := d.at[h.org]
		if !ok || !d.cover.organization(Entry{OrganizationID: h.org}) {
			return nil
		}
		key := hashKey64(h.org, h.email)
		i, _ := slices.BinarySearchFunc(aw, key, func(a dryAwait, k uint64) int { return cmp.Compare(a.h, k) })
		for ; i < len(aw) && aw[i].h == key; i++ {
			if a := &aw[i]; !a.found && a.org == int32(o) {
				a.found = true
				found++
				f := d.orgs[o]
				f.Found++
				if a.fresh {
					f.New--
				} else {
					f.Unfinished--
				}
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sc.Found = found
	return sc, nil
}
