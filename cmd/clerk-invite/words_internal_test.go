package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
)

// say, on the errors the library returns, as they come, wrapped the way
// the library wraps them: the tool's words, each thing said once.
func TestSay(t *testing.T) {
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://api.example.com/v1/organizations/org_1/invitations",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	noHost := &client.RequestError{Operation: "ListOrganizationInvitations",
		Err: dial(&net.DNSError{Name: "api.example.com", Err: "no such host", IsNotFound: true})}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{noHost, "no answer from api.example.com: the host api.example.com was not found"},
		{fmt.Errorf("%w: %w; nothing was sent", bulkinvite.ErrServerCheck, fmt.Errorf("listing the pending invitations of org_1: %w", noHost)),
			"the pending invitations could not be listed before sending: no answer from api.example.com: the host api.example.com was not found"},
		{&client.RequestError{Operation: "CreateOrganizationInvitation", Err: dial(os.NewSyscallError("connect", syscall.ECONNREFUSED))},
			"no answer from api.example.com: the connection was refused: is the server running, and is --base-url right?"},
		{fmt.Errorf("bulkinvite: the API refused the key: %w", &client.APIError{Operation: "CreateOrganizationInvitationBulk", StatusCode: 401}),
			"Clerk refused the secret key in CLERK_SECRET_KEY (401 Unauthorized): check that it is the current secret key of this instance"},
		{&client.APIError{Operation: "ListOrganizationInvitations", StatusCode: 429, RetryAfter: 30 * time.Second},
			"Clerk's rate limit was reached (429 Too Many Requests): it asks to wait 30s"},
		{&client.APIError{Operation: "GetOrganizationInvitation", StatusCode: 404, TraceID: "t1",
			Errors: []client.ClerkError{{Code: "resource_not_found", LongMessage: "Not found."}}},
			"Clerk answered 404 Not Found: resource_not_found: Not found. (trace t1)"},
		{&client.DecodeError{Operation: "ListOrganizationInvitations", StatusCode: 200, Err: errors.New("unexpected end of JSON input")},
			"Clerk answered 200, but its answer could not be read (unexpected end of JSON input)"},
		{&client.PagingError{Offset: 998, Items: 3, Expected: 1200, Yielded: 1001},
			"the list changed faster than it could be read: 1001 invitations were read where the API counted 1200; run the same command again"},
		{&bulkinvite.IdleError{Timeout: 2 * time.Hour}, "nobody was settled for 2h00m, so the run stopped"},
		{fmt.Errorf("bulkinvite: journal j.db: %w", &fs.PathError{Op: "open", Path: "j.db", Err: syscall.EACCES}), "j.db: permission denied"},
		{fmt.Errorf("bulkinvite: journal: %w", errors.New("disk I/O error (10)")), "disk I/O error (10)"},
		{&client.RequestError{Operation: "ListOrganizationInvitations", Err: context.Canceled}, "no answer from the API: stopped (Ctrl-C or SIGTERM)"},
		{&client.ValidationError{Operation: "CreateOrganizationInvitation", Field: "organization_id", Reason: "is required"}, "--org is required"},
	} {
		got := say(tc.err)
		assert.Equal(t, tc.want, got, "%v", tc.err)
		assert.Empty(t, cliwords.Violations(got), got)
		assert.Empty(t, cliwords.Repeats(got), got)
	}
}

// Reasons recorded in a journal are shown without the client's operation.
func TestReasonWords(t *testing.T) {
	assert.Equal(t, "check failed: no response: the connection broke",
		reasonWords("check failed: clerk: ListOrganizationInvitations: no response: the connection broke"))
	assert.Equal(t, "400 Bad Request: form_param_unknown: x", reasonWords("clerk: CreateOrganizationInvitationBulk: 400 Bad Request: form_param_unknown: x"))
	assert.Equal(t, "found pending on the server before sending", reasonWords("found pending on the server before sending"))
}
