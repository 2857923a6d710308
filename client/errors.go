package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
)

// ClerkError is one entry of the errors list in Clerk's error answers:
// a stable Code to branch on, a Message and LongMessage for people, and Meta
// with details that depend on the code.
type ClerkError = gen.ClerkError

// APIError is the error for every answer outside 2xx, whatever the status
// and whatever the body: Clerk's error JSON, an empty body, an HTML page from
// a proxy, or truncated JSON. StatusCode is always set. Use errors.As to get
// it, or the helpers IsNotFound, IsUnauthorized, IsRateLimited and HasCode.
type APIError struct {
	// Operation is the operationId of the call, e.g. "CreateOrganizationInvitation".
	Operation string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Errors is Clerk's list of errors; empty when the body was not Clerk's JSON.
	Errors []ClerkError
	// Meta is the top-level meta object of Clerk's answer, if any.
	Meta map[string]any
	// TraceID identifies the request in Clerk's logs: the body's
	// clerk_trace_id, or else the CF-Ray response header. Quote it to support.
	TraceID string
	// RetryAfter is how long the server asked the caller to wait (from the
	// Retry-After header, in seconds or as a date); zero when absent.
	RetryAfter time.Duration
	// Body holds the start of the raw answer (at most MaxErrorBodyBytes),
	// for logging answers that are not Clerk's JSON. Any occurrence of the
	// secret key in it is replaced by "[REDACTED]".
	Body []byte
	// Header is the answer's header.
	Header http.Header
	// Attempts is how many times the call was sent.
	Attempts int
	// OutcomeUnknown is set on a failed POST (create, bulk create, revoke)
	// answered with a 5xx: the server may have carried it out. Look before
	// sending it again. errors.Is(err, ErrOutcomeUnknown) reports it too.
	OutcomeUnknown bool
}

// ErrOutcomeUnknown is matched (errors.Is) by the error of a call that may
// or may not have been carried out: a POST that broke off after it was sent,
// timed out waiting for its answer, or got a 5xx. Such calls are never
// retried automatically. Before sending a create again, check whether the
// invitation exists (List with EmailAddress, or Get).
var ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been carried out")

// OutcomeUnknown reports whether err is from a call that may have been
// carried out although it failed.
func OutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }

const unknownNote = " (outcome unknown: it may have been carried out; check before sending it again)"

// MaxErrorBodyBytes bounds how much of an error answer is read and kept.
const MaxErrorBodyBytes = 64 << 10

