package webhook_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/webhook"
)

// FuzzVerify feeds Verify random headers and bodies. It must never panic,
// must answer with an event or one of its errors, and must never accept a
// message unless one v1 entry of svix-signature is the true signature of
// (id, timestamp, body) under the secret, computed here independently.
// With validTime set, svix-timestamp is now, so that the fuzzer spends its
// time on the signatures; with sign set, the fuzzer's body is also signed
// correctly, so that the decoding of authentic bodies is fuzzed too.
func FuzzVerify(f *testing.F) {
	created := eventJSON(webhook.TypeInvitationCreated, invitationJSON("pending"))
	accepted := eventJSON(webhook.TypeInvitationAccepted, invitationJSON("accepted"))
	ts := fmt.Sprint(now.Unix())
	f.Add("msg_1", ts, signature(f, testSecret, "msg_1", now.Unix(), created), created, false, false)
	f.Add("msg_1", ts, signature(f, otherSecret, "msg_1", now.Unix(), created)+" "+signature(f, testSecret, "msg_1", now.Unix(), created), created, false, false)
	f.Add("msg_2", ts, "v1,AAAA", accepted, true, false)
	f.Add("msg_2", ts, "v1,AAAA v1,", accepted, false, false) // near misses: short and empty signatures
	f.Add("msg_2", ts, "v1,!!!! v1,"+strings.Repeat("A", 43)+"=", accepted, false, false)
	f.Add("", "", "", []byte(nil), false, false)
	f.Add("msg_3", "0", "v1,", []byte(`{"type":"user.created","data":{}}`), true, true)
	f.Add("msg_4", ts, "v1,x v2,y", []byte(`{"type":"organizationInvitation.revoked","data":{"id":1}}`), true, true)

	v, err := webhook.NewVerifier(testSecret, webhook.WithClock(func() time.Time { return now }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, timestamp, sig string, body []byte, validTime, sign bool) {
		if validTime || sign {
			timestamp = ts
		}
		h := http.Header{}
		h["Svix-Id"] = []string{id}
		h["Svix-Timestamp"] = []string{timestamp}
		h["Svix-Signature"] = []string{sig}
		if sign {
			h["Svix-Signature"] = []string{sig + " " + signature(t, testSecret, id, now.Unix(), body)}
		}
		ev, err := v.Verify(h, body)
		if err != nil {
			if ev != nil {
				t.Fatalf("an event with an error: %v, %v", ev, err)
			}
			if !knownError(err) {
				t.Fatalf("an error of no documented kind: %v", err)
			}
			if sign && strings.TrimSpace(id) != "" && !errors.Is(err, webhook.ErrMalformedEvent) {
				t.Fatalf("a correctly signed message refused: %v", err)
			}
			return
		}
		unix, perr := parseUnix(timestamp)
		if perr != nil {
			t.Fatalf("accepted with svix-timestamp %q", timestamp)
		}
		want := signature(t, testSecret, id, unix, body)
		if !containsEntry(h.Get("svix-signature"), want) {
			t.Fatalf("accepted a message not signed with the secret: id %q, timestamp %q, signature %q, body %q", id, timestamp, sig, body)
		}
		if ev.Meta().MessageID != id || ev.Meta().Type == "" {
			t.Fatalf("envelope %+v for id %q", ev.Meta(), id)
		}
	})
}

func knownError(err error) bool {
	for _, known := range []error{webhook.ErrMissingHeader, webhook.ErrMalformedHeader, webhook.ErrTooOld,
		webhook.ErrTooNew, webhook.ErrBadSignature, webhook.ErrMalformedEvent} {
		if errors.Is(err, known) {
			return true
		}
	}
	return false
}

// parseUnix reads a decimal Unix time, strictly.
func parseUnix(s string) (int64, error) {
	var n int64
	_, err := fmt.Sscanf(s, "%d", &n)
	if err != nil || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("not canonical: %q", s)
	}
	return n, nil
}

// containsEntry reports whether the space-separated header holds want,
// comparing the decoded signature bytes.
func containsEntry(header, want string) bool {
	for _, entry := range strings.Fields(header) {
		if entry == want {
			return true
		}
	}
	return false
}
