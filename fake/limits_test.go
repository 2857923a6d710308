package fake_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// manualClock is a clock that moves only when told to.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestClerkRateLimits(t *testing.T) {
	clock := &manualClock{now: time.UnixMilli(1_800_000_000_000)}
	srv, c := newFake(t, fake.WithClock(clock.Now), fake.WithClerkRateLimits(true))
	noRetry := client.WithoutRetries()
	person := func(i int) client.CreateParams {
		return client.CreateParams{EmailAddress: fmt.Sprintf("p%04d@example.com", i), Role: "org:member"}
	}

	// 250 single creates an hour; the 251st is refused until the oldest
	// leaves the window.
	for i := range fake.ClerkCreateLimit {
		_, err := c.Create(ctx, "org_1", person(i), noRetry)
		require.NoError(t, err, "create %d", i)
		clock.advance(time.Second)
	}
	_, err := c.Create(ctx, "org_1", person(9000), noRetry)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.True(t, client.HasCode(err, "too_many_requests"))
	assert.Equal(t, time.Hour-250*time.Second, apiErr.RetryAfter, "until the first create leaves the hour")
	assert.False(t, client.OutcomeUnknown(err))
	clock.advance(apiErr.RetryAfter)
	_, err = c.Create(ctx, "org_1", person(9000), noRetry)
	require.NoError(t, err)

	// The bulk limit is its own: 50 an hour.
	for i := range fake.ClerkBulkCreateLimit {
		_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{person(1000 + i)}, noRetry)
		require.NoError(t, err, "bulk %d", i)
	}
	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{person(2000)}, noRetry)
	assert.True(t, client.IsRateLimited(err))

	// The general limit of a development instance: 100 requests in 10 s,
	// of any kind; what was refused does not count.
	clock.advance(time.Minute)
	for i := range fake.ClerkDevelopmentLimit {
		_, err := c.List(ctx, "org_1", client.ListParams{}, noRetry)
		require.NoError(t, err, "list %d", i)
	}
	_, err = c.Get(ctx, "org_1", "orginv_missing", noRetry)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.Equal(t, 10*time.Second, apiErr.RetryAfter)
	clock.advance(10 * time.Second)
	// A new client: c pauses Get for the 10 s of Retry-After on the wall
	// clock, which this test's clock does not move.
	fresh, err := srv.NewClient()
	require.NoError(t, err)
	_, err = fresh.Get(ctx, "org_1", "orginv_missing", noRetry)
	assert.True(t, client.IsNotFound(err))

	assert.Equal(t, map[string]int{fake.OpCreate: 1, fake.OpBulkCreate: 1, fake.OpGet: 1}, srv.RateLimited())
	assert.Len(t, srv.Invitations(), fake.ClerkCreateLimit+1+fake.ClerkBulkCreateLimit, "nothing refused was created")
}

func TestRateLimitsAreOffByDefault(t *testing.T) {
	srv, c := newFake(t)
	for i := range 300 {
		_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: fmt.Sprintf("p%d@example.com", i), Role: "org:member"})
		require.NoError(t, err)
	}
	assert.Empty(t, srv.RateLimited())
}
