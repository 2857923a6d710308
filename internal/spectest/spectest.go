// Package spectest checks live HTTP traffic against api/openapi.yaml with
// kin-openapi. Tests wrap a server's handler with Validator.Middleware; every
// response (and, optionally, every request) is validated against the
// operation it belongs to. Only tests import this package.
package spectest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/invitekit/clerkinvitations/api"
)

// Validator validates traffic and remembers what it saw.
type Validator struct {
	router          routers.Router
	checkRequests   bool
	mu              sync.Mutex
	problems        []string
	statusesChecked map[string]map[int]bool // operationId -> statuses validated
}

// New loads the spec. With checkRequests, requests are validated too (turn
// it off for tests that send malformed requests on purpose).
func New(checkRequests bool) (*Validator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	// Match any host: the servers under test listen on loopback ports.
	doc.Servers = openapi3.Servers{{URL: "/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Validator{router: router, checkRequests: checkRequests, statusesChecked: map[string]map[int]bool{}}, nil
}

// Middleware validates each exchange that passes through next.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))

		// The spec's server is "/v1" here, which the router matches against
		// the host-less URL a server sees.
		probe := r.Clone(r.Context())
		probe.Body = io.NopCloser(bytes.NewReader(body))
		route, params, routeErr := v.router.FindRoute(probe)

		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)

		if routeErr == nil {
			v.check(probe, body, route, params, rec)
		}
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (v *Validator) check(req *http.Request, body []byte, route *routers.Route, params map[string]string, rec *httptest.ResponseRecorder) {
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerOnly, MultiError: true},
	}
	op := route.Operation.OperationID
	if v.checkRequests {
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			v.fail("%s request: %v", op, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		v.fail("%s %d response: %v\nbody: %s", op, rec.Code, err, rec.Body.String())
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.statusesChecked[op] == nil {
		v.statusesChecked[op] = map[int]bool{}
	}
	v.statusesChecked[op][rec.Code] = true
}

// bearerOnly accepts a request that carries a bearer token; whether the
// token is right is the server's business.
func bearerOnly(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
		return fmt.Errorf("no bearer token")
	}
	return nil
}

func (v *Validator) fail(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// Problems returns every validation failure so far.
func (v *Validator) Problems() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.problems...)
}

// Checked returns, per operationId, the sorted statuses of the responses
// that were validated.
func (v *Validator) Checked() map[string][]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[string][]int{}
	for op, statuses := range v.statusesChecked {
		for s := range statuses {
			out[op] = append(out[op], s)
		}
		sort.Ints(out[op])
	}
	return out
}
