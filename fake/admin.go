package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// AdminPrefix is the path under which WithAdmin serves the admin API. The
// Backend API lives under /v1, so no request to the API can reach it.
const AdminPrefix = "/_fake/"

// WithAdmin serves an admin API under AdminPrefix beside the Backend API,
// so that a test in any language, or a person with curl, can drive the fake
// from outside. It takes and returns JSON, needs no key, and is not in
// Requests. Its routes:
//
//	GET    /_fake/                          the routes
//	POST   /_fake/faults                    inject a fault: {"operation": "CreateOrganizationInvitation" or "*",
//	                                        "count": 1, "kind": "status|hang|reset|redirect|stall_body|trickle|partial|ignore_offset",
//	                                        "status": 503, "body": "", "retry_after": "2s", "echo_key": false,
//	                                        "location": "", "interval": "10ms", "after": false}
//	DELETE /_fake/faults                    drop the faults not yet used
//	GET    /_fake/rate-limits               the limits and how many requests each operation had refused
//	PUT    /_fake/rate-limits               replace the limits: {"clerk": "production|development|off"},
//	                                        and/or {"limits": [{"operation": "...", "count": 2, "per": "1m"}]}
//	GET    /_fake/invitations               every invitation, as the API shows it
//	POST   /_fake/invitations/{id}/accept   accept it, as the invited person would (see Accept)
//	POST   /_fake/invitations/{id}/expire   let it expire now (see Expire)
//	GET    /_fake/requests                  the recorded requests (see Requests)
//	GET    /_fake/notifications             the invitation emails Clerk would have sent (see Notifications)
//	GET    /_fake/state                     the state, as Snapshot returns it
//	POST   /_fake/reset                     back to the start (see Reset)
//
// Errors are {"error": "..."} with 400 (a bad request body), 404 (no such
// route or invitation) or 409 (an invitation that is not pending).
func WithAdmin() Option {
	return func(s *Server) { s.admin = true }
}

// AdminURL is the admin API's base URL, e.g. "http://127.0.0.1:41234/_fake",
// or "" when the Server was started without WithAdmin.
func (s *Server) AdminURL() string {
	if !s.admin {
		return ""
	}
	return strings.TrimSuffix(s.URL, "/v1") + strings.TrimSuffix(AdminPrefix, "/")
}

// adminRoutes lists the routes for GET /_fake/.
var adminRoutes = []string{
	"POST /_fake/faults", "DELETE /_fake/faults",
	"GET /_fake/rate-limits", "PUT /_fake/rate-limits",
	"GET /_fake/invitations", "POST /_fake/invitations/{id}/accept", "POST /_fake/invitations/{id}/expire",
	"GET /_fake/requests", "GET /_fake/notifications", "GET /_fake/state", "POST /_fake/reset",
	"GET /_fake/webhooks",
}

// withAdmin routes requests under AdminPrefix to the admin API and the
// rest to next.
func (s *Server) withAdmin(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fake/{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"routes": adminRoutes})
	})
	mux.HandleFunc("POST /_fake/faults", s.adminInjectFault)
	mux.HandleFunc("DELETE /_fake/faults", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		s.faults = nil
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_fake/rate-limits", s.adminLimits)
	mux.HandleFunc("PUT /_fake/rate-limits", s.adminSetLimits)
	mux.HandleFunc("GET /_fake/invitations", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Invitations())
	})
	mux.HandleFunc("POST /_fake/invitations/{id}/accept", s.adminSettle(s.accept))
	mux.HandleFunc("POST /_fake/invitations/{id}/expire", s.adminSettle(func(id string, _ origin) error { return s.Expire(id) }))
	mux.HandleFunc("GET /_fake/requests", s.adminRequests)
	mux.HandleFunc("GET /_fake/notifications", func(w http.ResponseWriter, _ *http.Request) {
		out := []notification{}
		for _, n := range s.Notifications() {
			out = append(out, notification(n))
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /_fake/webhooks", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, append([]WebhookEvent{}, s.Webhooks()...))
	})
	mux.HandleFunc("GET /_fake/state", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.capture())
	})
	mux.HandleFunc("POST /_fake/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/_fake/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no admin route "+r.Method+" "+r.URL.Path+"; GET "+AdminPrefix+" lists them")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, AdminPrefix) {
			mux.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) adminInjectFault(w http.ResponseWriter, r *http.Request) {
	var spec faultSpec
	if !readJSON(w, r, &spec) {
		return
	}
	op, n, f, err := parseFault(spec)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.InjectFault(op, n, f)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminLimits(w http.ResponseWriter, _ *http.Request) {
	s.limitMu.Lock()
	limits := []limitSpec{}
	for _, l := range s.limits {
		limits = append(limits, limitSpec{Operation: l.op, Count: l.n, Per: l.per.String()})
	}
	s.limitMu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"limits": limits, "refused": s.RateLimited()})
}

func (s *Server) adminSetLimits(w http.ResponseWriter, r *http.Request) {
	var spec limitsSpec
	if !readJSON(w, r, &spec) {
		return
	}
	limits, err := parseLimits(spec)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.limitMu.Lock()
	s.limits = limits
	s.limitMu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// adminSettle serves accept and expire: 404 for an unknown invitation,
// 409 for one that is not pending, else the invitation as it is now. The
// admin request is the one that caused the change, for its webhook event.
func (s *Server) adminSettle(settle func(id string, from origin) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s.store.mu.Lock()
		known := s.store.index.id(s.store.invitations, id) != nil
		s.store.mu.Unlock()
		if !known {
			adminError(w, http.StatusNotFound, "no invitation "+id)
			return
		}
		if err := settle(id, originOf(r)); err != nil {
			adminError(w, http.StatusConflict, err.Error())
			return
		}
		for _, inv := range s.Invitations() {
			if inv.ID == id {
				writeJSON(w, http.StatusOK, inv)
				return
			}
		}
	}
}

// adminRequest is a Request as GET /_fake/requests shows it.
type adminRequest struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Query     string `json:"query"`
	Body      string `json:"body"`
}

func (s *Server) adminRequests(w http.ResponseWriter, _ *http.Request) {
	out := []adminRequest{}
	for _, r := range s.Requests() {
		out = append(out, adminRequest{Operation: r.Operation, Method: r.Method, Path: r.Path, Query: r.Query, Body: string(r.Body)})
	}
	writeJSON(w, http.StatusOK, out)
}

// maxAdminBody bounds the body of an admin request.
const maxAdminBody = 1 << 20

// readJSON decodes an admin request's body into v, refusing unknown
// fields; on failure it has responded 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("the body is not the JSON this route takes: %v", err))
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
