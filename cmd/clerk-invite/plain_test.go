package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The points of "a CLI that speaks plainly" (issue 26), each through the
// built binaries: the version, one style of help for both tools, a
// publishable key and a send without --notify or --no-notify refused with
// nothing sent, and no file left behind by status or a dry run. The
// wording rule on every error path is TestEveryErrorPathSpeaksPlainly, and
// clerk-fake's own in its package.
func TestACLIThatSpeaksPlainly(t *testing.T) {
	fakeBinary := filepath.Join(t.TempDir(), "clerk-fake")
	out, err := exec.Command("go", "build", "-o", fakeBinary, "../clerk-fake").CombinedOutput()
	require.NoError(t, err, "%s", out)
	csvPath := writeFile(t, "people.csv", peopleCSV(3))
	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"clerk-invite --version and version", func(t *testing.T) { checkVersion(t, binary, "clerk-invite", "--version", "version") }},
		{"clerk-fake --version", func(t *testing.T) { checkVersion(t, fakeBinary, "clerk-fake", "--version") }},
		{"one style of help", func(t *testing.T) { checkHelp(t, binary, fakeBinary) }},
		{"a publishable key is refused, nothing sent", errorPath{args: []string{"send", "--org", org, "--csv", csvPath, "--no-notify"},
			key: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", code: 2, says: "CLERK_SECRET_KEY is a publishable key"}.check},
		{"a send without --notify or --no-notify is refused, nothing sent", errorPath{args: []string{"send", "--org", org, "--csv", csvPath},
			code: 2, says: "send needs --notify (Clerk emails each person their invitation) or --no-notify"}.check},
		{"status and a dry run leave no file behind", checkNoStrayFiles},
	} {
		t.Run(tc.name, tc.check)
	}
}

// checkVersion runs bin with each of args and wants the line the build
// info gives: the program, the module's version as `go version -m` reads
// it, and the commit when the build recorded one.
func checkVersion(t *testing.T, bin, program string, args ...string) {
	info, err := exec.Command("go", "version", "-m", bin).Output()
	require.NoError(t, err)
	mod := regexp.MustCompile(`(?m)^\tmod\t\S+\t(\S+)`).FindSubmatch(info)
	require.NotNil(t, mod, "%s", info)
	want := program + " " + string(mod[1])
	if rev := regexp.MustCompile(`(?m)^\tbuild\tvcs\.revision=(\w+)`).FindSubmatch(info); rev != nil {
		want += " (commit " + string(rev[1][:12])
	}
	for _, arg := range args {
		out, err := exec.Command(bin, arg).Output()
		require.NoError(t, err, arg)
		assert.True(t, strings.HasPrefix(string(out), want), "%s %s: %q, want it to start %q", program, arg, out, want)
		assert.Regexp(t, `^\S+ \S+( \(.*\))?\n$`, string(out), "one line")
	}
}

// checkHelp wants the two tools' help in one layout: cobra's sections in
// the same order, and GNU long flags (--port), never Go's single-dash
// ones or its "Usage of".
func checkHelp(t *testing.T, bins ...string) {
	var layouts []string
	for _, bin := range bins {
		out, err := exec.Command(bin, "--help").Output()
		require.NoError(t, err, bin)
		help := string(out)
		assert.NotContains(t, help, "Usage of ", bin)
		assert.NotRegexp(t, `(?m)^\s+-[a-z][a-z-]+\b`, help, "%s: a long flag with one dash", bin)
		assert.Regexp(t, `(?m)^\s+-h, --help\s`, help, bin)
		assert.Regexp(t, `(?m)^\s+-v, --version\s`, help, bin)
		sections := regexp.MustCompile(`(?m)^(Usage|Flags|Global Flags):$`).FindAllString(help, -1)
		layouts = append(layouts, strings.Join(sections, " "))
	}
	assert.Equal(t, "Usage: Flags:", layouts[0])
	assert.Equal(t, layouts[0], layouts[1], "the same sections, in the same order")
}

// checkNoStrayFiles runs status and two dry runs (one that asks the
// server) against a journal a run left, and wants its folder to hold the
// same files after each as before.
func checkNoStrayFiles(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "people.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte(peopleCSV(3)), 0o600))
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 0, r.code, r)
	before := names(t, dir)
	require.Equal(t, []string{"people.csv", "people.csv.journal.db"}, before)
	for _, args := range [][]string{
		{"status", "--journal", csvPath + journalSuffix},
		{"send", "--org", org, "--csv", csvPath, "--dry-run"},
		{"send", "--org", org, "--csv", csvPath, "--dry-run", "--no-notify", "--skip-server-check"},
	} {
		r := cli(t, srv, args...)
		require.Equal(t, 0, r.code, r)
		assert.Equal(t, before, names(t, dir), "%v left files behind", args)
	}
}

// names lists the names in dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range list {
		out = append(out, e.Name())
	}
	return out
}
