package fake_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

func TestSnapshotRestoresTheSameState(t *testing.T) {
	srv, c := newFake(t, fake.WithOrganization("org_1", "Acme", "acme"), fake.WithRole("org:viewer", "Viewer"))
	ctx := context.Background()
	ada := invite(t, c, "ada@example.com")
	bob := invite(t, c, "bob@example.com")
	invite(t, c, "cy@example.com")
	require.NoError(t, srv.Accept(ada.ID))
	_, err := c.Revoke(ctx, "org_1", bob.ID, client.RevokeParams{})
	require.NoError(t, err)
	snap, err := srv.Snapshot()
	require.NoError(t, err)

	again, c2 := newFake(t)
	require.NoError(t, again.Restore(snap))
	assert.Equal(t, srv.Invitations(), again.Invitations())
	assert.Equal(t, srv.Notifications(), again.Notifications())
	page, err := c2.ListInstance(ctx, client.ListInstanceParams{OrderBy: client.OrderOldestFirst})
	require.NoError(t, err)
	require.Len(t, page.Data, 3)
	assert.Equal(t, "Acme", page.Data[0].PublicOrganizationData.Name)
	_, err = c2.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ADA@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyMember(err), "the member came along: %v", err)
	_, err = c2.Create(ctx, "org_1", client.CreateParams{EmailAddress: "cy@example.com", Role: "org:member"})
	assert.True(t, client.IsAlreadyInvited(err), "the pending one came along: %v", err)
	_, err = c2.Create(ctx, "org_1", client.CreateParams{EmailAddress: "dee@example.com", Role: "org:viewer"})
	assert.NoError(t, err, "the role came along")
}

func TestRestoreRefusesWhatIsNotAState(t *testing.T) {
	srv, c := newFake(t)
	invite(t, c, "ada@example.com")
	before, err := srv.Snapshot()
	require.NoError(t, err)
	for _, bad := range []string{
		`not json`,
		`{"version":2}`,
		`{"version":1,"invitations":[{"id":"orginv_1","organization_id":"org_x","email_address":"a@example.com","status":"pending","role":"org:member","public_metadata":{},"private_metadata":{}}]}`,
		`{"version":1,"organizations":[{"id":"org_1"}],"invitations":[{"id":"orginv_1","organization_id":"org_1","public_metadata":{},"private_metadata":{}},{"id":"orginv_1","organization_id":"org_1","public_metadata":{},"private_metadata":{}}]}`,
	} {
		assert.Error(t, srv.Restore([]byte(bad)), bad)
	}
	after, err := srv.Snapshot()
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "nothing changed")
}

func TestOnChangeIsCalledAfterEveryChange(t *testing.T) {
	var changes atomic.Int64
	srv, c := newFake(t, fake.WithOnChange(func() { changes.Add(1) }))
	ctx := context.Background()
	_, err := c.List(ctx, "org_1", client.ListParams{})
	require.NoError(t, err)
	assert.Zero(t, changes.Load(), "a GET changes nothing")
	inv := invite(t, c, "ada@example.com")
	assert.EqualValues(t, 1, changes.Load())
	require.NoError(t, srv.Expire(inv.ID))
	assert.EqualValues(t, 2, changes.Load())
	srv.Reset()
	assert.EqualValues(t, 3, changes.Load())
}

func TestShutdownWaitsForRequestsInProgress(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(fake.OpList, 1, fake.Fault{Trickle: 2 * time.Millisecond})
	done := make(chan error, 1)
	go func() {
		_, err := c.List(context.Background(), "org_1", client.ListParams{})
		done <- err
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, srv.Shutdown(context.Background()))
	assert.NoError(t, <-done, "the trickled response was delivered whole")
	_, err := c.List(context.Background(), "org_1", client.ListParams{}, client.WithoutRetries())
	assert.Error(t, err, "closed")

	hung, hc := newFake(t)
	hung.InjectFault(fake.OpList, 1, fake.Fault{Hang: true})
	go func() {
		_, err := hc.List(context.Background(), "org_1", client.ListParams{}, client.WithoutRetries())
		done <- err
	}()
	require.Eventually(t, func() bool { return len(hung.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the bound has passed: what is left is closed
	assert.ErrorIs(t, hung.Shutdown(ctx), context.Canceled)
	assert.Error(t, <-done)
}
