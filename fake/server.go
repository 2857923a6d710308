package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/memnet"
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give a client, e.g. "http://127.0.0.1:41234/v1".
	URL string

	store        *store
	key          string // accepted key; empty accepts any "sk_" key
	srv          *http.Server
	closed       chan struct{}
	once         sync.Once
	mu           sync.Mutex
	faults       []pendingFault
	log          requestLog
	wrapper      func(http.Handler) http.Handler
	admin        bool             // serve the admin API under AdminPrefix
	changed      func()           // WithOnChange's callback, or nil
	initial      snapshot         // the state as NewServer left it, for Reset
	ln           net.Listener     // WithListener's, or nil for a free port
	mem          *memnet.Listener // the in-memory network it serves on, if WithInMemoryNetwork
	memOnce      sync.Once
	memTransport *http.Transport
	limitState
}

// Option configures a Server.
type Option func(*Server)

// WithSecretKey makes the fake accept only this key; by default it accepts
// any bearer key that starts with "sk_".
func WithSecretKey(key string) Option {
	return func(s *Server) { s.key = key }
}

// WithOrganization declares an organization with a name and slug, as
// getAll shows them in public_organization_data.
func WithOrganization(id, name, slug string) Option {
	return func(s *Server) {
		s.store.orgs[id] = &gen.OrganizationInvitationPublicOrganizationData{ID: id, Name: name, Slug: slug}
	}
}

// WithOnlyDeclaredOrganizations makes organizations not declared with
// WithOrganization unknown (404), instead of created on first use.
func WithOnlyDeclaredOrganizations() Option {
	return func(s *Server) { s.store.onlyDeclared = true }
}

// WithRole adds a role that invitations may name, with its display name.
// "org:admin" and "org:member" exist from the start.
func WithRole(key, name string) Option {
	return func(s *Server) { s.store.roles[key] = name }
}

// WithClock sets the fake's clock, for timestamps and expiry.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.store.now = now }
}

// WithMiddleware wraps the fake's whole handler, e.g. to log or to validate
// traffic against the spec.
func WithMiddleware(mw func(http.Handler) http.Handler) Option {
	return func(s *Server) { s.wrapper = mw }
}

// WithListener makes the fake serve on ln, e.g. one on a port of your
// choosing, instead of on a free port of 127.0.0.1. Close closes it.
func WithListener(ln net.Listener) Option {
	return func(s *Server) { s.ln = ln }
}

// WithInMemoryNetwork makes the fake serve on a network in memory instead
// of a port of 127.0.0.1, for tests inside testing/synctest bubbles (where a
// server waiting on a socket would keep the bubble's clock from moving).
// Only clients from NewClient, or with HTTPClient as their HTTP client,
// reach it; WithClock is then usually unnecessary, since time.Now is the
// bubble's clock.
func WithInMemoryNetwork() Option {
	return func(s *Server) { s.mem = memnet.Listen() }
}

// NewServer starts a fake on a free port of 127.0.0.1. Like
// httptest.NewServer, it panics if it cannot listen. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{store: newStore(), closed: make(chan struct{}), log: requestLog{limit: DefaultRequestLog}}
	for _, opt := range opts {
		opt(s)
	}
	s.store.hooks.start()
	s.initial = s.capture()
	ln := s.ln
	if s.mem != nil {
		ln = s.mem
	}
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			panic("fake: cannot listen on 127.0.0.1: " + err.Error())
		}
	}
	s.URL = "http://" + ln.Addr().String() + "/v1"

	api := gen.HandlerWithOptions(
		gen.NewStrictHandlerWithOptions(s.store, nil, gen.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  badRequest,
			ResponseErrorHandlerFunc: internalError,
		}),
		gen.StdHTTPServerOptions{BaseURL: "/v1", ErrorHandlerFunc: badRequest},
	)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, api) })
	if s.admin {
		h = s.withAdmin(h)
	}
	if s.wrapper != nil {
		h = s.wrapper(h)
	}
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s
}

// Close stops the server and drops its connections, hanging ones included.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closed)
		_ = s.srv.Close()
		s.store.hooks.stop()
		if s.mem != nil {
			s.transport().CloseIdleConnections()
		}
	})
}

// Shutdown stops the server gracefully: it stops accepting connections and
// waits for the requests in progress to end, until ctx ends; then it closes
// whatever is left, as Close does (requests a Hang or StallBody fault holds
// included). It returns ctx's error if it had to close connections.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.Close()
	return err
}

// HTTPClient returns an HTTP client that reaches this fake: for a fake
// on the in-memory network (WithInMemoryNetwork), the only way to reach it.
func (s *Server) HTTPClient() *http.Client {
	if s.mem == nil {
		return &http.Client{}
	}
	return &http.Client{Transport: s.transport()}
}

