package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// authFunc returns the value of the Authorization header for one attempt.
// The key lives only inside these closures: no struct field holds it, so
// printing a Client or its settings with %+v cannot reveal it.
type authFunc func(ctx context.Context) (string, error)

// staticAuth serves a fixed key; the header value is built once.
func staticAuth(key string) authFunc {
	header := "Bearer " + key
	return func(context.Context) (string, error) { return header, nil }
}

// providerAuth asks provider for the key on every attempt and checks it.
func providerAuth(provider func(context.Context) (string, error)) authFunc {
	return func(ctx context.Context) (string, error) {
		key, err := provider(ctx)
		if err != nil {
			return "", &KeyError{Err: err}
		}
		if err := checkKey(key); err != nil {
			return "", &KeyError{Err: err}
		}
		return "Bearer " + key, nil
	}
}

// KeyError reports that the key provider failed or returned an unusable
// key. Nothing was sent.
type KeyError struct {
	Err error
}

func (e *KeyError) Error() string { return "clerk: key provider: " + e.Err.Error() }

// Unwrap returns the provider's error.
func (e *KeyError) Unwrap() error { return e.Err }

// checkKey rejects keys that cannot be sent as a header value. Its messages
// describe the problem without quoting the key.
func checkKey(key string) error {
	if key == "" {
		return errors.New("clerk: the secret key is empty")
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c == 0x7f {
			return fmt.Errorf("clerk: the secret key contains whitespace or a control character at byte %d", i)
		}
	}
	return nil
}

// keyOf recovers the key from an Authorization value, so that error bodies
// can be scrubbed of it.
func keyOf(authorization string) string {
	return strings.TrimPrefix(authorization, "Bearer ")
}
