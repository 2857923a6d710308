package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

func invitees(n int) []client.CreateParams {
	out := make([]client.CreateParams, n)
	for i := range out {
		out[i] = client.CreateParams{EmailAddress: fmt.Sprintf("person%04d@example.com", i), Role: "org:member"}
	}
	return out
}

// Against the in-memory Clerk: every size is split into calls of ten, and
// every result lines up with its input.
func TestCreateManySizes(t *testing.T) {
	for _, n := range []int{0, 1, 10, 11, 95, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			srv := fake.NewServer()
			defer srv.Close()
			c, err := srv.NewClient()
			require.NoError(t, err)

			results, err := c.CreateMany(context.Background(), "org_1", invitees(n), client.CreateManyOptions{})
			require.NoError(t, err)
			require.Len(t, results, n)
			assert.Equal(t, n, results.Count(client.BulkCreated))
			for i, r := range results {
				assert.Equal(t, i, r.Index)
				assert.Equal(t, fmt.Sprintf("person%04d@example.com", i), r.EmailAddress)
				require.NotNil(t, r.Invitation, i)
				assert.Equal(t, r.EmailAddress, r.Invitation.EmailAddress)
				assert.NoError(t, r.Err)
			}
			assert.Len(t, srv.Requests(), (n+9)/10, "one call per ten")
			for _, req := range srv.Requests() {
				assert.Equal(t, fake.OpBulkCreate, req.Operation)
			}
			page, err := c.List(context.Background(), "org_1", client.ListParams{Limit: 1})
			if n > 0 {
				require.NoError(t, err)
				assert.EqualValues(t, n, page.TotalCount, "each invitation exists once")
			}
		})
	}
}

// bulkServer responds to each bulk call with script(call number), or creates
// the chunk, echoing it as invitations. It records every body.
type bulkServer struct {
	mu     sync.Mutex
	bodies []string
	script func(call int, w http.ResponseWriter, r *http.Request) bool // true: responded
}

func (b *bulkServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, string(body))
	call := len(b.bodies)
	b.mu.Unlock()
	if b.script != nil && b.script(call, w, r) {
		return
	}
	var items []map[string]any
	_ = json.Unmarshal(body, &items)
	var data []client.Invitation
	for i, it := range items {
		inv := invitation(call*100 + i)
		inv.EmailAddress = it["email_address"].(string)
		data = append(data, inv)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "total_count": len(data)})
}

func (b *bulkServer) calls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.bodies...)
}

func statuses(rs client.BulkResults) string {
	var parts []string
	for i := 0; i < len(rs); i += 10 {
		parts = append(parts, rs[i].Status.String())
		for _, r := range rs[i:min(i+10, len(rs))] {
			if r.Status != rs[i].Status {
				return "mixed statuses within a chunk"
			}
		}
	}
	return strings.Join(parts, ", ")
}

func TestCreateManyFailures(t *testing.T) {
	failSecond := func(status int) func(int, http.ResponseWriter, *http.Request) bool {
		return func(call int, w http.ResponseWriter, r *http.Request) bool {
			if call == 2 {
				clerkStatus(status, "")(w, r)
				return true
			}
			return false
		}
	}
	cases := []struct {
		name    string
		script  func(int, http.ResponseWriter, *http.Request) bool
		options client.CreateManyOptions
		want    string // per chunk of the 30 invitees
		calls   int
		errIs   func(error) bool
	}{
		{"a failing middle chunk, continue", failSecond(422), client.CreateManyOptions{},
			"created, failed, created", 3, func(err error) bool { return client.HasCode(err, "e422") }},
		{"a failing middle chunk, stop", failSecond(422), client.CreateManyOptions{StopOnError: true},
			"created, failed, skipped", 2, nil},
		{"a 500 on the middle chunk: unknown, not re-sent", failSecond(500), client.CreateManyOptions{},
			"created, outcome unknown, created", 3, client.OutcomeUnknown},
		{"reset after the middle chunk was sent: unknown, not re-sent", func(call int, w http.ResponseWriter, r *http.Request) bool {
			if call == 2 {
				drop(w)
				return true
			}
			return false
		}, client.CreateManyOptions{}, "created, outcome unknown, created", 3, client.OutcomeUnknown},
		{"unknown stops too, with StopOnError", failSecond(502), client.CreateManyOptions{StopOnError: true},
			"created, outcome unknown, skipped", 2, nil},
		{"a broken response to a created chunk: unknown", func(call int, w http.ResponseWriter, r *http.Request) bool {
			if call == 2 {
				reply(200, `{"data": [`)(w, r)
				return true
			}
			return false
		}, client.CreateManyOptions{}, "created, outcome unknown, created", 3, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &bulkServer{script: tc.script}
			rec := newRecorder(t, b.serve)
			rec.srv.Config.ErrorLog = quietLog
			results, err := rec.client().CreateMany(context.Background(), "org_1", invitees(30), tc.options)
			require.NoError(t, err)
			assert.Equal(t, tc.want, statuses(results))
			assert.Len(t, b.calls(), tc.calls, "no chunk is ever sent twice")
			if tc.errIs != nil {
				assert.True(t, tc.errIs(results[10].Err), "%v", results[10].Err)
			}
			for _, r := range results {
				assert.Equal(t, r.Status == client.BulkCreated, r.Err == nil)
			}
			if testing.Verbose() {
				t.Logf("%s: %s", tc.name, tc.want)
			}
		})
	}
}

