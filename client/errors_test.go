package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// Every status, with every kind of body, becomes one *APIError that keeps
// the status; Clerk's fields are filled when the body is Clerk's JSON.
func TestAPIErrorTable(t *testing.T) {
	statuses := []int{400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503}
	bodies := []struct {
		name, contentType, body string
		clerk                   bool
	}{
		{"clerk", "application/json", notFoundJSON, true},
		{"empty", "", "", false},
		{"html", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", false},
		{"truncated json", "application/json", notFoundJSON[:40], false},
	}
	for _, status := range statuses {
		for _, b := range bodies {
			t.Run(fmt.Sprintf("%d %s", status, b.name), func(t *testing.T) {
				rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
					if b.contentType != "" {
						w.Header().Set("Content-Type", b.contentType)
					}
					w.Header().Set("CF-Ray", "ray_1")
					w.WriteHeader(status)
					_, _ = io.WriteString(w, b.body)
				})
				inv, err := rec.client().Get(context.Background(), "org_1", "orginv_1")
				require.Error(t, err)
				assert.Nil(t, inv)

				var apiErr *client.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, "GetOrganizationInvitation", apiErr.Operation)
				assert.Equal(t, []byte(b.body), append([]byte{}, apiErr.Body...))
				assert.Contains(t, err.Error(), "GetOrganizationInvitation: "+strconv.Itoa(status))
				assert.NotContains(t, err.Error(), testKey)

				assert.Equal(t, status == 404, client.IsNotFound(err))
				assert.Equal(t, status == 401, client.IsUnauthorized(err))
				assert.Equal(t, status == 403, client.IsForbidden(err))
				assert.Equal(t, status == 429, client.IsRateLimited(err))
				assert.Equal(t, b.clerk, client.HasCode(err, "resource_not_found"))
				attempts := 1
				switch status {
				case 429, 500, 502, 503:
					attempts = 4 // a GET is retried on these, 3 times by default
				}
				assert.Equal(t, attempts, apiErr.Attempts)
				assert.Len(t, rec.requests(), attempts)
				assert.False(t, client.OutcomeUnknown(apiErr), "a GET changes nothing")
				assert.False(t, client.HasCode(err, "something_else"))
				if b.clerk {
					require.Len(t, apiErr.Errors, 1)
					assert.Equal(t, client.ClerkError{
						Code: "resource_not_found", Message: "not found", LongMessage: "No invitation with this id.",
						Meta: map[string]any{"param_name": "invitation_id"},
					}, apiErr.Errors[0])
					assert.Equal(t, map[string]any{"hint": "check the id"}, apiErr.Meta)
					assert.Equal(t, "trace_404", apiErr.TraceID, "the body's trace id wins over the header")
					assert.Contains(t, err.Error(), "resource_not_found: No invitation with this id. [trace trace_404]")
				} else {
					assert.Empty(t, apiErr.Errors)
					assert.Equal(t, "ray_1", apiErr.TraceID, "without a body trace id, the CF-Ray header")
				}
			})
		}
	}
}

// Every operation maps an error response the same way.
func TestEveryOperationMapsErrors(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(http.StatusUnprocessableEntity, `{"errors":[{"code":"duplicate_record","message":"dup","long_message":"already invited"}]}`))
	c := rec.client()
	calls := map[string]func() error{
		"ListInstanceOrganizationInvitations": func() error { _, err := c.ListInstance(ctx, client.ListInstanceParams{}); return err },
		"CreateOrganizationInvitation": func() error {
			_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "a@example.com", Role: "org:member"})
			return err
		},
		"ListOrganizationInvitations": func() error { _, err := c.List(ctx, "org_1", client.ListParams{}); return err },
		"CreateOrganizationInvitationBulk": func() error {
			_, err := c.BulkCreate(ctx, "org_1", []client.CreateParams{{EmailAddress: "a@example.com", Role: "org:member"}})
			return err
		},
		"ListPendingOrganizationInvitations": func() error {
			//lint:ignore SA1019 the API still serves the deprecated operation, so its tests call it
			_, err := gen.ListPendingOrganizationInvitations(ctx, c, "org_1", gen.ListPendingOrganizationInvitationsParams{})
			return err
		},
		"GetOrganizationInvitation":    func() error { _, err := c.Get(ctx, "org_1", "orginv_1"); return err },
		"RevokeOrganizationInvitation": func() error { _, err := c.Revoke(ctx, "org_1", "orginv_1", client.RevokeParams{}); return err },
	}
	for op, call := range calls {
		err := call()
		var apiErr *client.APIError
		require.ErrorAs(t, err, &apiErr, op)
		assert.Equal(t, op, apiErr.Operation)
		assert.Equal(t, 422, apiErr.StatusCode, op)
		assert.True(t, client.HasCode(err, "duplicate_record"), op)
		assert.Equal(t, "clerk: "+op+": 422 Unprocessable Entity: duplicate_record: already invited", err.Error())
	}
	assert.Len(t, rec.requests(), len(calls))
}

