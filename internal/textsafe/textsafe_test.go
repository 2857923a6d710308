package textsafe

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"ada@example.com", 40, `"ada@example.com"`},
		{"a\x00b\nc", 40, `"a\x00b\nc"`},
		{strings.Repeat("x", 100), 10, `"xxxxxxxxxx"… (100 bytes)`},
		{"éééé", 3, `"é"… (8 bytes)`}, // cut at a character boundary, not inside é
		{"\x1b[31mred", 40, `"\x1b[31mred"`},
	} {
		if got := Quote(tc.in, tc.limit); got != tc.want {
			t.Errorf("Quote(%q, %d) = %s, want %s", tc.in, tc.limit, got, tc.want)
		}
	}
}

func TestTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"ada@example.com":      "ada@example.com",
		"Zoë 李":                "Zoë 李",
		"\x1b]0;owned\x07x":    `\x1b]0;owned\ax`,
		"a\rb\tc":              `a\rb\tc`,
		"evil\u202egnp.exe":    `evil\u202egnp.exe`,
		"bad\xffbyte":          `bad\xffbyte`,
		"literal \uFFFD stays": "literal \uFFFD stays",
		"\u0085next line (C1)": `\u0085next line (C1)`,
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
}
