package redact

import (
	"net/http"
	"testing"
)

const key = "sk_test_abcdefghijklmnop"

// Every spelling of the key that the scrubbers know, and of a long start of
// it, comes out as [REDACTED]; text without it comes back as it was.
func TestBytesSpellings(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"absent", "nothing here", "nothing here"},
		{"raw", "a " + key + " b", "a [REDACTED] b"},
		{"upper case", "SK_TEST_ABCDEFGHIJKLMNOP", "[REDACTED]"},
		{"JSON escape", `sk\u005ftest\u005fabcdefghijklmnop`, "[REDACTED]"},
		{"percent escape", "sk%5Ftest%5fabcdefghijklmnop!", "[REDACTED]!"},
		{"a long start", "sk_test_abcd…", "[REDACTED]…"},
		{"the public prefix only", "sk_test_abc", "sk_test_abc"},
		{"twice", key + "/" + key, "[REDACTED]/[REDACTED]"},
	} {
		if got := string(Bytes([]byte(tc.in), key)); got != tc.want {
			t.Errorf("%s: Bytes(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// Header scrubs names and values, and returns a header without the key
// itself, not a copy.
func TestHeader(t *testing.T) {
	h := http.Header{"X-Echo": {"Bearer " + key}, "X-" + key: {"v"}}
	got := Header(h, key)
	if got.Get("X-Echo") != "Bearer [REDACTED]" || got.Get(redacted) != "v" || len(got) != 2 {
		t.Errorf("Header = %v", got)
	}
	clean := http.Header{"A": {"b"}}
	if got := Header(clean, key); &got["A"][0] != &clean["A"][0] {
		t.Error("a header without the key was copied")
	}
}
