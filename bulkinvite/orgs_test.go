package bulkinvite_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// One run, five organizations of 1 to 40 people, one address in all of
// them (five people, not the same one twice): every person gets exactly
// one invitation, in their organization, each bulk request holds one
// organization's people, and the summary and the progress count by
// organization.
func TestARunOfManyOrganizations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithRequestLog(1000))
		var want []bulkinvite.Person
		for i, n := range []int{1, 3, 12, 25, 40} {
			want = append(want, of(orgName(i+1), spread(1, n))...)
		}
		want[len(want)-1].Params.EmailAddress = "PERSON00039@Example.com" // as given; person00000 to 00003 are in several
		j, err := bulkinvite.OpenJournal(filepath.Join(t.TempDir(), "invites.db"))
		require.NoError(t, err)
		defer j.Close()
		cfg := config(c, j, nil)
		cfg.OrganizationID = ""
		var last bulkinvite.Progress
		orgsSeen := map[string]bool{}
		cfg.Progress = func(p bulkinvite.Progress) {
			last = p
			if p.Organization != "" {
				orgsSeen[p.Organization] = true
				assert.Positive(t, p.OrganizationCounts.Total(), p.Event)
			}
		}
		sum, err := bulkinvite.Run(ctx, cfg, want)
		require.NoError(t, err)
		require.True(t, sum.OK(), "%+v", sum.Failed)

		assertExactlyOnceIn(t, srv, j, want)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 81}, sum.Counts)
		require.Len(t, sum.ByOrganization, 5)
		for i, n := range []int{1, 3, 12, 25, 40} {
			assert.Equal(t, orgName(i+1), sum.ByOrganization[i].OrganizationID)
			assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: n}, sum.ByOrganization[i].Counts)
		}
		assert.Len(t, orgsSeen, 5, "progress names each organization")
		assert.Equal(t, 5, last.Organizations)
		assert.Equal(t, 5, last.OrganizationsSettled)
		given := map[string]bool{}
		for _, p := range want {
			given[p.OrganizationID+" "+client.NormalEmail(p.Params.EmailAddress)] = true
		}
		bulks := 0
		for _, r := range srv.Requests() {
			if r.Operation != fake.OpBulkCreate {
				continue
			}
			bulks++
			org := strings.Split(r.Path, "/")[3] // /v1/organizations/{organization_id}/invitations/bulk
			for _, p := range sentIn(t, r) {
				assert.True(t, given[org+" "+client.NormalEmail(p.EmailAddress)], "%s sent in a bulk to %s", p.EmailAddress, org)
			}
		}
		assert.Positive(t, bulks)
		counts, err := bulkinvite.CountByOrganization(ctx, j)
		require.NoError(t, err)
		assert.Equal(t, sum.ByOrganization, counts, "the journal counts as the run did")
	})
}

// of is people, moved to organization org.
func of(org string, people []bulkinvite.Person) []bulkinvite.Person {
	for i := range people {
		people[i].OrganizationID = org
	}
	return people
}

// assertExactlyOnceIn checks that the fake holds exactly one invitation
// for each person of want, in their organization, and none other, and
// that the journal agrees.
func assertExactlyOnceIn(t *testing.T, srv *fake.Server, store bulkinvite.Store, want []bulkinvite.Person) {
	t.Helper()
	ids := map[string][]string{}
	for _, inv := range srv.Invitations() {
		k := inv.OrganizationID + " " + strings.ToLower(inv.EmailAddress)
		ids[k] = append(ids[k], inv.ID)
	}
	assert.Len(t, ids, len(want), "one invitation per person")
	entries, err := bulkinvite.Entries(ctx, store, "")
	require.NoError(t, err)
	require.Len(t, entries, len(want))
	for _, e := range entries {
		got := ids[e.OrganizationID+" "+client.NormalEmail(e.Params.EmailAddress)]
		if assert.Len(t, got, 1, "%s in %s", e.Params.EmailAddress, e.OrganizationID) {
			assert.Equal(t, got[0], e.InvitationID)
			assert.Equal(t, bulkinvite.StateCreated, e.State)
		}
	}
}

// Config.OrganizationID makes a run one of that organization: a person
// without one gets it, a person of another is refused. Without it every
// person names an organization. Refused, nothing is journaled or sent.
func TestTheRunsOrganization(t *testing.T) {
	srv, c := newFake(t)
	person := func(org, email string) bulkinvite.Person {
		return bulkinvite.Person{OrganizationID: org, Params: client.CreateParams{EmailAddress: email, Role: "org:member"}}
	}
	for name, tc := range map[string]struct {
		runOrg string
		people []bulkinvite.Person
		field  string
	}{
		"another organization": {"org_a", []bulkinvite.Person{person("", "a@example.com"), person("org_b", "b@example.com")}, "[1].organization_id"},
		"no organization":      {"", []bulkinvite.Person{person("org_a", "a@example.com"), person("", "b@example.com")}, "[1].organization_id"},
		"twice in one":         {"", []bulkinvite.Person{person("org_a", "a@example.com"), person("org_b", "a@example.com"), person("org_a", "A@example.com")}, "[2].email_address"},
	} {
		t.Run(name, func(t *testing.T) {
			j, err := bulkinvite.OpenJournal(filepath.Join(t.TempDir(), "j.db"))
			require.NoError(t, err)
			defer j.Close()
			cfg := config(c, j, nil)
			cfg.OrganizationID = tc.runOrg
			_, err = bulkinvite.Run(ctx, cfg, tc.people)
			var v *client.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tc.field, v.Field, v.Reason)
			if name == "twice in one" {
				assert.Equal(t, `"A@example.com" is also person [0] of org_a`, v.Reason, "the journal found it")
			}
			entries, err := bulkinvite.Entries(ctx, j, "")
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing journaled")
		})
	}
	assert.Empty(t, srv.Requests(), "nothing sent")

	store := bulkinvite.NewMemoryStore()
	cfg := config(c, store, nil)
	cfg.OrganizationID = "org_a"
	sum, err := bulkinvite.Run(ctx, cfg, []bulkinvite.Person{person("", "a@example.com"), person("org_a", "b@example.com")})
	require.NoError(t, err)
	assert.True(t, sum.OK())
	assert.Equal(t, []bulkinvite.OrganizationCounts{{OrganizationID: "org_a", Counts: bulkinvite.Counts{bulkinvite.StateCreated: 2}}}, sum.ByOrganization)
}

