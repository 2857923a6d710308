package bulkinvite_test

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// invite creates pending invitations for people, up to ten of one
// organization at a time.
func invite(t *testing.T, c *client.Client, people []bulkinvite.Person) {
	t.Helper()
	for len(people) > 0 {
		org, n := people[0].OrganizationID, 1
		for n < min(len(people), client.MaxBulkInvitations) && people[n].OrganizationID == org {
			n++
		}
		_, err := c.BulkCreate(ctx, org, paramsOf(people[:n]))
		require.NoError(t, err)
		people = people[n:]
	}
}

// lists counts the list requests the fake received after the first from.
func lists(srv *fake.Server, from int) (instance, byOrganization int) {
	for _, r := range srv.Requests()[from:] {
		switch r.Operation {
		case fake.OpListInstance:
			instance++
		case fake.OpList:
			byOrganization++
		}
	}
	return instance, byOrganization
}

// A dry run and a run of 1,000 organizations, of 3 people each of whom 2
// have a pending invitation already, on an instance with 5,000 pending in
// all: one walk of the instance (11 requests, the first page included)
// costs less than 1,000 lists, and both take it, saying what it cost; the
// run creates only the 1,000 new.
func TestTheServerCheckOfManyOrganizationsWalksTheInstance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithRequestLog(100_000))
		people := spread(1000, 3)
		var pending []bulkinvite.Person
		for i := range 1000 {
			pending = append(pending, people[3*i:3*i+2]...)
		}
		invite(t, c, pending)
		invite(t, c, of("org_other", spread(1, 3000)))
		setup := len(srv.Requests())

		cfg := config(c, nil, nil)
		cfg.OrganizationID = ""
		f, err := bulkinvite.DryRun(ctx, cfg, bulkinvite.People(people))
		require.NoError(t, err)
		require.NotNil(t, f.ServerCheck)
		assert.Equal(t, bulkinvite.ServerCheck{Strategy: bulkinvite.CheckInstance, Organizations: 1000,
			InstancePending: 5000, Requests: 11, Found: 2000}, *f.ServerCheck)
		assert.Equal(t, bulkinvite.OrganizationForecast{New: 1000, Found: 2000, Settled: bulkinvite.Counts{}}, f.Total)
		require.Len(t, f.ByOrganization, 1000)
		assert.Equal(t, bulkinvite.OrganizationForecast{OrganizationID: orgName(7), New: 1, Found: 2, Settled: bulkinvite.Counts{}}, f.ByOrganization[7])
		instance, byOrg := lists(srv, setup)
		assert.Equal(t, 11, instance, "the walk, and no more")
		assert.Zero(t, byOrg)
		assert.Len(t, srv.Requests(), setup+11, "a dry run sends nothing else")

		setup = len(srv.Requests())
		cfg.Store = bulkinvite.NewMemoryStore()
		sum, err := bulkinvite.Run(ctx, cfg, people)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assert.Equal(t, *f.ServerCheck, *sum.ServerCheck, "the run asks as the dry run said")
		assert.Equal(t, 2000, sum.FoundOnServer)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateAlreadyInvited: 2000, bulkinvite.StateCreated: 1000}, sum.Counts)
		instance, byOrg = lists(srv, setup)
		assert.Equal(t, 11, instance)
		assert.Zero(t, byOrg, "no checks were needed")
		assert.Len(t, srv.Invitations(), 6000)
	})
}

// Three organizations on an instance with 3,000 pending elsewhere: three
// lists (and the first page of the instance, which told) cost less than
// the walk's 7 requests.
func TestTheServerCheckOfFewOrganizationsListsEach(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithRequestLog(100_000))
		invite(t, c, of("org_other", spread(1, 3000)))
		people := spread(3, 4)
		invite(t, c, people[:1])
		setup := len(srv.Requests())
		cfg := config(c, nil, nil)
		cfg.OrganizationID = ""
		f, err := bulkinvite.DryRun(ctx, cfg, bulkinvite.People(people))
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.ServerCheck{Strategy: bulkinvite.CheckByOrganization, Organizations: 3,
			InstancePending: 3001, Requests: 4, Found: 1}, *f.ServerCheck)
		instance, byOrg := lists(srv, setup)
		assert.Equal(t, 1, instance, "the first page")
		assert.Equal(t, 3, byOrg, "one list each")
		assert.Equal(t, fmt.Sprint(bulkinvite.OrganizationForecast{OrganizationID: orgName(0), New: 3, Found: 1, Settled: bulkinvite.Counts{}}),
			fmt.Sprint(f.ByOrganization[0]))
	})
}

// A run whose people stop with an error part way (a line of a file that
// cannot be read, say) returns that error, and journals nobody: the
// import is one transaction.
func TestAStreamThatFailsJournalsNobody(t *testing.T) {
	srv, c := newFake(t)
	j, err := bulkinvite.OpenJournal(filepath.Join(t.TempDir(), "j.db"))
	require.NoError(t, err)
	defer j.Close()
	broken := errors.New("line 3002: not UTF-8")
	people := func(yield func(bulkinvite.Person, error) bool) {
		for i, p := range spread(1, 5000) {
			if i == 3000 {
				yield(bulkinvite.Person{}, broken)
				return
			}
			if !yield(p, nil) {
				return
			}
		}
	}
	cfg := config(c, j, nil)
	cfg.OrganizationID = ""
	_, err = bulkinvite.RunSeq(ctx, cfg, people)
	require.ErrorIs(t, err, broken)
	entries, err := bulkinvite.Entries(ctx, j, "")
	require.NoError(t, err)
	assert.Empty(t, entries)
	assert.Empty(t, srv.Requests())
}

// The walk of the instance goes on from the first page's last invitation.
// If invitations of the first page leave the list before the walk goes
// on, the rest shifts towards the front, and the invitations that moved
// into the first page would be missed: the walk sees that its place is
// gone and walks the list again from the top, so that every invitation
// pending throughout is found, and nobody is sent.
func TestTheWalkOfTheInstanceStartsAgainIfTheListMoved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var srv *fake.Server
		walks := 0
		shift := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/organization_invitations") {
					if walks++; walks == 2 { // the walk goes on: two of the first page leave the list
						invs := srv.Invitations()
						require.NoError(t, srv.Expire(invs[3].ID))
						require.NoError(t, srv.Expire(invs[7].ID))
					}
				}
				next.ServeHTTP(w, r)
			})
		}
		srv, c := newFake(t, fake.WithMiddleware(shift), fake.WithRequestLog(10_000))
		people := of("org_x", spread(1, 1000))
		invite(t, c, people)
		setup := len(srv.Requests())
		cfg := config(c, bulkinvite.NewMemoryStore(), nil)
		cfg.OrganizationID = ""
		sum, err := bulkinvite.Run(ctx, cfg, append(people[500:502], of("org_y", spread(1, 1))...))
		require.NoError(t, err)
		assert.Equal(t, 2, sum.FoundOnServer, "person 500 and 501 moved into the first page, and were found")
		assert.Equal(t, bulkinvite.CheckInstance, sum.ServerCheck.Strategy)
		for _, r := range srv.Requests()[setup:] {
			for _, p := range sentIn(t, r) {
				assert.NotEqual(t, "org_x", strings.Split(r.Path, "/")[3], "%s sent", p.EmailAddress)
			}
		}
		assert.Greater(t, walks, 3, "the first page, the walk on, and the walk again")
	})
}
