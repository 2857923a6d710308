package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/budget"
	"github.com/invitekit/clerkinvitations/internal/pace"
)

// Option configures a [Client]. The same options work in two places: passed
// to [New] they set the client's defaults; passed to a method they apply to
// that one call only (a different key, an extra header, a retry policy),
// leaving the client untouched.
type Option func(*settings) error

// settings is what options configure. A Client holds one, built by New; a
// call with options works on a copy.
type settings struct {
	baseURL    string // absolute, with a trailing slash, so routes append to it
	auth       authFunc
	doer       HTTPDoer
	headers    http.Header // extra headers, set on every request
	userAgent  []string    // the User-Agent header's one value
	maxBody    int64
	uaSuffixes []string
	// timeout bounds a whole call, retries and waits included;
	// attemptTimeout bounds one attempt, reading the response included.
	// Zero: no bound of its own.
	timeout        time.Duration
	attemptTimeout time.Duration
	callCause      *deadlineError // what ends a call at its timeout
	attemptCause   *deadlineError // what ends an attempt at its timeout
	retry          RetryPolicy
	budget         *budget.Bucket // shared by the calls of one client; nil: no budget
	// limiter is the request limit (nil: none) and pauses the waits that
	// 429s asked for; both are shared by the calls of one client.
	limiter  *rate.Limiter
	limitSet bool // WithRequestLimit was given
	testKey  bool // the key given is a development one (sk_test_)
	pauses   pace.Pauses[*gen.Operation]
	logger   *slog.Logger
	// pageConcurrency is how many pages an iterator may have in flight or
	// waiting to be yielded.
	pageConcurrency int
	// fixedHeaders are the headers of every request but Authorization and
	// Content-Type, from headers and userAgent: nil until settle builds
	// them, and again after an option changes either.
	fixedHeaders []headerField

	// now and sleep are the clock; tests replace them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// HTTPDoer sends HTTP requests. *http.Client satisfies it, and so does any
// wrapper that adds tracing, metrics or recording.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// DefaultBaseURL is where Clerk's Backend API lives.
const DefaultBaseURL = "https://api.clerk.com/v1"

// DefaultMaxResponseBytes bounds how much of a response body is read: 16 MiB,
// about 30 times the largest page the API returns (500 invitations, ~535 KB).
const DefaultMaxResponseBytes = 16 << 20

// SecretKeyEnv is the environment variable New reads the secret key from
// when no key option is given.
const SecretKeyEnv = "CLERK_SECRET_KEY"

// WithSecretKey sets the Clerk secret key (sk_test_… or sk_live_…) sent as a
// bearer token. Per call, it uses another key for that call only. The key is
// never written into errors or logs. A key that cannot be a secret key
// (empty, with whitespace, a publishable key pk_…) fails with a
// *[KeyFormatError], and nothing is sent.
func WithSecretKey(key string) Option {
	return func(s *settings) error {
		if err := checkKey(key); err != nil {
			return err
		}
		s.auth, s.testKey = staticAuth(key), strings.HasPrefix(key, "sk_test_")
		return nil
	}
}

// WithKeyProvider sets a function that returns the secret key. It is called
// for every attempt of every request, so a rotated key is picked up without
// building a new client. An error from it fails the call before anything is
// sent.
func WithKeyProvider(provider func(ctx context.Context) (string, error)) Option {
	return func(s *settings) error {
		if provider == nil {
			return errors.New("clerk: WithKeyProvider: provider is nil")
		}
		s.auth = providerAuth(provider)
		return nil
	}
}

// WithBaseURL points the client at another deployment of the API, such as a
// proxy or the in-memory fake. Plain http is refused except to loopback
// addresses, so the key never crosses a network in clear text.
func WithBaseURL(raw string) Option {
	return func(s *settings) error {
		base, err := parseBaseURL(raw)
		if err != nil {
			return err
		}
		s.baseURL = base
		return nil
	}
}

// WithHTTPClient sets what sends the requests. By default the client uses a
// shared *http.Client tuned for many concurrent calls (see
// [DefaultHTTPClient]).
//
// If doer is an *http.Client, the client uses a copy of it that follows no
// redirect (Clerk's API never redirects a call). Any other HTTPDoer, such as
// a wrapper that adds tracing or records traffic, must itself:
//   - not follow redirects: a doer that does hands the Authorization header
//     to wherever the redirect points. The client notices when the response
//     belongs to another URL and fails the call (reporting [OutcomeUnknown]
//     for a POST), but by then the request has gone;
//   - not send a request again on its own: Clerk takes no idempotency key,
//     so a POST sent twice invites twice;
//   - honour the request's context, which carries the call's deadlines.
func WithHTTPClient(doer HTTPDoer) Option {
	return func(s *settings) error {
		if doer == nil {
			return errors.New("clerk: WithHTTPClient: doer is nil")
		}
		if hc, ok := doer.(*http.Client); ok {
			doer = withoutRedirects(hc)
		}
		s.doer = doer
		return nil
	}
}

// WithHeader sets an extra header on every request (or, per call, on that
// call's request). It may also replace the client's Accept, User-Agent or
// Clerk-API-Version (to pin another API version). Authorization, Host,
// Content-Type and Content-Length are managed by the client and cannot be
// set this way.
func WithHeader(name, value string) Option {
	return func(s *settings) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		h := s.headers.Clone() // never mutate a map the client or another call shares
		if h == nil {
			h = http.Header{}
		}
		h.Set(name, value)
		s.headers, s.fixedHeaders = h, nil
		return nil
	}
}

