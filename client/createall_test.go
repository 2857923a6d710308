package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// createAll invites people to org for a test's setup, in bulk creates of
// ten, and fails the test unless every one is created.
func createAll(t testing.TB, c *client.Client, org string, people []client.CreateParams) {
	t.Helper()
	for start := 0; start < len(people); start += client.MaxBulkInvitations {
		chunk := people[start:min(start+client.MaxBulkInvitations, len(people))]
		list, err := c.BulkCreate(context.Background(), org, chunk)
		require.NoError(t, err)
		require.Len(t, list.Data, len(chunk))
	}
}
