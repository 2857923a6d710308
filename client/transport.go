package client

import (
	"errors"
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
// wait for response headers each have a timeout; the whole call is bounded
// by the caller's context. Redirects to another origin are not followed.
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
	return &http.Client{Transport: t, CheckRedirect: sameOriginRedirects(nil)}
})

// sameOriginRedirects is a CheckRedirect policy: a redirect to another
// scheme, host or port is not followed (the 3xx response is returned to the
// client, which reports it as an APIError); within the origin, next (or
// Go's default limit of 10) decides.
func sameOriginRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("clerk: stopped after 10 redirects")
		}
		return nil
	}
}

// sameOriginOnly returns a copy of hc whose redirect policy also refuses
// other origins; hc itself is not modified.
func sameOriginOnly(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = sameOriginRedirects(hc.CheckRedirect)
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
