package client

import (
	"strconv"
	"strings"

	"github.com/invitekit/clerkinvitations/gen"
)

// Validation beyond the spec. The spec's own rules (required fields, bounds,
// enums, path segments) are checked by gen (its Validate functions, and
// again before a request is built); these
// are the rules the spec cannot express. Like gen's, they run before
// anything is sent and fail with a *ValidationError naming the field.

// checkEmail refuses an address without an @. An empty one is left to gen,
// which reports the field as required. prefix names the item in a bulk
// request ("[3]."), or is empty.
func checkEmail(op, prefix, email string) error {
	if email != "" && !strings.Contains(email, "@") {
		return &ValidationError{Operation: op, Field: prefix + "email_address", Reason: strconv.Quote(email) + " is not an email address"}
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
		if err := checkEmail(op, prefix, items[i].EmailAddress); err != nil {
			return err
		}
		addr := normalEmail(items[i].EmailAddress)
		if j, dup := seen[addr]; dup && addr != "" {
			return &ValidationError{Operation: op, Field: prefix + "email_address",
				Reason: strconv.Quote(items[i].EmailAddress) + " is also invitation [" + strconv.Itoa(j) + "]"}
		}
		seen[addr] = i
	}
	return nil
}

// normalEmail is the form in which two addresses are compared.
func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidateCreate returns the error that [Client.Create] would fail with,
// for these params, before sending anything: a *[ValidationError] naming
// the field, or nil when the params are fit to send. Code that collects
// invitations to send later (from a file, say) can check each one first.
func ValidateCreate(organizationID string, params CreateParams) error {
	op := gen.OpCreateOrganizationInvitation.ID
	if err := checkEmail(op, "", params.EmailAddress); err != nil {
		return err
	}
	return gen.ValidateCreateOrganizationInvitation(organizationID, params)
}
