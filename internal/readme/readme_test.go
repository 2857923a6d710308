// Package readme holds the test that builds every Go block of the
// project's README.md, so that the README cannot drift from the API.
package readme

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// How a README block becomes a file that builds:
//
//   - A block that starts with "package" is a whole file, built as it is.
//   - Any other block is a function body, after any import lines it starts
//     with. It is wrapped in a function that declares, for it to use
//     without declaring them, ctx (a context.Context), c (a
//     *client.Client), params (a client.CreateParams), people (a
//     []client.CreateParams) and t (a *testing.T), each in an outer scope,
//     so that a block may declare its own. The file imports the block's
//     own imports and, of the packages in knownImports, those whose name
//     the block uses ("fmt." ...), plus context, testing and client for
//     the declarations.
//
// Each block is a file of its own in a module that requires this one
// through a replace, and `go vet` builds and checks them all. A //line
// directive makes every error name README.md and its line.

// knownImports are the packages a body may use without importing them.
var knownImports = map[string]string{
	"fmt": "fmt", "log": "log", "errors": "errors", "time": "time", "os": "os", "http": "net/http",
	"httptest": "net/http/httptest", "sync": "sync",
	"webhook":    "github.com/invitekit/clerkinvitations/webhook",
	"client":     "github.com/invitekit/clerkinvitations/client",
	"fake":       "github.com/invitekit/clerkinvitations/fake",
	"gen":        "github.com/invitekit/clerkinvitations/gen",
	"bulkinvite": "github.com/invitekit/clerkinvitations/bulkinvite",
	"metadata":   "github.com/invitekit/clerkinvitations/metadata",
}

// block is one ```go block: its text and the README line it starts on.
type block struct {
	line int // of the block's first line of code
	code string
}

// goBlocks returns the ```go blocks of a markdown file.
func goBlocks(markdown string) []block {
	var out []block
	var cur *block
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(markdown))
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(text) == "```go":
			cur, lines = &block{line: n + 1}, nil
		case cur != nil && strings.TrimSpace(text) == "```":
			cur.code = strings.Join(lines, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			lines = append(lines, text)
		}
	}
	return out
}

var (
	importLine  = regexp.MustCompile(`^import\s+(?:\w+\s+)?"[^"]+"\s*$`)
	importPaths = regexp.MustCompile(`"([^"]+)"`)
)

// wrap turns a block into a Go file of package readme, by the rules above.
func wrap(b block, index int) string {
	if strings.HasPrefix(strings.TrimSpace(b.code), "package ") {
		return fmt.Sprintf("//line README.md:%d\n%s", b.line, b.code)
	}
	lines := strings.Split(b.code, "\n")
	own := map[string]bool{}
	var ownImports []string
	skip := 0
	for skip < len(lines) && (importLine.MatchString(lines[skip]) || strings.TrimSpace(lines[skip]) == "") {
		for _, m := range importPaths.FindAllStringSubmatch(lines[skip], -1) {
			own[m[1]] = true
		}
		ownImports = append(ownImports, lines[skip])
		skip++
	}
	body := strings.Join(lines[skip:], "\n")

	var f strings.Builder
	f.WriteString("package readme\n\n")
	imports := []string{"context", "testing", knownImports["client"]}
	for name, path := range knownImports {
		if name != "client" && regexp.MustCompile(`\b`+name+`\.`).MatchString(body) {
			imports = append(imports, path)
		}
	}
	for _, path := range imports {
		if !own[path] {
			fmt.Fprintf(&f, "import %q\n", path)
		}
	}
	f.WriteString(strings.Join(ownImports, "\n") + "\n")
	fmt.Fprintf(&f, `
func block%d() error {
	var (
		ctx    context.Context = context.Background()
		c      *client.Client
		params client.CreateParams
		people []client.CreateParams
		t      *testing.T
	)
	_, _, _, _, _ = ctx, c, params, people, t
	{
//line README.md:%d
%s
	}
	return nil
}
`, index, b.line+skip, body)
	return f.String()
}

func TestEveryGoBlockOfTheREADMEBuilds(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(readme))
	if len(blocks) < 5 {
		t.Fatalf("found %d Go blocks in README.md; the README has at least 5", len(blocks))
	}
	dir := t.TempDir()
	gomod := fmt.Sprintf("module readmeblocks\n\ngo 1.26.0\n\nrequire github.com/invitekit/clerkinvitations v0.0.0\n\nreplace github.com/invitekit/clerkinvitations => %s\n", root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.mod"), gomod)
	write(t, filepath.Join(dir, "go.sum"), string(sum))
	for i, b := range blocks {
		write(t, filepath.Join(dir, fmt.Sprintf("block%d.go", i)), wrap(b, i))
	}
	// The module cache already holds every dependency (this module's own
	// build needed them): no network, and go.mod may gain the indirect
	// requirements the replace brings.
	// go build lists every compile error; go vet then checks the rest.
	for _, args := range [][]string{{"build", "-o", os.DevNull, "."}, {"vet", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("README.md's Go blocks do not pass go %s (%v):\n%s", args[0], err, out)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWrap(t *testing.T) {
	blocks := goBlocks("text\n```go\nimport \"github.com/invitekit/clerkinvitations/client\"\n\nx := fmt.Sprint(client.StatusPending)\n```\n```sh\nls\n```\n```go\npackage main\n```\n")
	if len(blocks) != 2 || blocks[0].line != 3 || blocks[1].line != 11 {
		t.Fatalf("blocks = %+v", blocks)
	}
	body := wrap(blocks[0], 0)
	for _, want := range []string{"import \"fmt\"\n", "//line README.md:5\nx := fmt.Sprint", "ctx    context.Context"} {
		if !strings.Contains(body, want) {
			t.Errorf("wrapped block lacks %q:\n%s", want, body)
		}
	}
	if n := strings.Count(body, `"github.com/invitekit/clerkinvitations/client"`); n != 1 {
		t.Errorf("client imported %d times, want once:\n%s", n, body)
	}
	if strings.Contains(body, `"github.com/invitekit/clerkinvitations/fake"`) {
		t.Errorf("fake imported though unused:\n%s", body)
	}
	if got := wrap(blocks[1], 1); got != "//line README.md:11\npackage main\n" {
		t.Errorf("a whole file is kept as it is, got %q", got)
	}
}