// Error describes the failure in one line: operation, status, and the first
// Clerk error's code and long message (or the status text alone).
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("clerk: ")
	b.WriteString(e.Operation)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" ")
		b.WriteString(text)
	}
	if len(e.Errors) > 0 {
		first := e.Errors[0]
		b.WriteString(": ")
		if first.Code != "" {
			b.WriteString(first.Code)
			b.WriteString(": ")
		}
		msg := first.LongMessage
		if msg == "" {
			msg = first.Message
		}
		b.WriteString(msg)
		if len(e.Errors) > 1 {
			b.WriteString(" (and " + strconv.Itoa(len(e.Errors)-1) + " more)")
		}
	} else if len(e.Body) > 0 {
		b.WriteString(" (the body is not Clerk's error JSON)")
	}
	if e.TraceID != "" {
		b.WriteString(" [trace " + e.TraceID + "]")
	}
	if e.OutcomeUnknown {
		b.WriteString(unknownNote)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true when the outcome is unknown.
func (e *APIError) Is(target error) bool { return target == ErrOutcomeUnknown && e.OutcomeUnknown }

// HasCode reports whether any of Clerk's errors in the answer has this code.
func (e *APIError) HasCode(code string) bool {
	for _, ce := range e.Errors {
		if ce.Code == code {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err is an APIError with status 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is an APIError with status 401: the key
// is missing, wrong or revoked.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is an APIError with status 403.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsRateLimited reports whether err is an APIError with status 429. Its
// RetryAfter says how long to wait.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// HasCode reports whether err is an APIError carrying a Clerk error with
// this code, such as "duplicate_record" or "resource_not_found".
func HasCode(err error, code string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.HasCode(code)
}

func hasStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// newAPIError builds the error for a non-2xx answer from its status, header
// and (already bounded) body. key, if not empty, is scrubbed from the body
// before anything is kept or decoded.
func newAPIError(op string, resp *http.Response, body []byte, key string, now time.Time) *APIError {
	if key != "" && bytes.Contains(body, []byte(key)) {
		body = bytes.ReplaceAll(body, []byte(key), []byte("[REDACTED]"))
	}
	e := &APIError{
		Operation:  op,
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
	}
	if len(body) > 0 {
		e.Body = body
		var parsed gen.ClerkErrors
		if json.Unmarshal(body, &parsed) == nil {
			e.Errors = parsed.Errors
			e.Meta = parsed.Meta
			if parsed.ClerkTraceID != nil {
				e.TraceID = *parsed.ClerkTraceID
			}
		}
	}
	if e.TraceID == "" {
		e.TraceID = resp.Header.Get("Cf-Ray")
	}
	return e
}

// parseRetryAfter reads a Retry-After value, in delay-seconds or as an HTTP
// date. Absent, malformed or past values give zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// maxRetryAfter caps what a Retry-After can say, so that an absurd value
// (a year) stays a number a caller can reason about.
const maxRetryAfter = 24 * time.Hour

// RequestError reports that a call got no HTTP answer: the connection could
// not be made, broke, or timed out, or the context ended. Err is the cause;
// errors.Is(err, context.DeadlineExceeded) and friends see through it.
type RequestError struct {
	// Operation is the operationId of the call.
	Operation string
	// Err is what went wrong.
	Err error
	// Attempts is how many times the call was sent.
	Attempts int
	// OutcomeUnknown is set when the request may have reached the server
	// before the failure (a POST that broke off or timed out). Look before
	// sending it again. errors.Is(err, ErrOutcomeUnknown) reports it too.
	OutcomeUnknown bool
}

// Error names the operation and the transport failure, and says when the
// outcome is unknown.
func (e *RequestError) Error() string {
	msg := "clerk: " + e.Operation + ": no answer: " + e.Err.Error()
	if e.OutcomeUnknown {
		msg += unknownNote
	}
	return msg
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true when the outcome is unknown.
func (e *RequestError) Is(target error) bool { return target == ErrOutcomeUnknown && e.OutcomeUnknown }

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// DecodeError reports that the server answered with success but the body
// could not be read as the expected JSON. The request itself was carried
// out: for a create, the invitation exists.
type DecodeError struct {
	// Operation is the operationId of the call.
	Operation string
	// StatusCode is the (successful) status of the answer.
	StatusCode int
	// Err is the decoding or reading error; it matches ErrResponseTooLarge
	// when the body was over the limit.
	Err error
	// Attempts is how many times the call was sent.
	Attempts int
}

// Error names the operation and what could not be decoded.
func (e *DecodeError) Error() string {
	return "clerk: " + e.Operation + ": the " + strconv.Itoa(e.StatusCode) + " answer could not be decoded: " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// annotate records, on a call's final error, how many attempts were made and
// whether the outcome is unknown.
func annotate(err error, attempts int, unknown bool) {
	switch e := err.(type) {
	case *APIError:
		e.Attempts, e.OutcomeUnknown = attempts, unknown
	case *RequestError:
		e.Attempts, e.OutcomeUnknown = attempts, unknown
	case *DecodeError:
		e.Attempts = attempts
	}
}

// ErrResponseTooLarge is matched (errors.Is) by a DecodeError whose body was
// larger than the client's limit (WithMaxResponseBytes).
var ErrResponseTooLarge = errors.New("response body larger than the configured limit")

// ValidationError reports bad input found before anything was sent.
type ValidationError struct {
	// Operation is the operationId of the call.
	Operation string
	// Field names the offending parameter as the API spells it, e.g.
	// "expires_in_days" or "[3].email_address" for the fourth bulk item.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the operation, the field and what is wrong with it.
func (e *ValidationError) Error() string {
	return "clerk: " + e.Operation + ": invalid " + e.Field + ": " + e.Reason
}
