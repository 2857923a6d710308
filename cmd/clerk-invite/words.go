package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// The errors of the library are for Go programs: they name the package
// ("clerk:", "bulkinvite:") and the operation ("CreateOrganizationInvitation")
// so that a log says where they came from. A person at a terminal needs
// what happened and what to do, in the tool's terms: flags, files,
// CLERK_SECRET_KEY, people. say is the one place that turns the first
// into the second, by the errors' types; the commands build their
// messages from what it says, never by wrapping a library error whole.

// say is err as a person reads it.
func say(err error) string {
	var (
		idle    *bulkinvite.IdleError
		none    *bulkinvite.NoPendingError
		keyForm *client.KeyFormatError
		base    *client.BaseURLError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &keyForm):
		return client.SecretKeyEnv + " " + keyForm.Reason
	case errors.As(err, &base):
		return baseURLWords(base)
	case errors.As(err, &idle):
		return fmt.Sprintf("nobody was settled for %s, so the run stopped", roughly(idle.Timeout))
	case errors.As(err, &none):
		return fmt.Sprintf("%s has no pending invitation to %s, so there is nothing to resend; to invite them, run clerk-invite send with a CSV file holding their row", none.EmailAddress, none.OrganizationID)
	case errors.Is(err, bulkinvite.ErrServerCheck):
		return "the pending invitations could not be listed before sending: " + sayCause(err)
	case errors.Is(err, bulkinvite.ErrLocked):
		return "another run has the journal open"
	}
	return sayCause(err)
}

// sayCause says what went wrong at the bottom of err: an error of the
// API or of the connection to it, a file, or else the root cause.
func sayCause(err error) string {
	var (
		apiErr *client.APIError
		reqErr *client.RequestError
		decErr *client.DecodeError
		pagErr *client.PagingError
		valErr *client.ValidationError
		pathEr *fs.PathError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiWords(apiErr)
	case errors.As(err, &reqErr):
		return requestWords(reqErr)
	case errors.As(err, &decErr):
		return decodeWords(decErr)
	case errors.As(err, &pagErr):
		return fmt.Sprintf("the list changed faster than it could be read: %d invitations were read where the API counted %d; run the same command again", pagErr.Yielded, pagErr.Expected)
	case errors.As(err, &valErr):
		return fieldWords(valErr.Field) + " " + valErr.Reason
	case errors.Is(err, context.Canceled):
		return "stopped (Ctrl-C or SIGTERM)"
	case errors.As(err, &pathEr):
		return pathEr.Path + ": " + cliwords.Cause(pathEr.Err).Error()
	}
	return cliwords.Cause(err).Error()
}

// apiWords says a response of the API outside 2xx.
func apiWords(e *client.APIError) string {
	status := strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
	var b strings.Builder
	switch e.StatusCode {
	case http.StatusUnauthorized: // Clerk's own words add nothing to these
		fmt.Fprintf(&b, "Clerk refused the secret key in %s (%s): check that it is the current secret key of this instance", client.SecretKeyEnv, strings.TrimSpace(status))
		if e.TraceID != "" {
			b.WriteString(" (trace " + e.TraceID + ")")
		}
		return b.String()
	case http.StatusTooManyRequests:
		fmt.Fprintf(&b, "Clerk's rate limit was reached (%s)", strings.TrimSpace(status))
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, ": it asks to wait %s", roughly(e.RetryAfter))
		}
	default:
		fmt.Fprintf(&b, "Clerk answered %s", strings.TrimSpace(status))
	}
	if len(e.Errors) > 0 {
		first := e.Errors[0]
		msg := first.LongMessage
		if msg == "" {
			msg = first.Message
		}
		b.WriteString(": " + strings.TrimSpace(first.Code+": "+msg))
	}
	if e.TraceID != "" {
		b.WriteString(" (trace " + e.TraceID + ")")
	}
	if client.OutcomeUnknown(e) {
		b.WriteString("; the request may have been carried out all the same")
	}
	return b.String()
}

// requestWords says a call that got no response: from which host, and
// why, in the network's words.
func requestWords(e *client.RequestError) string {
	host := "the API"
	var ue *url.Error
	if errors.As(e, &ue) {
		if u, err := url.Parse(ue.URL); err == nil && u.Host != "" {
			host = u.Host
		}
	}
	var dns *net.DNSError
	why := cliwords.Cause(e.Err).Error()
	switch {
	case errors.Is(e.Err, context.Canceled):
		why = "stopped (Ctrl-C or SIGTERM)"
	case errors.As(e.Err, &dns):
		why = "the host " + dns.Name + " was not found"
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		why = "the connection was refused: is the server running, and is --base-url right?"
	}
	msg := "no answer from " + host + ": " + why
	if client.OutcomeUnknown(e) {
		msg += "; the request may have reached it all the same"
	}
	return msg
}

// decodeWords says a response of success that could not be read.
func decodeWords(e *client.DecodeError) string {
	msg := fmt.Sprintf("Clerk answered %d, but its answer could not be read (%s)", e.StatusCode, cliwords.Cause(e.Err))
	if client.OutcomeUnknown(e) {
		msg += "; what it created may exist: run the same command again, which looks before it sends"
	}
	return msg
}

// fieldWords names a field of the API by the flag that sets it, where one
// does.
func fieldWords(field string) string {
	switch field {
	case "organization_id":
		return "--org"
	case "email_address":
		return "--email"
	}
	return field
}

// baseURLWords says why --base-url is refused; the client's hint is for
// Go programs.
func baseURLWords(e *client.BaseURLError) string { return "--base-url: " + e.Reason }

// reasonWords is a reason recorded in a journal as a person reads it. A
// journal holds text, not errors: the reasons a run recorded from the
// client's errors start "clerk: " and the operation (from this version
// and earlier ones alike), which is left out here, once, for every
// reason shown.
func reasonWords(reason string) string {
	for _, op := range gen.Operations {
		reason = strings.ReplaceAll(reason, "clerk: "+op.ID+": ", "")
	}
	return reason
}
