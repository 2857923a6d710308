package client_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// stamps is a handler that records when, by the recorder's clock, each
// request arrived, and responds with an invitation.
type stamps struct {
	rec *recorder
	mu  sync.Mutex
	at  []time.Time
}

func (s *stamps) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.at = append(s.at, s.rec.now())
	s.mu.Unlock()
	reply(http.StatusOK, invitationJSON)(w, r)
}

// mostInWindow is the largest number of requests that arrived within any
// window of length per.
func (s *stamps) mostInWindow(per time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	most := 0
	for i := range s.at {
		n := 0
		for _, t := range s.at[i:] {
			if t.Sub(s.at[i]) < per {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func newStamps(t *testing.T) *stamps {
	s := &stamps{}
	s.rec = newRecorder(t, s.serve)
	return s
}

func TestRequestLimitHoldsInEveryWindow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []client.Option
		calls int
		limit int
		per   time.Duration
	}{
		{"a development key's default", nil, 250, client.DevelopmentRequestLimit, client.RequestLimitWindow},
		{"a production key's default", []client.Option{client.WithSecretKey("sk_live_abc")}, 2500, client.ProductionRequestLimit, client.RequestLimitWindow},
		{"an explicit one", []client.Option{client.WithRequestLimit(10, time.Second)}, 45, 10, time.Second},
		{"one at a time", []client.Option{client.WithRequestLimit(3, time.Minute)}, 7, 3, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStamps(t)
			c := s.rec.client(tc.opts...)
			for range tc.calls {
				_, err := c.Get(context.Background(), "org_1", "orginv_1")
				require.NoError(t, err)
			}
			most := s.mostInWindow(tc.per)
			assert.LessOrEqual(t, most, tc.limit)
			assert.GreaterOrEqual(t, most, tc.limit*8/10, "the limit is used, not only kept")
		})
	}
}

// Concurrent calls share the limit: on the wall clock, 4 goroutines
// making 60 calls under a limit of 20 per 200 ms take at least the 400 ms
// that the 40 calls beyond the first window need. (A loaded machine can
// only make it slower.)
func TestConcurrentCallsShareTheRequestLimit(t *testing.T) {
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c, err := client.New(client.WithBaseURL(rec.srv.URL+"/v1"), client.WithSecretKey(testKey), client.WithRequestLimit(20, 200*time.Millisecond))
	require.NoError(t, err)
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 15 {
				_, err := c.Get(context.Background(), "org_1", "orginv_1")
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.GreaterOrEqual(t, time.Since(start), 390*time.Millisecond)
	assert.Len(t, rec.requests(), 60)
}

func TestWithoutRequestLimitWaitsForNothing(t *testing.T) {
	s := newStamps(t)
	c := s.rec.client(client.WithoutRequestLimit())
	for range 300 {
		_, err := c.Get(context.Background(), "org_1", "orginv_1")
		require.NoError(t, err)
	}
	assert.Empty(t, s.rec.waited())
}

func TestRequestLimitNeverOutlastsTheDeadline(t *testing.T) {
	s := newStamps(t)
	c := s.rec.client(client.WithRequestLimit(1, time.Hour))
	_, err := c.Get(context.Background(), "org_1", "orginv_1")
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	var reqErr *client.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, client.OutcomeUnknown(err), "nothing was sent")
	assert.Len(t, s.rec.requests(), 1)

	// The call timeout bounds the wait too, and a refused wait leaves the
	// turn to the next call.
	_, err = c.Get(context.Background(), "org_1", "orginv_1", client.WithTimeout(time.Second))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = c.Get(context.Background(), "org_1", "orginv_1", client.WithTimeout(2*time.Hour))
	require.NoError(t, err)
	assert.Len(t, s.rec.requests(), 2)
	assert.InDelta(t, time.Hour, s.rec.waited()[0], float64(time.Second))
}

// A 429 with Retry-After pauses the other calls of that operation, not
// those of another operation; a pause longer than the retry policy would
// wait is left to the server.
func TestRateLimitedOperationPausesItsOtherCalls(t *testing.T) {
	s := newStamps(t)
	c := s.rec.client(client.WithoutRequestLimit())
	ctx := context.Background()
	limited := func(retryAfter string) {
		s.rec.setHandler(clerkStatus(http.StatusTooManyRequests, retryAfter))
		_, err := c.Get(ctx, "org_1", "orginv_1", client.WithoutRetries())
		require.True(t, client.IsRateLimited(err))
		s.rec.setHandler(s.serve)
	}

	limited("5")
	_, err := c.List(ctx, "org_1", client.ListParams{})
	require.Error(t, err, "another operation goes at once (this reply is not a list)")
	assert.Empty(t, s.rec.waited())
	_, err = c.Get(ctx, "org_1", "orginv_1")
	require.NoError(t, err)
	require.Len(t, s.rec.waited(), 1)
	assert.InDelta(t, 5*time.Second, s.rec.waited()[0], float64(100*time.Millisecond))
	_, err = c.Get(ctx, "org_1", "orginv_1")
	require.NoError(t, err)
	assert.Len(t, s.rec.waited(), 1, "the pause is over")

	limited("3600") // more than DefaultRetryPolicy's MaxRetryAfter
	_, err = c.Get(ctx, "org_1", "orginv_1")
	require.NoError(t, err)
	assert.Len(t, s.rec.waited(), 1, "not held back for an hour")
}

func TestBadRequestLimits(t *testing.T) {
	for _, o := range []client.Option{client.WithRequestLimit(-1, time.Second), client.WithRequestLimit(5, 0)} {
		_, err := client.New(client.WithSecretKey(testKey), o)
		assert.ErrorContains(t, err, "WithRequestLimit")
	}
}
