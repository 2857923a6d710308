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
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
)

// Header values shared by every request; never modified.
var (
	acceptJSON     = []string{"application/json"}
	apiVersionHdr  = []string{APIVersion}
	contentTypeHdr = []string{"application/json"}
)

// Call sends a request built by package gen through the settings'
// pipeline: it marshals the body once, sends it with auth and the retry
// policy, and decodes a 2xx response into result (which may be nil).
func (s *settings) Call(ctx context.Context, req *gen.Request, result any) error {
	op := req.Operation
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return &ValidationError{Operation: op.ID, Field: "body", Reason: err.Error()}
		}
	}
	target := s.baseURL + req.Path
	spent := 0 // budget tokens this call has used
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return &RequestError{Operation: op.ID, Err: err, Attempts: attempt - 1}
		}
		res := s.attempt(ctx, op, target, body, result)
		if res.err == nil {
			s.budget.refund(spent)
			return nil
		}
		retry, unknown := decide(op.Method, res.status, res.fail, s.retry.RetryUnknownOutcome)
		annotate(res.err, attempt, unknown)
		if unknown {
			s.log(ctx, slog.LevelWarn, "clerk: outcome unknown; not retried", op, attempt, res, 0)
		}
		if !retry || attempt > s.retry.MaxRetries {
			return res.err
		}
		delay, ok := s.retry.wait(attempt, res.retryAfter)
		if !ok {
			s.log(ctx, slog.LevelWarn, "clerk: Retry-After longer than the policy allows; not retried", op, attempt, res, delay)
			return res.err
		}
		if deadline, ok := ctx.Deadline(); ok && s.now().Add(delay).After(deadline) {
			return res.err // waiting would outlast the caller's deadline
		}
		cost := retryCost
		if isTimeout(res.err) {
			cost = timeoutRetryCost
		}
		if !s.budget.take(cost) {
			s.log(ctx, slog.LevelWarn, "clerk: retry budget exhausted; not retried", op, attempt, res, 0)
			return res.err
		}
		spent += cost
		s.log(ctx, slog.LevelInfo, "clerk: retrying", op, attempt, res, delay)
		if err := s.sleep(ctx, delay); err != nil {
			return fmt.Errorf("clerk: %s: %w while waiting to retry; last failure: %w", op.ID, err, res.err)
		}
	}
}

// result is what one attempt came to.
type result struct {
	err        error
	status     int           // the HTTP status, if a response arrived
	retryAfter time.Duration // the response's Retry-After, if any
	fail       failure
}

// attempt sends the request once and interprets the response.
func (s *settings) attempt(ctx context.Context, op *gen.Operation, target string, body []byte, out any) result {
	authorization, err := s.auth(ctx)
	if err != nil {
		return result{err: err, fail: failPermanent} // a *KeyError; nothing was sent
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, target, rd)
	if err != nil {
		return result{err: &RequestError{Operation: op.ID, Err: err}, fail: failPermanent}
	}
	h := req.Header
	h["Authorization"] = authorization
	h["Accept"] = acceptJSON
	h["Clerk-Api-Version"] = apiVersionHdr
	h["User-Agent"] = s.userAgent
	if body != nil {
		h["Content-Type"] = contentTypeHdr
	}
	for name, values := range s.headers { // WithHeader may override all but the reserved ones
		h[name] = values
	}

	resp, err := s.doer.Do(req)
	if err != nil {
		return result{err: &RequestError{Operation: op.ID, Err: err}, fail: classify(ctx, err)}
	}
	defer resp.Body.Close()

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil { // the operation's success carries no body
			_, _ = io.CopyN(io.Discard, resp.Body, s.maxBody)
			return result{}
		}
		if err, broken := decodeJSON(resp.Body, s.maxBody, out); err != nil {
			res := result{err: &DecodeError{Operation: op.ID, StatusCode: resp.StatusCode, Err: err}, status: resp.StatusCode, fail: failPermanent}
			if broken {
				res.fail = failBody
			}
			return res
		}
		return result{}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBodyBytes))
	if err != nil && len(raw) == 0 {
		// The status line arrived but the body broke off; the status still
		// says what happened.
		raw = nil
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10) // so the connection can be reused
	apiErr := newAPIError(op.ID, resp, raw, keyOf(authorization[0]), s.now())
	return result{err: apiErr, status: resp.StatusCode, retryAfter: apiErr.RetryAfter}
}

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

// decodeJSON reads the body (at most limit bytes) into a pooled buffer and
// decodes it into out. Reading first and decoding the bytes takes fewer
// instructions than decoding from the stream, and the pooled buffer makes
// the body itself cost no allocation once warm. broken reports that reading
// failed (the connection broke off), as opposed to a body that arrived whole
// but is not the JSON expected.
func decodeJSON(r io.Reader, limit int64, out any) (err error, broken bool) {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	lr := cappedReader{r: r, left: limit}
	_, readErr := buf.ReadFrom(&lr)
	switch {
	case lr.over:
		return ErrResponseTooLarge, false
	case buf.Len() == 0 && readErr == nil:
		return io.ErrUnexpectedEOF, false // an empty body is not a value
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		if readErr != nil {
			return readErr, true
		}
		return err, false
	}
	return nil, false // complete, even if the connection broke after the value
}

// bodyBuffers holds buffers for reading responses. json.Unmarshal copies what
// it keeps, so a buffer is free again as soon as decoding ends.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps a rare huge response from pinning its memory.
const maxPooledBuffer = 1 << 20

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bodyBuffers.Put(b)
}

// cappedReader reads from r until left bytes have been read, then reports
// an error (and remembers that the limit was passed).
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte would pass the limit: find out whether there is one.
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n > 0 {
			c.over = true
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
