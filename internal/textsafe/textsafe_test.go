package textsafe

import (
	"encoding/json"
	"reflect"
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

func TestJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"plain Zoë 李"}`:                     `{"a":"plain Zoë 李"}`,
		"{\"a\":\"del\x7f c1\u0085 bidi\u202e\"}": `{"a":"del\u007f c1\u0085 bidi\u202e"}`,
		"{\"tag\":\"\U000E0001\"}":                `{"tag":"\udb40\udc01"}`,
	} {
		got := string(JSON([]byte(in)))
		if got != want {
			t.Errorf("JSON(%q) = %s, want %s", in, got, want)
		}
		var before, after any
		if err := json.Unmarshal([]byte(in), &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(got), &after); err != nil {
			t.Fatalf("JSON(%q) is not JSON: %v", in, err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("JSON(%q) changed the values: %v, want %v", in, after, before)
		}
	}
}