// transport is the one transport of an in-memory fake's clients, so that
// Close can close their idle connections.
func (s *Server) transport() *http.Transport {
	s.memOnce.Do(func() { s.memTransport = s.mem.Transport() })
	return s.memTransport
}

// NewClient returns a client for this fake, with a key it accepts and
// without the client's own request limit (the fake has none unless
// WithRateLimits gives it some). opts come after the fake's own, so they
// can override them.
func (s *Server) NewClient(opts ...client.Option) (*client.Client, error) {
	key := s.key
	if key == "" {
		key = "sk_test_fake"
	}
	base := []client.Option{client.WithBaseURL(s.URL), client.WithSecretKey(key), client.WithoutRequestLimit()}
	if s.mem != nil {
		base = append(base, client.WithHTTPClient(s.HTTPClient()))
	}
	return client.New(append(base, opts...)...)
}

// Request is one request as the fake received it.
type Request struct {
	Operation string // operationId, or "" for an unknown route
	Method    string
	Path      string // as sent, escaped
	Query     string
	Body      []byte
}

// Requests returns the requests received so far, oldest first: all of
// them, or the last DefaultRequestLog (see WithRequestLog) once there have
// been more.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.list()
}

// Notification is an invitation email the real Clerk would have sent.
type Notification struct {
	OrganizationID, InvitationID, EmailAddress string
}

// Notifications returns the invitation emails "sent" so far: one per
// created invitation whose notify was not false.
func (s *Server) Notifications() []Notification {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return append([]Notification(nil), s.store.notifications...)
}

// serve logs, authenticates and, if a fault is due, misbehaves; otherwise
// the generated handler responds.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, api http.Handler) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away mid-body
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	from := originOf(r)
	r = r.WithContext(withRaw(r.Context(), r.URL.Query(), body, from))
	op := operationOf(r)

	s.mu.Lock()
	s.log.add(Request{Operation: op, Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Body: body})
	s.mu.Unlock()
	if r.Method != http.MethodGet && op != "" {
		defer s.notifyChange() // a POST may have created or revoked invitations
	}

	if op == "" {
		writeClerkError(w, http.StatusNotFound, clerkError(client.CodeNotFound, "not found", "There is no such endpoint: "+r.Method+" "+r.URL.Path+".", ""))
		return
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		writeClerkError(w, http.StatusUnauthorized, clerkError(client.CodeAuthenticationInvalid, "Unauthorized request",
			"The request needs a valid secret key as a bearer token.", ""))
		return
	}
	if wait := s.admit(op); wait > 0 {
		tooManyRequests(w, wait)
		return
	}
	fault, ok := s.takeFault(op)
	if !ok {
		api.ServeHTTP(w, r)
		return
	}
	switch {
	case fault.IgnoreOffset:
		query := r.URL.Query()
		query.Del("offset")
		r.URL.RawQuery = query.Encode()
		r = r.WithContext(withRaw(r.Context(), query, body, from))
		api.ServeHTTP(w, r)
	case fault.shapesResponse():
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		s.deliver(w, r, rec, fault)
	default:
		if fault.After {
			// Carry the request out, then lose the response.
			api.ServeHTTP(httptest.NewRecorder(), r)
		}
		s.misbehave(w, r, fault)
	}
}

// authorized checks the bearer key.
func (s *Server) authorized(header string) bool {
	key, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return false
	}
	if s.key != "" {
		return key == s.key
	}
	return strings.HasPrefix(key, "sk_")
}

// routes maps the contract's routes, as gen lists them, to their
// operationIds.
var routes, operationByPattern = func() (*http.ServeMux, map[string]string) {
	mux := http.NewServeMux()
	byPattern := map[string]string{}
	for _, op := range gen.Operations {
		pattern := op.Method + " /v1" + op.Path
		byPattern[pattern] = op.ID
		mux.Handle(pattern, http.NotFoundHandler())
	}
	return mux, byPattern
}()

func operationOf(r *http.Request) string {
	_, pattern := routes.Handler(r)
	return operationByPattern[pattern]
}

// internalError responds to a handler's error; an operation the fake does not
// serve yet is 501.
func internalError(w http.ResponseWriter, _ *http.Request, err error) {
	if errors.Is(err, gen.ErrNotImplemented) {
		writeClerkError(w, http.StatusNotImplemented, clerkError("not_implemented", "not implemented", "The fake does not serve this operation yet.", ""))
		return
	}
	writeClerkError(w, http.StatusInternalServerError, clerkError(client.CodeInternal, "something went wrong", err.Error(), ""))
}

func writeClerkError(w http.ResponseWriter, status int, body *gen.ClerkErrors) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
