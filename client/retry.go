package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/internal/budget"
)

// RetryPolicy says when a failed call is sent again and how long to wait
// in between.
//
// Which failures are retried depends on the method, because Clerk's API
// takes no idempotency key: a create sent twice invites twice and emails
// twice. GET calls (the lists and Get) are retried on connection failures
// and on 408, 429, 500, 502, 503 and 504. POST calls (Create, BulkCreate,
// Revoke) are retried only when the request provably was not carried out:
// the connection could not be made (refused, DNS, TLS handshake), or the
// server responded 429. A POST whose outcome is unknown (the connection broke
// after sending, a timeout waiting for the response, a 5xx) is not retried;
// its error reports OutcomeUnknown, so the caller can check with Get or List
// before trying again.
type RetryPolicy struct {
	// MaxRetries is how many times a call may be retried after its first
	// attempt. Zero turns retries off.
	MaxRetries int
	// InitialInterval is the wait before the first retry.
	InitialInterval time.Duration
	// Multiplier grows the wait after each retry (at least 1).
	Multiplier float64
	// MaxInterval caps any one computed wait.
	MaxInterval time.Duration
	// Jitter, from 0 to 1, shortens each wait by a random fraction up to
	// this much, so that many clients do not retry in step.
	Jitter float64
	// MaxRetryAfter caps how long the client waits when the server's
	// Retry-After asks for a wait. A longer Retry-After is not waited for:
	// the call fails at once with the error, whose RetryAfter says how long
	// the server asked for.
	MaxRetryAfter time.Duration
	// RetryUnknownOutcome also retries POST calls whose outcome is unknown
	// (5xx responses, timeouts, connections broken after sending).
	//
	// Risky: if the first attempt was carried out, the retry creates a
	// second invitation for the same person and Clerk emails them twice. Turn
	// it on only when duplicates are harmless to you, for example with
	// notify off and a cleanup of duplicates afterwards.
	RetryUnknownOutcome bool
}

// DefaultRetryPolicy is the policy clients start with: up to 3 retries,
// waiting 0.5 s, 1 s, 2 s (each up to 25% shorter at random, never more
// than 8 s), and honouring a Retry-After of up to 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxRetries:      3,
		InitialInterval: 500 * time.Millisecond,
		Multiplier:      2,
		MaxInterval:     8 * time.Second,
		Jitter:          0.25,
		MaxRetryAfter:   30 * time.Second,
	}
}

// WithRetryPolicy sets the retry policy. Start from DefaultRetryPolicy()
// and change the fields you need.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		switch {
		case p.MaxRetries < 0:
			return errors.New("clerk: WithRetryPolicy: MaxRetries is negative")
		case p.InitialInterval < 0 || p.MaxInterval < 0 || p.MaxRetryAfter < 0:
			return errors.New("clerk: WithRetryPolicy: negative interval")
		case p.Multiplier < 1:
			return errors.New("clerk: WithRetryPolicy: Multiplier must be at least 1")
		case p.MaxRetries > 0 && p.MaxInterval == 0:
			return errors.New("clerk: WithRetryPolicy: MaxInterval is zero; start from DefaultRetryPolicy() and change what you need")
		case p.Jitter < 0 || p.Jitter > 1:
			return errors.New("clerk: WithRetryPolicy: Jitter must be between 0 and 1")
		}
		s.retry = p
		return nil
	}
}

// WithMaxRetries changes only the number of retries of the current policy;
// zero turns retries off.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return fmt.Errorf("clerk: WithMaxRetries: %d is negative", n)
		}
		s.retry.MaxRetries = n
		return nil
	}
}

// WithMaxRetryAfter changes only how long the current policy waits when
// a response asks for a wait with Retry-After (RetryPolicy.MaxRetryAfter).
// Zero returns every such response at once, with its RetryAfter set, for
// callers that schedule the wait themselves.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("clerk: WithMaxRetryAfter: %v is negative", d)
		}
		s.retry.MaxRetryAfter = d
		return nil
	}
}

// WithoutRetries turns retries off: every call is sent once.
func WithoutRetries() Option { return WithMaxRetries(0) }

