package bulkinvite

import (
	"context"
	"fmt"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// outcome is what a request in flight came to.
type outcome struct {
	ch     *channel // the create channel, or nil for a check or revoke
	people []*person
	kind   string // "create", "check" or "revoke"
	list   *client.InvitationList
	inv    *client.Invitation
	err    error
}

// flight is a create request that dispatch prepared: it goes once its
// people are journaled as sent.
type flight struct {
	ch     *channel
	people []*person
}

// send loads the people of ids, all of organization o, marks them sent
// and prepares their request through ch, to go once flush has journaled
// them.
func (r *runner) send(ctx context.Context, now time.Time, ch *channel, o *orgRun, ids []int64) {
	batch, err := r.load(ctx, o, ids...)
	if err != nil {
		r.rot.requeue(o, ids, false)
		return
	}
	for _, p := range batch {
		was := p.State
		p.State, p.Channel, p.SentAt, p.UpdatedAt = StateSent, ch.kind, now, now
		p.Attempts++
		r.count(p, was)
		r.record(p)
	}
	ch.inFlight++
	ch.plan(now)
	r.flights = append(r.flights, flight{ch: ch, people: batch})
}

// flush journals what changed, in one write, and then sends the requests
// prepared: nothing is sent without its record, and no response's record
// waits for more than the next requests to be prepared. If the journal
// cannot be written, the run stops, and the requests prepared do not go:
// the journal still says what it said, so a later run starts from there.
func (r *runner) flush(ctx context.Context) {
	if len(r.writes) == 0 {
		return
	}
	writes, ids, flights := r.writes, r.writeIDs, r.flights
	r.writes, r.writeIDs, r.flights = nil, nil, nil
	clear(r.written)
	var err error
	if s, ok := r.cfg.Store.(idPutter); ok {
		err = s.PutByID(context.WithoutCancel(ctx), ids, writes)
	} else {
		err = r.cfg.Store.Put(context.WithoutCancel(ctx), writes...)
	}
	if err != nil {
		if r.fatal == nil {
			r.fatal = fmt.Errorf("bulkinvite: journal: %w", err)
		}
		for _, f := range flights {
			f.ch.inFlight--
			r.requeue(f.people, false, "")
			for _, p := range f.people {
				r.count(p, StateSent)
			}
		}
		return
	}
	for _, f := range flights {
		r.launch(ctx, f)
	}
}

// launch sends a create request prepared by send.
func (r *runner) launch(ctx context.Context, f flight) {
	r.log.Debug("bulkinvite: sending", "channel", string(f.ch.kind), "people", len(f.people))
	params := make([]client.CreateParams, len(f.people))
	for i, p := range f.people {
		params[i] = p.Params
	}
	c, org := r.cfg.Client, f.people[0].org.id
	go func() {
		o := outcome{ch: f.ch, people: f.people, kind: "create"}
		// A Retry-After is the run's to wait: it pauses the channel, on the
		// run's clock, and lets the other one go on.
		opts := client.WithMaxRetryAfter(0)
		if f.ch.kind == ChannelBulk {
			o.list, o.err = c.BulkCreate(ctx, org, params, opts)
		} else {
			o.inv, o.err = c.Create(ctx, org, params[0], opts)
		}
		r.results <- o
	}()
}

// check looks for the pending invitation of a person whose request had no
// clear outcome.
func (r *runner) check(ctx context.Context, p *person) {
	c, org, email := r.cfg.Client, p.org.id, p.Params.EmailAddress
	go func() {
		o := outcome{people: []*person{p}, kind: "check"}
		o.list, o.err = c.List(ctx, org, client.ListParams{EmailAddress: email, Status: client.Statuses{client.StatusPending}})
		r.results <- o
	}()
}

// revoke revokes the invitation a resend replaces.
func (r *runner) revoke(ctx context.Context, p *person) {
	c, org, id := r.cfg.Client, p.org.id, p.Replaces
	go func() {
		o := outcome{people: []*person{p}, kind: "revoke"}
		o.inv, o.err = c.Revoke(ctx, org, id, client.RevokeParams{})
		r.results <- o
	}()
}
