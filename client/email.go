package client

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// MaxEmailAddressLen is the longest email address, in bytes, that
// [CheckEmailAddress] accepts: 64 for the part before the @, 255 for the
// domain, and the @ (RFC 3696, erratum 1690).
const MaxEmailAddressLen = 320

// quoteLimit is how much of a refused address an error quotes.
const quoteLimit = 64

// CheckEmailAddress returns nil when addr is one email address as the API
// takes it, or an error saying, in a few words, what is wrong with it:
// something other than one bare address (a display name such as
// "Ada <ada@example.com>", two addresses, surrounding space), a space or
// a control character, no part before the @ or no domain after it, an
// empty dot-separated label, text that is not UTF-8, or more than
// [MaxEmailAddressLen] bytes. Letters of any script are allowed. The
// error quotes the address cut short and escaped.
//
// [Client.Create] and [Client.BulkCreate] check every address with it
// before sending anything; code that collects addresses (from a file,
// say) can check each one first.
func CheckEmailAddress(addr string) error {
	if reason := emailProblem(addr); reason != "" {
		return errors.New(textsafe.Quote(addr, quoteLimit) + " is not an email address: " + reason)
	}
	return nil
}

// emailProblem is what is wrong with addr, or "".
func emailProblem(addr string) string {
	switch {
	case addr == "":
		return "it is empty"
	case len(addr) > MaxEmailAddressLen:
		return "it is longer than " + strconv.Itoa(MaxEmailAddressLen) + " bytes"
	}
	switch found := refusedChars(addr); { // the first class found, in this order
	case found&notUTF8 != 0:
		return "it is not UTF-8 text"
	case found&angle != 0:
		return "give the bare address, without a name or angle brackets"
	case found&space != 0:
		return "it contains a space or a line break"
	case found&control != 0:
		return "it contains a control character"
	case found&separator != 0:
		return `one address only, without , ; " ( ) [ ] \ or :`
	}
	local, domain, ok := strings.Cut(addr, "@")
	switch {
	case !ok:
		return "it has no @"
	case strings.Contains(domain, "@"):
		return "it has more than one @"
	case local == "":
		return "there is nothing before the @"
	case domain == "":
		return "there is no domain after the @"
	case len(local) > 64:
		return "the part before the @ is longer than 64 bytes"
	case badLabels(local):
		return "a dot at the start or end of the part before the @, or two in a row"
	case badLabels(domain) || !strings.Contains(domain, "."):
		return "the domain " + textsafe.Quote(domain, quoteLimit) + " is not a domain name such as example.com"
	}
	return ""
}

// The classes of characters that an address must not hold.
const (
	notUTF8   = 1 << iota // a byte that is not part of UTF-8 text
	angle                 // < or >, as around an address after a name
	space                 // white space (unicode.IsSpace)
	control               // a control or format character (Cc, Cf)
	separator             // , ; " ( ) [ ] \ or :, which separate or quote addresses
)

// asciiClasses are the classes of each ASCII character.
var asciiClasses = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		if c < ' ' || c == 0x7f {
			t[c] |= control
		}
		if unicode.IsSpace(rune(c)) {
			t[c] |= space
		}
	}
	for _, c := range []byte("<>") {
		t[c] |= angle
	}
	for _, c := range []byte(`,;"()[]\:`) {
		t[c] |= separator
	}
	return t
}()

// refusedChars returns the classes of the characters in addr, in one pass:
// a table for ASCII, Unicode's categories for the rest.
func refusedChars(addr string) (found uint8) {
	for i := 0; i < len(addr); {
		if c := addr[i]; c < utf8.RuneSelf {
			found |= asciiClasses[c]
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(addr[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			found |= notUTF8
		}
		if unicode.IsSpace(r) {
			found |= space
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			found |= control
		}
	}
	return found
}

// badLabels reports a dot-separated string with an empty part.
func badLabels(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..")
}

// NormalEmail is the form in which two addresses are compared: two that
// give the same NormalEmail are one person. It is the address in lower
// case, without surrounding space; the API compares addresses without
// regard to case.
func NormalEmail(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }
