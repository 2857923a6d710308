package main

import (
	"fmt"
	"io"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// writeSummary writes the outcome of a run: the count of each state, then
// every person who failed, with the reason, and every one left unsettled,
// with their state. lines gives each address's line in the CSV file.
func writeSummary(w io.Writer, org, journal string, sum *bulkinvite.Summary, lines map[string]int) {
	printf(w, "Summary for %s (journal %s, %s):\n", org, journal, roughly(sum.Elapsed))
	writeCounts(w, "  ", sum.Counts)
	if sum.FoundOnServer > 0 {
		printf(w, "  (%d found pending on the server before sending: no create sent for them)\n", sum.FoundOnServer)
	}
	if len(sum.Failed) > 0 {
		fmt.Fprintf(w, "Failed (%d):\n", len(sum.Failed))
		for _, e := range sum.Failed {
			printf(w, "  %s%s: %s\n", e.Params.EmailAddress, lineNote(lines, e), reasonWords(e.Reason))
		}
	}
	if len(sum.Unsettled) > 0 {
		fmt.Fprintf(w, "Unsettled (%d), for the next run to settle:\n", len(sum.Unsettled))
		for _, e := range sum.Unsettled {
			printf(w, "  %s%s: %s", e.Params.EmailAddress, lineNote(lines, e), stateNames[e.State])
			if e.Reason != "" {
				printf(w, " (%s)", reasonWords(e.Reason))
			}
			fmt.Fprintln(w)
		}
	}
}

// lineNote names the line of the CSV file an entry came from, if known.
func lineNote(lines map[string]int, e bulkinvite.Entry) string {
	if n, ok := lines[client.NormalEmail(e.Params.EmailAddress)]; ok {
		return fmt.Sprintf(" (line %d)", n)
	}
	return ""
}
