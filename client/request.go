package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/redact"
)

// Header values shared by every request; never modified.
var (
	acceptJSON     = []string{"application/json"}
	apiVersionHdr  = []string{APIVersion}
	contentTypeHdr = []string{"application/json"}
)

// Call sends a request built by package gen through the settings'
// pipeline: it marshals the body once, sends it with auth and the retry
// policy, and decodes a 2xx response into result (which may be nil). The
// whole call, waits included, ends within the call timeout, and each
// attempt, reading the body included, within the attempt timeout.
func (s *settings) Call(ctx context.Context, req *gen.Request, result any) error {
	op := req.Operation
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return &ValidationError{Operation: op.ID, Field: "body", Reason: err.Error()}
		}
	}
	// The call's deadline is enforced by each attempt's context and by the
	// check before each wait: one context per attempt, none for the call.
	var callDeadline time.Time
	if s.timeout > 0 {
		callDeadline = time.Now().Add(s.timeout)
	}
	target := s.baseURL + req.Path
	spent := 0        // budget tokens this call has used
	var last error    // the previous attempt's failure
	ownPause := false // the wait before this attempt was for the previous one's 429
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return &RequestError{Operation: op.ID, Err: context.Cause(ctx), Attempts: attempt - 1}
		}
		if err := s.pace(ctx, op, callDeadline, ownPause); err != nil {
			if last != nil {
				return last // the retry cannot go in time; the failure stands
			}
			return err
		}
		res := s.attempt(ctx, op, target, body, result, callDeadline)
		if res.err == nil {
			s.budget.Refund(spent)
			return nil
		}
		last = res.err
		ownPause = res.status == http.StatusTooManyRequests && res.retryAfter > 0
		if ownPause {
			s.pauses.Pause(op, s.now().Add(res.retryAfter)) // the operation's other calls wait too
		}
		delay, cost, stop := s.next(ctx, op, attempt, res, callDeadline)
		if stop != nil {
			return stop
		}
		spent += cost
		s.log(ctx, slog.LevelInfo, "clerk: retrying", op, attempt, res, delay)
		if s.sleep(ctx, delay) != nil {
			return fmt.Errorf("clerk: %s: %w while waiting to retry; last failure: %w", op.ID, context.Cause(ctx), res.err)
		}
	}
}

// next decides whether a failed attempt goes again: after how long, and
// at what cost to the retry budget (taken). stop is the error to end the
// call with when it does not.
func (s *settings) next(ctx context.Context, op *gen.Operation, attempt int, res result, callDeadline time.Time) (delay time.Duration, cost int, stop error) {
	retry, unknown := decide(op.Method, res.status, res.fail, s.retry.RetryUnknownOutcome)
	annotate(res.err, attempt, unknown)
	if unknown {
		s.log(ctx, slog.LevelWarn, "clerk: outcome unknown; not retried", op, attempt, res, 0)
	}
	if !retry || attempt > s.retry.MaxRetries {
		return 0, 0, res.err
	}
	delay, ok := s.retry.wait(attempt, res.retryAfter)
	if !ok {
		s.log(ctx, slog.LevelWarn, "clerk: Retry-After longer than the policy allows; not retried", op, attempt, res, delay)
		return 0, 0, res.err
	}
	if deadline, ok := ctx.Deadline(); ok && s.now().Add(delay).After(deadline) {
		return 0, 0, res.err // waiting would outlast the context's deadline
	}
	if !callDeadline.IsZero() && time.Now().Add(delay).After(callDeadline) {
		return 0, 0, res.err // waiting would outlast the call timeout
	}
	cost = retryCost
	if isTimeout(res.err) {
		cost = timeoutRetryCost
	}
	if !s.budget.Take(cost) {
		s.log(ctx, slog.LevelWarn, "clerk: retry budget exhausted; not retried", op, attempt, res, 0)
		return 0, 0, res.err
	}
	return delay, cost, nil
}

// result is what one attempt came to.
type result struct {
	err        error
	status     int           // the HTTP status, if a response arrived
	retryAfter time.Duration // the response's Retry-After, if any
	fail       failure
}

