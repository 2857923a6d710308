package bulkinvite

import (
	"log/slog"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// Config describes a run.
type Config struct {
	// Client sends the requests. Its request limit (see
	// [client.WithRequestLimit]) bounds all of the run's requests
	// together; its retry policy retries what is safe to retry.
	Client *client.Client
	// OrganizationID, if set, makes the run one of this organization: a
	// [Person] with no organization is invited to it, and a person of
	// another organization is refused (a *[client.ValidationError], with
	// nothing sent). Empty, every person names their organization, and
	// the run covers the organizations its people name or, resuming with
	// no people, every organization of the journal with someone
	// unsettled. [Resend] needs it.
	OrganizationID string
	// Store is the run's journal.
	Store Store
	// Limits paces the two create endpoints. Set it: ProductionLimits(),
	// DevelopmentLimits(), or NoLimits() for servers without limits.
	Limits Limits
	// CheckDelay is how long after a request with no clear outcome the run
	// looks for its invitation (default 5 s), so that a request the server
	// is still working on can land first.
	CheckDelay time.Duration
	// MaxAttempts is how many requests that reached the API may be sent
	// for one person before the run gives up on them (default 5). A
	// refusal for the rate limit does not count.
	MaxAttempts int
	// RetryFailed sends again the people the journal holds as failed
	// (after the cause, say an unknown role, has been fixed), with their
	// params from people when people names them. Without it a failed
	// person stays failed.
	RetryFailed bool
	// GivenOnly narrows a run given people to them: the journal's
	// unsettled entries of people not given (dropped from the list since
	// an earlier run, say) are left as they are, not taken up, and not
	// counted. Without it a run takes them up all the same. A run keeps 8
	// bytes a person given for it.
	GivenOnly bool
	// SkipServerCheck turns off the run's first step: before sending,
	// a run lists the pending invitations of its organizations (see
	// [ServerCheck]: one request per 500 of them, from the general
	// request limit, by organization or in one walk of the instance,
	// whichever takes fewer) and settles everyone who has one with no
	// create (see [ReconcileOptions.Pending]), so that a lost journal does
	// not cost hours of refused creates. Set it for people known to be
	// new. A run with nobody to send or check, and [Resend], do not list.
	SkipServerCheck bool
	// IdleTimeout ends the run when nobody has been settled for this long
	// (default 2 h): while the API stays unreachable, say. The run also
	// ends when its context does.
	IdleTimeout time.Duration
	// Clock tells the time and waits; nil is the system's clock. Tests
	// and simulations give a faster one.
	Clock Clock
	// Progress, if set, is called after every change, from the run's own
	// goroutine: keep it quick.
	Progress func(Progress)
	// Logger, if set, receives the run's events: pauses, outcomes that
	// need a check, failures, and the end.
	Logger *slog.Logger
}

// Clock is the time source of a run.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// After delivers the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// clockOf is cfg's clock, or the system's.
func clockOf(cfg Config) Clock {
	if cfg.Clock != nil {
		return cfg.Clock
	}
	return systemClock{}
}

// Defaults of a Config.
const (
	DefaultCheckDelay  = 5 * time.Second
	DefaultMaxAttempts = 5
	DefaultIdleTimeout = 2 * time.Hour
)

// maxBackoff caps the waits after failures that say nothing of the
// server's limits (a refused connection, a failed check).
const maxBackoff = 5 * time.Minute

// auxInFlight is how many checks and revokes may be in flight at once.
const auxInFlight = 4
