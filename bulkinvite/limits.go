package bulkinvite

import (
	"fmt"
	"slices"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Limit is a rate: at most Requests requests in any window of length Per.
// The zero Limit paces nothing.
type Limit struct {
	Requests int
	Per      time.Duration
}

// spacing is how far apart the limit's requests are planned: Per/Requests,
// rounded up. The grid only spreads requests out; what keeps them within
// the limit, however late they go, is the window rule (earliest).
func (l Limit) spacing() time.Duration {
	if l.Requests <= 0 {
		return 0
	}
	return (l.Per + time.Duration(l.Requests-1)) / time.Duration(l.Requests) // rounded up
}

// margin is how much later than the run's clock says a request may reach
// Clerk (a clock or a network a little behind) and still be counted in the
// window the run counted it in: Per/200, which costs half a percent of the
// ceiling.
func (l Limit) margin() time.Duration { return l.Per / 200 }

// earliest is the earliest a request may go after requests that reached
// Clerk at the latest at the times in reached (any order): Per and the
// margin after the Requests-th latest of them, so that no window of Per
// holds more than Requests. Zero while fewer than Requests are known.
func (l Limit) earliest(reached []time.Time) time.Time {
	if l.Requests <= 0 || len(reached) < l.Requests {
		return time.Time{}
	}
	latest := slices.SortedFunc(slices.Values(reached), func(a, b time.Time) int { return b.Compare(a) })
	return latest[l.Requests-1].Add(l.Per + l.margin())
}

// plan sets the slot of the next request after one sent at now. Slots
// follow a grid of the limit's spacing, so that a request that goes a
// little late does not push all the later ones back (one that went a whole
// spacing late, or more, starts a new grid); and no slot comes before the
// window rule allows.
func (c *channel) plan(now time.Time) {
	step := c.limit.spacing()
	slot := c.next
	if slot.IsZero() || now.Sub(slot) >= step || c.limit.Requests == 1 {
		slot = now
	}
	if c.limit.Requests > 0 {
		c.reached = append(c.reached, now)
		c.reached = c.reached[max(len(c.reached)-c.limit.Requests, 0):]
	}
	c.next = later(slot.Add(step), c.limit.earliest(c.reached))
}

// settle records that the request sent at sentAt got its response at now:
// whatever attempts it took reached Clerk by then.
func (c *channel) settle(sentAt, now time.Time) {
	for i := len(c.reached) - 1; i >= 0; i-- {
		if c.reached[i].Equal(sentAt) {
			c.reached[i] = now
			c.next = later(c.next, c.limit.earliest(c.reached))
			return
		}
	}
}

// seed paces from a request of an earlier run, sent at sentAt, so that a
// restart does not spend again what earlier runs spent. The people of one
// bulk request share its time, so a time already known is one request.
func (c *channel) seed(sentAt time.Time) {
	if c.limit.Requests <= 0 || slices.ContainsFunc(c.reached, sentAt.Equal) {
		return
	}
	c.reached = append(c.reached, sentAt)
	slices.SortFunc(c.reached, time.Time.Compare)
	c.reached = c.reached[max(len(c.reached)-c.limit.Requests, 0):]
	c.next = later(c.next, later(sentAt.Add(c.limit.spacing()), c.limit.earliest(c.reached)))
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
	next        time.Time   // the earliest the next request may go
	reached     []time.Time // when its last requests reached Clerk at the latest (see settle)
	pausedUntil time.Time   // a 429's Retry-After, or a backoff
	backoff     time.Duration
}

func (c *channel) ready(now time.Time) bool {
	return c.inFlight < c.maxInFlight && !now.Before(c.next) && !now.Before(c.pausedUntil)
}

// wake is when the channel may send next, if it is waiting on time.
func (c *channel) wake() time.Time {
	if c.inFlight >= c.maxInFlight {
		return time.Time{}
	}
	return later(c.next, c.pausedUntil)
}
