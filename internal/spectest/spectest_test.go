package spectest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The validator is only worth something if it fails bad traffic.
func TestValidatorCatchesBadTraffic(t *testing.T) {
	v, err := New(true)
	require.NoError(t, err)
	response := `{"object":"organization_invitation","id":"orginv_1"}` // most required fields missing
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, response)
	})))
	defer srv.Close()

	req, err := http.NewRequest("POST", srv.URL+"/v1/organizations/org_1/invitations/orginv_1/revoke",
		strings.NewReader(`{"requesting_user_id": 7}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk_test_x")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, response, string(got), "the response passes through unchanged")

	problems := v.Problems()
	require.Len(t, problems, 2)
	assert.Contains(t, problems[0], "RevokeOrganizationInvitation request")
	assert.Contains(t, problems[1], "RevokeOrganizationInvitation 200 response")
	assert.Equal(t, map[string][]int{"RevokeOrganizationInvitation": {200}}, v.Checked())
}
