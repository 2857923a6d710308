package fake_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// A filter of several statuses is an OR: status=pending&status=expired
// lists exactly the invitations in either status, the same through the
// client's iterator (every page keeps the whole filter), one page of the
// client, and a plain request; total_count counts the union.
func TestSeveralStatusesListTheUnion(t *testing.T) {
	var mu sync.Mutex
	now := time.UnixMilli(1_780_000_000_000)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := fake.NewServer(fake.WithClock(clock))
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := context.Background()

	// 30 invitations: every third expires after a day, five are revoked
	// and five accepted; the rest stay pending.
	var ids []string
	for i := range 30 {
		p := client.CreateParams{EmailAddress: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com", Role: "org:member"}
		if i%3 == 0 {
			p.ExpiresInDays = 1
		}
		inv, err := c.Create(ctx, "org_s", p)
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	for _, i := range []int{1, 4, 7, 10, 13} {
		_, err := c.Revoke(ctx, "org_s", ids[i], client.RevokeParams{})
		require.NoError(t, err)
	}
	for _, i := range []int{2, 5, 8, 11, 14} {
		require.NoError(t, srv.Accept(ids[i]))
	}
	mu.Lock()
	now = now.Add(48 * time.Hour)
	mu.Unlock()

	want := map[string]client.Status{}
	for _, inv := range srv.Invitations() {
		if inv.Status == client.StatusPending || inv.Status == client.StatusExpired {
			want[inv.ID] = inv.Status
		}
	}
	require.Len(t, want, 20, "10 expired and 10 pending")

	filter := client.Statuses{client.StatusPending, client.StatusExpired}
	before := len(srv.Requests())
	got := map[string]client.Status{}
	for inv, err := range c.ListAll(ctx, "org_s", client.ListParams{Status: filter, Limit: 3}) {
		require.NoError(t, err)
		require.NotContains(t, got, inv.ID, "yielded twice")
		got[inv.ID] = inv.Status
	}
	assert.Equal(t, want, got)
	pages := srv.Requests()[before:]
	require.Len(t, pages, 10, "20 invitations in pages of 3 that overlap by one (offsets 0, 2, … 18)")
	for _, r := range pages {
		q, err := url.ParseQuery(r.Query)
		require.NoError(t, err)
		assert.Equal(t, []string{"pending", "expired"}, q["status"], "page %s", r.Query)
	}

	page, err := c.List(ctx, "org_s", client.ListParams{Status: filter, Limit: 500})
	require.NoError(t, err)
	assert.EqualValues(t, 20, page.TotalCount)
	assert.Len(t, page.Data, 20)

	all := map[string]client.Status{}
	for inv, err := range c.ListInstanceAll(ctx, client.ListInstanceParams{Status: filter, Limit: 7}) {
		require.NoError(t, err)
		all[inv.ID] = inv.Status
	}
	assert.Equal(t, want, all, "the instance-wide list filters the same way")

	// A plain request, as Clerk's own SDKs send it.
	status, raw := getList(t, srv, "status=pending&status=expired&limit=500")
	require.Equal(t, http.StatusOK, status)
	var body struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		TotalCount int `json:"total_count"`
	}
	require.NoError(t, json.Unmarshal(raw, &body))
	assert.Equal(t, 20, body.TotalCount)
	var listed []string
	for _, d := range body.Data {
		listed = append(listed, d.ID)
	}
	slices.Sort(listed)
	assert.Equal(t, slices.Sorted(maps.Keys(want)), listed)
}

// getList sends GET /organizations/org_s/invitations?query as plain HTTP
// and returns the status and the body.
func getList(t *testing.T, srv *fake.Server, query string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/organizations/org_s/invitations?"+query, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk_test_status")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// A status the API does not know, alone or beside a known one, is refused
// by the fake as by Clerk, with the allowed values named.
func TestUnknownStatusRefused(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	for _, query := range []string{"status=archived", "status=pending&status=archived"} {
		status, body := getList(t, srv, query)
		assert.Equal(t, http.StatusUnprocessableEntity, status, query)
		assert.Contains(t, string(body), "pending, accepted, revoked, expired", query)
	}
}

// The deprecated route, through the facade: a page and every page, each
// holding only pending invitations, newest first.
func TestListPending(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := context.Background()
	var pending []string
	for i := range 12 {
		inv, err := c.Create(ctx, "org_p", client.CreateParams{EmailAddress: "p" + string(rune('a'+i)) + "@example.com", Role: "org:member"})
		require.NoError(t, err)
		if i%4 == 3 {
			_, err = c.Revoke(ctx, "org_p", inv.ID, client.RevokeParams{})
			require.NoError(t, err)
			continue
		}
		pending = append([]string{inv.ID}, pending...) // newest first
	}
	//lint:ignore SA1019 the deprecated route is still served and tested
	page, err := c.ListPending(ctx, "org_p", client.ListPendingParams{Limit: 2, Offset: 1})
	require.NoError(t, err)
	assert.EqualValues(t, 9, page.TotalCount)
	require.Len(t, page.Data, 2)
	assert.Equal(t, pending[1:3], []string{page.Data[0].ID, page.Data[1].ID})

	var all []string
	//lint:ignore SA1019 the deprecated route is still served and tested
	for inv, err := range c.ListPendingAll(ctx, "org_p", client.ListPendingParams{Limit: 4}) {
		require.NoError(t, err)
		assert.Equal(t, client.StatusPending, inv.Status)
		all = append(all, inv.ID)
	}
	assert.Equal(t, pending, all)
}
