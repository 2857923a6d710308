package main

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// setClock is a fake's clock that the test moves.
type setClock struct{ at atomic.Int64 }

func (c *setClock) now() time.Time  { return time.UnixMilli(c.at.Load()) }
func (c *setClock) set(t time.Time) { c.at.Store(t.UnixMilli()) }

// revoke revokes the pending invitations created before now minus
// --older-than, and no other. One accepted meanwhile counts as done, and
// a revoke whose response is lost is looked up and counts as done too.
// --dry-run changes nothing.
func TestRevokeOlderThan(t *testing.T) {
	clock := &setClock{}
	var srv *fake.Server
	var acceptOnce sync.Once
	var acceptID atomic.Value // the invitation accepted just before its revoke arrives
	srv = newFake(t, fake.WithClock(clock.now), fake.WithMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id, _ := acceptID.Load().(string); id != "" && strings.HasSuffix(r.URL.Path, "/"+id+"/revoke") {
				acceptOnce.Do(func() { require.NoError(t, srv.Accept(id)) })
			}
			next.ServeHTTP(w, r)
		})
	}))
	c := fakeClient(t, srv)
	create := func(email string, at time.Time) string {
		clock.set(at)
		inv, err := c.Create(t.Context(), org, client.CreateParams{EmailAddress: email, Role: "org:member", Notify: client.Bool(false)})
		require.NoError(t, err)
		return inv.ID
	}
	now := time.Now()
	old := []string{
		create("old1@example.com", now.Add(-10*24*time.Hour)),
		create("old2@example.com", now.Add(-9*24*time.Hour)),
		create("old3@example.com", now.Add(-8*24*time.Hour)),
		create("old4@example.com", now.Add(-8*24*time.Hour)),
	}
	gone := create("revoked@example.com", now.Add(-20*24*time.Hour))
	_, err := c.Revoke(t.Context(), org, gone, client.RevokeParams{})
	require.NoError(t, err)
	recent := []string{
		create("recent1@example.com", now.Add(-6*24*time.Hour)),
		create("recent2@example.com", now.Add(-time.Hour)),
	}
	clock.set(now)
	status := func(id string) client.Status {
		inv, err := c.Get(t.Context(), org, id)
		require.NoError(t, err)
		return inv.Status
	}

	r := cli(t, srv, "revoke", "--org", org, "--status", "pending", "--older-than", "7d", "--dry-run")
	require.Equal(t, 0, r.code, r)
	for _, id := range old {
		assert.Contains(t, r.stdout, "would revoke "+id+" ")
	}
	for _, id := range append(recent, gone) {
		assert.NotContains(t, r.stdout, id)
	}
	assert.Contains(t, r.stdout, "Dry run: 4 of 6 pending invitations are older than 7d; nothing revoked.")
	assert.Equal(t, 1, countOps(srv)[fake.OpRevoke], "the dry run revoked nothing (the one revoke is the test's)")
	for _, id := range old {
		assert.Equal(t, client.StatusPending, status(id))
	}

	acceptID.Store(old[1])                                                  // accepted before its revoke lands
	srv.InjectFault(fake.OpRevoke, 1, fake.Fault{Reset: true, After: true}) // old[0]: revoked, response lost
	r = cli(t, srv, "revoke", "--org", org, "--status", "pending", "--older-than", "7d")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "done    "+old[0]+" old1@example.com: revoked (the response was lost; a look-up shows it)")
	assert.Contains(t, r.stdout, "done    "+old[1]+" old2@example.com: no longer pending")
	assert.Contains(t, r.stdout, "revoked "+old[2]+" old3@example.com")
	assert.Contains(t, r.stdout, "revoked "+old[3]+" old4@example.com")
	assert.Contains(t, r.stdout, "Revoked 2, already done 2, failed 0, of 4 pending invitations older than 7d.")
	assert.Equal(t, client.StatusRevoked, status(old[0]))
	assert.Equal(t, client.StatusAccepted, status(old[1]))
	assert.Equal(t, client.StatusRevoked, status(old[2]))
	assert.Equal(t, client.StatusRevoked, status(old[3]))
	for _, id := range recent {
		assert.Equal(t, client.StatusPending, status(id), "younger than 7d: kept")
	}

	r = cli(t, srv, "revoke", "--org", org, "--status", "pending", "--older-than", "36h")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "revoked "+recent[0]+" ")
	assert.NotContains(t, r.stdout, recent[1])
	assert.Equal(t, client.StatusPending, status(recent[1]))

	sent := len(srv.Requests())
	for _, args := range [][]string{
		{"--status", "accepted", "--older-than", "7d"},
		{"--older-than", "7 days"},
		{"--older-than", "0d"},
		{"--older-than", "7s"},
		{"--status", "pending"},
	} {
		r = cli(t, srv, append([]string{"revoke", "--org", org}, args...)...)
		assert.Equal(t, 2, r.code, "%v: %s", args, r)
	}
	assert.Len(t, srv.Requests(), sent, "bad input sends nothing")
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute, "1d12h": 36 * time.Hour,
	} {
		got, err := parseAge(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "7", "d", "7w", "-7d", "7d ", "0h", "1.5d", "999999999999d"} {
		_, err := parseAge(in)
		assert.Error(t, err, in)
	}
}
