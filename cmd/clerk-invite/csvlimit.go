package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// The sizes a CSV file of people is held to, so that memory stays bounded
// by them, not by the file: a 50 MB line, or a quote that is never closed
// and so makes the rest of the file one cell, is reported, not read whole.
const (
	maxRowBytes  = 64 << 10  // one row, all its lines when a quoted cell spans several
	maxCellBytes = 4 << 10   // one cell
	maxRows      = 1_000_000 // rows of people
	maxProblems  = 100       // problems reported before the check stops
	quoteBytes   = 60        // how much of a cell or row a problem quotes
)

// rowLimiter passes a CSV file through to encoding/csv, following its
// quotes as the parser does, and fails with a *fileProblem once one row
// grows past its limit, or when the bytes are not UTF-8 text (UTF-16, a
// spreadsheet's .xlsx, a NUL). It counts lines as the parser does, so its
// problems carry the line the row starts on.
type rowLimiter struct {
	r     *bufio.Reader
	limit int
	err   error // the problem, once found: every later Read returns it

	started           bool
	line, rowLine     int // the line being read, and the one the row began on
	rowBytes          int
	head              []byte // the row's first bytes, for the report
	fieldStart        bool   // at the start of a cell
	quoted, quoteSeen bool   // inside a quoted cell; a quote just seen in it
	skipLine          bool   // a quote the parser refuses: it resumes at the next line
}

func newRowLimiter(r io.Reader, limit int) *rowLimiter {
	return &rowLimiter{r: bufio.NewReader(r), limit: limit, line: 1, rowLine: 1, fieldStart: true}
}

// fileProblem is what is wrong with a file that stops it being read
// further: at a line, or (line 0) with the whole file.
type fileProblem struct {
	line int
	msg  string
}

func (p *fileProblem) Error() string { return p.msg }

// saveAsUTF8 is the advice for a file in another encoding.
const saveAsUTF8 = "save it as UTF-8 (in Excel: Save As, \"CSV UTF-8\"; in LibreOffice: character set \"Unicode (UTF-8)\")"

func (l *rowLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if !l.started {
		l.started = true
		if err := l.checkStart(); err != nil {
			l.err = err
			return 0, err
		}
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if perr := l.step(p[i]); perr != nil {
			l.err = perr
			return i, perr
		}
	}
	return n, err
}

// checkStart recognises, from the first bytes, files that are not UTF-8
// CSV at all.
func (l *rowLimiter) checkStart() error {
	head, _ := l.r.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return &fileProblem{1, "the file is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8: " + saveAsUTF8}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return &fileProblem{1, "the file is a spreadsheet (.xlsx or another zip file), not CSV: save it as CSV, " + saveAsUTF8[len("save it as "):]}
	case bytes.IndexByte(head, 0) >= 0:
		return &fileProblem{1, "the file has NUL bytes where text should start: it looks like UTF-16 without a byte order mark; " + saveAsUTF8}
	}
	return nil
}

// step follows one byte as encoding/csv's parser would read it.
func (l *rowLimiter) step(c byte) error {
	if c == 0 {
		return &fileProblem{l.line, "a NUL byte: the file is not UTF-8 text (UTF-16, or not text at all); " + saveAsUTF8}
	}
	l.rowBytes++
	if len(l.head) < quoteBytes {
		l.head = append(l.head, c)
	}
	if l.rowBytes > l.limit {
		what := "the row is longer than %d KiB"
		if l.quoted {
			what += ": a quote opened on it is never closed, or a cell spans too many lines"
		}
		return &fileProblem{l.rowLine, fmt.Sprintf(what+"; it starts %s", l.limit>>10, textsafe.Quote(string(l.head), quoteBytes)+"…")}
	}
	switch {
	case c == '\n':
		l.line++
		if !l.quoted || l.quoteSeen || l.skipLine {
			l.endRow()
		}
	case l.skipLine:
	case l.quoted && l.quoteSeen:
		switch c {
		case '"': // an escaped quote
			l.quoteSeen = false
		case ',':
			l.quoted, l.quoteSeen, l.fieldStart = false, false, true
		case '\r': // "\r\n ends the cell and the row
		default: // the parser refuses a quote followed by anything else
			l.skipLine = true
		}
	case l.quoted:
		l.quoteSeen = c == '"'
	case c == ',':
		l.fieldStart = true
	case c == '"' && l.fieldStart:
		l.quoted, l.fieldStart = true, false
	case c == '"': // a bare quote, refused by the parser
		l.skipLine = true
	default:
		l.fieldStart = false
	}
	return nil
}

func (l *rowLimiter) endRow() {
	l.rowLine, l.rowBytes, l.head = l.line, 0, l.head[:0]
	l.fieldStart, l.quoted, l.quoteSeen, l.skipLine = true, false, false, false
}
