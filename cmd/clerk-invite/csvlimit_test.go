package main

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The limiter follows quotes as encoding/csv does: a row is measured from
// the line it starts on to its end, across the lines of a quoted cell,
// and a row over the limit is named by its first line.
func TestRowLimiterFollowsTheParser(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, tc := range []struct {
		name, in string
		line     int // the line of the row over the limit (32 bytes), 0 for none
	}{
		{"short rows", "a,b\nc,d\n", 0},
		{"a long row", "a,b\n" + long + "\n", 2},
		{"a quoted cell over lines, short", "a\n\"1\n2\n3\"\nb\n", 0},
		{"a quoted cell over lines, long", "a\n\"1\n2\n" + long + "\"\nb\n", 2},
		{"escaped quotes", "a\n\"say \"\"hi\"\"\"\n" + long + "\n", 3},
		{"an escaped quote inside a cell over lines", "a\n\"x\"\"y\n" + long + "\"\n", 2},
		{"a quote never closed", "a\nb\n\"c\n" + strings.Repeat("d\n", 20), 3},
		{"a bare quote: the parser resumes at the next line", "a\nb\"c\n" + long + "\n", 3},
		{"a quote then junk: same", "a\n\"b\"c\n" + long + "\n", 3},
		{"CRLF", "a\r\n\"b\"\r\n" + long + "\r\n", 3},
		{"a comma ends a quoted cell", "a,b\n\"x\",\"y\"\n" + long + "\n", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cr := csv.NewReader(newRowLimiter(strings.NewReader(tc.in), 32))
			cr.FieldsPerRecord = -1
			var fp *fileProblem
			for {
				_, err := cr.Read()
				if errors.Is(err, io.EOF) || errors.As(err, &fp) {
					break
				}
			}
			if tc.line == 0 {
				assert.Nil(t, fp)
				return
			}
			if assert.NotNil(t, fp) {
				assert.Equal(t, tc.line, fp.line, fp.msg)
			}
		})
	}
}
