package client

import "strconv"

// Checking that a successful response holds what the schema requires. The
// generated models check themselves (gen's MissingRequired methods, written
// from the spec's required and nullable): a required list, map or object
// that is not nullable must not be missing or null, and a required enum or
// id must not be empty. A 2xx whose body is {} or null fails the check,
// instead of passing for an invitation with no id.

// checkRequired reports the first required value that v (a pointer to a
// decoded model, which knows what it requires) lacks, naming it by its
// JSON path, such as "data[3].id".
func checkRequired(v any) error {
	if m, ok := v.(interface{ MissingRequired() string }); ok {
		if path := m.MissingRequired(); path != "" {
			return &MissingFieldError{Path: path}
		}
	}
	return nil
}

// MissingFieldError is the cause of a [DecodeError] for a successful
// response that lacks a value the API's schema requires, such as an
// invitation without an id.
type MissingFieldError struct {
	// Path is the JSON path of the missing value, such as "id" or
	// "data[3].object".
	Path string
}

// Error names the missing value.
func (e *MissingFieldError) Error() string {
	return "the response lacks the required " + strconv.Quote(e.Path)
}
