package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// Sign returns the headers that make body a message signed with secret,
// as Svix signs Clerk's webhooks: svix-id set to messageID, svix-timestamp
// to timestamp in Unix seconds, and svix-signature to one v1 signature. Use
// it in tests, to send a [Verifier] or [Verifier.Handler] messages of your
// own:
//
//	req := httptest.NewRequest("POST", "/webhooks/clerk", bytes.NewReader(body))
//	h, err := webhook.Sign(secret, "msg_1", time.Now(), body)
//	maps.Copy(req.Header, h)
//
// It returns an error matching [ErrBadSecret] if the secret is malformed.
func Sign(secret, messageID string, timestamp time.Time, body []byte) (http.Header, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return nil, err
	}
	unix := timestamp.Unix()
	sig := base64.StdEncoding.EncodeToString(mac(key, messageID, unix, body))
	h := http.Header{}
	h.Set("svix-id", messageID)
	h.Set("svix-timestamp", strconv.FormatInt(unix, 10))
	h.Set("svix-signature", "v1,"+sig)
	return h, nil
}

// NewSecret returns a new random signing secret, "whsec_" and the base64 of
// 24 random bytes (the length Svix uses), for tests and for the fake.
func NewSecret() string {
	key := make([]byte, 24)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}