func TestRetryAfterIsExposed(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "17")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"errors":[{"code":"too_many_requests","message":"slow down","long_message":"slow down"}]}`)
	})
	_, err := rec.client().Get(context.Background(), "org_1", "orginv_1")
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, client.IsRateLimited(err))
	assert.Equal(t, 17*time.Second, apiErr.RetryAfter)
}

func TestAPIErrorMessageVariants(t *testing.T) {
	e := &client.APIError{Operation: "Op", StatusCode: 599}
	assert.Equal(t, "clerk: Op: 599", e.Error(), "a status without text")
	e = &client.APIError{Operation: "Op", StatusCode: 400, Errors: []client.ClerkError{
		{Message: "short only"}, {Code: "x", LongMessage: "second"},
	}}
	assert.Equal(t, "clerk: Op: 400 Bad Request: short only (and 1 more)", e.Error())
	assert.True(t, client.HasCode(e, "x"))
}

// A server that responds with nothing at all: a RequestError naming the
// operation, distinct from an APIError.
func TestNoResponseIsARequestError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	c, err := client.New(client.WithBaseURL("http://"+addr+"/v1"), client.WithSecretKey(testKey),
		client.WithClock(time.Now, func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	var reqErr *client.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, "GetOrganizationInvitation", reqErr.Operation)
	assert.Equal(t, 4, reqErr.Attempts, "a refused connection is retried")
	assert.False(t, client.OutcomeUnknown(reqErr))
	assert.True(t, strings.HasPrefix(err.Error(), "clerk: GetOrganizationInvitation: no response: "), err.Error())
	var apiErr *client.APIError
	assert.False(t, errors.As(err, &apiErr))
	assert.NotContains(t, err.Error(), testKey)
}

func TestContextErrorsSeeThrough(t *testing.T) {
	rec := newRecorder(t, reply(200, invitationJSON))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := rec.client().Get(ctx, "org_1", "orginv_1")
	assert.ErrorIs(t, err, context.Canceled)
	var reqErr *client.RequestError
	assert.ErrorAs(t, err, &reqErr)
}

// A 2xx whose body is not the expected JSON: a DecodeError, which says the
// request itself succeeded.
func TestUndecodableSuccessIsADecodeError(t *testing.T) {
	for name, body := range map[string]string{
		"empty":          "",
		"html":           "<html>ok</html>",
		"truncated":      invitationJSON[:60],
		"wrong type":     `{"created_at": "yesterday"}`,
		"array for item": `[1,2,3]`,
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, reply(http.StatusOK, body))
			inv, err := rec.client().Get(context.Background(), "org_1", "orginv_1")
			assert.Nil(t, inv)
			var decErr *client.DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, "GetOrganizationInvitation", decErr.Operation)
			assert.Equal(t, 200, decErr.StatusCode)
			assert.Contains(t, err.Error(), "clerk: GetOrganizationInvitation: the 200 response could not be decoded: ")
			assert.NotErrorIs(t, err, client.ErrResponseTooLarge)
		})
	}
}

// Bodies are read with a cap: over it is an error, not an allocation of
// whatever size the server chooses.
func TestResponseSizeCap(t *testing.T) {
	page := `{"data":[` + strings.Repeat(invitationJSON+",", 99) + invitationJSON + `],"total_count":100}`
	rec := newRecorder(t, reply(http.StatusOK, page))

	list, err := rec.client(client.WithMaxResponseBytes(int64(len(page)))).List(context.Background(), "org_1", client.ListParams{})
	require.NoError(t, err, "a body of exactly the limit is fine")
	assert.Len(t, list.Data, 100)

	_, err = rec.client(client.WithMaxResponseBytes(int64(len(page)-1))).List(context.Background(), "org_1", client.ListParams{})
	assert.ErrorIs(t, err, client.ErrResponseTooLarge)
	var decErr *client.DecodeError
	assert.ErrorAs(t, err, &decErr)

	// The default limit is generous but finite: a 20 MiB response fails.
	rec = newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"data":[],"total_count":0,"pad":"`)
		chunk := strings.Repeat("x", 1<<20)
		for range 20 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}`)
	})
	_, err = rec.client().List(context.Background(), "org_1", client.ListParams{})
	assert.ErrorIs(t, err, client.ErrResponseTooLarge)
}

// A hostile or broken server that echoes the Authorization header into its
// error body: the key is scrubbed from everything the caller sees.
func TestKeyNeverInErrors(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"errors":[{"code":"bad","message":"got %[1]s","long_message":"header was %[1]s"}],"clerk_trace_id":"t"}`,
			r.Header.Get("Authorization"))
	})
	c := rec.client()
	_, err := c.Get(context.Background(), "org_1", "orginv_1")
	require.Error(t, err)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", apiErr), string(apiErr.Body)} {
		assert.NotContains(t, s, testKey)
	}
	assert.Contains(t, apiErr.Errors[0].LongMessage, "[REDACTED]")
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		assert.NotContains(t, s, testKey)
		assert.NotContains(t, s, "sk_test")
	}
}

// A complete response stays a success even if the connection breaks while
// the rest of the body (here, bytes the server promised but never sent) is
// drained.
func TestCompleteResponseSurvivesABrokenTail(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(invitationJSON)+100))
		_, _ = io.WriteString(w, invitationJSON)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	rec.srv.Config.ErrorLog = quietLog
	inv, err := rec.client().Create(context.Background(), "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
	require.NoError(t, err)
	assert.Equal(t, "orginv_1", inv.ID)
	assert.Len(t, rec.requests(), 1)
}