// WithUserAgentSuffix appends a product token, such as "my-app/1.2", to the
// User-Agent header, after this library's own.
func WithUserAgentSuffix(suffix string) Option {
	return func(s *settings) error {
		suffix = strings.TrimSpace(suffix)
		if suffix == "" || hasControl(suffix) {
			return fmt.Errorf("clerk: WithUserAgentSuffix: %q is not a usable product token", suffix)
		}
		s.uaSuffixes = append(s.uaSuffixes[:len(s.uaSuffixes):len(s.uaSuffixes)], suffix)
		s.userAgent, s.fixedHeaders = []string{userAgent(s.uaSuffixes)}, nil
		return nil
	}
}

// WithMaxResponseBytes bounds how many bytes of a response body are read
// (default DefaultMaxResponseBytes). A larger body fails the call with an
// error matching ErrResponseTooLarge instead of exhausting memory.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("clerk: WithMaxResponseBytes: %d is not positive", n)
		}
		s.maxBody = n
		return nil
	}
}

// DefaultTimeout bounds a whole call of a new client: every attempt, every
// wait between attempts, and the reading of the response. With it, a call
// given a context without a deadline still ends.
const DefaultTimeout = 90 * time.Second

// DefaultAttemptTimeout bounds one attempt of a new client: from sending
// the request to the last byte of the response, so that a server that
// stalls or trickles its response cannot hold a call.
const DefaultAttemptTimeout = 30 * time.Second

// WithTimeout bounds a whole call, retries and the waits between them
// included (default [DefaultTimeout]). A call also ends when its context
// does, whichever comes first. Zero removes this bound, leaving the context
// and the attempt timeout.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("clerk: WithTimeout: %v is negative", d)
		}
		s.timeout, s.callCause = d, timeoutCause("the call", d)
		return nil
	}
}

// WithAttemptTimeout bounds each attempt of a call, from sending the
// request to reading the last byte of the response (default
// [DefaultAttemptTimeout]). An attempt that runs out is a failure like a
// broken connection: a GET is retried, a POST reports [OutcomeUnknown]. Zero
// removes this bound.
func WithAttemptTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("clerk: WithAttemptTimeout: %v is negative", d)
		}
		s.attemptTimeout, s.attemptCause = d, timeoutCause("an attempt", d)
		return nil
	}
}

// defaultSettings are a new client's settings before its options apply.
func defaultSettings() settings {
	return settings{
		baseURL:         DefaultBaseURL + "/",
		userAgent:       []string{userAgent(nil)},
		maxBody:         DefaultMaxResponseBytes,
		timeout:         DefaultTimeout,
		attemptTimeout:  DefaultAttemptTimeout,
		callCause:       timeoutCause("the call", DefaultTimeout),
		attemptCause:    timeoutCause("an attempt", DefaultAttemptTimeout),
		retry:           DefaultRetryPolicy(),
		budget:          budget.New(defaultBudget),
		pauses:          pace.NewPauses(gen.Operations),
		pageConcurrency: DefaultPageConcurrency,
		now:             time.Now,
		sleep:           sleepCtx,
	}
}

