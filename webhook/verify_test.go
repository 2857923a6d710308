package webhook_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/webhook"
)

func verifier(t *testing.T, opts ...webhook.Option) *webhook.Verifier {
	t.Helper()
	v, err := webhook.NewVerifier(testSecret, append([]webhook.Option{webhook.WithClock(func() time.Time { return now })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInvitationEventsAreTyped(t *testing.T) {
	v := verifier(t)
	for _, typ := range []string{webhook.TypeInvitationCreated, webhook.TypeInvitationAccepted, webhook.TypeInvitationRevoked} {
		t.Run(typ, func(t *testing.T) {
			data := invitationJSON("pending")
			if typ == webhook.TypeInvitationAccepted {
				data = strings.Replace(invitationJSON("accepted"), `"object"`, `"user_id": "user_2ada", "object"`, 1)
			}
			body := eventJSON(typ, data)
			ev, err := v.Verify(headers(t, testSecret, "msg_2created", now.Unix(), body), body)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			var inv client.Invitation
			switch e := ev.(type) {
			case webhook.InvitationCreated:
				inv = e.Invitation
			case webhook.InvitationAccepted:
				inv = e.Invitation
				if e.UserID != "user_2ada" {
					t.Errorf("UserID = %q", e.UserID)
				}
			case webhook.InvitationRevoked:
				inv = e.Invitation
			default:
				t.Fatalf("event is %T", ev)
			}
			if want := map[string]string{
				webhook.TypeInvitationCreated:  "webhook.InvitationCreated",
				webhook.TypeInvitationAccepted: "webhook.InvitationAccepted",
				webhook.TypeInvitationRevoked:  "webhook.InvitationRevoked",
			}[typ]; fmt.Sprintf("%T", ev) != want {
				t.Errorf("event is %T, want %s", ev, want)
			}
			checkInvitation(t, inv)
			checkEnvelope(t, ev.Meta(), typ)
		})
	}
}

func checkInvitation(t *testing.T, inv client.Invitation) {
	t.Helper()
	if inv.ID != "orginv_2aBcDeFgHiJkLmNoPqRsTuVwXyZ" || inv.EmailAddress != "ada@example.com" ||
		inv.OrganizationID != "org_2aBcDeFgHiJkLmNoPqRsTuVwXyZ" || inv.RoleName != "Member" {
		t.Errorf("invitation = %+v", inv)
	}
	if inv.InviterID == nil || *inv.InviterID != "user_2inviter" || inv.PublicInviterData == nil || inv.PublicInviterData.FirstName == nil {
		t.Errorf("inviter = %v, %+v", inv.InviterID, inv.PublicInviterData)
	}
	if inv.ExpiresAt == nil || *inv.ExpiresAt != 1781395200000 || inv.CreatedAt != 1778803200000 {
		t.Errorf("times = %v, %d", inv.ExpiresAt, inv.CreatedAt)
	}
	var md struct{ Team string }
	if err := inv.PublicMetadata.Decode(&md); err != nil || md.Team != "compilers" {
		t.Errorf("public metadata = %s (%v)", inv.PublicMetadata, err)
	}
}

func checkEnvelope(t *testing.T, env webhook.Envelope, typ string) {
	t.Helper()
	if env.MessageID != "msg_2created" || env.Type != typ || env.InstanceID != "ins_2instance" {
		t.Errorf("envelope = %+v", env)
	}
	if !env.Timestamp.Equal(time.UnixMilli(1778803260123)) {
		t.Errorf("Timestamp = %v", env.Timestamp)
	}
	var attrs struct {
		HTTPRequest struct {
			ClientIP string `json:"client_ip"`
		} `json:"http_request"`
	}
	if err := json.Unmarshal(env.Attributes, &attrs); err != nil || attrs.HTTPRequest.ClientIP != "192.0.2.1" {
		t.Errorf("Attributes = %s (%v)", env.Attributes, err)
	}
}

func TestUnknownTypesAreOtherEvents(t *testing.T) {
	v := verifier(t)
	for _, tc := range []struct{ typ, data, wantData string }{
		{"user.created", `{"id": "user_1", "object": "user"}`, `{"id": "user_1", "object": "user"}`},
		{"organizationInvitation.expired", invitationJSON("expired"), invitationJSON("expired")},
		{"something.new", `[1, "two"]`, `[1, "two"]`},
		{"no.data", `null`, ``},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			body := eventJSON(tc.typ, tc.data)
			ev, err := v.Verify(headers(t, testSecret, "msg_2created", now.Unix(), body), body)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			other, ok := ev.(webhook.OtherEvent)
			if !ok {
				t.Fatalf("event is %T, want webhook.OtherEvent", ev)
			}
			if string(other.Data) != tc.wantData {
				t.Errorf("Data = %s, want %s", other.Data, tc.wantData)
			}
			checkEnvelope(t, other.Meta(), tc.typ)
		})
	}
}

func TestRefusals(t *testing.T) {
	body := eventJSON(webhook.TypeInvitationCreated, invitationJSON("pending"))
	good := func() http.Header { return headers(t, testSecret, "msg_1", now.Unix(), body) }
	without := func(name string) http.Header { h := good(); h.Del(name); return h }
	with := func(name, value string) http.Header { h := good(); h.Set(name, value); return h }
	changed := append([]byte(nil), body...)
	changed[len(changed)-3] = ' '

	for _, tc := range []struct {
		name   string
		header http.Header
		body   []byte
		want   error
		says   string
	}{
		{"wrong secret", headers(t, otherSecret, "msg_1", now.Unix(), body), body, webhook.ErrBadSignature, "no signature matches"},
		{"changed body", good(), changed, webhook.ErrBadSignature, "msg_1"},
		{"changed id", with("svix-id", "msg_2"), body, webhook.ErrBadSignature, "msg_2"},
		{"changed timestamp", with("svix-timestamp", fmt.Sprint(now.Unix()-1)), body, webhook.ErrBadSignature, ""},
		{"only a v2 signature", with("svix-signature", "v2"+good().Get("svix-signature")[2:]), body, webhook.ErrBadSignature, ""},
		{"signature not base64", with("svix-signature", "v1,!!!"), body, webhook.ErrBadSignature, ""},
		{"old timestamp", headers(t, testSecret, "msg_1", now.Add(-5*time.Minute-time.Second).Unix(), body), body, webhook.ErrTooOld, "5m1s before now"},
		{"timestamp from 1970", headers(t, testSecret, "msg_1", 1, body), body, webhook.ErrTooOld, ""},
		{"future timestamp", headers(t, testSecret, "msg_1", now.Add(6*time.Minute).Unix(), body), body, webhook.ErrTooNew, "6m0s after now"},
		{"no svix-id", without("svix-id"), body, webhook.ErrMissingHeader, "svix-id"},
		{"no svix-timestamp", without("svix-timestamp"), body, webhook.ErrMissingHeader, "svix-timestamp"},
		{"no svix-signature", without("svix-signature"), body, webhook.ErrMissingHeader, "svix-signature"},
		{"empty svix-signature", with("svix-signature", " "), body, webhook.ErrMissingHeader, "svix-signature"},
		{"no headers", http.Header{}, body, webhook.ErrMissingHeader, "all absent"},
		{"timestamp in ms", with("svix-timestamp", fmt.Sprint(now.UnixMilli())), body, webhook.ErrTooNew, ""},
		{"timestamp with a sign", with("svix-timestamp", fmt.Sprint("+", now.Unix())), body, webhook.ErrMalformedHeader, "svix-timestamp"},
		{"timestamp with a leading zero", with("svix-timestamp", fmt.Sprint("0", now.Unix())), body, webhook.ErrMalformedHeader, ""},
		{"timestamp not a number", with("svix-timestamp", "yesterday"), body, webhook.ErrMalformedHeader, "yesterday"},
		{"timestamp too large", with("svix-timestamp", "99999999999999999999"), body, webhook.ErrMalformedHeader, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := verifier(t).Verify(tc.header, tc.body)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, %v; want %v", ev, err, tc.want)
			}
			if ev != nil {
				t.Errorf("an event came with the error: %v", ev)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), strings.TrimPrefix(testSecret, "whsec_")) {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestAuthenticBodiesThatAreNotEvents(t *testing.T) {
	for _, body := range []string{
		``, `not json`, `[]`, `{"data": {}}`, `{"type": 7}`,
		`{"type": "organizationInvitation.created"}`,
		`{"type": "organizationInvitation.created", "data": null}`,
		`{"type": "organizationInvitation.revoked", "data": {"email_address": "no id"}}`,
		`{"type": "organizationInvitation.accepted", "data": {"id": "orginv_1", "user_id": 42}}`,
		`{"type": "organizationInvitation.created", "data": {"id": "orginv_1", "public_metadata": "text"}}`,
		`{"type": "user.created", "data": {}} trailing`,
	} {
		ev, err := verifier(t).Verify(headers(t, testSecret, "msg_1", now.Unix(), []byte(body)), []byte(body))
		if !errors.Is(err, webhook.ErrMalformedEvent) {
			t.Errorf("%s: Verify = %v, %v; want ErrMalformedEvent", body, ev, err)
		}
	}
}
