package fake

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// The operations, by operationId, for InjectFault and Request.Operation.
var (
	OpListInstance = gen.OpListInstanceOrganizationInvitations.ID
	OpCreate       = gen.OpCreateOrganizationInvitation.ID
	OpList         = gen.OpListOrganizationInvitations.ID
	OpBulkCreate   = gen.OpCreateOrganizationInvitationBulk.ID
	OpListPending  = gen.OpListPendingOrganizationInvitations.ID
	OpGet          = gen.OpGetOrganizationInvitation.ID
	OpRevoke       = gen.OpRevokeOrganizationInvitation.ID
)

// AnyOperation makes a fault apply to whichever operation comes next.
const AnyOperation = "*"

// Fault is how the fake misbehaves for one request. Set one kind of
// misbehaviour: Status (with Body for a 2xx), Hang, Reset, Redirect,
// StallBody, Trickle, Partial or IgnoreOffset.
type Fault struct {
	// Status responds with this HTTP status. Outside 2xx the body is a
	// Clerk error; a 2xx status sends Body as it is (empty when Body is),
	// so that a test can serve {} or null where an invitation belongs.
	Status int
	// Body is the body of a 2xx Status.
	Body string
	// RetryAfter, with Status, sends a Retry-After header (whole seconds).
	RetryAfter time.Duration
	// EchoKey, with Status, sends the request's Authorization header back:
	// in the response headers (X-Echo-Authorization, and as the CF-Ray
	// trace id) and in the body, raw and JSON-escaped, as a careless or
	// hostile server might. For tests that the key never shows in errors.
	EchoKey bool
	// Hang never responds: the request ends when the client gives up or the
	// server closes.
	Hang bool
	// Reset drops the connection without a response.
	Reset bool
	// Redirect responds with this 3xx status and a Location header:
	// RedirectTo, or by default the same URL on the same server.
	Redirect int
	// RedirectTo is the Location of a Redirect.
	RedirectTo string
	// StallBody carries the request out and sends the status, the headers
	// (with the full Content-Length) and the first half of the body, then
	// sends nothing more until the client gives up.
	StallBody bool
	// Trickle carries the request out and sends its response one byte
	// every Trickle.
	Trickle time.Duration
	// Partial carries the request out and sends the status, the headers
	// (with the full Content-Length) and half of the body, then drops the
	// connection.
	Partial bool
	// IgnoreOffset serves a list as if its request had no offset: the
	// first page, whatever page was asked for. Inject it for many calls
	// (n) to model a server that does not page.
	IgnoreOffset bool
	// After carries the request out first (an invitation is created or
	// revoked) and only then misbehaves: the client cannot know that it
	// worked. Without After, the request has no effect. StallBody, Trickle,
	// Partial and IgnoreOffset always carry the request out.
	After bool
}

// shapesResponse reports whether the fault delivers the real response in
// a broken way, rather than a response of its own.
func (f Fault) shapesResponse() bool { return f.StallBody || f.Trickle > 0 || f.Partial }

type pendingFault struct {
	op    string
	left  int
	fault Fault
}

// InjectFault makes the next n calls of op (an Op constant or AnyOperation)
// misbehave as f says. Faults queue in the order they are injected; n <= 0
// injects nothing.
func (s *Server) InjectFault(op string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, pendingFault{op: op, left: n, fault: f})
}

// takeFault returns the fault due for this call of op, if any.
func (s *Server) takeFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		pf := &s.faults[i]
		if pf.left > 0 && (pf.op == op || pf.op == AnyOperation) {
			pf.left--
			f := pf.fault
			if pf.left == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f, true
		}
	}
	return Fault{}, false
}

// misbehave responds as a fault says, in place of the real response.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault) {
	switch {
	case f.Hang:
		s.wait(r)
	case f.Reset:
		reset(w)
	case f.Redirect != 0:
		to := f.RedirectTo
		if to == "" {
			to = r.URL.String()
		}
		w.Header().Set("Location", to)
		w.WriteHeader(f.Redirect)
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.RetryAfter > 0 {
			setRetryAfter(w, f.RetryAfter)
		}
		if status >= 200 && status < 300 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		code, msg := client.CodeInternal, "The fake was told to fail this request."
		if status == http.StatusTooManyRequests {
			code, msg = client.CodeTooManyRequests, "Too many requests; retry later."
		}
		body := clerkError(code, http.StatusText(status), msg, "")
		if f.EchoKey {
			auth := r.Header.Get("Authorization")
			key := strings.TrimPrefix(auth, "Bearer ")
			w.Header().Set("X-Echo-Authorization", auth)
			w.Header().Set("Cf-Ray", key)
			escaped := strings.ReplaceAll(key, "_", `\u005f`)
			body.Meta = map[string]any{"authorization": auth}
			body.Errors[0].LongMessage = "You sent " + key + "."
			raw, _ := json.Marshal(body)
			// JSON-escape the key once more, by hand: encoding/json never
			// writes \u005f, but another server's encoder may.
			raw = append(raw[:len(raw)-1], []byte(`,"echo":"`+escaped+`"}`)...)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write(raw)
			return
		}
		writeClerkError(w, status, body)
	}
}

// deliver sends a recorded real response in the broken way a fault says.
func (s *Server) deliver(w http.ResponseWriter, r *http.Request, rec *httptest.ResponseRecorder, f Fault) {
	body := rec.Body.Bytes()
	for name, values := range rec.Header() {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	flusher, _ := w.(http.Flusher)
	switch {
	case f.Trickle > 0:
		for i := range body {
			if _, err := w.Write(body[i : i+1]); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			select {
			case <-time.After(f.Trickle):
			case <-r.Context().Done():
				return
			case <-s.closed:
				return
			}
		}
	case f.StallBody, f.Partial:
		_, _ = w.Write(body[:len(body)/2])
		if flusher != nil {
			flusher.Flush()
		}
		if f.Partial {
			panic(http.ErrAbortHandler) // net/http drops the connection
		}
		s.wait(r)
	}
}

// wait blocks until the client goes away or the server closes.
func (s *Server) wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.closed:
	}
}

// reset closes the connection at once, with a TCP reset where possible.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// setRetryAfter sends d as a Retry-After header, in whole seconds rounded
// up, as Clerk sends it.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
}
