package client

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// referenceCharProblem is the character checks of emailProblem as they
// were written before the single pass, one scan per class: the
// specification that refusedChars must give the same answers as.
func referenceCharProblem(addr string) string {
	switch {
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
	return ""
}

// sameAsReference reports whether emailProblem refuses addr for the
// reason the reference gives, or, where the reference finds no character
// wrong, for none of the characters' reasons (the checks of the @ and the
// labels come after).
func sameAsReference(addr string) (got, want string, ok bool) {
	got, want = emailProblem(addr), referenceCharProblem(addr)
	if len(addr) > MaxEmailAddressLen {
		return got, want, true // refused for its length first, as ever
	}
	if want != "" {
		return got, want, got == want
	}
	for _, c := range []string{"it is not UTF-8", "give the bare", "it contains", "one address only"} {
		if strings.HasPrefix(got, c) {
			return got, want, false
		}
	}
	return got, want, true
}

// Every character of the Basic Multilingual Plane and beyond, every byte
// that cannot start UTF-8, and mixes of two classes in both orders, are
// refused for the same reason as by the reference.
func TestRefusedCharsMatchesTheReference(t *testing.T) {
	check := func(addr string) {
		t.Helper()
		if got, want, ok := sameAsReference(addr); !ok {
			t.Fatalf("%q: %q, the reference says %q", addr, got, want)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r > 0x3000 && r < 0xfe00 || r > 0x10000 && r < 0xe0000 {
			continue // letters and symbols, none of them refused: sampled below
		}
		check("a" + string(r) + "b@example.com")
	}
	for r := rune(0x3000); r < 0xe0000; r += 97 {
		check("a" + string(r) + "b@example.com")
	}
	for b := 0x80; b <= 0xff; b++ {
		check("a" + string([]byte{byte(b)}) + "@example.com")
	}
	odd := []string{"<", " ", "\t", "\x00", "\u00a0", "\u0085", "\u200b", "\u00ad", ",", "\\", ":", "\xff", "\ufffd"}
	for _, x := range odd {
		for _, y := range odd {
			check("a" + x + "b" + y + "c@example.com")
		}
	}
}

// Fuzzing holds the single pass to the reference on any text.
func FuzzRefusedChars(f *testing.F) {
	for _, s := range []string{"ada@example.com", "Ada <ada@example.com>", "a b@c.d", "a\u200bb@c.d", "a\xffb@c.d", `"a"@b.c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if got, want, ok := sameAsReference(addr); !ok {
			t.Fatalf("%q: %q, the reference says %q", addr, got, want)
		}
	})
}
