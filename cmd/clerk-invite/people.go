package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// The columns a CSV file of people may have. email_address is required;
// the others may be left out, as columns or as cells.
const (
	colEmail   = "email_address"
	colRole    = "role"
	colRedir   = "redirect_url"
	colExpires = "expires_in_days"
	colOrg     = "organization_id"
)

var knownColumns = []string{colEmail, colRole, colRedir, colExpires, colOrg}

// person is one row of the CSV file: the organization and the invitation
// to send, and the line of the file it starts on (the header is line 1).
type person struct {
	line   int
	org    string
	params client.CreateParams
}

// problem is what is wrong with one line of the CSV file.
type problem struct {
	line int
	msg  string
}

// peopleDefaults fill in what a row leaves out, and say how strict to be.
type peopleDefaults struct {
	org         string
	role        string // for rows without a role
	notify      bool
	extraColumn bool // --allow-extra-columns: ignore the columns not known
}

// scanPeople reads a CSV file of people and checks every row as the API
// would, calling each with each good row, in order, as it goes: memory
// stays bounded by a row, however long the file. It returns the columns
// of the header and every problem it finds, up to maxProblems, so that a
// file can be fixed in one go. An address given twice is found by the
// caller (see checkFile), which can hold what it needs of every row. A row
// or cell over its size limit, or a file that is not UTF-8 text, is
// reported and ends the check.
func scanPeople(r io.Reader, d peopleDefaults, each func(person) bool) (map[string]int, []problem) {
	cr := csv.NewReader(newRowLimiter(r, maxRowBytes))
	cr.FieldsPerRecord = -1 // a row of the wrong width is reported with the others, not fatal
	cr.ReuseRecord = true   // each cell kept is copied: a row's memory is not held by its person
	header, err := cr.Read()
	if err != nil {
		return nil, []problem{headerProblem(err)}
	}
	header = slices.Clone(header)
	columns, problems := readHeader(header, d.extraColumn)
	if _, ok := columns[colEmail]; !ok {
		return columns, problems // the rows cannot be checked without it
	}
	if rule := orgRule(columns, d); len(rule) > 0 {
		return columns, append(problems, rule...) // no row can say where it goes
	}
	rows := 0
	for len(problems) < maxProblems {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			stop, p := readProblem(err)
			problems = append(problems, p)
			if stop {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if rows == maxRows {
			problems = append(problems, problem{line, fmt.Sprintf("more than %d people: split the file", maxRows)})
			break
		}
		rows++
		msgs := checkCells(record, len(header))
		if len(msgs) == 0 {
			var p person
			p, msgs = readRow(record, columns, d)
			if len(msgs) == 0 {
				p.line = line
				if !each(p) {
					return columns, problems
				}
			}
		}
		for _, m := range msgs {
			problems = append(problems, problem{line, m})
		}
	}
	if len(problems) >= maxProblems {
		problems = append(problems, problem{problems[len(problems)-1].line, fmt.Sprintf("stopped after %d problems; the rest of the file was not checked", maxProblems)})
	}
	if rows == 0 && len(problems) == 0 {
		problems = append(problems, problem{1, "the file has a header row but nobody to invite"})
	}
	return columns, problems
}

// orgRule is the rule of --org and the organization_id column: one of
// them says where people go, never both, never neither.
func orgRule(columns map[string]int, d peopleDefaults) []problem {
	_, byColumn := columns[colOrg]
	switch {
	case byColumn && d.org != "":
		return []problem{{1, fmt.Sprintf("both --org %s and the file's %s column say where people go: use one. Drop --org to invite each row to its %s, or drop the column to invite everyone to %s",
			d.org, colOrg, colOrg, d.org)}}
	case !byColumn && d.org == "":
		return []problem{{1, fmt.Sprintf("no organization: the file has no %s column, and --org is not given. Give --org ORG to invite everyone to one organization, or add the column", colOrg)}}
	}
	return nil
}

// headerProblem is what an error reading the header row means.
func headerProblem(err error) problem {
	if errors.Is(err, io.EOF) {
		return problem{1, "the file is empty: it needs a header row naming " + colEmail}
	}
	_, p := readProblem(err)
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		p.msg = "the header row cannot be read: " + p.msg
	}
	return p
}

// readProblem turns an error of the CSV reader into a problem, and says
// whether the file can be read further: a row the parser refuses can be
// skipped, a row too long or bytes that are not text cannot.
func readProblem(err error) (stop bool, p problem) {
	var fp *fileProblem
	var pe *csv.ParseError
	switch {
	case errors.As(err, &fp):
		return true, problem{fp.line, fp.msg}
	case errors.As(err, &pe):
		return false, problem{lineOf(err, 1), causeOf(err)}
	}
	return true, problem{1, "the file cannot be read: " + cliwords.Cause(err).Error()}
}

