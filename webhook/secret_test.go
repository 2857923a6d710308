package webhook_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/webhook"
)

func TestAnyOfSeveralSignaturesAccepts(t *testing.T) {
	body := eventJSON("user.created", `{}`)
	good := signature(t, testSecret, "msg_1", now.Unix(), body)
	stale := signature(t, otherSecret, "msg_1", now.Unix(), body) // the secret before a rotation
	for _, header := range []string{
		good,
		stale + " " + good,
		good + " " + stale,
		"v1a,xyz v2," + good[3:] + "   v1,AAAA  " + good,
		"garbage " + good,
	} {
		h := headers(t, testSecret, "msg_1", now.Unix(), body)
		h.Set("svix-signature", header)
		if _, err := verifier(t).Verify(h, body); err != nil {
			t.Errorf("svix-signature %q: %v", header, err)
		}
	}
	h := headers(t, testSecret, "msg_1", now.Unix(), body)
	h.Set("svix-signature", stale+" v1,"+good[4:]) // good with its first character lost
	if _, err := verifier(t).Verify(h, body); !errors.Is(err, webhook.ErrBadSignature) {
		t.Errorf("no valid signature: %v", err)
	}
}

func TestToleranceIsBothWaysAndSettable(t *testing.T) {
	body := eventJSON("user.created", `{}`)
	for _, tc := range []struct {
		tolerance time.Duration // 0: the default
		offset    time.Duration // of the timestamp from now
		want      error
	}{
		{0, -5 * time.Minute, nil},
		{0, 5 * time.Minute, nil},
		{0, -5*time.Minute - time.Second, webhook.ErrTooOld},
		{0, 5*time.Minute + time.Second, webhook.ErrTooNew},
		{10 * time.Minute, -9 * time.Minute, nil},
		{10 * time.Minute, 9 * time.Minute, nil},
		{time.Minute, -2 * time.Minute, webhook.ErrTooOld},
		{time.Minute, 2 * time.Minute, webhook.ErrTooNew},
	} {
		unix := now.Add(tc.offset).Unix()
		_, err := verifier(t, webhook.WithTolerance(tc.tolerance)).Verify(headers(t, testSecret, "msg_1", unix, body), body)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("tolerance %v, offset %v: %v, want %v", tc.tolerance, tc.offset, err, tc.want)
		}
	}
}

func TestStandardWebhooksHeaderNames(t *testing.T) {
	body := eventJSON("user.created", `{}`)
	h := http.Header{}
	for name, values := range headers(t, testSecret, "msg_1", now.Unix(), body) {
		h[strings.Replace(name, "Svix", "Webhook", 1)] = values
	}
	if _, err := verifier(t).Verify(h, body); err != nil {
		t.Errorf("webhook-* headers: %v", err)
	}
	h.Set("svix-id", "msg_1") // one svix-* header: the svix-* set is the one read
	if _, err := verifier(t).Verify(h, body); !errors.Is(err, webhook.ErrMissingHeader) {
		t.Errorf("a partial svix-* set: %v", err)
	}
}

func TestBadSecretsAreRefusedWithoutShowingThem(t *testing.T) {
	for _, secret := range []string{
		"", "whsec_", "whsec_!!!!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", // not base64
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",         // no prefix
		"sk_test_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", // the API's key instead
	} {
		_, err := webhook.NewVerifier(secret)
		if !errors.Is(err, webhook.ErrBadSecret) {
			t.Errorf("NewVerifier(%q) = %v", secret, err)
		}
		_, serr := webhook.Sign(secret, "msg_1", now, nil)
		if !errors.Is(serr, webhook.ErrBadSecret) {
			t.Errorf("Sign(%q) = %v", secret, serr)
		}
		for _, e := range []error{err, serr} {
			if tail := strings.TrimPrefix(secret, "whsec_"); len(tail) > 4 && strings.Contains(fmt.Sprintf("%v %#v", e, e), tail) {
				t.Errorf("the error shows the secret: %v", e)
			}
		}
	}
}

func TestFormattingAVerifierHidesTheSecret(t *testing.T) {
	v := verifier(t)
	key := strings.TrimPrefix(testSecret, "whsec_")
	raw := fmt.Sprint([]byte(mustDecode(t, key)))
	asJSON, _ := json.Marshal(struct{ V any }{v}) // a verifier inside a struct of the user's
	outs := []string{string(asJSON)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} { // a variable: vet cannot refuse the verbs
		outs = append(outs, fmt.Sprintf(verb, v), fmt.Sprintf(verb, *v), fmt.Sprintf(verb, []any{v}))
	}
	for _, out := range outs {
		if strings.Contains(out, key) || strings.Contains(out, raw[1:len(raw)-1]) || strings.Contains(out, hex.EncodeToString(mustDecode(t, key))[:8]) {
			t.Errorf("formatting shows the secret: %s", out)
		}
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64Std(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignMakesWhatTheSchemeDescribes(t *testing.T) {
	body := eventJSON(webhook.TypeInvitationCreated, invitationJSON("pending"))
	at := time.Unix(1778803260, 999_000_000) // fractions of a second are dropped
	h, err := webhook.Sign(testSecret, "msg_2sign", at, body)
	if err != nil {
		t.Fatal(err)
	}
	want := headers(t, testSecret, "msg_2sign", 1778803260, body)
	for _, name := range []string{"svix-id", "svix-timestamp", "svix-signature"} {
		if h.Get(name) != want.Get(name) {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want.Get(name))
		}
	}
	v, _ := webhook.NewVerifier(testSecret, webhook.WithClock(func() time.Time { return at }))
	if _, err := v.Verify(h, body); err != nil {
		t.Errorf("Verify(Sign(...)) = %v", err)
	}
}

func TestNewSecretsAreValidAndDistinct(t *testing.T) {
	a, b := webhook.NewSecret(), webhook.NewSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("secrets %q, %q", a, b)
	}
	if key, err := base64Std(strings.TrimPrefix(a, "whsec_")); err != nil || len(key) != 24 {
		t.Errorf("secret %q: %d bytes, %v", a, len(key), err)
	}
	if _, err := webhook.NewVerifier(a); err != nil {
		t.Error(err)
	}
}
