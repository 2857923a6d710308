package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/pace"
	"github.com/invitekit/clerkinvitations/internal/redact"
)

// ClerkError is one entry of the errors list in Clerk's error responses:
// a stable Code to branch on, a Message and LongMessage for people, and Meta
// with details that depend on the code.
type ClerkError = gen.ClerkError

// APIError is the error for every response outside 2xx, whatever the
// status and whatever the body: Clerk's error JSON, an empty body, an HTML
// page from a proxy, or truncated JSON. StatusCode is always set. Use
// errors.As to get it, or the predicates [IsNotFound], [IsUnauthorized],
// [IsForbidden], [IsRateLimited], [HasCode] and [OutcomeUnknown].
type APIError struct {
	// Operation is the operationId of the call, e.g. "CreateOrganizationInvitation".
	Operation string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Errors is Clerk's list of errors; empty when the body was not Clerk's JSON.
	Errors []ClerkError
	// Meta is the top-level meta object of Clerk's response, if any.
	Meta map[string]any
	// TraceID identifies the request in Clerk's logs: the body's
	// clerk_trace_id, or else the CF-Ray response header. Quote it to support.
	TraceID string
	// RetryAfter is how long the server asked the caller to wait (from the
	// Retry-After header, in seconds or as a date); zero when absent.
	RetryAfter time.Duration
	// Body holds the start of the raw response (at most
	// [MaxErrorBodyBytes]), for logging responses that are not Clerk's
	// JSON. Any occurrence of the secret key in it is replaced by
	// "[REDACTED]".
	Body []byte
	// Header is the response's header, with the secret key scrubbed from
	// it like Body.
	Header http.Header
	// Attempts is how many times the call was sent.
	Attempts int

	unknown bool // see OutcomeUnknown
}

// OutcomeUnknown reports whether err comes from a call that may have been
// carried out although it failed: a POST (create, bulk create, revoke) that
// broke off after it was sent, timed out waiting for its response, got a
// 5xx, or got a 2xx whose body could not be read ([DecodeError]). Such
// calls are never sent again automatically. Before sending a
// create again, check whether the invitation exists (List with
// EmailAddress, or Get).
func OutcomeUnknown(err error) bool {
	var (
		apiErr *APIError
		reqErr *RequestError
		decErr *DecodeError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr.unknown
	case errors.As(err, &reqErr):
		return reqErr.unknown
	case errors.As(err, &decErr):
		return decErr.unknown
	}
	return false
}

const unknownNote = " (outcome unknown: it may have been carried out; check before sending it again)"

// MaxErrorBodyBytes bounds how much of an error response is read and kept.
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
	if e.unknown {
		b.WriteString(unknownNote)
	}
	return b.String()
}

// IsNotFound reports whether err is an [APIError] with status 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is an [APIError] with status 401: the
// key is missing, wrong or revoked.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is an [APIError] with status 403.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsRateLimited reports whether err is an [APIError] with status 429. Its
// RetryAfter says how long to wait.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// HasCode reports whether err is an [APIError] carrying a Clerk error with
// this code, such as [CodeDuplicateRecord] or [CodeNotFound].
func HasCode(err error, code string) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	for _, ce := range apiErr.Errors {
		if ce.Code == code {
			return true
		}
	}
	return false
}

func hasStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// newAPIError builds the error for a non-2xx response from its status, header
// and body, which readErrorBody has bounded and scrubbed. The key, if not
// empty, is scrubbed from the header too, so that nothing the error keeps
// holds it.
func newAPIError(op string, resp *http.Response, body []byte, key string, now time.Time) *APIError {
	header := redact.Header(resp.Header, key)
	e := &APIError{
		Operation:  op,
		StatusCode: resp.StatusCode,
		Header:     header,
		RetryAfter: pace.RetryAfter(header.Get("Retry-After"), now),
	}
	if len(body) > 0 {
		e.Body = body
		var parsed gen.ClerkErrors
		if json.Unmarshal(body, &parsed) == nil {
			e.Errors = parsed.Errors
			e.Meta = parsed.Meta
			e.TraceID = parsed.ClerkTraceID
		}
	}
	if e.TraceID == "" {
		e.TraceID = header.Get("Cf-Ray")
	}
	return e
}

// RequestError reports that a call got no HTTP response: the connection
// could not be made, broke, or timed out, or the context ended. Err is the
// cause; errors.Is(err, context.DeadlineExceeded) and friends see through
// it. [OutcomeUnknown] reports whether the request may have reached the
// server before the failure.
type RequestError struct {
	// Operation is the operationId of the call.
	Operation string
	// Err is what went wrong.
	Err error
	// Attempts is how many times the call was sent.
	Attempts int

	unknown bool // see OutcomeUnknown
}

// Error names the operation and the transport failure, and says when the
// outcome is unknown.
func (e *RequestError) Error() string {
	msg := "clerk: " + e.Operation + ": no response: " + e.Err.Error()
	if e.unknown {
		msg += unknownNote
	}
	return msg
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// DecodeError reports that the server responded with success but the body
// could not be read as the expected JSON, broke off, or lacks a value the
// schema requires ([MissingFieldError]). The request itself was carried
// out: after a create or bulk create, the invitations may exist although
// the response does not say so, and [OutcomeUnknown] reports true. Check
// with List before creating them again.
type DecodeError struct {
	// Operation is the operationId of the call.
	Operation string
	// StatusCode is the (successful) status of the response.
	StatusCode int
	// Err is the decoding or reading error; it matches [ErrResponseTooLarge]
	// when the body was over the limit.
	Err error
	// Attempts is how many times the call was sent.
	Attempts int

	unknown bool // see OutcomeUnknown
}

// Error names the operation and what could not be decoded, and says when
// the request was carried out.
func (e *DecodeError) Error() string {
	msg := "clerk: " + e.Operation + ": the " + strconv.Itoa(e.StatusCode) + " response could not be decoded: " + e.Err.Error()
	if e.unknown {
		msg += " (the request was carried out, so what it creates may exist; check before sending it again)"
	}
	return msg
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// annotate records, on a call's final error, how many attempts were made and
// whether the outcome is unknown.
func annotate(err error, attempts int, unknown bool) {
	switch e := err.(type) {
	case *APIError:
		e.Attempts, e.unknown = attempts, unknown
	case *RequestError:
		e.Attempts, e.unknown = attempts, unknown
	case *DecodeError:
		e.Attempts, e.unknown = attempts, unknown
	}
}

// ErrResponseTooLarge is matched (errors.Is) by a [DecodeError] whose body
// was larger than the client's limit ([WithMaxResponseBytes]).
var ErrResponseTooLarge = errors.New("response body larger than the configured limit")

// ValidationError reports bad input found before anything was sent: an
// argument that breaks a rule of the spec (checked by gen) or one of this
// package's own rules (an email address without @, one address twice in a
// bulk request). Field names the argument as the API spells it, such as
// "expires_in_days" or "[3].email_address" for the fourth bulk item.
type ValidationError = gen.ValidationError