// checkCells reports a row of the wrong width, a cell over its size
// limit and a cell that is not UTF-8 text.
func checkCells(record []string, columns int) []string {
	if len(record) != columns {
		return []string{fmt.Sprintf("%d fields, but the header names %d %s", len(record), columns, plural(columns, "column", "columns"))}
	}
	var msgs []string
	for i, c := range record {
		switch {
		case len(c) > maxCellBytes:
			msgs = append(msgs, fmt.Sprintf("cell %d is %d bytes, more than the %d a cell may have: it starts %s", i+1, len(c), maxCellBytes, textsafe.Quote(c[:quoteBytes], quoteBytes)+"…"))
		case !utf8.ValidString(c):
			msgs = append(msgs, fmt.Sprintf("cell %d is not UTF-8 text (%s): the file is in another encoding; %s", i+1, textsafe.Quote(c, quoteBytes), saveAsUTF8))
		}
	}
	return msgs
}

// readHeader maps the known columns to their positions, and reports a
// header without email_address, with one column twice, or with a column it
// does not know (unless extra is set: --allow-extra-columns); the rows are
// still checked against the columns it knows. Names are compared without
// regard to case or surrounding space.
func readHeader(header []string, extra bool) (map[string]int, []problem) {
	columns := map[string]int{}
	var problems []problem
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF") // the byte order mark spreadsheets write
		}
		if !utf8.ValidString(name) {
			return nil, []problem{{1, "the header row is not UTF-8 text: the file is in another encoding; " + saveAsUTF8}}
		}
		name = strings.ToLower(strings.TrimSpace(name))
		switch _, seen := columns[name]; {
		case !slices.Contains(knownColumns, name) && extra:
		case !slices.Contains(knownColumns, name):
			problems = append(problems, problem{1, fmt.Sprintf("unknown column %s (the columns are %s; --allow-extra-columns ignores others)",
				textsafe.Quote(name, quoteBytes), strings.Join(knownColumns, ", "))})
		case seen:
			problems = append(problems, problem{1, fmt.Sprintf("column %q appears twice", name)})
		default:
			columns[name] = i
		}
	}
	if _, ok := columns[colEmail]; !ok {
		problems = append(problems, problem{1, "the header row has no " + colEmail + " column"})
	}
	return columns, problems
}

// readRow turns one row into a person and says what is wrong with it.
func readRow(record []string, columns map[string]int, d peopleDefaults) (person, []string) {
	cell := func(name string) string {
		if i, ok := columns[name]; ok {
			return strings.Clone(strings.TrimSpace(record[i]))
		}
		return ""
	}
	p := client.CreateParams{
		EmailAddress: cell(colEmail),
		Role:         cell(colRole),
		RedirectURL:  cell(colRedir),
		Notify:       client.Bool(d.notify),
	}
	if p.Role == "" {
		p.Role = d.role
	}
	org := d.org
	if _, byColumn := columns[colOrg]; byColumn {
		org = cell(colOrg)
	}
	var msgs []string
	if p.EmailAddress == "" {
		msgs = append(msgs, colEmail+" is empty")
	}
	if org == "" {
		msgs = append(msgs, colOrg+" is empty")
	}
	if raw := cell(colExpires); raw != "" {
		days, err := strconv.Atoi(raw)
		if err != nil || days < 1 {
			// 0 would be left out of the request, so the API's default of
			// 30 days would apply where the file asked for something else.
			msgs = append(msgs, fmt.Sprintf("%s %s is not a whole number of days from 1 to 365", colExpires, textsafe.Quote(raw, quoteBytes)))
		} else {
			p.ExpiresInDays = days
		}
	}
	if p.EmailAddress != "" && org != "" { // the API's own checks; they report one problem at most
		var v *client.ValidationError
		if err := client.ValidateCreate(org, p); errors.As(err, &v) {
			msgs = append(msgs, v.Field+": "+v.Reason)
		} else if err != nil {
			msgs = append(msgs, say(err))
		}
	}
	return person{org: org, params: p}, msgs
}

// lineOf is the line to fix for a CSV parse error, or def: where a
// quoted cell that is not closed properly starts, else where the error is.
func lineOf(err error, def int) int {
	var pe *csv.ParseError
	switch {
	case !errors.As(err, &pe):
		return def
	case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine > 0:
		return pe.StartLine
	case pe.Line > 0:
		return pe.Line
	}
	return def
}

// causeOf says what a CSV parse error is, in a person's words, with the
// column it is at (the report gives the line), and how to fix it.
func causeOf(err error) string {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return cliwords.Cause(err).Error()
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`a quote (") at column %d, in a cell that does not start with one: put the whole cell in quotes and double each quote inside it ("a""b"), or remove the quote`, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		return fmt.Sprintf(`a quoted cell starts on this line and is not closed properly (seen on line %d, column %d): end it with a quote, just before the comma or the end of its line, and double each quote inside it ("a""b")`, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`at column %d, a quoted cell goes on after its closing quote: a cell in quotes ends with the quote, before the comma; double each quote inside it ("a""b")`, pe.Column)
	}
	return fmt.Sprintf("at column %d: %s", pe.Column, pe.Err)
}

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
