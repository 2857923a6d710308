package bulkinvite

// coverage is the rule of which journal entries a run covers, the one
// [Reconcile], a run and [DryRun] follow:
//   - a resend (ReconcileOptions.Only) covers the entry of its person;
//   - else a run of one organization (OrganizationID) covers its entries;
//   - else a run given people covers the organizations they name;
//   - else a resume covers the organizations with someone unsettled,
//     which only taking up every entry tells (see unsettledOnly).
//
// With [Config.GivenOnly] and people given, it covers only their entries:
// the caller, who holds the people, tells who they are (see givenOnly).
type coverage struct {
	only      string            // the key of a resend's person, or ""
	org       string            // ReconcileOptions.OrganizationID
	named     func(string) bool // the organizations the people name; nil when no people were given
	givenOnly bool
}

// newCoverage is the coverage of a run of opts (Only and OrganizationID)
// whose people name the organizations named says (nil for no people),
// under GivenOnly or not.
func newCoverage(opts ReconcileOptions, named func(org string) bool, givenOnly bool) coverage {
	c := coverage{org: opts.OrganizationID, named: named, givenOnly: givenOnly && named != nil}
	if opts.Only != "" {
		c.only = entryKey(opts.OrganizationID, opts.Only)
	}
	return c
}

// organization reports whether the run covers e by its organization (a
// resend: by its key). Every entry passes for a resume (see
// unsettledOnly), and under givenOnly only the people given's do.
func (c coverage) organization(e Entry) bool {
	switch {
	case c.only != "":
		return e.Key() == c.only
	case c.org != "":
		return e.OrganizationID == c.org
	case c.named != nil:
		return c.named(e.OrganizationID)
	}
	return true
}

// unsettledOnly reports whether the run is a resume, which covers the
// organizations with someone unsettled: the caller takes up every entry,
// then leaves out the organizations with nobody unsettled.
func (c coverage) unsettledOnly() bool {
	return c.only == "" && c.org == "" && c.named == nil
}
