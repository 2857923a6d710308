package fake_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// The fake refuses to invite someone twice, or a member, with the codes and
// statuses of Clerk's error catalog, and creates nothing when it refuses.
func TestRefusalsAsClerkSaysThem(t *testing.T) {
	srv, c := newFake(t, fake.WithMember("org_1", "Member@Example.com"))
	lin := client.CreateParams{EmailAddress: "lin@example.com", Role: "org:member"}
	member := client.CreateParams{EmailAddress: "member@example.com", Role: "org:member"}
	_, err := c.Create(ctx, "org_1", ada)
	require.NoError(t, err)

	_, err = c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ADA@example.com", Role: "org:admin"})
	assert.True(t, client.IsAlreadyInvited(err), "the address compares in any case: %v", err)
	assert.True(t, client.HasCode(err, client.CodeInvitationNotUnique))
	assert.False(t, client.IsAlreadyMember(err))
	assert.False(t, client.OutcomeUnknown(err))

	_, err = c.Create(ctx, "org_1", member)
	assert.True(t, client.IsAlreadyMember(err), "%v", err)
	assert.False(t, client.IsAlreadyInvited(err))

	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{lin, ada})
	assert.True(t, client.IsAlreadyInvited(err), "%v", err)
	assert.True(t, client.HasCode(err, client.CodeDuplicateRecord))
	assert.Equal(t, []string{"ada@example.com"}, client.RefusedAddresses(err))

	_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{lin, member, ada})
	assert.True(t, client.IsAlreadyMember(err), "members are named first: %v", err)
	assert.Equal(t, []string{"member@example.com"}, client.RefusedAddresses(err))

	// Another organization, or a revoked invitation, does not count.
	_, err = c.Create(ctx, "org_2", ada)
	require.NoError(t, err)
	require.Len(t, srv.Invitations(), 2, "no refused request created anything")
	_, err = c.Revoke(ctx, "org_2", srv.Invitations()[1].ID, client.RevokeParams{})
	require.NoError(t, err)
	_, err = c.BulkCreate(ctx, "org_2", []client.CreateParams{lin, ada})
	require.NoError(t, err)

	// Accepting makes the person a member.
	page, err := c.List(ctx, "org_2", client.ListParams{EmailAddress: "lin@example.com"})
	require.NoError(t, err)
	require.NoError(t, srv.Accept(page.Data[0].ID))
	assert.Error(t, srv.Accept(page.Data[0].ID), "an accepted invitation cannot be accepted again")
	assert.Error(t, srv.Accept("orginv_missing"))
	got, err := c.Get(ctx, "org_2", page.Data[0].ID)
	require.NoError(t, err)
	assert.Equal(t, client.StatusAccepted, got.Status)
	_, err = c.Create(ctx, "org_2", lin)
	assert.True(t, client.IsAlreadyMember(err), "%v", err)
}
