package main

import (
	"fmt"
	"io"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

// writeSummary writes the outcome of a run: the count of each state, in
// total and, for a run of several organizations, a line for each; then
// every person who failed, with the reason, and every one left
// unsettled, with their state. lines gives each person's line in the CSV
// file (see linesOf).
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
	if len(sum.Failed) > 0 {
		fmt.Fprintf(w, "Failed (%d):\n", len(sum.Failed))
		for _, e := range sum.Failed {
			printf(w, "  %s%s%s: %s\n", orgPrefix(e.OrganizationID, many), e.Params.EmailAddress, lineNote(lines, e), reasonWords(e.Reason))
		}
	}
	if len(sum.Unsettled) > 0 {
		fmt.Fprintf(w, "Unsettled (%d), for the next run to settle:\n", len(sum.Unsettled))
		for _, e := range sum.Unsettled {
			printf(w, "  %s%s%s: %s", orgPrefix(e.OrganizationID, many), e.Params.EmailAddress, lineNote(lines, e), stateNames[e.State])
			if e.Reason != "" {
				printf(w, " (%s)", reasonWords(e.Reason))
			}
			fmt.Fprintln(w)
		}
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
