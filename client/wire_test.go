package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// The exact bytes of every request body, from the generated models through
// the whole pipeline to a loopback server. oapi-codegen has changed, between
// releases, whether optional nullable fields carry omitempty (and the
// overlay pins it); if a regeneration ever sends "field":null or "" for an
// unset field, these fail.

func minimalInvitation() client.CreateParams {
	return client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"}
}

func fullInvitation() client.CreateParams {
	return client.CreateParams{
		EmailAddress:    "grace@example.com",
		Role:            "org:admin",
		InviterUserID:   "user_1",
		PublicMetadata:  map[string]any{"team": "compilers", "level": 3},
		PrivateMetadata: map[string]any{"referral": "conf"},
		RedirectURL:     "https://app.example.com/welcome",
		ExpiresInDays:   14,
		Notify:          client.Bool(false),
	}
}

const (
	minimalJSON = `{"email_address":"ada@example.com","role":"org:member"}`
	fullJSON    = `{"email_address":"grace@example.com","expires_in_days":14,"inviter_user_id":"user_1","notify":false,` +
		`"private_metadata":{"referral":"conf"},"public_metadata":{"level":3,"team":"compilers"},` +
		`"redirect_url":"https://app.example.com/welcome","role":"org:admin"}`
)

func TestWireFormat(t *testing.T) {
	ctx := context.Background()
	const (
		create = "/v1/organizations/org_1/invitations"
		bulk   = "/v1/organizations/org_1/invitations/bulk"
		revoke = "/v1/organizations/org_1/invitations/orginv_1/revoke"
	)
	cases := []struct {
		name, path, body, contentType string
		response                      string
		send                          func(c *client.Client) error
	}{
		{"create minimal", create, minimalJSON, "application/json", invitationJSON, func(c *client.Client) error {
			_, err := c.Create(ctx, "org_1", minimalInvitation())
			return err
		}},
		{"create full", create, fullJSON, "application/json", invitationJSON, func(c *client.Client) error {
			_, err := c.Create(ctx, "org_1", fullInvitation())
			return err
		}},
		{"bulk minimal", bulk, "[" + minimalJSON + "]", "application/json", pageJSON, func(c *client.Client) error {
			_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{minimalInvitation()})
			return err
		}},
		{"bulk full", bulk, "[" + minimalJSON + "," + fullJSON + "]", "application/json", pageJSON, func(c *client.Client) error {
			_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{minimalInvitation(), fullInvitation()})
			return err
		}},
		{"revoke minimal: the body is optional and nothing is in it", revoke, "", "", invitationJSON, func(c *client.Client) error {
			_, err := c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{})
			return err
		}},
		{"revoke full", revoke, `{"requesting_user_id":"user_1"}`, "application/json", invitationJSON, func(c *client.Client) error {
			_, err := c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{RequestingUserID: "user_1"})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, reply(200, tc.response))
			require.NoError(t, tc.send(rec.client()))
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "POST", reqs[0].Method)
			assert.Equal(t, tc.path, reqs[0].Path)
			assert.Equal(t, tc.contentType, reqs[0].Header.Get("Content-Type"))
			assert.Equal(t, tc.body, reqs[0].Body)
		})
	}
}
