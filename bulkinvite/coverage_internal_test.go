package bulkinvite

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
)

// The rule of which journal entries a run covers: a resend's person; else
// the run's organization; else the organizations the people name; else
// every organization, of which the caller keeps those with someone
// unsettled. GivenOnly narrows a run given people to them, and only then.
func TestCoverage(t *testing.T) {
	entry := func(org, email string) Entry {
		return Entry{OrganizationID: org, Params: client.CreateParams{EmailAddress: email}}
	}
	entries := []Entry{entry("org_a", "ada@example.com"), entry("org_a", "al@example.com"), entry("org_b", "ada@example.com"), entry("org_c", "cy@example.com")}
	namesAB := func(org string) bool { return org == "org_a" || org == "org_b" }
	for name, tc := range map[string]struct {
		opts          ReconcileOptions
		named         func(string) bool
		givenOnly     bool
		covers        []bool // entries' in order
		narrowed      bool   // to the people given
		unsettledOnly bool
	}{
		"a resend":                   {ReconcileOptions{OrganizationID: "org_a", Only: " Ada@Example.com"}, nil, false, []bool{true, false, false, false}, false, false},
		"a resend, of people given":  {ReconcileOptions{OrganizationID: "org_a", Only: "al@example.com"}, namesAB, false, []bool{false, true, false, false}, false, false},
		"the run's organization":     {ReconcileOptions{OrganizationID: "org_b"}, nil, false, []bool{false, false, true, false}, false, false},
		"over the people's":          {ReconcileOptions{OrganizationID: "org_c"}, namesAB, false, []bool{false, false, false, true}, false, false},
		"the people's organizations": {ReconcileOptions{}, namesAB, false, []bool{true, true, true, false}, false, false},
		"the people given alone":     {ReconcileOptions{}, namesAB, true, []bool{true, true, true, false}, true, false},
		"in the run's organization":  {ReconcileOptions{OrganizationID: "org_a"}, namesAB, true, []bool{true, true, false, false}, true, false},
		"a resume":                   {ReconcileOptions{}, nil, false, []bool{true, true, true, true}, false, true},
		"a resume under GivenOnly":   {ReconcileOptions{}, nil, true, []bool{true, true, true, true}, false, true},
		"a resume of one":            {ReconcileOptions{OrganizationID: "org_a"}, nil, true, []bool{true, true, false, false}, false, false},
	} {
		t.Run(name, func(t *testing.T) {
			c := newCoverage(tc.opts, tc.named, tc.givenOnly)
			var got []bool
			for _, e := range entries {
				got = append(got, c.organization(e))
			}
			assert.Equal(t, tc.covers, got)
			assert.Equal(t, tc.narrowed, c.givenOnly, "narrowed to the people given")
			assert.Equal(t, tc.unsettledOnly, c.unsettledOnly())
		})
	}
}
