package bulkinvite

import (
	"fmt"
	"time"
)

// IdleError is the error of a run that stopped because nobody was settled
// for [Config.IdleTimeout]: while the API stays unreachable, say. The
// journal holds where the run was; a new run goes on from there.
type IdleError struct {
	// Timeout is the idle timeout that passed.
	Timeout time.Duration
}

// Error says how long nobody was settled.
func (e *IdleError) Error() string {
	return fmt.Sprintf("bulkinvite: nobody settled for %v; stopping", e.Timeout)
}

// NoPendingError is [Resend]'s error for a person who has no pending
// invitation to resend, and no unfinished resend in the journal. Nothing
// was sent.
type NoPendingError struct {
	// EmailAddress is the person's address, as given.
	EmailAddress string
	// OrganizationID is the organization.
	OrganizationID string
}

// Error names the person and the organization.
func (e *NoPendingError) Error() string {
	return "bulkinvite: resend: " + e.EmailAddress + " has no pending invitation to " + e.OrganizationID
}
