// Package textsafe makes untrusted text fit to print: cut short, with
// control characters escaped, so that a hostile or broken input (a 50 MB
// cell, an ESC sequence in an address) can neither flood an error message
// nor drive the terminal it is printed on.
package textsafe

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Quote is s as a Go-quoted string, with at most limit bytes of s in it:
// a longer s is cut at a character boundary and followed by "…" and its
// length in bytes. Control characters, invalid UTF-8 and the other bytes
// strconv.Quote escapes come out escaped.
func Quote(s string, limit int) string {
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// Terminal is s with every control character (C0, DEL, C1), every
// formatting character (bidirectional overrides, zero-width ones) and
// every invalid byte written as a visible escape (\x1b, \u202e), so that
// printing it to a terminal shows it instead of obeying it. Other text,
// letters of any script included, is left as it is.
func Terminal(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isInvalid(s[i:]):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsEscape(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.ContainsFunc(s, unsafeRune)
}

// unsafeRune reports a character a terminal may act on or hide.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// unsafeInJSON is unsafeRune but for JSON's white space.
func unsafeInJSON(r rune) bool {
	return unsafeRune(r) && r != '\t' && r != '\n' && r != '\r'
}

// isInvalid reports whether s starts with a byte that is not valid UTF-8
// (as opposed to a literal U+FFFD).
func isInvalid(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 1
}

// JSON is a JSON document with every character a terminal may act on or
// hide (see Terminal) written as a \u escape, so that printing it shows
// them instead of obeying them; a JSON parser reads the same values from
// it. encoding/json escapes the C0 controls itself, but writes DEL, the C1
// controls and the formatting characters as they are. Outside strings a
// JSON document holds no such character but the white space between its
// tokens (tab, line feed, carriage return), which is left as it is; every
// other one is in a string, where \u escapes are valid.
func JSON(doc []byte) []byte {
	if !strings.ContainsFunc(string(doc), unsafeInJSON) {
		return doc
	}
	var b strings.Builder
	for _, r := range string(doc) {
		if !unsafeInJSON(r) {
			b.WriteRune(r)
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return []byte(b.String())
}
