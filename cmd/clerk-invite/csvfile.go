package main

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// csvFile is the CSV file of a send. It is read whole once to be checked
// (check), keeping a few bytes a person (keys), and then again as the run
// takes its people (people), so that the people are never all in memory,
// however long the file.
type csvFile struct {
	path   string
	d      peopleDefaults
	people int
	orgs   []string // the organizations of the rows, in the order they first appear
	digest string
	keys   []rowKey // every person's key, sorted by h (see find)
}

// rowKey is what a send keeps of each row: the person's key (organization
// and address, hashed in 128 bits: two people share one with a chance of
// 10⁻²⁷ in a million), the row's line, and a hash of what the row asks
// for, to tell a row that changed since the journal recorded it.
type rowKey struct {
	h      [2]uint64
	line   int32
	params uint32
}

// keySeeds are the process's seeds for rowKey.h.
var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// personKey hashes a person's organization and address.
func personKey(org, email string) [2]uint64 {
	var k [2]uint64
	var h maphash.Hash
	for i, seed := range keySeeds {
		h.SetSeed(seed)
		h.WriteString(org)
		h.WriteByte(0)
		h.WriteString(client.NormalEmail(email))
		k[i] = h.Sum64()
	}
	return k
}

// keyOf is what a send keeps of a person's row.
func keyOf(p person) rowKey {
	return rowKey{personKey(p.org, p.params.EmailAddress), int32(p.line), paramsHash(p.params)}
}

// sortKeys puts keys in the order find searches: by person, and a person
// given on several rows by line, so that find meets the first of them and
// twice reports each later row against an earlier one.
func sortKeys(keys []rowKey) {
	slices.SortFunc(keys, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.h[0], b.h[0]), cmp.Compare(a.h[1], b.h[1]), cmp.Compare(a.line, b.line))
	})
}

// paramsHash hashes what a row asks for beyond its address: what
// differences compares.
func paramsHash(p client.CreateParams) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%d\x00%s", p.Role, p.ExpiresInDays, p.RedirectURL)
	return h.Sum32()
}

// checkFile reads the file whole and checks every row, and that no
// address comes twice for one organization. It returns the problems, all
// of them up to maxProblems, in the order of their lines.
func checkFile(path string, d peopleDefaults) (*csvFile, []problem, error) {
	f := &csvFile{path: path, d: d}
	orgs := map[string]bool{}
	digest, problems, err := f.scan(func(p person) bool {
		f.people++
		if !orgs[p.org] {
			orgs[p.org] = true
			f.orgs = append(f.orgs, p.org)
		}
		f.keys = append(f.keys, keyOf(p))
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	f.digest = digest
	sortKeys(f.keys)
	twice, err := f.twice()
	if err != nil {
		return nil, nil, err
	}
	if problems = append(problems, twice...); len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b problem) int { return a.line - b.line })
		if len(problems) > maxProblems+1 {
			problems = problems[:maxProblems+1]
		}
	}
	return f, problems, nil
}

// scan reads the file from the start, calling each with every good row,
// and returns its digest and its problems.
func (f *csvFile) scan(each func(person) bool) (string, []problem, error) {
	file, err := os.Open(f.path)
	if err != nil {
		return "", nil, badInput("--csv %s: %s", f.path, cliwords.Cause(err))
	}
	defer file.Close()
	digest := newFileDigest()
	_, problems := scanPeople(digest.reader(file), f.d, each)
	if _, err := io.Copy(io.Discard, digest.reader(file)); err != nil { // the digest is of the whole file
		return "", nil, badInput("--csv %s: %s", f.path, cliwords.Cause(err))
	}
	return digest.String(), problems, nil
}

// twice reports each row whose organization and address an earlier row
// has, with the earlier row's line. keys are sorted.
func (f *csvFile) twice() ([]problem, error) {
	later := map[int]int{} // the line of a row given again -> the line it is also on
	for i := 1; i < len(f.keys); i++ {
		if a, b := f.keys[i-1], f.keys[i]; a.h == b.h {
			first := int(a.line)
			if l, ok := later[first]; ok {
				first = l
			}
			later[int(b.line)] = first
		}
	}
	if len(later) == 0 {
		return nil, nil
	}
	rows, err := f.rowsAt(later)
	if err != nil {
		return nil, err
	}
	var out []problem
	for line, first := range later {
		out = append(out, problem{line, fmt.Sprintf("%s is also on line %d", textsafe.Quote(rows[line].params.EmailAddress, quoteBytes), first)})
	}
	return out, nil
}

// rowsAt reads the file again for the rows of these lines (the keys of
// lines).
func (f *csvFile) rowsAt(lines map[int]int) (map[int]person, error) {
	out := make(map[int]person, len(lines))
	_, _, err := f.scan(func(p person) bool {
		if _, ok := lines[p.line]; ok {
			out[p.line] = p
		}
		return len(out) < len(lines)
	})
	return out, err
}

// find is the key of the row of a person, if the file has one.
func (f *csvFile) find(org, email string) (rowKey, bool) {
	h := personKey(org, email)
	i, ok := slices.BinarySearchFunc(f.keys, h, func(k rowKey, h [2]uint64) int {
		return cmp.Or(cmp.Compare(k.h[0], h[0]), cmp.Compare(k.h[1], h[1]))
	})
	if !ok {
		return rowKey{}, false
	}
	return f.keys[i], true
}

// released lets go of the keys, once the journal's review is done: the run
// holds what it needs of each person itself.
func (f *csvFile) released() { f.keys = nil }

// stream yields the people of the file, read again as the run takes
// them. If the file changed since it was checked, it yields an error
// and the run journals nobody.
func (f *csvFile) stream() iter.Seq2[bulkinvite.Person, error] {
	return func(yield func(bulkinvite.Person, error) bool) {
		stopped := false
		digest, problems, err := f.scan(func(p person) bool {
			if !yield(bulkinvite.Person{OrganizationID: p.org, Params: p.params}, nil) {
				stopped = true
				return false
			}
			return true
		})
		switch {
		case stopped:
		case err != nil:
			yield(bulkinvite.Person{}, err)
		case len(problems) > 0 || digest != f.digest:
			yield(bulkinvite.Person{}, badInput("%s changed while it was read: nothing was sent; run the same command again", f.path))
		}
	}
}

// linesOf gives the line of each of entries in the file, by
// entryLineKey: for a summary, which names the lines of those it lists.
func (f *csvFile) linesOf(entries []bulkinvite.Entry) (map[string]int, error) {
	want := make(map[[2]uint64]string, len(entries))
	for _, e := range entries {
		want[personKey(e.OrganizationID, e.Params.EmailAddress)] = entryLineKey(e.OrganizationID, e.Params.EmailAddress)
	}
	lines := make(map[string]int, len(want))
	if len(want) == 0 {
		return lines, nil
	}
	digest, _, err := f.scan(func(p person) bool {
		if key, ok := want[personKey(p.org, p.params.EmailAddress)]; ok {
			lines[key] = p.line
		}
		return len(lines) < len(want)
	})
	switch {
	case err != nil:
		return nil, err
	case digest != f.digest:
		return nil, fmt.Errorf("--csv %s changed during the run", f.path)
	}
	return lines, nil
}

// entryLineKey is the key of a person in linesOf's map.
func entryLineKey(org, email string) string { return org + "\x00" + client.NormalEmail(email) }
