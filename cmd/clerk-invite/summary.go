package main

import (
	"fmt"
	"io"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// writeSummary writes the outcome of a run: the count of each state, in
// total and, for a run of several organizations, a line for each; then
// the failed, with the reasons, and the unsettled, with their states: as
// many as the summary lists (bulkinvite.MaxSummaryEntries of each at
// most), and a line that says how many more there are and which command
// lists them all. lines gives each listed person's line in the CSV file
// (see linesOf).
func writeSummary(w io.Writer, to, journal string, sum *bulkinvite.Summary, lines map[string]int) {
	printf(w, "Summary for %s (journal %s, %s):\n", to, journal, roughly(sum.Elapsed))
	writeCounts(w, "  ", sum.Counts)
	if sum.FoundOnServer > 0 {
		printf(w, "  (%d found pending on the server before sending: no create sent for them)\n", sum.FoundOnServer)
	}
	many := len(sum.ByOrganization) > 1
	if many {
		writeByOrganization(w, "By organization:\n", sum.ByOrganization)
	}
	if n := sum.Counts[bulkinvite.StateFailed]; n > 0 {
		fmt.Fprintf(w, "Failed (%d):\n", n)
		for _, e := range sum.Failed {
			writePerson(w, "  "+orgPrefix(e.OrganizationID, many), e, lineNote(lines, e))
		}
		writeMore(w, n-len(sum.Failed), "clerk-invite status --journal "+journal)
	}
	if n := sum.Counts.Total() - sum.Counts.Settled(); n > 0 {
		fmt.Fprintf(w, "Unsettled (%d), for the next run to settle:\n", n)
		for _, e := range sum.Unsettled {
			writePerson(w, "  "+orgPrefix(e.OrganizationID, many), e, lineNote(lines, e))
		}
		writeMore(w, n-len(sum.Unsettled), "clerk-invite status --journal "+journal+" --unsettled")
	}
}

// writePerson writes a line of a failed or unsettled person, after
// prefix and with note after the address: why they failed, or where they
// stand and the last problem on the way.
func writePerson(w io.Writer, prefix string, e bulkinvite.Entry, note string) {
	if e.State == bulkinvite.StateFailed {
		printf(w, "%s%s%s: %s\n", prefix, e.Params.EmailAddress, note, reasonWords(e.Reason))
		return
	}
	printf(w, "%s%s%s: %s", prefix, e.Params.EmailAddress, note, stateNames[e.State])
	if e.Reason != "" {
		printf(w, " (%s)", reasonWords(e.Reason))
	}
	fmt.Fprintln(w)
}

// writeMore says how many people a list left out, if any, and the
// command that lists them all.
func writeMore(w io.Writer, more int, command string) {
	if more > 0 {
		printf(w, "  and %d more: %s lists them all\n", more, command)
	}
}

// writeByOrganization writes a line of counts for each organization.
func writeByOrganization(w io.Writer, title string, orgs []bulkinvite.OrganizationCounts) {
	fmt.Fprint(w, title)
	for _, o := range orgs {
		c := o.Counts
		printf(w, "  %s: %d %s, %s, %d unsettled\n", o.OrganizationID, c.Total(), plural(c.Total(), "person", "people"),
			shortTally(c), c.Total()-c.Settled())
	}
}

// lineNote names the line of the CSV file an entry came from, if known.
func lineNote(lines map[string]int, e bulkinvite.Entry) string {
	if n, ok := lines[entryLineKey(e.OrganizationID, e.Params.EmailAddress)]; ok {
		return fmt.Sprintf(" (line %d)", n)
	}
	return ""
}