// attempt sends the request once and interprets the response, all within
// the attempt timeout and before the call's deadline (when not zero).
func (s *settings) attempt(ctx context.Context, op *gen.Operation, target string, body []byte, out any, callDeadline time.Time) result {
	authorization, err := s.auth(ctx)
	if err != nil {
		return result{err: err, fail: failPermanent} // a *KeyError; nothing was sent
	}
	key := keyOf(authorization[0])
	callCtx := ctx
	deadline, cause := callDeadline, error(s.callCause)
	if s.attemptTimeout > 0 {
		if d := time.Now().Add(s.attemptTimeout); deadline.IsZero() || d.Before(deadline) {
			deadline, cause = d, s.attemptCause
		}
	}
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadlineCause(ctx, deadline, cause)
		defer cancel()
	}
	req, err := s.prepare(ctx, op, target, body, authorization)
	if err != nil {
		return result{err: &RequestError{Operation: op.ID, Err: redact.Error(err, key)}, fail: failPermanent}
	}
	resp, err := s.doer.Do(req)
	if err != nil {
		fail := classify(callCtx, err)
		if fail == failContext {
			err = fmt.Errorf("%w (%w)", context.Cause(callCtx), err)
		} else if cause := context.Cause(ctx); cause != nil && isTimeout(err) {
			err = fmt.Errorf("%w (%w)", cause, err)
		}
		return result{err: &RequestError{Operation: op.ID, Err: redact.Error(err, key)}, fail: fail}
	}
	defer resp.Body.Close()
	if redirected(req, resp) {
		// A doer other than this package's followed a redirect: what came
		// back is another server's response, and the request may have been
		// carried out there. Clerk's API never redirects.
		err := fmt.Errorf("the HTTP doer followed a redirect to another URL (status %d); a doer must not follow redirects", resp.StatusCode)
		return result{err: &RequestError{Operation: op.ID, Err: err}, fail: failRedirected}
	}

	return s.interpret(op, resp, out, key)
}

// prepare builds the HTTP request of one attempt, with its headers.
func (s *settings) prepare(ctx context.Context, op *gen.Operation, target string, body []byte, authorization []string) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, target, rd)
	if err != nil {
		return nil, err
	}
	h := req.Header
	for _, f := range s.fixedHeaders {
		h[f.name] = f.values
	}
	h["Authorization"] = authorization
	if body != nil {
		h["Content-Type"] = contentTypeHdr
	}
	return req, nil
}

// headerField is one header and its values.
type headerField struct {
	name   string
	values []string
}

// fixedHeaders lists the headers that every request of settings with these
// extra headers (WithHeader) and this User-Agent carries, but Authorization
// and Content-Type: the extra ones, then each of the client's own that they
// do not replace. Settings keep the list (see settle), so that a request
// copies it without looking anything up.
func fixedHeaders(extra http.Header, userAgent []string) []headerField {
	own := [...]headerField{{"Accept", acceptJSON}, {"Clerk-Api-Version", apiVersionHdr}, {"User-Agent", userAgent}}
	out := make([]headerField, 0, len(extra)+len(own))
	for name, values := range extra {
		out = append(out, headerField{name, values})
	}
	for _, f := range own {
		if _, replaced := extra[f.name]; !replaced {
			out = append(out, f)
		}
	}
	return out
}

// interpret reads a response: a 2xx decoded into out (nil when the
// operation's success carries no body), anything else an *APIError.
func (s *settings) interpret(op *gen.Operation, resp *http.Response, out any, key string) result {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil {
			_, _ = io.CopyN(io.Discard, resp.Body, s.maxBody)
			return result{}
		}
		err, broken := decodeJSON(resp, s.maxBody, out)
		if err == nil {
			return result{}
		}
		res := result{err: &DecodeError{Operation: op.ID, StatusCode: resp.StatusCode, Err: redact.Error(err, key)}, status: resp.StatusCode, fail: failDecode}
		if broken {
			res.fail = failBody
		}
		return res
	}
	raw := readErrorBody(resp.Body, key)
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10) // so the connection can be reused
	apiErr := newAPIError(op.ID, resp, raw, key, s.now())
	return result{err: apiErr, status: resp.StatusCode, retryAfter: apiErr.RetryAfter}
}

// redirected reports whether the response belongs to another URL than the
// request: the doer followed a redirect.
func redirected(req *http.Request, resp *http.Response) bool {
	got := resp.Request
	if got == nil || got == req || got.URL == nil {
		return false
	}
	return got.URL.Host != req.URL.Host || got.URL.Path != req.URL.Path || got.URL.Scheme != req.URL.Scheme
}

// deadlineError is the cause of a call that ran out of time: the call
// timeout or the attempt timeout ended its context, or the request limit
// would have held it past its deadline. It matches
// context.DeadlineExceeded.
type deadlineError struct{ msg string }

// timeoutCause is the cause of a context that a timeout of d ends; what
// says whose timeout it is.
func timeoutCause(what string, d time.Duration) *deadlineError {
	return &deadlineError{what + " took longer than its limit of " + d.String()}
}

func (e *deadlineError) Error() string { return e.msg }

func (e *deadlineError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout reports true: the call ran out of time.
func (e *deadlineError) Timeout() bool { return true }

// log records a retry decision, if the client has a logger. Only the
// operation, attempt, reason and delay are logged: never keys or bodies.
func (s *settings) log(ctx context.Context, level slog.Level, msg string, op *gen.Operation, attempt int, res result, delay time.Duration) {
	if s.logger == nil {
		return
	}
	reason := failureNames[res.fail]
	if res.fail == failNone {
		reason = "status " + strconv.Itoa(res.status)
	}
	s.logger.LogAttrs(ctx, level, msg,
		slog.String("operation", op.ID),
		slog.Int("attempt", attempt),
		slog.String("reason", reason),
		slog.Duration("delay", delay))
}
