package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/spectest"
)

// Contract tests: the facade against the in-memory Clerk, every request
// and every response validated against api/openapi.yaml on the way. The
// httptest tests pin exact bytes; these show the pieces fit together.
func TestContractAgainstTheFake(t *testing.T) {
	v, err := spectest.New(true)
	require.NoError(t, err)
	srv := fake.NewServer(fake.WithMiddleware(v.Middleware), fake.WithOrganization("org_c", "Contract", "contract"),
		fake.WithSecretKey("sk_test_the_contract_key"))
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := context.Background()

	t.Run("create and get", func(t *testing.T) {
		inv, err := c.Create(ctx, "org_c", client.CreateParams{
			EmailAddress: "ada@example.com", Role: "org:admin", InviterUserID: "user_1",
			PublicMetadata: map[string]any{"a": 1.0}, PrivateMetadata: map[string]any{"b": "two"},
			RedirectURL: "https://app.example.com/join", ExpiresInDays: 3, Notify: client.Bool(false),
		})
		require.NoError(t, err)
		got, err := c.Get(ctx, "org_c", inv.ID)
		require.NoError(t, err)
		assert.Equal(t, inv, got)
		assert.Equal(t, "user_1", *got.InviterID)
	})

	t.Run("bulk, list, pending, instance", func(t *testing.T) {
		list, err := c.BulkCreate(ctx, "org_c", []client.CreateParams{
			{EmailAddress: "b1@example.com", Role: "org:member"}, {EmailAddress: "b2@example.com", Role: "org:member"},
		})
		require.NoError(t, err)
		assert.Len(t, list.Data, 2)

		page, err := c.List(ctx, "org_c", client.ListParams{EmailAddress: "b2@example.com"})
		require.NoError(t, err)
		require.Len(t, page.Data, 1)
		assert.Equal(t, list.Data[1].ID, page.Data[0].ID)

		//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
		pending, err := gen.ListPendingOrganizationInvitations(ctx, c, "org_c", gen.ListPendingOrganizationInvitationsParams{})
		require.NoError(t, err)
		assert.EqualValues(t, 3, pending.TotalCount)

		all, err := c.ListInstance(ctx, client.ListInstanceParams{OrderBy: client.OrderEmailAsc})
		require.NoError(t, err)
		assert.Equal(t, "ada@example.com", all.Data[0].EmailAddress)
		assert.Equal(t, "Contract", all.Data[0].PublicOrganizationData.Name)
	})

	t.Run("revoke, twice", func(t *testing.T) {
		page, err := c.List(ctx, "org_c", client.ListParams{EmailAddress: "b1@example.com"})
		require.NoError(t, err)
		id := page.Data[0].ID
		inv, err := c.Revoke(ctx, "org_c", id, client.RevokeParams{RequestingUserID: "user_1"})
		require.NoError(t, err)
		assert.Equal(t, client.StatusRevoked, inv.Status)
		_, err = c.Revoke(ctx, "org_c", id, client.RevokeParams{})
		assert.True(t, client.HasCode(err, "organization_invitation_not_pending"))
	})

	t.Run("errors", func(t *testing.T) {
		_, err := c.Get(ctx, "org_c", "orginv_unknown")
		assert.True(t, client.IsNotFound(err))
		_, err = c.Create(ctx, "org_c", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:admin"})
		assert.True(t, client.IsAlreadyInvited(err))
		assert.True(t, client.HasCode(err, client.CodeInvitationNotUnique))
		_, err = c.List(ctx, "org_c", client.ListParams{}, client.WithSecretKey("sk_test_not_the_contract_key"))
		assert.True(t, client.IsUnauthorized(err))
		srv.InjectFault(fake.OpListInstance, 1, fake.Fault{Status: 429, RetryAfter: time.Second})
		_, err = c.ListInstance(ctx, client.ListInstanceParams{}, client.WithoutRetries())
		assert.True(t, client.IsRateLimited(err))
	})

	t.Run("iterators", func(t *testing.T) {
		people := make([]client.CreateParams, 37)
		for i := range people {
			people[i] = client.CreateParams{EmailAddress: fmt.Sprintf("m%02d@example.com", i), Role: "org:member"}
		}
		createAll(t, c, "org_c", people)

		n := 0
		for _, err := range c.ListAll(ctx, "org_c", client.ListParams{Status: client.Statuses{client.StatusPending}, Limit: 7}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 39, n, "ada, b2 and the 37")
		n = 0
		for _, err := range c.ListInstanceAll(ctx, client.ListInstanceParams{Limit: 9}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 40, n)
	})

	assert.Empty(t, v.Problems(), "every request and response matches the spec")
	checked := v.Checked()
	for _, op := range []string{fake.OpListInstance, fake.OpCreate, fake.OpList, fake.OpBulkCreate, fake.OpListPending, fake.OpGet, fake.OpRevoke} {
		assert.Contains(t, checked[op], 200, op)
	}
	assert.Equal(t, []int{200, 429}, checked[fake.OpListInstance])
	assert.Equal(t, []int{200, 404}, checked[fake.OpRevoke])
}
