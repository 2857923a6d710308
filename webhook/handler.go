package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
)

// MaxBodyBytes is the largest body [Verifier.Handler] reads: 1 MiB, far
// above an invitation event (a few KB, metadata included). A larger body
// is answered 413 without being verified.
const MaxBodyBytes = 1 << 20

// Handler returns an http.Handler for the endpoint Clerk posts to. For each
// request it reads at most [MaxBodyBytes] of body, verifies it with
// [Verifier.Verify] and calls handle with the event and the request's
// context. It answers:
//
//   - 204 when handle returns nil: Svix counts the event delivered;
//   - 500 when handle returns an error: Svix delivers the event again
//     later, with the same MessageID;
//   - 400 for a missing or malformed header or an authentic body that is
//     not an event, 401 for a bad signature or a timestamp out of the
//     tolerance, 413 for a body too large, 405 for a method other than
//     POST; handle is not called.
//
// Response bodies are short plain-text reasons; they never include
// handle's error (log it in handle if needed) nor the secret. How long a
// request can take is up to handle and to the server's timeouts (set
// http.Server's ReadTimeout to bound a client that sends slowly).
// Handler panics if handle is nil.
func (v *Verifier) Handler(handle func(ctx context.Context, e Event) error) http.Handler {
	if handle == nil {
		panic("webhook: Handler needs a function to call with each event")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "webhook: only POST is accepted", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "webhook: the body is larger than the handler accepts", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "webhook: the body could not be read", http.StatusBadRequest)
			return
		}
		event, err := v.Verify(r.Header, body)
		if err != nil {
			http.Error(w, err.Error(), statusFor(err))
			return
		}
		if err := handle(r.Context(), event); err != nil {
			http.Error(w, "webhook: the event was not handled; it may be sent again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// statusFor is the response status for one of Verify's errors.
func statusFor(err error) int {
	switch {
	case errors.Is(err, ErrBadSignature), errors.Is(err, ErrTooOld), errors.Is(err, ErrTooNew):
		return http.StatusUnauthorized
	default:
		return http.StatusBadRequest
	}
}
