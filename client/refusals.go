package client

import (
	"errors"
	"net/http"
	"strings"
)

// Refusals. Some 400 responses to a create are not failures to retry or
// report but answers about the person: they already have a pending
// invitation, or they already belong to the organization. Code that invites
// people (such as the bulkinvite package) counts these as
// outcomes of their own. Their codes are in facts.go.

// IsAlreadyInvited reports whether err is the API's refusal to invite an
// address that already has a pending invitation to the organization: a 400
// with code [CodeInvitationNotUnique] (from [Client.Create]) or
// [CodeDuplicateRecord] (from [Client.BulkCreate], which then creates none of
// the chunk; [RefusedAddresses] says which addresses were the cause).
func IsAlreadyInvited(err error) bool {
	return refusal(err, CodeInvitationNotUnique) || refusal(err, CodeDuplicateRecord)
}

// IsAlreadyMember reports whether err is the API's refusal to invite an
// address that belongs to a member of the organization already: a 400 with
// code [CodeAlreadyMember].
func IsAlreadyMember(err error) bool { return refusal(err, CodeAlreadyMember) }

// RefusedAddresses returns the email addresses a refusal names in
// meta.email_addresses, from each of its Clerk errors and from the response's
// top-level meta, in order and without repeats. A bulk create refused with
// [CodeDuplicateRecord] names there the addresses that already have pending
// invitations. It returns nil when err is not an [APIError] or names none.
func RefusedAddresses(err error) []string {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(meta map[string]any) {
		list, _ := meta["email_addresses"].([]any)
		for _, v := range list {
			if s, ok := v.(string); ok && s != "" && !seen[strings.ToLower(s)] {
				seen[strings.ToLower(s)] = true
				out = append(out, s)
			}
		}
	}
	for _, ce := range apiErr.Errors {
		add(ce.Meta)
	}
	add(apiErr.Meta)
	return out
}

// refusal reports whether err is a 400 carrying a Clerk error with code.
func refusal(err error, code string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && HasCode(err, code)
}