// WithRetryBudget sets the size of the client's retry budget, a token
// bucket shared by all its calls: each retry spends tokens (5, or 10 after a
// timeout) and each success earns one back (or, after retries, what it
// spent). When the bucket is empty, failing calls are not retried, so an
// outage does not multiply the traffic. The default is 500 tokens: 100
// retries in a row. Zero removes the budget. Give it to New; as a call
// option it gives that call a budget of its own.
func WithRetryBudget(tokens int) Option {
	return func(s *settings) error {
		if tokens < 0 {
			return fmt.Errorf("clerk: WithRetryBudget: %d is negative", tokens)
		}
		s.budget = nil
		if tokens > 0 {
			s.budget = budget.New(tokens)
		}
		return nil
	}
}

// WithLogger logs each retry (operation, attempt, reason, delay), each call
// whose outcome is unknown, and retries refused by the budget. Keys and
// bodies are never logged. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}

// failure classifies what went wrong in one attempt.
type failure int

const (
	failNone       failure = iota // an HTTP response arrived (see its status)
	failNotSent                   // the request provably never left: dial, DNS, TLS handshake
	failPermanent                 // retrying cannot help: certificate errors and the like
	failUncertain                 // broke after the request may have been sent
	failBody                      // a 2xx response whose body broke off or stalled
	failDecode                    // a 2xx response that arrived whole but is not what the schema describes
	failContext                   // the caller's context ended during the attempt
	failRedirected                // the HTTP doer followed a redirect
)

var failureNames = [...]string{"", "connection not made", "permanent error", "connection broken", "response broken off", "response not as specified", "context ended", "redirect followed"}

// decide is the retry decision for one failed attempt: whether to retry it,
// and whether the outcome of the request is unknown (it may have been
// carried out). status is the HTTP status when fail is failNone.
func decide(method string, status int, fail failure, retryUnknown bool) (retry, unknown bool) {
	get := method == http.MethodGet
	switch fail {
	case failNotSent:
		return true, false
	case failPermanent:
		return false, false
	case failUncertain:
		return get || retryUnknown, !get
	case failBody:
		// A GET can be read again. For a POST the 2xx says it was carried
		// out, but not what it created: report that, and never send again.
		return get, !get
	case failDecode:
		return false, !get // the same response would come back
	case failContext, failRedirected:
		// A followed redirect would be followed again; a POST may have been
		// carried out where it went.
		return false, !get
	}
	switch status {
	case http.StatusTooManyRequests:
		return true, false // refused before any work: safe for every method
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return get || retryUnknown, !get
	}
	// A POST answered by a 5xx, or redirected (a 303 is how a web server
	// says "done, look there"), may have been carried out.
	return false, !get && (status >= 500 || (status >= 300 && status < 400))
}

// classify sorts a transport error into a failure class.
func classify(ctx context.Context, err error) failure {
	if ctx.Err() != nil {
		return failContext
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return failNotSent
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return failNotSent
	}
	var (
		certErr     *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
		authErr     x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &recordErr) || errors.As(err, &authErr) ||
		errors.As(err, &hostErr) || errors.As(err, &invalidCert) {
		return failPermanent
	}
	// Some transport errors exist only as text. Each of these happens
	// before any byte of the request is written.
	switch msg := err.Error(); {
	case strings.Contains(msg, "TLS handshake timeout"):
		return failNotSent
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"),
		strings.Contains(msg, "net/http: invalid header field"),
		strings.Contains(msg, "net/http: invalid method"),
		strings.Contains(msg, "unsupported protocol scheme"),
		strings.Contains(msg, "no Host in request URL"):
		return failPermanent
	}
	return failUncertain
}

// isTimeout reports whether err is a timeout, which costs the budget more.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// wait returns how long to wait before retry number n (1-based), or false
// when the server asked for a longer wait than the policy allows.
func (p *RetryPolicy) wait(n int, retryAfter time.Duration) (time.Duration, bool) {
	if retryAfter > 0 {
		return retryAfter, retryAfter <= p.MaxRetryAfter
	}
	d := float64(p.InitialInterval)
	for i := 1; i < n && d < float64(p.MaxInterval); i++ {
		d *= p.Multiplier
	}
	d = min(d, float64(p.MaxInterval))
	if p.Jitter > 0 {
		d -= d * p.Jitter * rand.Float64()
	}
	return time.Duration(d), true
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// What a retry costs the retry budget ([WithRetryBudget]): more after a
// timeout.
const (
	retryCost        = 5
	timeoutRetryCost = 10
)
