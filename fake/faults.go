package fake

import (
	"net"
	"net/http"
	"strconv"
	"time"

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

// Fault is how the fake misbehaves for one request. Set one of Status, Hang
// or Reset.
type Fault struct {
	// Status responds with this HTTP status and a Clerk error body.
	Status int
	// RetryAfter, with Status, sends a Retry-After header (whole seconds).
	RetryAfter time.Duration
	// Hang never responds: the request ends when the client gives up or the
	// server closes.
	Hang bool
	// Reset drops the connection without a response.
	Reset bool
	// After carries the request out first (an invitation is created or
	// revoked) and only then misbehaves: the client cannot know that it
	// worked. Without After, the request has no effect.
	After bool
}

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

// misbehave carries out a fault.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault) {
	switch {
	case f.Hang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
	case f.Reset:
		reset(w)
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		code, msg := "internal_clerk_error", "The fake was told to fail this request."
		if status == http.StatusTooManyRequests {
			code, msg = "too_many_requests", "Too many requests; retry later."
		}
		writeClerkError(w, status, clerkError(code, http.StatusText(status), msg, ""))
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
