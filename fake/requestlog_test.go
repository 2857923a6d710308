package fake_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/fake"
)

// get sends n list requests numbered from first on, through one kept-alive
// connection, and checks each was served.
func getNumbered(t *testing.T, srv *fake.Server, first, n int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/organizations/org_1/invitations?offset=%d", srv.URL, i), nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer sk_test_log")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
}

// offsets are the offsets of the recorded requests, in order.
func offsets(srv *fake.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Query)
	}
	return out
}

func TestRequestLogKeepsTheLastN(t *testing.T) {
	srv := fake.NewServer(fake.WithRequestLog(3))
	t.Cleanup(srv.Close)
	getNumbered(t, srv, 0, 2)
	assert.Equal(t, []string{"offset=0", "offset=1"}, offsets(srv), "below the bound, every request")
	getNumbered(t, srv, 2, 8)
	assert.Equal(t, []string{"offset=7", "offset=8", "offset=9"}, offsets(srv), "the last three, oldest first")
	getNumbered(t, srv, 10, 1)
	assert.Equal(t, []string{"offset=8", "offset=9", "offset=10"}, offsets(srv))

	srv.Reset()
	assert.Empty(t, srv.Requests(), "Reset drops the log")
	getNumbered(t, srv, 20, 4)
	assert.Equal(t, []string{"offset=21", "offset=22", "offset=23"}, offsets(srv), "and keeps its bound")
}

func TestRequestLogDefaultBound(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	getNumbered(t, srv, 0, fake.DefaultRequestLog+5)
	got := offsets(srv)
	require.Len(t, got, fake.DefaultRequestLog)
	assert.Equal(t, "offset=5", got[0])
	assert.Equal(t, fmt.Sprintf("offset=%d", fake.DefaultRequestLog+4), got[len(got)-1])
}

func TestRequestLogOfZeroKeepsNone(t *testing.T) {
	for _, n := range []int{0, -1} {
		srv := fake.NewServer(fake.WithRequestLog(n))
		t.Cleanup(srv.Close)
		getNumbered(t, srv, 0, 3)
		assert.Empty(t, srv.Requests(), n)
	}
}
