package bulkinvite

import (
	"errors"
	"time"

	"github.com/invitekit/clerkinvitations/client"
)

// reply is what the response to a create or bulk create says, reduced to
// the facts that decide what follows (see [decideCreate]).
type reply struct {
	ok             bool          // a readable success
	rateLimited    bool          // a 429
	retryAfter     time.Duration // its Retry-After
	alreadyInvited bool          // refused: a pending invitation exists
	alreadyMember  bool          // refused: a member already
	named          []string      // the addresses a refusal names
	unknown        bool          // the request may have been carried out
	unauthorized   bool          // a 401: the key was refused
	notSent        bool          // no response, and provably not carried out
	noKey          bool          // the client has no key to send
}

// readReply reads a create's error.
func readReply(err error) reply {
	if err == nil {
		return reply{ok: true}
	}
	rep := reply{
		rateLimited:    client.IsRateLimited(err),
		alreadyInvited: client.IsAlreadyInvited(err),
		alreadyMember:  client.IsAlreadyMember(err),
		unknown:        client.OutcomeUnknown(err),
		unauthorized:   client.IsUnauthorized(err),
		notSent:        errors.As(err, new(*client.RequestError)),
		noKey:          errors.As(err, new(*client.KeyError)),
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		rep.retryAfter = apiErr.RetryAfter
	}
	if rep.alreadyInvited || rep.alreadyMember {
		rep.named = client.RefusedAddresses(err)
	}
	return rep
}

// verdict is what a run does with the people of a create request.
type verdict int

const (
	vCreated verdict = iota + 1 // settled as created (those the response names)
	vPause                      // the channel pauses (decision.wait, or its backoff); all queued again
	vThere                      // refused as already there: the named (or the one person) settled, the rest queued again
	vAlone                      // refused without saying for whom: each queued to go alone
	vCheck                      // outcome unknown: each looked up
	vStop                       // queued again, and the run stops
	vBackoff                    // not sent: the channel backs off; all queued again
	vFail                       // the one person fails
)

// decision is the verdict on a create's response and its details.
type decision struct {
	verdict verdict
	wait    time.Duration   // vPause: the Retry-After, or 0 for the backoff
	member  bool            // vThere: already a member rather than invited
	named   map[string]bool // vThere for a batch: the refused, by NormalEmail
	why     string          // vStop: how the run's error begins
	event   string          // vStop: what the progress event says
}

// decideCreate decides what follows the response to a create (batch 1)
// or a bulk create of batch people. It sends nothing and changes nothing:
// [runner.created] carries the decision out.
func decideCreate(rep reply, batch int) decision {
	switch {
	case rep.ok:
		return decision{verdict: vCreated}
	case rep.rateLimited:
		return decision{verdict: vPause, wait: max(rep.retryAfter, 0)}
	case rep.alreadyInvited || rep.alreadyMember:
		d := decision{verdict: vThere, member: rep.alreadyMember}
		if batch == 1 {
			return d
		}
		d.named = map[string]bool{}
		for _, a := range rep.named {
			d.named[client.NormalEmail(a)] = true
		}
		if len(d.named) == 0 {
			return decision{verdict: vAlone}
		}
		return d
	case rep.unknown:
		return decision{verdict: vCheck}
	case rep.unauthorized:
		return decision{verdict: vStop, why: "the API refused the key: ", event: "the key was refused"}
	case rep.notSent:
		return decision{verdict: vBackoff}
	case rep.noKey:
		return decision{verdict: vStop, event: "no key"}
	case batch > 1: // refused, but not for a reason that names anyone
		return decision{verdict: vAlone}
	}
	return decision{verdict: vFail} // an APIError, or bad input the client refused to send
}
