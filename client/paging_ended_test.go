package client_test

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// A page that arrives whole although the caller's context ended while it
// was on its way ends the walk as a walk one page at a time would at its
// next request: with a *RequestError of the list operation that matches
// the context's error, after what the pages before it held.
func TestAWalkWhoseContextEndsDuringAPageEndsWithARequestError(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	inv := func(id string) string { return strings.Replace(invitationJSON, `"orginv_1"`, `"`+id+`"`, 1) }
	pages := map[string]string{
		"0": `{"data": [` + inv("a") + `,` + inv("b") + `], "total_count": 3}`,
		"1": `{"data": [` + inv("b") + `,` + inv("c") + `], "total_count": 3}`,
	}
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		offset := cmp.Or(r.URL.Query().Get("offset"), "0") // a zero offset is left out
		if offset != "0" {
			cancel() // the page is still served, whole
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, ContentLength: -1,
			Body: io.NopCloser(strings.NewReader(pages[offset])), Request: r}, nil
	})
	c, err := client.New(client.WithSecretKey(testKey), client.WithHTTPClient(doer), client.WithoutRequestLimit())
	require.NoError(t, err)
	var got []string
	var last error
	for inv, err := range c.ListAll(ctx, "org_1", client.ListParams{Limit: 2}, client.WithPageConcurrency(1)) {
		if err != nil {
			last = err
			break
		}
		got = append(got, inv.ID)
	}
	assert.Equal(t, []string{"a", "b"}, got)
	var reqErr *client.RequestError
	require.ErrorAs(t, last, &reqErr)
	assert.Equal(t, "ListOrganizationInvitations", reqErr.Operation)
	assert.ErrorIs(t, last, context.Canceled)
	assert.False(t, errors.Is(last, context.DeadlineExceeded))
}
