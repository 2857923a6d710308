package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/privatefile"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// spreadsheetCell is a cell of a CSV export made safe to open in a
// spreadsheet: one that starts with =, +, - or @ would be read as a
// formula (CSV injection), so it gets a leading single quote, which
// spreadsheets show as text (OWASP's advice). OWASP lists a leading tab
// and carriage return too; spreadsheetRow escapes those before (\t, \r),
// so a cell never starts with one.
func spreadsheetCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// spreadsheetRow is a row for a CSV export: each cell's control
// characters escaped, as on a terminal (an export is often printed, or
// opened in a tool that obeys them), then made safe for a spreadsheet.
func spreadsheetRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = spreadsheetCell(textsafe.Terminal(c))
	}
	return out
}

// terminalRow is a row for the terminal: control characters escaped.
func terminalRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = textsafe.Terminal(c)
	}
	return out
}

// printf writes to a person's terminal (or a log): the arguments, which
// may come from a file or from the API, have their control characters
// escaped, so that an address holding ESC or BEL is shown, not obeyed.
func printf(w io.Writer, format string, args ...any) {
	safe := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			safe[i] = textsafe.Terminal(v)
		case error:
			safe[i] = textsafe.Terminal(v.Error())
		case fmt.Stringer:
			safe[i] = textsafe.Terminal(v.String())
		default:
			safe[i] = a
		}
	}
	fmt.Fprintf(w, format, safe...)
}

// writeOutput writes what write produces to the file at path, readable by
// its owner only (0600, whatever the umask): an export holds people's
// addresses. The file appears whole or not at all: it is written beside
// path and renamed over it once complete.
func writeOutput(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if err := privatefile.Write(path, buf.Bytes()); err != nil {
		return fmt.Errorf("--output %s: %s", path, cliwords.Cause(err))
	}
	return nil
}
