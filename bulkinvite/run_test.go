package bulkinvite_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

var ctx = context.Background()

func TestRunInvitesEveryoneOnceThroughBothEndpoints(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		store := bulkinvite.NewMemoryStore()
		want := people(95)
		var events []bulkinvite.Progress
		cfg := config(c, store, nil)
		cfg.Progress = func(p bulkinvite.Progress) { events = append(events, p) }
		sum, err := bulkinvite.Run(ctx, cfg, want)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assert.Equal(t, 95, sum.Counts[bulkinvite.StateCreated])
		assertExactlyOnce(t, srv, store, want)

		ops := map[string]int{}
		for _, r := range srv.Requests() {
			ops[r.Operation]++
		}
		assert.Positive(t, ops[fake.OpBulkCreate], "bulk creates")
		assert.Positive(t, ops[fake.OpCreate], "single creates")
		assert.Equal(t, 1, ops[fake.OpList], "one page of pending invitations before sending; no checks were needed")

		require.NotEmpty(t, events)
		last := events[len(events)-1]
		assert.Equal(t, 95, last.Counts.Settled())
		assert.Zero(t, last.ETA)
		for i := 1; i < len(events); i++ {
			assert.GreaterOrEqual(t, events[i].Counts.Settled(), events[i-1].Counts.Settled(), "progress only grows")
		}

		// Run again with the same people: nothing left to do, nothing sent.
		before := len(srv.Requests())
		sum, err = bulkinvite.Run(ctx, cfg, want)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assert.Len(t, srv.Requests(), before)
	})
}

func TestBadPeopleAreRefusedBeforeAnythingIsSent(t *testing.T) {
	srv, c := newFake(t)
	for name, tc := range map[string]struct {
		edit  func([]bulkinvite.Person)
		field string
	}{
		"not an email":                    {func(p []bulkinvite.Person) { p[3].Params.EmailAddress = "nobody" }, "[3].email_address"},
		"no role":                         {func(p []bulkinvite.Person) { p[4].Params.Role = "" }, "[4].role"},
		"expiry":                          {func(p []bulkinvite.Person) { p[5].Params.ExpiresInDays = 400 }, "[5].expires_in_days"},
		"the same twice":                  {func(p []bulkinvite.Person) { p[6].Params.EmailAddress = " PERSON00001@example.com" }, "[6].email_address"},
		"the same twice, in another case": {func(p []bulkinvite.Person) { p[7].Params.EmailAddress = "PERSON00001@Example.COM" }, "[7].email_address"},
	} {
		t.Run(name, func(t *testing.T) {
			list := people(10)
			tc.edit(list)
			store := bulkinvite.NewMemoryStore()
			_, err := bulkinvite.Run(ctx, config(c, store, nil), list)
			var v *client.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tc.field, v.Field, v.Reason)
			entries, _ := store.Load(ctx, "")
			assert.Empty(t, entries, "nothing journaled")
		})
	}
	assert.Empty(t, srv.Requests())
}

// People already invited, or already members, are outcomes of their own; a
// bulk refused for some addresses is sent again without them.
func TestAlreadyInvitedAndMembersAreOutcomes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, fake.WithMember(org, "person00004@example.com"))
		list := people(30)
		for _, i := range []int{2, 17} {
			_, err := c.Create(ctx, org, list[i].Params)
			require.NoError(t, err)
		}
		store := bulkinvite.NewMemoryStore()
		cfg := config(c, store, nil)
		cfg.Limits = bulkinvite.Limits{Create: bulkinvite.Limit{Requests: 1, Per: time.Hour}} // single creates: one, then none for an hour
		sum, err := bulkinvite.Run(ctx, cfg, list)
		require.NoError(t, err)
		assert.True(t, sum.OK(), "%+v", sum.Failed)
		assert.Equal(t, bulkinvite.Counts{bulkinvite.StateCreated: 27, bulkinvite.StateAlreadyInvited: 2, bulkinvite.StateAlreadyMember: 1}, sum.Counts)
		entries, err := store.Load(ctx, org)
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateAlreadyMember, entries[4].State)
		assert.Equal(t, bulkinvite.StateAlreadyInvited, entries[17].State)
		assert.Len(t, srv.Invitations(), 29, "27 new and the 2 that were there")
	})
}

