package client

import (
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Version is this library's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultHTTPClient returns the *http.Client that clients use unless
// [WithHTTPClient] says otherwise. One instance is shared by every client in
// the process, so its connection pool is too.
//
// Its transport is a clone of http.DefaultTransport (proxy from the
// environment, HTTP/2) with room for many concurrent callers: up to 256 idle
// connections per host, so that a burst of goroutines reuses connections
// instead of opening and closing them. Dialing, the TLS handshake and the
// wait for response headers each have a timeout; the attempt and the whole
// call are bounded by [WithAttemptTimeout] and [WithTimeout]. Redirects are
// never followed.
func DefaultHTTPClient() *http.Client { return defaultHTTPClient() }

var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t, CheckRedirect: noRedirects}
})

// noRedirects is the redirect policy of every *http.Client the client
// uses: a redirect is never followed, and the 3xx response comes back to
// the client, which reports it as an [APIError]. Clerk's API does not
// redirect its calls; following one would send the key elsewhere, turn a
// POST into a GET that "succeeds", or send a POST again.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns a copy of hc that follows no redirect; hc itself
// is not modified.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = noRedirects
	return &cp
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// userAgent names this library, its version and Go's, then any suffixes.
func userAgent(suffixes []string) string {
	ua := "clerkinvitations-go/" + Version + " (" + runtime.Version() + ")"
	for _, s := range suffixes {
		ua += " " + s
	}
	return ua
}
