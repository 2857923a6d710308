package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// This file signs messages with its own implementation of the scheme,
// written from Svix's published description and not from the package: a
// secret is "whsec_" and the base64 of the key; the signed content is the
// message id, the timestamp in decimal Unix seconds and the body, joined
// with dots; the signature is "v1," and the base64 of the content's
// HMAC-SHA256 under the key.

// testSecret is a signing secret as Clerk's dashboard shows one.
const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// otherSecret is another endpoint's secret.
const otherSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"

// now is the verifiers' clock in these tests.
var now = time.Date(2026, 5, 14, 12, 0, 0, 0, time.UTC)

// signature computes a "v1,…" signature the way the scheme describes.
func signature(t testing.TB, secret, id string, unix int64, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatalf("test secret: %v", err)
	}
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "%s.%d.%s", id, unix, body)
	return "v1," + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// headers are the three headers of a message signed at unix.
func headers(t testing.TB, secret, id string, unix int64, body []byte) http.Header {
	t.Helper()
	h := http.Header{}
	h.Set("Svix-Id", id)
	h.Set("Svix-Timestamp", fmt.Sprint(unix))
	h.Set("Svix-Signature", signature(t, secret, id, unix, body))
	return h
}

// invitationJSON is an invitation as the API returns it (api/openapi.yaml's
// OrganizationInvitation), in the given status.
func invitationJSON(status string) string {
	return `{
		"object": "organization_invitation",
		"id": "orginv_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",
		"email_address": "ada@example.com",
		"role": "org:member",
		"role_name": "Member",
		"organization_id": "org_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",
		"inviter_id": "user_2inviter",
		"public_inviter_data": {"user_id": "user_2inviter", "first_name": "Grace", "last_name": null,
			"image_url": "https://img.example.com/g.png", "has_image": true, "identifier": "grace@example.com"},
		"status": "` + status + `",
		"public_metadata": {"team": "compilers"},
		"private_metadata": {},
		"url": "https://accounts.example.com/v1/tickets/accept?ticket=abc",
		"expires_at": 1781395200000,
		"created_at": 1778803200000,
		"updated_at": 1778803260000,
		"a_field_added_later": [1, 2]
	}`
}

// eventJSON is a Clerk event envelope around data.
func eventJSON(typ, data string) []byte {
	return []byte(`{"object": "event", "type": "` + typ + `", "timestamp": 1778803260123,
		"instance_id": "ins_2instance",
		"event_attributes": {"http_request": {"client_ip": "192.0.2.1", "user_agent": "Mozilla/5.0"}},
		"data": ` + data + `}`)
}

func base64Std(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
