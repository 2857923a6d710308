package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// The columns a CSV file of people may have. email_address is required;
// the others may be left out, as columns or as cells.
const (
	colEmail   = "email_address"
	colRole    = "role"
	colRedir   = "redirect_url"
	colExpires = "expires_in_days"
)

var knownColumns = []string{colEmail, colRole, colRedir, colExpires}

// person is one row of the CSV file: the invitation to send, and the line
// of the file it starts on (the header is line 1).
type person struct {
	line   int
	params client.CreateParams
}

// problem is what is wrong with one line of the CSV file.
type problem struct {
	line int
	msg  string
}

// peopleDefaults fill in what a row leaves out.
type peopleDefaults struct {
	org    string
	role   string // for rows without a role
	notify bool
}

// readPeople reads a CSV file of people and checks every row as the API
// would, plus what the API cannot see (one address on two lines). It
// returns every problem it finds, not only the first, so that a file can
// be fixed in one go; people is complete only when problems is empty. An
// error is returned only when the file cannot be read at all.
func readPeople(r io.Reader, d peopleDefaults) (people []person, problems []problem, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a row of the wrong width is reported with the others, not fatal
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, []problem{{1, "the file is empty: it needs a header row naming " + colEmail}}, nil
	case err != nil:
		return nil, []problem{{lineOf(err, 1), "the header row cannot be read: " + causeOf(err)}}, nil
	}
	columns, problems := readHeader(header)
	if _, ok := columns[colEmail]; !ok {
		return nil, problems, nil // the rows cannot be checked without it
	}

	firstLine := map[string]int{} // normalized address -> the line it first appears on
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			problems = append(problems, problem{lineOf(err, 0), causeOf(err)})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(record) != len(header) {
			problems = append(problems, problem{line, fmt.Sprintf("%d fields, but the header names %d columns", len(record), len(header))})
			continue
		}
		p, msgs := readRow(record, columns, d)
		if key := bulkinvite.NormalEmail(p.EmailAddress); key != "" {
			if first, dup := firstLine[key]; dup {
				msgs = append(msgs, fmt.Sprintf("%s is also on line %d", strconv.Quote(p.EmailAddress), first))
			} else {
				firstLine[key] = line
			}
		}
		for _, m := range msgs {
			problems = append(problems, problem{line, m})
		}
		people = append(people, person{line: line, params: p})
	}
	if len(people) == 0 && len(problems) == 0 {
		problems = append(problems, problem{1, "the file has a header row but nobody to invite"})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	return people, nil, nil
}

// readHeader maps the known columns to their positions, and reports a
// header without email_address, with a column it does not know, or with one
// column twice; the rows are still checked against the columns it knows. Names are compared without regard to case or surrounding
// space.
func readHeader(header []string) (map[string]int, []problem) {
	columns := map[string]int{}
	var problems []problem
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF") // the byte order mark spreadsheets write
		}
		name = strings.ToLower(strings.TrimSpace(name))
		switch _, seen := columns[name]; {
		case !slices.Contains(knownColumns, name):
			problems = append(problems, problem{1, fmt.Sprintf("unknown column %q (the columns are %s)", name, strings.Join(knownColumns, ", "))})
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

// readRow turns one row into an invitation and says what is wrong with it.
func readRow(record []string, columns map[string]int, d peopleDefaults) (client.CreateParams, []string) {
	cell := func(name string) string {
		if i, ok := columns[name]; ok {
			return strings.TrimSpace(record[i])
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
	var msgs []string
	if p.EmailAddress == "" {
		msgs = append(msgs, colEmail+" is empty")
	}
	if raw := cell(colExpires); raw != "" {
		days, err := strconv.Atoi(raw)
		if err != nil || days < 1 {
			// 0 would be left out of the request, so the API's default of
			// 30 days would apply where the file asked for something else.
			msgs = append(msgs, fmt.Sprintf("%s %q is not a whole number of days from 1 to 365", colExpires, raw))
		} else {
			p.ExpiresInDays = days
		}
	}
	if p.EmailAddress != "" { // the API's own checks; they report one problem at most
		var v *client.ValidationError
		if err := client.ValidateCreate(d.org, p); errors.As(err, &v) {
			msgs = append(msgs, v.Field+": "+v.Reason)
		} else if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	return p, msgs
}

// lineOf is the line a CSV parse error is on, or def.
func lineOf(err error, def int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return def
}

// causeOf says what a CSV parse error is, without its position (the
// report gives the line).
func causeOf(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
