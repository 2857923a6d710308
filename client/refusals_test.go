package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
)

func TestRefusalPredicates(t *testing.T) {
	refusal := func(status int, code string, meta map[string]any) error {
		return &client.APIError{StatusCode: status, Errors: []client.ClerkError{{Code: code, Meta: meta}}}
	}
	cases := []struct {
		name             string
		err              error
		invited, member  bool
		refusedAddresses []string
	}{
		{"single create", refusal(400, client.CodeInvitationNotUnique, nil), true, false, nil},
		{"bulk", refusal(400, client.CodeDuplicateRecord, map[string]any{"email_addresses": []any{"a@x.io", "A@x.io", "b@x.io", 7}}), true, false, []string{"a@x.io", "b@x.io"}},
		{"member", refusal(400, client.CodeAlreadyMember, map[string]any{"email_addresses": []any{"m@x.io"}}), false, true, []string{"m@x.io"}},
		{"wrapped", fmt.Errorf("run: %w", refusal(400, client.CodeAlreadyMember, nil)), false, true, nil},
		{"same code, other status", refusal(422, client.CodeDuplicateRecord, nil), false, false, nil},
		{"other code", refusal(400, "form_param_missing", nil), false, false, nil},
		{"not an APIError", errors.New(client.CodeDuplicateRecord), false, false, nil},
		{"nil", nil, false, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.invited, client.IsAlreadyInvited(tc.err))
			assert.Equal(t, tc.member, client.IsAlreadyMember(tc.err))
			assert.Equal(t, tc.refusedAddresses, client.RefusedAddresses(tc.err))
		})
	}
	top := &client.APIError{StatusCode: http.StatusBadRequest, Errors: []client.ClerkError{{Code: client.CodeDuplicateRecord}},
		Meta: map[string]any{"email_addresses": []any{"top@x.io"}}}
	assert.Equal(t, []string{"top@x.io"}, client.RefusedAddresses(top), "the response's own meta counts too")
}
