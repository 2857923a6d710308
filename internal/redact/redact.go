// Package redact keeps a secret key out of what errors hold.
//
// A hostile or broken server can echo the key back: in a header, in the
// body, raw or escaped (JSON writes "_" as \u005f if it likes, a URL writes
// it as %5F). Everything an error keeps from a response passes through the
// scrubbers of this package first ([Bytes], [Header], [Error]), which find
// the key in any mix of those spellings, byte by byte, and put [REDACTED]
// in its place.
package redact

import (
	"bytes"
	"net/http"
)

// redacted replaces the key wherever it is found.
const redacted = "[REDACTED]"

// minKeyPrefix is the length of the shortest start of the key that is
// scrubbed like the whole key: the public prefix sk_test_ or sk_live_ and
// four secret characters. So a key that a cut divided, or that a server
// echoed in part, shows at most those four.
const minKeyPrefix = 12

// MaxSpelling is the length of the longest spelling of key that the
// scrubbers recognise: every byte written as \u00XX. Text cut short after
// scrubbing should be read that much longer first, so that a key that
// straddles the cut is found whole.
func MaxSpelling(key string) int { return 6 * len(key) }

// containsKey reports whether s holds key, or a long start of it, in any
// spelling the scrubbers recognise.
func containsKey(s, key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if _, ok := matchKey(s, i, key); ok {
			return true
		}
	}
	return false
}

// scrubString returns s with every spelling of key, or of a long start of
// it, replaced.
func scrubString(s, key string) string {
	if !containsKey(s, key) {
		return s
	}
	return string(Bytes([]byte(s), key))
}

// Bytes returns b with every spelling of key, or of a long start of it,
// replaced. It returns b itself when there is nothing to replace, and a new
// slice otherwise.
func Bytes(b []byte, key string) []byte {
	if key == "" || !mayHoldKey(b, key) {
		return b
	}
	var out []byte
	last := 0 // b[last:] has not been copied to out yet
	for i := 0; i < len(b); {
		n, ok := matchKey(b, i, key)
		if !ok {
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, redacted...)
		i += n
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// matchKey reports whether text, from position i, spells key or at least
// its first minKeyPrefix bytes (ok), and how many bytes of text that
// spelling takes (n).
func matchKey[T ~string | ~[]byte](text T, i int, key string) (n int, ok bool) {
	pos := i
	k := 0
	for ; k < len(key); k++ {
		w := spelledByte(text, pos, key[k])
		if w == 0 {
			break
		}
		pos += w
	}
	return pos - i, k == len(key) || k >= minKeyPrefix
}

// spelledByte reports how many bytes of text, from position i, spell the
// byte c: c itself, a JSON escape (\u00XX, or \/ \\ \" for those three), or
// a percent escape (%XX). Zero when they do not spell c.
func spelledByte[T ~string | ~[]byte](text T, i int, c byte) int {
	if i >= len(text) {
		return 0
	}
	switch {
	case foldByte(text[i]) == foldByte(c):
		return 1
	case text[i] == '%':
		if i+3 <= len(text) && foldHex(hexByte(text[i+1], text[i+2])) == int(foldByte(c)) {
			return 3
		}
	case text[i] == '\\':
		if i+1 < len(text) && text[i+1] == c && (c == '/' || c == '\\' || c == '"') {
			return 2
		}
		if i+6 <= len(text) && text[i+1] == 'u' && text[i+2] == '0' && text[i+3] == '0' && foldHex(hexByte(text[i+4], text[i+5])) == int(foldByte(c)) {
			return 6
		}
	}
	return 0
}

// foldByte is c in lower case, if it is an ASCII letter: the key is
// matched regardless of case, since what echoes it (a host name, a header
// name) may change its case.
func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldHex is foldByte for a decoded escape, which is -1 when invalid.
func foldHex(v int) int {
	if v < 0 {
		return v
	}
	return int(foldByte(byte(v)))
}

// hexByte decodes two hex digits, either case; -1 if they are not.
func hexByte(hi, lo byte) int {
	h, l := hexDigit(hi), hexDigit(lo)
	if h < 0 || l < 0 {
		return -1
	}
	return h<<4 | l
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// Header returns h, or a copy of it with the key scrubbed from every value
// and every name that holds it.
func Header(h http.Header, key string) http.Header {
	if key == "" || !headerHoldsKey(h, key) {
		return h
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		if containsKey(name, key) { // in any case: Go canonicalises header names
			name = redacted
		}
		for _, v := range values {
			out[name] = append(out[name], scrubString(v, key))
		}
	}
	return out
}

func headerHoldsKey(h http.Header, key string) bool {
	for name, values := range h {
		if containsKey(name, key) {
			return true
		}
		for _, v := range values {
			if containsKey(v, key) {
				return true
			}
		}
	}
	return false
}

// mayHoldKey is a fast first look: a text that holds neither the key's
// first byte nor an escape cannot spell the key.
func mayHoldKey(b []byte, key string) bool {
	lower := foldByte(key[0])
	upper := lower
	if 'a' <= lower && lower <= 'z' {
		upper = lower - 'a' + 'A'
	}
	return bytes.IndexByte(b, lower) >= 0 || bytes.IndexByte(b, upper) >= 0 ||
		bytes.IndexByte(b, '\\') >= 0 || bytes.IndexByte(b, '%') >= 0
}
