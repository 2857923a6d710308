package memnet_test

import (
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/invitekit/clerkinvitations/internal/memnet"
)

// A server on the network answers a client of it inside a bubble, where a
// minute of the server's waiting passes at once, and closing both leaves
// no goroutine behind (the bubble would fail otherwise).
func TestServeInABubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := memnet.Listen()
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(time.Minute)
			_, _ = io.WriteString(w, "late")
		})}
		go func() { _ = srv.Serve(ln) }()
		tr := ln.Transport()
		t.Cleanup(func() { tr.CloseIdleConnections(); _ = srv.Close() })
		start := time.Now()
		resp, err := (&http.Client{Transport: tr}).Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(body) != "late" || time.Since(start) != time.Minute {
			t.Fatalf("got %q after %v, want \"late\" after exactly 1m0s", body, time.Since(start))
		}
		_ = ln.Close()
		if _, err := ln.DialContext(t.Context(), "tcp", "x"); err == nil {
			t.Fatal("a closed listener accepted a connection")
		}
	})
}
