package client

import (
	"strconv"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// Validation beyond the spec. The spec's own rules (required fields, bounds,
// enums, path segments) are checked by gen (its Validate functions, and
// again before a request is built); these are the rules the spec cannot
// express. Like gen's, they run before anything is sent and fail with a
// *ValidationError naming the field.

// checkInvitation checks what the spec cannot say about one invitation:
// an address that [CheckEmailAddress] refuses. An empty address is left to
// gen, which reports the field as required (as it refuses a blank role, by
// the spec's pattern). prefix names the item in a bulk request ("[3]."), or
// is empty.
func checkInvitation(op, prefix string, p *CreateParams) error {
	if p.EmailAddress != "" {
		if err := CheckEmailAddress(p.EmailAddress); err != nil {
			return &ValidationError{Operation: op, Field: prefix + "email_address", Reason: err.Error()}
		}
	}
	return nil
}

// checkInvitations checks every address of a bulk request and refuses one
// address given twice (compared without regard to case or surrounding
// space), which would invite the person twice.
func checkInvitations(op string, items []CreateParams) error {
	seen := make(map[string]int, len(items))
	for i := range items {
		prefix := "[" + strconv.Itoa(i) + "]."
		if err := checkInvitation(op, prefix, &items[i]); err != nil {
			return err
		}
		addr := NormalEmail(items[i].EmailAddress)
		if j, dup := seen[addr]; dup && addr != "" {
			return &ValidationError{Operation: op, Field: prefix + "email_address",
				Reason: textsafe.Quote(items[i].EmailAddress, quoteLimit) + " is also invitation [" + strconv.Itoa(j) + "]"}
		}
		seen[addr] = i
	}
	return nil
}

// ValidateCreate returns the error that [Client.Create] would fail with,
// for these params, before sending anything: a *[ValidationError] naming
// the field, or nil when the params are fit to send. Code that collects
// invitations to send later (from a file, say) can check each one first.
func ValidateCreate(organizationID string, params CreateParams) error {
	op := gen.OpCreateOrganizationInvitation.ID
	if err := checkInvitation(op, "", &params); err != nil {
		return err
	}
	return gen.ValidateCreateOrganizationInvitation(organizationID, params)
}
