// Package readme holds the tests of the project's written words: every Go
// block of README.md and of docs/*.md compiles and passes go vet, and
// README.md stays a front page that leads with its two commands.
package readme

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/metadata"
	"github.com/invitekit/clerkinvitations/webhook"
)

// How a block becomes a file that builds:
//
//   - A block that starts with "package" is a whole file. Its package clause
//     becomes "package readme"; the rest is built as it is.
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
// Every block is one file of this package, package readme, given to the go
// command through -overlay: the files live in a temporary folder and the
// go command sees them in internal/readme. So the blocks build inside the
// main module, with its go.mod and go.sum and nothing else, and with
// GOPROXY=off. A //line directive makes every error name the markdown file
// and its line.
//
// A block may import the standard library and the packages of
// modulePackages only. This test imports each of those, so `go test` has
// fetched every module they need before it runs: the offline build needs
// no more than this test's own build did, on a cold machine as on a warm
// one.

// modulePackages are the packages of this module a block may import. Each
// is named through one of its types, so that this file imports it.
var modulePackages = []string{
	pkgOf[client.Client](),
	pkgOf[bulkinvite.Config](),
	pkgOf[fake.Server](),
	pkgOf[gen.OrganizationInvitation](),
	pkgOf[metadata.Raw](),
	pkgOf[webhook.Verifier](),
}

func pkgOf[T any]() string { return reflect.TypeFor[T]().PkgPath() }

// knownImports are the packages a body may use without importing them, by
// the name it uses.
var knownImports = func() map[string]string {
	m := map[string]string{
		"fmt": "fmt", "log": "log", "errors": "errors", "time": "time", "os": "os", "http": "net/http",
		"httptest": "net/http/httptest", "sync": "sync",
	}
	for _, p := range modulePackages {
		m[path.Base(p)] = p
	}
	return m
}()

// markdownFiles are the files whose Go blocks must build, relative to the
// repository's root: README.md and every docs/*.md.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md"}
	for _, d := range docs {
		files = append(files, filepath.ToSlash(must(filepath.Rel(root, d))))
	}
	sort.Strings(files[1:])
	return files
}

// block is one ```go block: its text, and the file and line it starts on.
type block struct {
	file string // relative to the repository's root
	line int    // of the block's first line of code
	code string
}

// goBlocks returns the ```go blocks of a markdown file.
func goBlocks(file, markdown string) []block {
	var out []block
	var cur *block
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(markdown))
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(text) == "```go":
			cur, lines = &block{file: file, line: n + 1}, nil
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
	importLine    = regexp.MustCompile(`^import\s+(?:\w+\s+)?"[^"]+"\s*$`)
	importPaths   = regexp.MustCompile(`"([^"]+)"`)
	packageClause = regexp.MustCompile(`(?m)^package \w+`)
)

// wrap turns a block into a Go file of package readme, by the rules above.
func wrap(b block, index int) string {
	if strings.HasPrefix(strings.TrimSpace(b.code), "package ") {
		code := packageClause.ReplaceAllLiteralString(b.code, "package readme")
		return fmt.Sprintf("//line %s:%d\n%s", b.file, b.line, code)
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
	sort.Strings(imports[3:])
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
//line %s:%d
%s
	}
	return nil
}
`, index, b.file, b.line+skip, body)
	return f.String()
}

// foreignImports returns the imports of a wrapped block that are neither
// the standard library nor one of modulePackages.
func foreignImports(src string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, err
		}
		std := !strings.Contains(strings.Split(p, "/")[0], ".")
		if !std && !slices.Contains(modulePackages, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

func TestEveryGoBlockBuilds(t *testing.T) {
	root := must(filepath.Abs("../.."))
	here := filepath.Join(root, "internal", "readme")
	tmp := t.TempDir()
	replace := map[string]string{}
	count := map[string]int{}
	var all []block
	for _, file := range markdownFiles(t, root) {
		text := must(os.ReadFile(filepath.Join(root, file)))
		blocks := goBlocks(file, string(text))
		count[file] = len(blocks)
		all = append(all, blocks...)
	}
	if count["README.md"] < 1 {
		t.Fatalf("found no Go block in README.md; its first call is one")
	}
	for i, b := range all {
		src := wrap(b, i)
		foreign, err := foreignImports(src)
		if err != nil {
			t.Fatalf("%s:%d: %v", b.file, b.line, err)
		}
		if len(foreign) > 0 {
			t.Errorf("%s:%d: the block imports %q; a block may import the standard library and %q only",
				b.file, b.line, foreign, modulePackages)
		}
		name := fmt.Sprintf("zz_block%d.go", i)
		if _, err := os.Stat(filepath.Join(here, name)); err == nil {
			t.Fatalf("internal/readme/%s exists on disk; the blocks' files are only ever an overlay", name)
		}
		write(t, filepath.Join(tmp, name), src)
		replace[filepath.Join(here, name)] = filepath.Join(tmp, name)
	}
	if t.Failed() {
		return
	}
	overlay := filepath.Join(tmp, "overlay.json")
	write(t, overlay, string(must(json.Marshal(map[string]any{"Replace": replace}))))
	t.Logf("%d Go blocks: %v", len(all), count)

	// go build lists every compile error; go vet then checks the rest.
	for _, args := range [][]string{{"build", "-o", os.DevNull}, {"vet"}} {
		cmd := exec.Command("go", append(args, "-overlay="+overlay, "./internal/readme")...)
		cmd.Dir = root
		// Offline, and nothing but the main module's go.mod and go.sum.
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			// vet names a //line file from the folder of the file it read.
			out := strings.ReplaceAll(string(out), tmp+string(filepath.Separator), "")
			t.Fatalf("the Go blocks of README.md and docs/ do not pass go %s (%v):\n%s", args[0], err, out)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestWrap(t *testing.T) {
	blocks := goBlocks("docs/x.md", "text\n```go\nimport \"github.com/invitekit/clerkinvitations/client\"\n\nx := fmt.Sprint(client.StatusPending)\n```\n```sh\nls\n```\n```go\npackage main\n\nfunc main() {}\n```\n")
	if len(blocks) != 2 || blocks[0].line != 3 || blocks[1].line != 11 || blocks[1].file != "docs/x.md" {
		t.Fatalf("blocks = %+v", blocks)
	}
	body := wrap(blocks[0], 0)
	for _, want := range []string{"import \"fmt\"\n", "//line docs/x.md:5\nx := fmt.Sprint", "ctx    context.Context"} {
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
	if got := wrap(blocks[1], 1); got != "//line docs/x.md:11\npackage readme\n\nfunc main() {}\n" {
		t.Errorf("a whole file keeps all but its package clause, got %q", got)
	}
}

func TestForeignImports(t *testing.T) {
	src := "package readme\nimport (\n\t\"fmt\"\n\t\"github.com/invitekit/clerkinvitations/fake\"\n\t\"github.com/google/uuid\"\n\t\"github.com/invitekit/clerkinvitations/internal/pace\"\n)\n"
	got, err := foreignImports(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"github.com/google/uuid", "github.com/invitekit/clerkinvitations/internal/pace"}
	if !slices.Equal(got, want) {
		t.Errorf("foreignImports = %q, want %q", got, want)
	}
}