// A bulk request whose outcome is unknown is checked, not sent again: the
// invitations it created are found and recorded.
func TestUnknownOutcomesAreCheckedNotResent(t *testing.T) {
	for name, f := range map[string]fake.Fault{
		"reset after creating":  {Reset: true, After: true},
		"500 after creating":    {Status: http.StatusInternalServerError, After: true},
		"broken 200":            {Partial: true},
		"reset before creating": {Reset: true},
		"502 before creating":   {Status: http.StatusBadGateway},
		"hang before creating":  {Hang: true},
		"hang after creating":   {Hang: true, After: true},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := newFake(t)
				srv.InjectFault(fake.OpBulkCreate, 1, f)
				srv.InjectFault(fake.OpCreate, 1, f)
				store := bulkinvite.NewMemoryStore()
				cfg := config(c, store, nil)
				want := people(25)
				sum, err := bulkinvite.Run(ctx, cfg, want)
				require.NoError(t, err)
				assert.True(t, sum.OK())
				assertExactlyOnce(t, srv, store, want)
				checks := 0
				for _, r := range srv.Requests() {
					if r.Operation == fake.OpList {
						checks++
					}
				}
				assert.Positive(t, checks, "the unknown ones were looked up")
			})
		})
	}
}

// A 429 whose Retry-After is far longer than the client's retry cap pauses
// that channel for as long as it says; nobody fails.
func TestLongRetryAfterPausesTheChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		srv.InjectFault(fake.OpBulkCreate, 2, fake.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Hour})
		store := bulkinvite.NewMemoryStore()
		cfg := config(c, store, nil)
		var logs bytes.Buffer
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		cfg.Limits = bulkinvite.Limits{Create: bulkinvite.Limit{Requests: 1, Per: 24 * time.Hour}}
		want := people(40)
		start := time.Now()
		sum, err := bulkinvite.Run(ctx, cfg, want)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assertExactlyOnce(t, srv, store, want)
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Hour, "the pause was kept")
		assert.Contains(t, logs.String(), `msg="bulkinvite: rate limited; pausing" channel=bulk for=2h0m0s`)
		assert.Contains(t, logs.String(), `msg="bulkinvite: run ends" organization=org_run settled=40 people=40 failed=0 unsettled=0`)
		assert.NotContains(t, logs.String(), "sk_test")
	})
}

// The ETA comes from the pacer's schedule: 1,500 people at Clerk's limits
// take two windows of each channel, the last single create going at 2 h
// and 3.6 s (each window's margin, 18 s, less the last spacing). A run
// whose context ends stops, leaving everyone to the next.
func TestETAFromThePacingAndAStoppedRun(t *testing.T) {
	_, c := newFake(t)
	store := bulkinvite.NewMemoryStore()
	cfg := config(c, store, nil)
	cfg.Limits = bulkinvite.ProductionLimits()
	runCtx, cancel := context.WithCancel(ctx)
	var first *bulkinvite.Progress
	cfg.Progress = func(p bulkinvite.Progress) {
		if first == nil {
			first = &p
			cancel()
		}
	}
	sum, err := bulkinvite.Run(runCtx, cfg, people(1500))
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, first)
	assert.Equal(t, 2*time.Hour+3600*time.Millisecond, first.ETA.Round(time.Millisecond))
	assert.Equal(t, 1500, first.Counts[bulkinvite.StateQueued])
	assert.False(t, sum.Complete())
	assert.Equal(t, 1500, sum.Counts.Total())
	assert.Len(t, sum.Unsettled, min(bulkinvite.MaxSummaryEntries, 1500-sum.Counts.Settled()))
}

// A run stopped while requests were in flight leaves them as "sent" in
// the journal; the next run checks each before it sends anything again.
func TestARunStoppedMidRequestChecksOnRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		want := people(10)
		store := &killableStore{Store: bulkinvite.NewMemoryStore(), freeze: 2} // the journal dies right after "sent"
		_, err := bulkinvite.Run(ctx, config(c, store, nil), want)
		require.ErrorIs(t, err, errKilled)
		entries, err := bulkinvite.Entries(ctx, store.Store, org)
		require.NoError(t, err)
		for _, e := range entries {
			assert.Contains(t, []bulkinvite.State{bulkinvite.StateSent, bulkinvite.StateQueued}, e.State)
		}

		sum, err := bulkinvite.Run(ctx, config(c, store.Store, nil), want)
		require.NoError(t, err)
		assert.True(t, sum.OK())
		assertExactlyOnce(t, srv, store.Store, want)
	})
}

func TestResendRevokesAndCreatesOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		old, err := c.Create(ctx, org, client.CreateParams{EmailAddress: "ada@example.com", Role: "org:admin",
			PublicMetadata: map[string]any{"team": "engines"}, PrivateMetadata: map[string]any{"n": 1.0}})
		require.NoError(t, err)
		store := bulkinvite.NewMemoryStore()
		cfg := config(c, store, nil)

		// The revoke's response is lost: the resend stops with it unknown...
		srv.InjectFault(fake.OpRevoke, 1, fake.Fault{Reset: true, After: true})
		srv.InjectFault(fake.OpCreate, 1, fake.Fault{Reset: true, After: true})
		e, err := bulkinvite.Resend(ctx, cfg, "ADA@example.com", bulkinvite.ResendOptions{RedirectURL: "https://app.example.com/welcome"})
		require.NoError(t, err)
		assert.Equal(t, bulkinvite.StateCreated, e.State, e.Reason)
		assert.NotEqual(t, old.ID, e.InvitationID)

		got, err := c.Get(ctx, org, old.ID)
		require.NoError(t, err)
		assert.Equal(t, client.StatusRevoked, got.Status)
		fresh, err := c.Get(ctx, org, e.InvitationID)
		require.NoError(t, err)
		assert.Equal(t, client.StatusPending, fresh.Status)
		assert.Equal(t, "org:admin", fresh.Role)
		assert.Equal(t, old.PublicMetadata, fresh.PublicMetadata)
		assert.Equal(t, old.PrivateMetadata, fresh.PrivateMetadata)
		assert.Len(t, srv.Invitations(), 2, "the old one and exactly one new one")
		assert.Equal(t, "https://app.example.com/welcome", e.Params.RedirectURL)

		// Nothing pending is left to resend for someone unknown.
		_, err = bulkinvite.Resend(ctx, cfg, "nobody@example.com", bulkinvite.ResendOptions{})
		assert.ErrorContains(t, err, "no pending invitation")
		var none *bulkinvite.NoPendingError
		if assert.ErrorAs(t, err, &none) {
			assert.Equal(t, "nobody@example.com", none.EmailAddress)
		}
	})
}

// A failed person stays failed, unless the run is told to retry the
// failed, with the params it is given now.
func TestRetryFailedSendsTheFailedAgain(t *testing.T) {
	srv, c := newFake(t)
	list := people(12)
	list[5].Params.Role = "org:boss" // no such role: a 404
	store := bulkinvite.NewMemoryStore()
	cfg := config(c, store, nil)
	sum, err := bulkinvite.Run(ctx, cfg, list)
	require.NoError(t, err)
	require.Len(t, sum.Failed, 1)
	assert.Contains(t, sum.Failed[0].Reason, "resource_not_found")

	sum, err = bulkinvite.Run(ctx, cfg, list)
	require.NoError(t, err)
	assert.Len(t, sum.Failed, 1, "still failed without RetryFailed")

	list[5].Params.Role = "org:admin"
	cfg.RetryFailed = true
	sum, err = bulkinvite.Run(ctx, cfg, list)
	require.NoError(t, err)
	assert.True(t, sum.OK())
	assertExactlyOnce(t, srv, store, list)
	entries, _ := store.Load(ctx, org)
	assert.Equal(t, "org:admin", entries[5].Params.Role)
}

// A run of nobody sends nothing and is complete.
func TestARunOfNobodySendsNothing(t *testing.T) {
	srv, c := newFake(t)
	sum, err := bulkinvite.Run(ctx, config(c, bulkinvite.NewMemoryStore(), nil), nil)
	require.NoError(t, err)
	assert.True(t, sum.OK())
	assert.Zero(t, sum.Counts.Total())
	assert.Empty(t, srv.Requests())
}
