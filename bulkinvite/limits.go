package bulkinvite

import (
	"fmt"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Limit is a rate: at most Requests requests in any window of length Per.
// The zero Limit paces nothing.
type Limit struct {
	Requests int
	Per      time.Duration
}

// spacing is how far apart the limit's requests are planned. Planned on a
// grid of Per/(Requests-1), a window of length Per holds at most Requests
// of them even when each goes up to one spacing late (timers fire late,
// a run is busy): the price of that slack is one request a window. A
// limit of one request has no slack: its requests go a full Per apart.
func (l Limit) spacing() time.Duration {
	switch {
	case l.Requests <= 0:
		return 0
	case l.Requests == 1:
		return l.Per
	}
	return (l.Per + time.Duration(l.Requests-2)) / time.Duration(l.Requests-1) // rounded up
}

// perHour is how many requests the limit allows an hour.
func (l Limit) perHour() float64 {
	if l.Requests <= 0 || l.Per <= 0 {
		return 0
	}
	return float64(l.Requests) * float64(time.Hour) / float64(l.Per)
}

func (l Limit) String() string {
	if l.Requests <= 0 {
		return "unpaced"
	}
	return fmt.Sprintf("%d per %v", l.Requests, l.Per)
}

// Limits are the paces of a run's two channels, which both draw from one
// queue of people: bulk creates of up to [client.MaxBulkInvitations]
// people each, and single creates. Clerk counts both per application
// instance, shared by all its organizations. The general limit on all
// requests ([client.ProductionRequestLimit] in production) is the
// client's own, set with
// [client.WithRequestLimit]; a run's checks and revokes keep to it too.
type Limits struct {
	// Bulk paces bulk create requests.
	Bulk Limit
	// Create paces single create requests.
	Create Limit
	// InFlight is how many requests each channel may have in flight at
	// once (default 2). Pacing spaces the sends; this only lets a slow
	// response overlap the next send.
	InFlight int
}

// Clerk's documented limits for the two create endpoints, per instance
// (from package client, which states them once).
var (
	// ClerkBulkLimit: [client.BulkCreateLimit] bulk creates an hour.
	ClerkBulkLimit = Limit{Requests: client.BulkCreateLimit, Per: client.CreateLimitWindow}
	// ClerkCreateLimit: [client.CreateLimit] single creates an hour.
	ClerkCreateLimit = Limit{Requests: client.CreateLimit, Per: client.CreateLimitWindow}
)

// ProductionLimits paces a run to Clerk's documented limits for the two
// create endpoints, [ClerkBulkLimit] and [ClerkCreateLimit]: about 750
// people an hour together (see [Limits.PerHour]). Give the client the production general limit (its
// default for an sk_live_ key).
func ProductionLimits() Limits { return Limits{Bulk: ClerkBulkLimit, Create: ClerkCreateLimit} }

// DevelopmentLimits paces a run on a development instance. The two create
// endpoints have the same limits there; the general limit is lower
// ([client.DevelopmentRequestLimit]), which the client keeps by default for
// an sk_test_ key.
func DevelopmentLimits() Limits { return ProductionLimits() }

// NoLimits paces nothing: for the in-memory fake, local servers and tests.
func NoLimits() Limits { return Limits{} }

// PerHour is the most people an hour the limits let a run invite, or 0
// when they pace nothing.
func (l Limits) PerHour() float64 {
	return l.Bulk.perHour()*client.MaxBulkInvitations + l.Create.perHour()
}

// paced reports whether the limits pace anything.
func (l Limits) paced() bool { return l.Bulk.Requests > 0 || l.Create.Requests > 0 }

func (l Limits) inFlight() int {
	if l.InFlight > 0 {
		return l.InFlight
	}
	return 2
}

// check refuses limits that cannot be kept.
func (l Limits) check() error {
	for _, lim := range []Limit{l.Bulk, l.Create} {
		if lim.Requests < 0 || (lim.Requests > 0 && lim.Per <= 0) {
			return fmt.Errorf("bulkinvite: %d requests per %v is not a limit", lim.Requests, lim.Per)
		}
	}
	if l.InFlight < 0 {
		return fmt.Errorf("bulkinvite: InFlight %d is negative", l.InFlight)
	}
	return nil
}

// channel is one of the two create endpoints and its pacing.
type channel struct {
	kind        Channel
	limit       Limit
	inFlight    int
	maxInFlight int
	next        time.Time // the earliest the next request may go
	pausedUntil time.Time // a 429's Retry-After, or a backoff
	backoff     time.Duration
}

func (c *channel) ready(now time.Time) bool {
	return c.inFlight < c.maxInFlight && !now.Before(c.next) && !now.Before(c.pausedUntil)
}

// plan sets the slot of the next request after one sent at now. Slots
// follow a grid of the limit's spacing, so that a request that goes a
// little late does not push all the later ones back; one that went a whole
// spacing late (or more) starts a new grid. A limit of one request a
// window has no slack and always starts anew.
func (c *channel) plan(now time.Time) {
	step := c.limit.spacing()
	slot := c.next
	if slot.IsZero() || now.Sub(slot) >= step || c.limit.Requests == 1 {
		slot = now
	}
	c.next = slot.Add(step)
}

// wake is when the channel may send next, if it is waiting on time.
func (c *channel) wake() time.Time {
	if c.inFlight >= c.maxInFlight {
		return time.Time{}
	}
	return later(c.next, c.pausedUntil)
}