// A run with no people and no Config.OrganizationID resumes every
// organization of the journal with someone unsettled, and no other; one
// of Config.OrganizationID resumes that one alone.
func TestAResumeCoversTheUnfinishedOrganizations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		store := bulkinvite.NewMemoryStore()
		done := spread(1, 4)
		cfg := config(c, store, nil)
		cfg.OrganizationID = ""
		_, err := bulkinvite.Run(ctx, cfg, done)
		require.NoError(t, err)
		// Two more organizations, journaled but not sent: a run killed at
		// once.
		frozen := &killableStore{Store: store, freeze: 2}
		cfg.Store = frozen
		_, err = bulkinvite.Run(ctx, cfg, append(of(orgName(1), spread(1, 2)), of(orgName(2), spread(1, 2))...))
		require.ErrorIs(t, err, errKilled)

		cfg.Store = store
		cfg.OrganizationID = orgName(2)
		sum, err := bulkinvite.Run(ctx, cfg, nil)
		require.NoError(t, err)
		assert.Equal(t, []bulkinvite.OrganizationCounts{{OrganizationID: orgName(2), Counts: bulkinvite.Counts{bulkinvite.StateCreated: 2}}}, sum.ByOrganization)

		cfg.OrganizationID = ""
		sum, err = bulkinvite.Run(ctx, cfg, nil)
		require.NoError(t, err)
		assert.Equal(t, []bulkinvite.OrganizationCounts{{OrganizationID: orgName(1), Counts: bulkinvite.Counts{bulkinvite.StateCreated: 2}}}, sum.ByOrganization,
			"org_0000 was done, org_0002 is done now")
		assert.Len(t, srv.Invitations(), 8)
	})
}

// Clerk counts the create limits for the instance: a run paces from the
// requests its journal holds for every organization, not only those it
// covers. With 50 bulk creates of another organization in the last ten
// minutes, a run of org_b (one single create allowed a day) sends its
// first bulk create only once the hour of the first of them has passed.
func TestARunPacesFromEveryOrganizationsRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		store := bulkinvite.NewMemoryStore()
		start := time.Now()
		var earlier []bulkinvite.Entry
		for i := range client.BulkCreateLimit {
			earlier = append(earlier, bulkinvite.Entry{OrganizationID: "org_a", State: bulkinvite.StateCreated,
				Params:  client.CreateParams{EmailAddress: fmt.Sprintf("a%02d@example.com", i), Role: "org:member"},
				Channel: bulkinvite.ChannelBulk, SentAt: start.Add(-10*time.Minute + time.Duration(i)*time.Second)})
		}
		require.NoError(t, store.Put(ctx, earlier...))
		cfg := config(c, store, nil)
		cfg.OrganizationID = "org_b"
		cfg.Limits = bulkinvite.Limits{Bulk: bulkinvite.ClerkBulkLimit, Create: bulkinvite.Limit{Requests: 1, Per: 24 * time.Hour}}
		sum, err := bulkinvite.Run(ctx, cfg, of("org_b", spread(1, 30)))
		require.NoError(t, err)
		require.True(t, sum.OK())
		var created []time.Time
		for _, inv := range srv.Invitations() {
			created = append(created, time.UnixMilli(inv.CreatedAt))
		}
		slices.SortFunc(created, time.Time.Compare)
		require.Len(t, created, 30)
		assert.Less(t, created[0].Sub(start), time.Minute, "the one single create went at once")
		assert.GreaterOrEqual(t, created[1].Sub(start), 50*time.Minute, "the bulks waited for the instance's window")
	})
}

// GivenOnly narrows a run to the people given: the journal's unsettled
// entries of people no longer given are left as they are, not sent and
// not counted, by the run and by the dry run.
func TestGivenOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		store := bulkinvite.NewMemoryStore()
		all := people(6)
		frozen := &killableStore{Store: store, freeze: 2} // journaled, not sent
		_, err := bulkinvite.Run(ctx, config(c, frozen, nil), all)
		require.ErrorIs(t, err, errKilled)

		cfg := config(c, store, nil)
		cfg.GivenOnly = true
		f, err := bulkinvite.DryRun(ctx, cfg, bulkinvite.People(all[:4]))
		require.NoError(t, err)
		assert.Equal(t, 4, f.Total.Unfinished, "the dry run counts the people given")
		sum, err := bulkinvite.Run(ctx, cfg, all[:4])
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 4}, sum.Counts)
		assert.Len(t, srv.Invitations(), 4)
		entries, err := bulkinvite.Entries(ctx, store, org)
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateQueued, entries[5].State, "left as it was")

		cfg.GivenOnly = false
		sum, err = bulkinvite.Run(ctx, cfg, all[:4])
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 6}, sum.Counts, "without it, the journal's others are taken up")
	})
}
