// Package specpattern matches strings against the patterns of the spec's
// parameters and fields, as regexp's MatchString does, faster for the two
// shapes the spec uses.
//
// A pattern is compiled by regexp, then read by regexp/syntax. When it is
// one character class over the whole string (`^[class]+$`, as an id's
// pattern is) or one character class anywhere (`\S`, as a role's is), a
// match is a walk over the string's runes, each looked up in the class: a
// table for ASCII, the class's ranges for the rest. Every other pattern is
// matched by regexp. Either way the answer is regexp's: runes are decoded
// as regexp decodes them (a byte that is not UTF-8 is U+FFFD), and the
// class is the one regexp/syntax parsed, case folding and all.
package specpattern

import (
	"regexp"
	"regexp/syntax"
)

// Pattern is a compiled pattern. It is safe for concurrent use.
type Pattern struct {
	re    *regexp.Regexp
	shape shape
	ascii [128]bool // the class's ASCII runes
	wide  []rune    // the class's other runes: pairs lo, hi, in order
}

type shape uint8

const (
	other shape = iota // regexp matches it
	whole              // ^[class]+$: at least one rune, each in the class
	some               // [class]: some rune in the class
)

// MustCompile compiles expr with regexp.MustCompile (and so panics as it
// does on a pattern that Go cannot read) and finds its shape.
func MustCompile(expr string) *Pattern {
	p := &Pattern{re: regexp.MustCompile(expr)}
	re, err := syntax.Parse(expr, syntax.Perl) // the flags regexp.Compile uses
	if err != nil {
		return p
	}
	re = re.Simplify()
	switch {
	case re.Op == syntax.OpCharClass:
		p.shape = some
		p.setClass(re.Rune)
	case re.Op == syntax.OpConcat && len(re.Sub) == 3 &&
		re.Sub[0].Op == syntax.OpBeginText && re.Sub[2].Op == syntax.OpEndText &&
		re.Sub[1].Op == syntax.OpPlus && re.Sub[1].Sub[0].Op == syntax.OpCharClass:
		p.shape = whole
		p.setClass(re.Sub[1].Sub[0].Rune)
	}
	return p
}

// setClass keeps a class given as regexp/syntax's sorted pairs lo, hi.
func (p *Pattern) setClass(pairs []rune) {
	for i := 0; i+1 < len(pairs); i += 2 {
		lo, hi := pairs[i], pairs[i+1]
		for r := lo; r <= hi && r < 128; r++ {
			p.ascii[r] = true
		}
		if hi >= 128 {
			p.wide = append(p.wide, max(lo, 128), hi)
		}
	}
}

// in reports whether r is in the class.
func (p *Pattern) in(r rune) bool {
	if r < 128 {
		return r >= 0 && p.ascii[r]
	}
	for i := 0; i+1 < len(p.wide); i += 2 {
		if r < p.wide[i] {
			return false
		}
		if r <= p.wide[i+1] {
			return true
		}
	}
	return false
}

// MatchString reports whether s matches the pattern, as
// regexp.MatchString does.
func (p *Pattern) MatchString(s string) bool {
	switch p.shape {
	case whole:
		for _, r := range s {
			if !p.in(r) {
				return false
			}
		}
		return s != ""
	case some:
		for _, r := range s {
			if p.in(r) {
				return true
			}
		}
		return false
	}
	return p.re.MatchString(s)
}

// String is the pattern's source text.
func (p *Pattern) String() string { return p.re.String() }
