package client

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
)

// authFunc returns the values of the Authorization header for one attempt
// (one value). The key lives only inside these closures: no struct field
// holds it, so printing a Client or its settings with %+v cannot reveal it.
type authFunc func(ctx context.Context) ([]string, error)

// staticAuth serves a fixed key; the header is built once and shared by
// every request (nothing modifies header values once set).
func staticAuth(key string) authFunc {
	header := []string{"Bearer " + key}
	return func(context.Context) ([]string, error) { return header, nil }
}

// providerAuth asks provider for the key on every attempt and checks it.
// The header built for the last key is kept, so an unchanged key costs no
// allocation and a rotated one is built once.
func providerAuth(provider func(context.Context) (string, error)) authFunc {
	type built struct {
		key    string
		header []string
	}
	var last atomic.Pointer[built]
	return func(ctx context.Context) ([]string, error) {
		key, err := provider(ctx)
		if err != nil {
			return nil, &KeyError{Err: err}
		}
		if b := last.Load(); b != nil && b.key == key {
			return b.header, nil
		}
		if err := checkKey(key); err != nil {
			return nil, &KeyError{Err: err}
		}
		b := &built{key: key, header: []string{"Bearer " + key}}
		last.Store(b)
		return b.header, nil
	}
}

// KeyError reports that the key provider failed or returned an unusable
// key. Nothing was sent.
type KeyError struct {
	Err error
}

// Error says that the key provider failed, and why, without the key.
func (e *KeyError) Error() string { return "clerk: key provider: " + e.Err.Error() }

// Unwrap returns the provider's error.
func (e *KeyError) Unwrap() error { return e.Err }

// checkKey rejects a key that cannot be a secret key: empty, with
// whitespace or a control character (which could not be sent as a header
// value), or without the sk_ that starts Clerk's secret keys, such as a
// publishable key (pk_…). It is the one home of that rule: WithSecretKey,
// the environment variable and a key provider all pass through it. Its
// errors describe the problem without quoting the key.
func checkKey(key string) error {
	if key == "" {
		return &KeyFormatError{Reason: "is empty"}
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c == 0x7f {
			return &KeyFormatError{Reason: "contains whitespace or a control character at byte " + strconv.Itoa(i)}
		}
	}
	switch {
	case strings.HasPrefix(key, "sk_"):
		return nil
	case strings.HasPrefix(key, "pk_"):
		return &KeyFormatError{Reason: "is a publishable key (pk_…), not a secret key: use the secret key (sk_test_… or sk_live_…) from the API keys page of Clerk's dashboard"}
	}
	return &KeyFormatError{Reason: "does not start with sk_, as Clerk's secret keys do (sk_test_… or sk_live_…)"}
}

// KeyFormatError reports a key that cannot be a Clerk secret key: empty,
// with whitespace or a control character, or without the sk_ prefix (a
// publishable key pk_…, say). It is found before anything is sent, by
// [New], [WithSecretKey] or, for a key provider's key, by the call, which
// then fails with a [KeyError] wrapping it. Reason says what is wrong,
// without the key.
type KeyFormatError struct {
	// Reason completes "the secret key …": "is empty", "is a publishable
	// key (pk_…), not a secret key: …".
	Reason string
}

// Error says what is wrong with the key, without the key.
func (e *KeyFormatError) Error() string { return "clerk: the secret key " + e.Reason }

// keyOf recovers the key from an Authorization value, so that error bodies
// can be scrubbed of it.
func keyOf(authorization string) string {
	return strings.TrimPrefix(authorization, "Bearer ")
}
