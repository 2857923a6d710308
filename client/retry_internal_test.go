package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The retry decision, written out row by row: what happens to a GET and to
// a POST for every status and every class of transport failure, with the
// default policy and with RetryUnknownOutcome.
func TestRetryDecisionTable(t *testing.T) {
	type want struct{ retry, unknown bool }
	no, retry, unknown, retryUnknown := want{}, want{retry: true}, want{unknown: true}, want{true, true}
	rows := []struct {
		name                string
		status              int
		fail                failure
		get, post, postRisk want // postRisk: POST with RetryUnknownOutcome
	}{
		{"301 not followed", 301, failNone, no, unknown, unknown},
		{"303 not followed", 303, failNone, no, unknown, unknown},
		{"307 not followed", 307, failNone, no, unknown, unknown},
		{"308 not followed", 308, failNone, no, unknown, unknown},
		{"400", 400, failNone, no, no, no},
		{"401", 401, failNone, no, no, no},
		{"402", 402, failNone, no, no, no},
		{"403", 403, failNone, no, no, no},
		{"404", 404, failNone, no, no, no},
		{"408", 408, failNone, retry, unknown, retryUnknown},
		{"409", 409, failNone, no, no, no},
		{"422", 422, failNone, no, no, no},
		{"429", 429, failNone, retry, retry, retry},
		{"500", 500, failNone, retry, unknown, retryUnknown},
		{"501", 501, failNone, no, unknown, unknown},
		{"502", 502, failNone, retry, unknown, retryUnknown},
		{"503", 503, failNone, retry, unknown, retryUnknown},
		{"504", 504, failNone, retry, unknown, retryUnknown},
		{"505", 505, failNone, no, unknown, unknown},
		{"connection not made", 0, failNotSent, retry, retry, retry},
		{"permanent (certificate, key provider)", 0, failPermanent, no, no, no},
		{"broken after sending / timeout", 0, failUncertain, retry, unknown, retryUnknown},
		{"2xx body broken off or stalled", 200, failBody, retry, unknown, unknown},
		{"2xx body not as specified", 200, failDecode, no, unknown, unknown},
		{"caller's context ended", 0, failContext, no, unknown, unknown},
		{"the doer followed a redirect", 0, failRedirected, no, unknown, unknown},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			for _, c := range []struct {
				method string
				risky  bool
				want   want
			}{
				{http.MethodGet, false, row.get},
				{http.MethodGet, true, row.get}, // the opt-in changes nothing for GET
				{http.MethodPost, false, row.post},
				{http.MethodPost, true, row.postRisk},
			} {
				r, u := decide(c.method, row.status, row.fail, c.risky)
				assert.Equal(t, c.want, want{r, u}, "%s, RetryUnknownOutcome=%v", c.method, c.risky)
			}
		})
	}
}

// Real transport errors land in the right class.
func TestClassifyRealErrors(t *testing.T) {
	ctx := context.Background()
	do := func(hc *http.Client, method, url string) error {
		req, err := http.NewRequestWithContext(ctx, method, url, nil)
		require.NoError(t, err)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	// Refused: nothing listens on the port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedURL := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	assert.Equal(t, failNotSent, classify(ctx, do(http.DefaultClient, "POST", closedURL)), "connection refused")

	// DNS failure.
	dnsErr := fmt.Errorf("Post: %w", &net.DNSError{Err: "no such host", Name: "api.clerk.invalid", IsNotFound: true})
	assert.Equal(t, failNotSent, classify(ctx, dnsErr))

	// TLS handshake timeout: the transport's own error.
	hsTimeout := &net.OpError{Op: "remote error", Err: errors.New("net/http: TLS handshake timeout")}
	assert.Equal(t, failNotSent, classify(ctx, hsTimeout))

	// A certificate nobody vouches for: permanent.
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	assert.Equal(t, failPermanent, classify(ctx, do(&http.Client{}, "GET", tlsSrv.URL)), "unknown authority")

	// Plain HTTP spoken to a TLS client: permanent.
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	assert.Equal(t, failPermanent, classify(ctx, do(&http.Client{}, "GET", "https"+plain.URL[len("http"):])))

	// The server reads the request and drops the connection: uncertain.
	dropper := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}))
	defer dropper.Close()
	assert.Equal(t, failUncertain, classify(ctx, do(http.DefaultClient, "POST", dropper.URL)))

	// Waiting for the response timed out: uncertain, and a timeout.
	hang := make(chan struct{})
	hanger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer hanger.Close()
	defer close(hang)
	err = do(&http.Client{Timeout: 30 * time.Millisecond}, "POST", hanger.URL)
	assert.Equal(t, failUncertain, classify(ctx, err))
	assert.True(t, isTimeout(err))

	// The caller's context ended.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.Equal(t, failContext, classify(cctx, context.Canceled))
}

func TestBackoffWaits(t *testing.T) {
	p := DefaultRetryPolicy()
	p.Jitter = 0
	var got []time.Duration
	for n := 1; n <= 7; n++ {
		d, ok := p.wait(n, 0)
		require.True(t, ok)
		got = append(got, d)
	}
	assert.Equal(t, []time.Duration{
		500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second,
	}, got)

	p.Jitter = 0.25
	for range 1000 {
		d, _ := p.wait(2, 0)
		assert.GreaterOrEqual(t, d, 750*time.Millisecond)
		assert.LessOrEqual(t, d, time.Second)
	}

	d, ok := p.wait(1, 20*time.Second)
	assert.True(t, ok)
	assert.Equal(t, 20*time.Second, d, "Retry-After wins over backoff")
	_, ok = p.wait(1, 31*time.Second)
	assert.False(t, ok, "longer than MaxRetryAfter: not waited for")
}

func TestRetryPolicyOptionsAreChecked(t *testing.T) {
	ok := DefaultRetryPolicy()
	for name, edit := range map[string]func(p *RetryPolicy){
		"negative retries":    func(p *RetryPolicy) { p.MaxRetries = -1 },
		"negative interval":   func(p *RetryPolicy) { p.InitialInterval = -time.Second },
		"multiplier below 1":  func(p *RetryPolicy) { p.Multiplier = 0.5 },
		"jitter above 1":      func(p *RetryPolicy) { p.Jitter = 1.5 },
		"negative RetryAfter": func(p *RetryPolicy) { p.MaxRetryAfter = -1 },
		"zero MaxInterval":    func(p *RetryPolicy) { p.MaxInterval = 0 },
	} {
		p := ok
		edit(&p)
		var s settings
		assert.Error(t, WithRetryPolicy(p)(&s), name)
	}
	var s settings
	assert.Error(t, WithMaxRetries(-1)(&s))
	assert.Error(t, WithRetryBudget(-1)(&s))
	require.NoError(t, WithRetryBudget(0)(&s))
	assert.Nil(t, s.budget)
}
