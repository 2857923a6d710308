package cliwords

import (
	"regexp"
	"strings"

	"github.com/invitekit/clerkinvitations/gen"
)

// The rule of the words people read (GUIDE.md): a message of clerk-invite
// or clerk-fake names flags, files, environment variables and people,
// never a Go package, function or operationId, and never says a thing
// twice. Violations and Repeats check it, for the commands' tests.

// goWords are what a message must not show: a package's prefix ("clerk:
// ", "bulkinvite: ", "json: "), a qualified Go name (bulkinvite.Run,
// client.WithBaseURL), an option function, a struct field path, and the
// marks of Go's own error texts (a URL error's method and quoted URL, a
// dial, a fmt mistake).
var goWords = regexp.MustCompile(`(?:^|[^\w./-])(clerk|client|bulkinvite|gen|fake|webhook|json|time|strconv|net|http|sqlite|cobra|pflag|runtime):\s` +
	`|\b[a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*\b` +
	`|\bWith[A-Z][A-Za-z]+\b|\bConfig\.|\bdial (tcp|udp)\b|\b(Get|Post) "http|%!|<nil>`)

// Violations lists what in text breaks the rule: Go's words, and the
// operationIds of the spec (CreateOrganizationInvitation...).
func Violations(text string) []string {
	var out []string
	out = append(out, goWords.FindAllString(text, -1)...)
	for _, op := range gen.Operations {
		if strings.Contains(text, op.ID) {
			out = append(out, op.ID)
		}
	}
	return out
}

// clause splits text into clauses: at the marks that end or set off one.
var clause = regexp.MustCompile(`[.;:(),\n]+`)

// joining is a word that joins a clause to the one before it.
var joining = regexp.MustCompile(`^(and|so|but|or|then) `)

// Repeats lists the clauses of three words or more that text says more
// than once, compared without regard to case, spacing or a joining word
// ("so nothing was sent" repeats "nothing was sent").
func Repeats(text string) []string {
	seen := map[string]int{}
	var out []string
	for _, c := range clause.Split(text, -1) {
		c = joining.ReplaceAllString(strings.ToLower(strings.Join(strings.Fields(c), " ")), "")
		if strings.Count(c, " ") < 2 {
			continue
		}
		if seen[c]++; seen[c] == 2 {
			out = append(out, c)
		}
	}
	return out
}
