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
	retry      RetryPolicy
	budget     *budget // shared by the calls of one client; nil: no budget
	logger     *slog.Logger

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
// never written into errors or logs.
func WithSecretKey(key string) Option {
	return func(s *settings) error {
		if err := checkKey(key); err != nil {
			return err
		}
		s.auth = staticAuth(key)
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
// [DefaultHTTPClient]). If doer is an *http.Client, the client uses a copy
// whose redirect policy never follows a redirect to another origin, so the
// key cannot leak that way; any other HTTPDoer is trusted as it is.
func WithHTTPClient(doer HTTPDoer) Option {
	return func(s *settings) error {
		if doer == nil {
			return errors.New("clerk: WithHTTPClient: doer is nil")
		}
		if hc, ok := doer.(*http.Client); ok {
			doer = sameOriginOnly(hc)
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
		s.headers = h
		return nil
	}
}

// WithUserAgentSuffix appends a product token, such as "my-app/1.2", to the
// User-Agent header, after this library's own.
func WithUserAgentSuffix(suffix string) Option {
	return func(s *settings) error {
		suffix = strings.TrimSpace(suffix)
		if suffix == "" || strings.ContainsAny(suffix, "\r\n\x00") {
			return fmt.Errorf("clerk: WithUserAgentSuffix: %q is not a usable product token", suffix)
		}
		s.uaSuffixes = append(s.uaSuffixes[:len(s.uaSuffixes):len(s.uaSuffixes)], suffix)
		s.userAgent = []string{userAgent(s.uaSuffixes)}
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

// defaultSettings are a new client's settings before its options apply.
func defaultSettings() settings {
	return settings{
		baseURL:   DefaultBaseURL + "/",
		userAgent: []string{userAgent(nil)},
		maxBody:   DefaultMaxResponseBytes,
		retry:     DefaultRetryPolicy(),
		budget:    newBudget(defaultBudget),
		now:       time.Now,
		sleep:     sleepCtx,
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
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cp); err != nil {
			return nil, err
		}
	}
	return &cp, nil
}

// keyFromEnv is the key source of last resort.
func keyFromEnv(s *settings) error {
	key, ok := os.LookupEnv(SecretKeyEnv)
	if !ok || key == "" {
		return fmt.Errorf("clerk: no secret key: pass client.WithSecretKey or client.WithKeyProvider, or set %s", SecretKeyEnv)
	}
	if err := checkKey(key); err != nil {
		return fmt.Errorf("%w (from %s)", err, SecretKeyEnv)
	}
	s.auth = staticAuth(key)
	return nil
}

// parseBaseURL checks a base URL and returns it with exactly one trailing
// slash, so that operation paths resolve below it.
func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("clerk: WithBaseURL: %w", err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("clerk: WithBaseURL: %q: scheme must be https", raw)
	case u.Host == "":
		return "", fmt.Errorf("clerk: WithBaseURL: %q has no host", raw)
	case u.User != nil:
		return "", errors.New("clerk: WithBaseURL: credentials in the URL are not allowed; use WithSecretKey")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", fmt.Errorf("clerk: WithBaseURL: %q must not have a query or fragment", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("clerk: WithBaseURL: %q: plain http is only allowed to loopback addresses; use https", raw)
	}
	return strings.TrimRight(u.String(), "/") + "/", nil
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
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Host", "Content-Type", "Content-Length":
		return fmt.Errorf("clerk: WithHeader: %s is set by the client and cannot be overridden", http.CanonicalHeaderKey(name))
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("clerk: WithHeader: the value of %s contains a line break or NUL", name)
	}
	return nil
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110 5.6.2).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