// defaultBudget is the retry budget of a new client: 100 retries in a row.
const defaultBudget = 500

// apply runs opts over a copy of s. Without options it returns s itself, so
// a plain call costs nothing.
func (s *settings) apply(opts []Option) (*settings, error) {
	if len(opts) == 0 {
		return s, nil
	}
	cp := *s
	if err := cp.set(opts); err != nil {
		return nil, err
	}
	cp.settle()
	return &cp, nil
}

// settle builds what settings derive from their options for every
// request, once the options have been applied: the fixed headers, unless
// no option changed them since they were built.
func (s *settings) settle() {
	if s.fixedHeaders == nil {
		s.fixedHeaders = fixedHeaders(s.headers, s.userAgent)
	}
}

// set runs opts over s, skipping nil ones, up to the first that fails.
func (s *settings) set(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return err
		}
	}
	return nil
}

// keyFromEnv is the key source of last resort.
func keyFromEnv(s *settings) error {
	key, ok := os.LookupEnv(SecretKeyEnv)
	if !ok || key == "" {
		return fmt.Errorf("clerk: no secret key: pass client.WithSecretKey or client.WithKeyProvider, or set %s", SecretKeyEnv)
	}
	if err := WithSecretKey(key)(s); err != nil {
		return fmt.Errorf("%w (from %s)", err, SecretKeyEnv)
	}
	return nil
}

// parseBaseURL checks a base URL and returns it with exactly one trailing
// slash, so that operation paths resolve below it. Its errors name the
// scheme and host at most, never the rest of the URL, where a key pasted by
// mistake could sit.
func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's errors quote parts of the URL (a port, an escape),
		// where a key could sit: none of its words are kept.
		return "", &BaseURLError{Reason: "not a valid URL: check its host, its port and each % escape"}
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", &BaseURLError{Reason: fmt.Sprintf("scheme %q: the scheme must be https", u.Scheme)}
	case u.Host == "":
		return "", &BaseURLError{Reason: "the URL has no host"}
	case u.User != nil:
		return "", &BaseURLError{Reason: "credentials in the URL are not allowed", Hint: "use WithSecretKey"}
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(raw, "#"):
		return "", &BaseURLError{Reason: fmt.Sprintf("the URL of host %q must not have a query or fragment", u.Host)}
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", &BaseURLError{Reason: fmt.Sprintf("host %q: plain http is only allowed to loopback addresses; use https", u.Host)}
	}
	return strings.TrimRight(u.String(), "/") + "/", nil
}

// BaseURLError is [WithBaseURL]'s refusal of a base URL. Reason says what
// is wrong with it, naming the scheme and host at most, never the rest of
// the URL, where a key pasted by mistake could sit; Hint, when not empty,
// says what a Go program should do instead.
type BaseURLError struct {
	Reason string
	Hint   string
}

// Error names the option, the reason and the hint.
func (e *BaseURLError) Error() string {
	msg := "clerk: WithBaseURL: " + e.Reason
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// checkHeader refuses header names and values that would be malformed on the
// wire, and the headers the client manages itself.
func checkHeader(name, value string) error {
	if name == "" {
		return errors.New("clerk: WithHeader: empty header name")
	}
	for i := 0; i < len(name); i++ {
		if !isTokenChar(name[i]) {
			return fmt.Errorf("clerk: WithHeader: %q is not a valid header name", name)
		}
	}
	switch canonical := http.CanonicalHeaderKey(name); canonical {
	case "Authorization", "Host", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection":
		return fmt.Errorf("clerk: WithHeader: %s is set by the client and cannot be overridden", canonical)
	case "Idempotency-Key", "X-Idempotency-Key":
		// Clerk ignores it, and with it Go's transport replays a POST on
		// its own when a connection breaks after sending: a second
		// invitation, behind the retry policy's back.
		return fmt.Errorf("clerk: WithHeader: %s is refused: Clerk's API takes no idempotency key, and with it net/http would send a POST twice", canonical)
	}
	if hasControl(value) {
		return fmt.Errorf("clerk: WithHeader: the value of %s contains a control character", name)
	}
	return nil
}

// hasControl reports whether s holds a byte that a header value must not:
// a control character other than tab, or DEL.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110 5.6.2).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
