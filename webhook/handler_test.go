package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/invitekit/clerkinvitations/webhook"
)

// endpoint serves a Handler over loopback and records the events handed to
// handle; handle fails with fail when fail is not nil.
type endpoint struct {
	*httptest.Server
	mu     sync.Mutex
	events []webhook.Event
	fail   error
}

func newEndpoint(t *testing.T) *endpoint {
	e := &endpoint{}
	e.Server = httptest.NewServer(verifier(t).Handler(func(_ context.Context, ev webhook.Event) error {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.events = append(e.events, ev)
		return e.fail
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *endpoint) post(t *testing.T, method string, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+"/webhooks/clerk", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, values := range h {
		req.Header[name] = values
	}
	resp, err := e.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text)
}

func TestHandlerAnswers(t *testing.T) {
	body := eventJSON(webhook.TypeInvitationRevoked, invitationJSON("revoked"))
	good := headers(t, testSecret, "msg_1", now.Unix(), body)
	big := append(bytes.Repeat([]byte(" "), webhook.MaxBodyBytes), body...)
	for _, tc := range []struct {
		name    string
		method  string
		header  http.Header
		body    []byte
		fail    error
		want    int
		handled bool
		says    string
	}{
		{"authentic", "POST", good, body, nil, http.StatusNoContent, true, ""},
		{"handle fails", "POST", good, body, errors.New("database is down: password=hunter2"), http.StatusInternalServerError, true, "may be sent again"},
		{"wrong secret", "POST", headers(t, otherSecret, "msg_1", now.Unix(), body), body, nil, http.StatusUnauthorized, false, "no signature matches"},
		{"old", "POST", headers(t, testSecret, "msg_1", now.Unix()-3600, body), body, nil, http.StatusUnauthorized, false, "too old"},
		{"no headers", "POST", http.Header{}, body, nil, http.StatusBadRequest, false, "missing"},
		{"not an event", "POST", headers(t, testSecret, "msg_1", now.Unix(), []byte("[]")), []byte("[]"), nil, http.StatusBadRequest, false, "not a well-formed event"},
		{"too large", "POST", headers(t, testSecret, "msg_1", now.Unix(), big), big, nil, http.StatusRequestEntityTooLarge, false, "larger"},
		{"GET", "GET", good, nil, nil, http.StatusMethodNotAllowed, false, "only POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEndpoint(t)
			e.fail = tc.fail
			status, text := e.post(t, tc.method, tc.header, tc.body)
			if status != tc.want || !strings.Contains(text, tc.says) {
				t.Errorf("answered %d %q, want %d saying %q", status, text, tc.want, tc.says)
			}
			if strings.Contains(text, "hunter2") || strings.Contains(text, strings.TrimPrefix(testSecret, "whsec_")) {
				t.Errorf("the response shows a secret: %q", text)
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			if got := len(e.events) == 1; got != tc.handled {
				t.Fatalf("handle called %d times, want handled=%v", len(e.events), tc.handled)
			}
			if tc.handled {
				if _, ok := e.events[0].(webhook.InvitationRevoked); !ok {
					t.Errorf("handle got %T", e.events[0])
				}
			}
		})
	}
}

func TestHandlerNeedsAFunction(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Handler(nil) did not panic")
		}
	}()
	verifier(t).Handler(nil)
}
