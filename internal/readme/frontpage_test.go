package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// maxREADMEBytes is how long the front page may grow: a newcomer reads it
// in five minutes. Reference material goes to package docs and docs/.
const maxREADMEBytes = 15_000

// readmeCommands are the two commands README.md leads with. .ci/fresh runs
// them, read off the same block, on empty caches.
var readmeCommands = []string{"go run ./examples/quickstart", "make test"}

// firstScreen is how many lines of README.md a newcomer sees first; the
// offline recipe starts within them.
const firstScreen = 40

func TestREADMEIsAFrontPage(t *testing.T) {
	readme := string(must(os.ReadFile(filepath.Join(must(filepath.Abs("../..")), "README.md"))))
	if len(readme) > maxREADMEBytes {
		t.Errorf("README.md is %d bytes; keep it at most %d, and move reference material to a package doc or docs/", len(readme), maxREADMEBytes)
	}
	lang, code, line := firstFence(readme)
	if lang != "sh" {
		t.Fatalf("README.md's first code block (line %d) is %q; it must be the sh block of its two commands", line, lang)
	}
	if got := shellCommands(code); !slices.Equal(got, readmeCommands) {
		t.Errorf("README.md's first sh block (line %d) runs %q; it must lead with %q", line, got, readmeCommands)
	}
	if h := strings.Index(readme, "\n## "); h >= 0 && strings.Count(readme[:h], "\n")+1 < line {
		t.Errorf("README.md's two commands (line %d) come after its first section; put them first", line)
	}
	offline := slices.Index(strings.Split(readme, "\n"), "## Try it offline")
	if offline < 0 || offline >= firstScreen {
		t.Errorf(`README.md's "## Try it offline" is at line %d; it belongs on the first screen (the first %d lines)`, offline+1, firstScreen)
	}
}

// firstFence returns the language and the text of a markdown's first
// fenced code block, and the line its fence is on.
func firstFence(markdown string) (lang, code string, line int) {
	lines := strings.Split(markdown, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "```") {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			if strings.HasPrefix(lines[j], "```") {
				return strings.TrimPrefix(l, "```"), strings.Join(lines[i+1:j], "\n"), i + 1
			}
		}
	}
	return "", "", 0
}

// shellCommands returns the commands of a shell block: each line without
// its comment and surrounding space, blank lines left out.
func shellCommands(code string) []string {
	var out []string
	for _, l := range strings.Split(code, "\n") {
		l, _, _ = strings.Cut(l, "#")
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var (
	inlineLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	referenceLink = regexp.MustCompile(`(?m)^\[[^\]]+\]:\s+(\S+)`)
)

// TestLinksResolve holds every relative link of README.md and docs/*.md to
// a file that exists and, after a #, to a heading of it; and README.md to
// linking every page of docs/.
func TestLinksResolve(t *testing.T) {
	root := must(filepath.Abs("../.."))
	files := markdownFiles(t, root)
	for _, file := range files {
		text := string(must(os.ReadFile(filepath.Join(root, file))))
		for _, target := range links(text) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			dest := file
			if path != "" {
				dest = filepath.ToSlash(filepath.Join(filepath.Dir(file), path))
			}
			body, err := os.ReadFile(filepath.Join(root, dest))
			if err != nil {
				t.Errorf("%s links to %s, which does not exist", file, target)
				continue
			}
			if anchor != "" && !slices.Contains(anchors(string(body)), anchor) {
				t.Errorf("%s links to %s, but %s has no heading #%s", file, target, dest, anchor)
			}
		}
	}
	readme := string(must(os.ReadFile(filepath.Join(root, "README.md"))))
	for _, doc := range files[1:] {
		if !strings.Contains(readme, "]("+doc+")") {
			t.Errorf("README.md does not link %s; every page of docs/ is reached from the front page", doc)
		}
	}
}

// prose returns the lines of a markdown outside its code blocks.
func prose(markdown string) []string {
	var out []string
	inCode := false
	for _, l := range strings.Split(markdown, "\n") {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			out = append(out, l)
		}
	}
	return out
}

// links returns the targets of a markdown's links, outside code blocks.
func links(markdown string) []string {
	text := strings.Join(prose(markdown), "\n")
	var out []string
	for _, re := range []*regexp.Regexp{inlineLink, referenceLink} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// anchors returns the anchors GitHub gives a markdown's headings: lower
// case, spaces to hyphens, and only letters, digits, hyphens and
// underscores kept.
func anchors(markdown string) []string {
	var out []string
	for _, l := range prose(markdown) {
		if !strings.HasPrefix(l, "#") {
			continue
		}
		heading := strings.TrimSpace(strings.TrimLeft(l, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(heading) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		out = append(out, b.String())
	}
	return out
}

func TestAnchors(t *testing.T) {
	got := anchors("# A\n## Emails: --notify or --no-notify\ntext\n```sh\n# a comment\n```\n### Invite runs: pacing against Clerk's limits (2026-12-02)\n")
	want := []string{"a", "emails---notify-or---no-notify", "invite-runs-pacing-against-clerks-limits-2026-12-02"}
	if !slices.Equal(got, want) {
		t.Errorf("anchors = %q, want %q", got, want)
	}
}
