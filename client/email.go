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
	case !utf8.ValidString(addr):
		return "it is not UTF-8 text"
	case strings.ContainsAny(addr, "<>"):
		return "give the bare address, without a name or angle brackets"
	case strings.ContainsFunc(addr, unicode.IsSpace):
		return "it contains a space or a line break"
	case strings.ContainsFunc(addr, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }):
		return "it contains a control character"
	case strings.ContainsAny(addr, `,;"()[]\:`):
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

// badLabels reports a dot-separated string with an empty part.
func badLabels(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..")
}

// NormalEmail is the form in which two addresses are compared: two that
// give the same NormalEmail are one person. It is the address in lower
// case, without surrounding space; the API compares addresses without
// regard to case.
func NormalEmail(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }
