package bulkinvite

import (
	"context"
	"fmt"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// outcome is what a request in flight came to.
type outcome struct {
	ch      *channel // the create channel, or nil for a check or revoke
	entries []*Entry
	kind    string // "create", "check" or "revoke"
	list    *client.InvitationList
	inv     *client.Invitation
	err     error
}

// send journals the people as sent, then sends them through ch.
func (r *runner) send(ctx context.Context, now time.Time, ch *channel, batch []*Entry) {
	changed := make([]Entry, len(batch))
	params := make([]client.CreateParams, len(batch))
	for i, e := range batch {
		e.State, e.Channel, e.SentAt, e.UpdatedAt = StateSent, ch.kind, now, now
		e.Attempts++
		changed[i], params[i] = *e, e.Params
	}
	if err := r.cfg.Store.Put(context.WithoutCancel(ctx), changed...); err != nil {
		// Nothing is sent without its record. The journal still says what
		// it said, so a later run starts from there.
		r.fatal = fmt.Errorf("bulkinvite: journal: %w", err)
		for _, e := range batch {
			e.State = StateQueued
			e.Attempts--
		}
		r.queue = append(batch, r.queue...)
		return
	}
	ch.inFlight++
	ch.plan(now)
	r.log.Debug("bulkinvite: sending", "channel", string(ch.kind), "people", len(batch))
	c, org := r.cfg.Client, r.cfg.OrganizationID
	go func() {
		o := outcome{ch: ch, entries: batch, kind: "create"}
		// A Retry-After is the run's to wait: it pauses the channel, on the
		// run's clock, and lets the other one go on.
		opts := client.WithMaxRetryAfter(0)
		if ch.kind == ChannelBulk {
			o.list, o.err = c.BulkCreate(ctx, org, params, opts)
		} else {
			o.inv, o.err = c.Create(ctx, org, params[0], opts)
		}
		r.results <- o
	}()
}

// check looks for the pending invitation of a person whose request had no
// clear outcome.
func (r *runner) check(ctx context.Context, e *Entry) {
	c, org, email := r.cfg.Client, r.cfg.OrganizationID, e.Params.EmailAddress
	go func() {
		o := outcome{entries: []*Entry{e}, kind: "check"}
		o.list, o.err = c.List(ctx, org, client.ListParams{EmailAddress: email, Status: client.Statuses{client.StatusPending}})
		r.results <- o
	}()
}

// revoke revokes the invitation a resend replaces.
func (r *runner) revoke(ctx context.Context, e *Entry) {
	c, org, id := r.cfg.Client, r.cfg.OrganizationID, e.Replaces
	go func() {
		o := outcome{entries: []*Entry{e}, kind: "revoke"}
		o.inv, o.err = c.Revoke(ctx, org, id, client.RevokeParams{})
		r.results <- o
	}()
}
