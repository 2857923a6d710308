package specpattern

import (
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// patterns are the spec's (api/openapi.yaml) and others of the same two
// shapes and of neither, so that a pattern of another shape is seen to go
// to regexp.
var patterns = []struct {
	expr  string
	shape shape
}{
	{`^[^\s/\\?#%\x00-\x1f\x7f]+$`, whole},
	{`\S`, some},
	{`^[a-z0-9_]+$`, whole},
	{`(?i)^[a-zé]+$`, whole},
	{`^[^a-zα-ω]+$`, whole},
	{`[\p{Greek}\x{10000}-\x{10FFFF}]`, some},
	{`^[+-]?(created_at|email_address)$`, other},
	{`^[a-z]*$`, other},
	{`[a-z]+`, other},
	{`^\S+`, other},
	{`^[a-z]+[0-9]`, other},
	{`[0-9][a-z]+$`, other},
}

// inputs are strings every pattern is tried on: empty, ASCII, whitespace,
// separators, control characters, other scripts, bytes that are not UTF-8,
// and the edges of the ranges.
var inputs = []string{
	"", " ", "a", "org_2aBcDeFgHiJkLmNoPqRsTuVwXyZ", "org 1", "org/1", `org\1`, "org?1", "org#1", "org%1",
	"org\x00", "\x1f", "\x7f", "\x80", "\xff", "ok\xffok", "é", "É", "α", "Ω", "ω", "ab\u00a0", "\u2028",
	"\U00010000", "\U0010FFFF", "\t", "\n", "\r\n", "  x  ", "created_at", "+email_address", "org:member",
	string(utf8.RuneError), "a\u0301",
	"abc", "1abc", "abc1", "a1",
}

func TestShapes(t *testing.T) {
	for _, p := range patterns {
		assert.Equal(t, p.shape, MustCompile(p.expr).shape, p.expr)
	}
}

// Every pattern gives regexp's answer on every input.
func TestMatchesAsRegexpDoes(t *testing.T) {
	for _, p := range patterns {
		re, sp := regexp.MustCompile(p.expr), MustCompile(p.expr)
		assert.Equal(t, p.expr, sp.String())
		for _, s := range inputs {
			assert.Equal(t, re.MatchString(s), sp.MatchString(s), "%s on %q", p.expr, s)
		}
	}
}

// FuzzMatchString: on any string, every pattern gives regexp's answer.
func FuzzMatchString(f *testing.F) {
	for _, s := range inputs {
		f.Add(s)
	}
	compiled := make([]*Pattern, len(patterns))
	res := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		compiled[i], res[i] = MustCompile(p.expr), regexp.MustCompile(p.expr)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := range patterns {
			if got, want := compiled[i].MatchString(s), res[i].MatchString(s); got != want {
				t.Fatalf("%s on %q: %v, regexp says %v", patterns[i].expr, s, got, want)
			}
		}
	})
}

func TestMustCompilePanicsAsRegexpDoes(t *testing.T) {
	assert.Panics(t, func() { MustCompile(`[`) })
}

func BenchmarkID(b *testing.B) {
	p := MustCompile(patterns[0].expr)
	for b.Loop() {
		p.MatchString("orginv_2aBcDeFgHiJkLmNoPqRsTuVwXyZ")
	}
}