// A 429 between chunks is waited out (Retry-After, through the retry
// policy) and the chunk sent again: it was refused, so that is safe.
func TestCreateManyRateLimited(t *testing.T) {
	b := &bulkServer{script: func(call int, w http.ResponseWriter, r *http.Request) bool {
		if call == 2 {
			clerkStatus(429, "7")(w, r)
			return true
		}
		return false
	}}
	rec := newRecorder(t, b.serve)
	results, err := rec.client().CreateMany(context.Background(), "org_1", invitees(25), client.CreateManyOptions{})
	require.NoError(t, err)
	assert.Equal(t, 25, results.Count(client.BulkCreated))
	calls := b.calls()
	require.Len(t, calls, 4)
	assert.Equal(t, calls[1], calls[2], "the refused chunk again, the same bytes")
	assert.Equal(t, []time.Duration{7 * time.Second}, rec.waited())
}

func TestCreateManyConcurrentKeepsOrder(t *testing.T) {
	b := &bulkServer{script: func(call int, _ http.ResponseWriter, _ *http.Request) bool {
		time.Sleep(time.Duration(call%3) * time.Millisecond) // responses come back out of order
		return false
	}}
	rec := newRecorder(t, b.serve)
	var progress [][2]int
	results, err := rec.client().CreateMany(context.Background(), "org_1", invitees(95), client.CreateManyOptions{
		Concurrency: 4,
		Progress:    func(done, total int) { progress = append(progress, [2]int{done, total}) },
	})
	require.NoError(t, err)
	for i, r := range results {
		require.Equal(t, client.BulkCreated, r.Status)
		assert.Equal(t, fmt.Sprintf("person%04d@example.com", i), r.Invitation.EmailAddress)
	}
	assert.Len(t, b.calls(), 10)
	require.Len(t, progress, 10)
	for i, p := range progress {
		assert.Equal(t, 95, p[1])
		if i > 0 {
			assert.Greater(t, p[0], progress[i-1][0], "progress only grows")
		}
	}
	assert.Equal(t, 95, progress[9][0])
}

func TestCreateManyChecksEverythingFirst(t *testing.T) {
	b := &bulkServer{}
	c := newRecorder(t, b.serve).client()
	in := invitees(25)
	in[23].EmailAddress = strings.ToUpper(in[4].EmailAddress)
	_, err := c.CreateMany(context.Background(), "org_1", in, client.CreateManyOptions{})
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "[23].email_address", vErr.Field)
	assert.Contains(t, vErr.Reason, "also invitation [4]")

	in = invitees(25)
	in[17].Role = ""
	_, err = c.CreateMany(context.Background(), "org_1", in, client.CreateManyOptions{})
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "[17].role", vErr.Field)

	_, err = c.CreateMany(context.Background(), "", invitees(1), client.CreateManyOptions{})
	require.ErrorAs(t, err, &vErr)
	assert.Empty(t, b.calls(), "nothing sent")
}

// The limiter paces chunks; when the context would end before the limiter
// allows the next chunk, the remaining chunks are left unsent.
func TestCreateManyLimiter(t *testing.T) {
	b := &bulkServer{}
	c := newRecorder(t, b.serve).client()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // the limiter refuses a wait past it at once
	defer cancel()
	results, err := c.CreateMany(ctx, "org_1", invitees(30), client.CreateManyOptions{
		Limiter: rate.NewLimiter(rate.Every(time.Hour), 1),
	})
	require.NoError(t, err)
	assert.Equal(t, "created, skipped, skipped", statuses(results))
	assert.Len(t, b.calls(), 1)

	l, ok := client.BulkCreateLimiter().(*rate.Limiter)
	require.True(t, ok)
	assert.Equal(t, rate.Every(73*time.Second), l.Limit())
	assert.Equal(t, 1, l.Burst())
	assert.LessOrEqual(t, int(time.Hour/(73*time.Second))+1, 50, "no rolling hour holds more than 50 calls")
}
