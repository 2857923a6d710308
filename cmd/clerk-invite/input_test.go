package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An address is one address as the API takes it: each of these rows is
// refused, by its line, quoted short and escaped, and nothing is sent.
func TestBadAddressesRefused(t *testing.T) {
	srv := newFake(t)
	rows := []string{
		"email_address",
		"nul\x00@example.com",                 // 2: refused as not text at all: see below
		"ada@",                                // 2
		"@",                                   // 3
		"Ada <ada@example.com>",               // 4
		`"ada@example.com,bob@example.com"`,   // 5: two in one cell
		`"lin@example.com` + "\n" + `x@y.io"`, // 6-7: a line break in the cell
		"sp ace@example.com",                  // 8
		"bel\a@example.com",                   // 9
		"esc\x1b[2J@example.com",              // 10
		strings.Repeat("a", 1000) + "@example.com", // 11
		"ada@example.com@evil.example",             // 12
		"ok@example.com",                           // 13
	}
	rows = append(rows[:1], rows[2:]...) // the NUL row is the encoding test's
	csvPath := writeFile(t, "people.csv", strings.Join(rows, "\n")+"\n")
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	require.Equal(t, 2, r.code, r)
	for _, want := range []string{
		`:2: email_address: "ada@" is not an email address: there is no domain after the @`,
		`:3: email_address: "@" is not an email address: there is nothing before the @`,
		`:4: email_address: "Ada <ada@example.com>" is not an email address: give the bare address`,
		`:5: email_address: "ada@example.com,bob@example.com" is not an email address: one address only`,
		`:6: email_address: "lin@example.com\nx@y.io" is not an email address: it contains a space or a line break`,
		`:8: email_address: "sp ace@example.com" is not an email address`,
		`:9: email_address: "bel\a@example.com" is not an email address: it contains a control character`,
		`:10: email_address: "esc\x1b[2J@example.com" is not an email address`,
		`:11: email_address: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"… (1012 bytes) is not an email address: it is longer than 320 bytes`,
		`:12: email_address: "ada@example.com@evil.example" is not an email address: it has more than one @`,
		"10 problems; nothing was sent",
	} {
		assert.Contains(t, r.stderr, want)
	}
	assert.NotContains(t, r.stderr, ":13:")
	assert.NotContains(t, r.stderr, "\x1b", "no raw escape reaches the terminal")
	assert.NotContains(t, r.stderr, "\a")
	assert.Empty(t, srv.Requests(), "nothing sent")

	for _, addr := range []string{"Ada <ada@example.com>", "ada@", "a@example.com b@example.com"} {
		r = cli(t, srv, "resend", "--org", org, "--email", addr)
		assert.Equal(t, 2, r.code, r)
		assert.Contains(t, r.stderr, "--email \"")
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// peakKiB runs the tool to its end and returns the result and its peak
// resident memory, as /usr/bin/time measures it (a fork of a small
// process: the test's own memory does not count), or -1 without it.
func peakKiB(t *testing.T, args ...string) (result, int64) {
	t.Helper()
	cmd := command(nil, args...)
	timer, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return finish(t, cmd), -1
	}
	out := filepath.Join(t.TempDir(), "peak")
	timed := exec.Command(timer, append([]string{"-f", "%M", "-o", out}, cmd.Args...)...)
	timed.Env = cmd.Env
	r := finish(t, timed)
	lines := strings.Split(strings.TrimSpace(string(must(os.ReadFile(out)))), "\n")
	peak, err := strconv.ParseInt(lines[len(lines)-1], 10, 64) // after "Command exited with non-zero status 2"
	require.NoError(t, err)
	return r, peak
}

// A 50 MB line and an unclosed quote are reported by line, quoted short,
// within memory bounded by the row limit, not by the file.
func TestHugeRowsAreCutShort(t *testing.T) {
	dir := t.TempDir()
	huge := strings.Repeat("a", 50<<20)
	header := filepath.Join(dir, "header.csv")
	require.NoError(t, os.WriteFile(header, []byte("email_address,"+huge+"\nada@example.com,x\n"), 0o600))
	var unclosed strings.Builder
	unclosed.WriteString("email_address\nada@example.com\n\"bob@example.com\n")
	for unclosed.Len() < 50<<20 {
		unclosed.WriteString("person@example.com\n")
	}
	quote := filepath.Join(dir, "quote.csv")
	require.NoError(t, os.WriteFile(quote, []byte(unclosed.String()), 0o600))
	cell := filepath.Join(dir, "cell.csv")
	require.NoError(t, os.WriteFile(cell, []byte("email_address,role\nada@example.com,"+strings.Repeat("r", 5000)+"\n"), 0o600))

	for _, tc := range []struct{ path, want string }{
		{header, header + `:1: the row is longer than 64 KiB; it starts "email_address,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"…`},
		{quote, quote + `:3: the row is longer than 64 KiB: a quote opened on it is never closed, or a cell spans too many lines; it starts "\"bob@example.com\nperson@example.com\n`},
		{cell, cell + `:2: cell 2 is 5000 bytes, more than the 4096 a cell may have: it starts "rrrrrrrrrrr`},
	} {
		r, peak := peakKiB(t, "send", "--org", org, "--csv", tc.path, "--dry-run")
		t.Logf("%s: peak memory %d KiB, %d bytes of stderr", filepath.Base(tc.path), peak, len(r.stderr))
		assert.Equal(t, 2, r.code, r)
		assert.Contains(t, r.stderr, tc.want)
		assert.Less(t, len(r.stderr), 2000, "the error is short")
		if peak >= 0 {
			assert.Less(t, peak, int64(64<<10), "peak memory under 64 MiB for a 50 MB file")
		}
	}
}

// UTF-16, with or without a byte order mark, a spreadsheet's .xlsx and
// Latin-1 text each get a clear "save it as UTF-8", not a garbled column.
func TestNotUTF8IsSaidSo(t *testing.T) {
	text := "email_address,role\nada@example.com,org:member\n"
	utf16le := func(bom bool) []byte {
		var out []byte
		if bom {
			out = append(out, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(text)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	utf16be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(text)) {
		utf16be = append(utf16be, byte(u>>8), byte(u))
	}
	for name, tc := range map[string]struct {
		content []byte
		want    string
	}{
		"utf-16le with bom": {utf16le(true), ":1: the file is UTF-16 text"},
		"utf-16be with bom": {utf16be, ":1: the file is UTF-16 text"},
		"utf-16le, no bom":  {utf16le(false), ":1: the file has NUL bytes where text should start: it looks like UTF-16"},
		"xlsx":              {[]byte("PK\x03\x04\x14\x00\x06\x00rest of a zip"), ":1: the file is a spreadsheet (.xlsx"},
		"latin-1 cell":      {[]byte("email_address\nzo\xeb@example.com\n"), ":2: cell 1 is not UTF-8 text"},
		"latin-1 header":    {[]byte("email_address,r\xf4le\nada@example.com,x\n"), ":1: the header row is not UTF-8 text"},
		"a nul later":       {[]byte("email_address\nada@example.com\nnul\x00@example.com\n"), ":3: a NUL byte"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "people.csv")
			require.NoError(t, os.WriteFile(path, tc.content, 0o600))
			r := cli(t, nil, "send", "--org", org, "--csv", path, "--dry-run")
			assert.Equal(t, 2, r.code, r)
			assert.Contains(t, r.stderr, path+tc.want)
			assert.Contains(t, r.stderr, "UTF-8")
			assert.Contains(t, r.stderr, "1 problem; nothing was sent")
			assert.NotContains(t, r.stderr, "unknown column")
		})
	}
}

// --older-than refuses what would overflow, or is older than any pending
// invitation can be, before anything is sent.
func TestOlderThanBounded(t *testing.T) {
	srv := newFake(t)
	for _, age := range []string{
		"36500d36500d36500d36500d36500d31004d23h35m", // overflowed to about a day
		"106751d", "9223372036854775807m", "99999999999999999999d",
		"366d", "365d1m", "8761h",
	} {
		r := cli(t, srv, "revoke", "--org", org, "--older-than", age)
		assert.Equal(t, 2, r.code, "%s: %s", age, r)
		assert.Contains(t, r.stderr, "at most 365d", age)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
	r := cli(t, srv, "revoke", "--org", org, "--older-than", "364d23h60m", "--dry-run")
	assert.Equal(t, 0, r.code, r)
}

// Messages in the tool's terms: the variable and the flag, not the
// library's options; extra columns of a spreadsheet export are allowed
// when asked; one problem is "1 problem".
func TestMessagesInTheToolsTerms(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "people.csv", "email_address,nickname,notes\nada@example.com,Ada,=1+1\n")
	noKey := func() result {
		cmd := command(srv, "list", "--org", org)
		cmd.Env = environWithout("CLERK_SECRET_KEY")
		return finish(t, cmd)
	}
	for _, r := range []result{
		noKey(),
		cli(t, nil, "--base-url", "http://api.example.com/v1", "list", "--org", org),
		cli(t, nil, "--base-url", "https://user:pw@api.example.com/v1", "list", "--org", org),
		cli(t, nil, "--base-url", "ftp://api.example.com/v1", "list", "--org", org),
	} {
		assert.Equal(t, 2, r.code, r)
		assert.NotRegexp(t, `client\.|With[A-Z]`, r.stderr, "no library option named")
	}
	assert.Contains(t, noKey().stderr, "CLERK_SECRET_KEY is not set: export CLERK_SECRET_KEY=")
	assert.Contains(t, cli(t, nil, "--base-url", "http://api.example.com/v1", "list", "--org", org).stderr,
		`--base-url: host "api.example.com": plain http is only allowed to loopback addresses; use https`)

	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify")
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, `:1: unknown column "nickname" (the columns are email_address, role, redirect_url, expires_in_days, organization_id; --allow-extra-columns ignores others)`)
	assert.Contains(t, r.stderr, "2 problems; nothing was sent")
	one := writeFile(t, "one.csv", "email_address\nada@\n")
	r = cli(t, srv, "send", "--org", org, "--csv", one, "--limits", "none", "--no-notify")
	assert.Contains(t, r.stderr, one+": 1 problem; nothing was sent")
	assert.Empty(t, srv.Requests())

	r = cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify", "--allow-extra-columns")
	require.Equal(t, 0, r.code, r)
	assert.Len(t, invitationsByEmail(srv)["ada@example.com"], 1)
	r = cli(t, srv, "list", "--org", org)
	assert.Contains(t, r.stdout, "\n1 invitation\n")
}
