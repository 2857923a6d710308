package client

import (
	"strconv"
	"strings"

	"github.com/invitekit/clerkinvitations/gen"
)

// Validation happens before anything is sent: a call with bad input returns
// a *ValidationError naming the field and makes no request.

// checkID rejects path parameters that are empty or would be read as a dot
// segment ("." or ".."), the only values that path escaping cannot make
// safe. Everything else is escaped as a single path segment.
func checkID(op, field, id string) error {
	switch id {
	case "":
		return &ValidationError{op, field, "must not be empty"}
	case ".", "..":
		return &ValidationError{op, field, strconv.Quote(id) + " is not an id"}
	}
	return nil
}

// checkCreate validates one invitation; prefix names its place in a bulk
// request ("[3]."), or is empty.
func checkCreate(op, prefix string, p *CreateParams) error {
	switch {
	case strings.TrimSpace(p.EmailAddress) == "":
		return &ValidationError{op, prefix + "email_address", "is required"}
	case !strings.Contains(p.EmailAddress, "@"):
		return &ValidationError{op, prefix + "email_address", strconv.Quote(p.EmailAddress) + " is not an email address"}
	case strings.TrimSpace(p.Role) == "":
		return &ValidationError{op, prefix + "role", "is required"}
	case p.ExpiresInDays < 0 || p.ExpiresInDays > 365:
		return &ValidationError{op, prefix + "expires_in_days", "must be between 1 and 365 (or 0 for the default), got " + strconv.Itoa(p.ExpiresInDays)}
	}
	return nil
}

// checkBulk validates a bulk request: 1 to 10 items, each valid, no email
// address twice.
func checkBulk(op string, items []CreateParams) error {
	if len(items) == 0 {
		return &ValidationError{op, "body", "needs at least one invitation"}
	}
	if len(items) > MaxBulkInvitations {
		return &ValidationError{op, "body", "holds " + strconv.Itoa(len(items)) + " invitations; the API takes at most 10 per call (use CreateMany for more)"}
	}
	for i := range items {
		if err := checkCreate(op, "["+strconv.Itoa(i)+"].", &items[i]); err != nil {
			return err
		}
	}
	return checkDistinctEmails(op, items)
}

// checkDistinctEmails refuses a request that would invite one address twice.
// Addresses are compared without regard to case.
func checkDistinctEmails(op string, items []CreateParams) error {
	seen := make(map[string]int, len(items))
	for i := range items {
		addr := strings.ToLower(strings.TrimSpace(items[i].EmailAddress))
		if j, dup := seen[addr]; dup {
			return &ValidationError{op, "[" + strconv.Itoa(i) + "].email_address",
				strconv.Quote(items[i].EmailAddress) + " is also invitation [" + strconv.Itoa(j) + "]"}
		}
		seen[addr] = i
	}
	return nil
}

// checkPage validates limit and offset.
func checkPage(op string, limit, offset int) error {
	if limit < 0 || limit > MaxPageSize {
		return &ValidationError{op, "limit", "must be between 1 and 500 (or 0 for the default), got " + strconv.Itoa(limit)}
	}
	if offset < 0 {
		return &ValidationError{op, "offset", "must not be negative, got " + strconv.Itoa(offset)}
	}
	return nil
}

// checkStatus accepts the empty status (no filter) and the known ones.
func checkStatus(op string, s Status) error {
	if s == "" || gen.OrganizationInvitationStatus(s).Valid() {
		return nil
	}
	return &ValidationError{op, "status", strconv.Quote(string(s)) + " is not one of pending, accepted, revoked, expired"}
}

// checkOrderBy accepts an empty order or a field name of lower-case letters
// and underscores with an optional + or - in front. The API decides which
// fields it sorts by; this only keeps malformed text off the wire.
func checkOrderBy(op, order string) error {
	field := strings.TrimLeft(order, "+-")
	if order == "" || (len(order)-len(field) <= 1 && field != "" && strings.Trim(field, "abcdefghijklmnopqrstuvwxyz_") == "") {
		return nil
	}
	return &ValidationError{op, "order_by", strconv.Quote(order) + " is not a field name with an optional + or - in front"}
}
