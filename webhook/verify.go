package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a message's svix-timestamp may lie from the
// verifier's clock, before or after it, unless [WithTolerance] says
// otherwise: 5 minutes, as Svix's own libraries allow.
const DefaultTolerance = 5 * time.Minute

// secretPrefix starts every signing secret Clerk's dashboard shows.
const secretPrefix = "whsec_"

// The errors of [NewVerifier], [Sign] and [Verifier.Verify]. Returned errors
// wrap one of them with details (which header, how old), so test them with
// errors.Is.
var (
	// ErrBadSecret: the signing secret is not "whsec_" followed by
	// non-empty standard base64.
	ErrBadSecret = errors.New("webhook: the signing secret must be whsec_ followed by base64, as Clerk's dashboard shows it")
	// ErrMissingHeader: svix-id, svix-timestamp or svix-signature is
	// absent or empty.
	ErrMissingHeader = errors.New("webhook: a signature header is missing")
	// ErrMalformedHeader: svix-timestamp is not a Unix time in seconds.
	ErrMalformedHeader = errors.New("webhook: a signature header is malformed")
	// ErrTooOld: svix-timestamp is further in the past than the tolerance:
	// a replay, or a clock far behind.
	ErrTooOld = errors.New("webhook: the message's timestamp is too old")
	// ErrTooNew: svix-timestamp is further in the future than the
	// tolerance.
	ErrTooNew = errors.New("webhook: the message's timestamp is in the future")
	// ErrBadSignature: no v1 signature in svix-signature matches the body
	// under the secret: a wrong secret, a changed body or a forgery.
	ErrBadSignature = errors.New("webhook: no signature matches the message")
	// ErrMalformedEvent: the message is authentic but its body is not an
	// event (no JSON object, no type, or an invitation event whose data
	// is not an invitation).
	ErrMalformedEvent = errors.New("webhook: the message is not a well-formed event")
)

// Verifier checks messages signed with one signing secret. It is safe for
// concurrent use. Formatting it (%v, %#v) never shows the secret.
type Verifier struct {
	key       []byte
	tolerance time.Duration
	now       func() time.Time
}

// Option configures a [Verifier].
type Option func(*Verifier)

// WithTolerance sets how far svix-timestamp may lie from now, either way;
// by default [DefaultTolerance]. Zero or less keeps the default.
func WithTolerance(d time.Duration) Option {
	return func(v *Verifier) {
		if d > 0 {
			v.tolerance = d
		}
	}
}

// WithClock sets the clock the timestamp is checked against (time.Now by
// default), for tests.
func WithClock(now func() time.Time) Option {
	return func(v *Verifier) {
		if now != nil {
			v.now = now
		}
	}
}

// NewVerifier returns a verifier for the endpoint whose signing secret is
// secret ("whsec_…", from the endpoint's page in Clerk's dashboard). It
// returns an error matching [ErrBadSecret] if the secret is malformed.
func NewVerifier(secret string, opts ...Option) (*Verifier, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return nil, err
	}
	v := &Verifier{key: key, tolerance: DefaultTolerance, now: time.Now}
	for _, opt := range opts {
		opt(v)
	}
	return v, nil
}

// Format prints the verifier without its secret, whatever the verb.
func (v Verifier) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "webhook.Verifier{tolerance: %v}", v.tolerance)
}

func decodeSecret(secret string) ([]byte, error) {
	encoded, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w (it does not start with whsec_)", ErrBadSecret)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("%w (the part after whsec_ is not base64)", ErrBadSecret)
	}
	return key, nil
}

// Verify checks that body was signed with the verifier's secret, at a time
// within the tolerance, and decodes it. header is the request's header;
// body its exact bytes, unchanged (no re-encoding of the JSON).
//
// It checks, in this order: the three headers are present (the
// Standard Webhooks names webhook-id, webhook-timestamp and
// webhook-signature are read when the svix-* ones are all absent), the
// timestamp is within the tolerance, one of the v1 signatures matches
// (compared in constant time), and the body is an event. An event of a
// type this package does not know is an [OtherEvent], not an error.
func (v *Verifier) Verify(header http.Header, body []byte) (Event, error) {
	msg, err := readHeaders(header)
	if err != nil {
		return nil, err
	}
	if err := v.checkTime(msg.timestamp); err != nil {
		return nil, err
	}
	if !matches(msg.signatures, mac(v.key, msg.id, msg.timestamp, body)) {
		return nil, fmt.Errorf("%w (message %s)", ErrBadSignature, truncate(msg.id))
	}
	return parseEvent(msg.id, body)
}

// signed is what the three headers carry.
type signed struct {
	id         string
	timestamp  int64
	signatures string
}

// readHeaders reads and parses the signature headers.
func readHeaders(h http.Header) (signed, error) {
	names := [3]string{"svix-id", "svix-timestamp", "svix-signature"}
	values := [3]string{h.Get(names[0]), h.Get(names[1]), h.Get(names[2])}
	if values == [3]string{} {
		values = [3]string{h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")}
		if values == [3]string{} {
			return signed{}, fmt.Errorf("%w: svix-id, svix-timestamp and svix-signature are all absent", ErrMissingHeader)
		}
		names = [3]string{"webhook-id", "webhook-timestamp", "webhook-signature"}
	}
	for i, value := range values {
		if strings.TrimSpace(value) == "" {
			return signed{}, fmt.Errorf("%w: %s", ErrMissingHeader, names[i])
		}
	}
	ts, ok := parseTimestamp(values[1])
	if !ok {
		return signed{}, fmt.Errorf("%w: %s is %q, not a Unix time in seconds", ErrMalformedHeader, names[1], truncate(values[1]))
	}
	return signed{id: values[0], timestamp: ts, signatures: values[2]}, nil
}

// parseTimestamp reads a Unix time in seconds written as the scheme writes
// it: decimal digits, no sign, no leading zero, no more than fits an int64.
func parseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 19 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// truncate shortens a header value quoted in an error.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// checkTime refuses a timestamp further than the tolerance from now.
func (v *Verifier) checkTime(unix int64) error {
	return timeCheck(v.now(), unix, v.tolerance)
}

// timeCheck is checkTime's decision, apart from any clock.
func timeCheck(now time.Time, unix int64, tolerance time.Duration) error {
	nowUnix := now.Unix()
	limit := int64(tolerance / time.Second)
	switch {
	case unix < nowUnix-limit:
		return fmt.Errorf("%w: signed %s before now, more than the tolerance of %v", ErrTooOld, age(nowUnix-unix), tolerance)
	case unix > nowUnix+limit:
		return fmt.Errorf("%w: signed %s after now, more than the tolerance of %v", ErrTooNew, age(unix-nowUnix), tolerance)
	}
	return nil
}

// age prints a difference of seconds that may exceed time.Duration.
func age(seconds int64) string {
	if seconds > int64(100*365*24*time.Hour/time.Second) {
		return "more than 100 years"
	}
	return (time.Duration(seconds) * time.Second).String()
}

// mac is the scheme's HMAC-SHA256 of "id.timestamp.body".
func mac(key []byte, id string, timestamp int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, timestamp, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// matches reports whether one of the space-separated "v1,<base64>"
// signatures is want. Other versions and malformed entries are skipped.
func matches(signatures string, want []byte) bool {
	found := false
	for _, entry := range strings.Fields(signatures) {
		version, encoded, ok := strings.Cut(entry, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.Strict().DecodeString(encoded)
		if err != nil {
			continue
		}
		// No early return: every entry costs the same whether it matches
		// or not.
		if hmac.Equal(got, want) {
			found = true
		}
	}
	return found
}
