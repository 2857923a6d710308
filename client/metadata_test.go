package client_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/metadata"
)

// withMetadata is invitationJSON with its two metadata members replaced:
// by the given JSON values, or left out where the value is "".
func withMetadata(public, private string) string {
	body := invitationJSON
	for _, m := range []struct{ name, old, value string }{
		{"public_metadata", `"public_metadata": {"team": "compilers"},`, public},
		{"private_metadata", `"private_metadata": {},`, private},
	} {
		with := ""
		if m.value != "" {
			with = `"` + m.name + `": ` + m.value + `,`
		}
		body = strings.Replace(body, m.old, with, 1)
	}
	return body
}

// Public metadata is required, and an object: absent or null it is a
// missing required value, and any other JSON value is refused. Private
// metadata is optional, so it may be absent or null, but when present it
// must be an object too.
func TestMetadataMustBeAnObject(t *testing.T) {
	for _, tc := range []struct {
		name, public, private string
		missing               string // the MissingFieldError's path
		notObject             bool
	}{
		{name: "both objects", public: `{"a":1}`, private: `{"b":2}`},
		{name: "private absent", public: `{}`},
		{name: "private null", public: `{}`, private: `null`},
		{name: "public absent", private: `{}`, missing: "public_metadata"},
		{name: "public null", public: `null`, missing: "public_metadata"},
		{name: "public array", public: `[{"a":1}]`, notObject: true},
		{name: "public string", public: `"{}"`, notObject: true},
		{name: "private array", public: `{}`, private: `[]`, notObject: true},
		{name: "private number", public: `{}`, private: `0`, notObject: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := withMetadata(tc.public, tc.private)
			rec := newRecorder(t, reply(http.StatusOK, body))
			c := rec.client()
			inv, err := c.Get(context.Background(), "org_1", "orginv_1")
			if tc.missing == "" && !tc.notObject {
				require.NoError(t, err)
				assert.JSONEq(t, tc.public, string(inv.PublicMetadata))
				assert.Equal(t, tc.private == "" || tc.private == "null", inv.PrivateMetadata == nil)
				return
			}
			assert.Nil(t, inv)
			var decErr *client.DecodeError
			require.ErrorAs(t, err, &decErr)
			if tc.missing != "" {
				var missing *client.MissingFieldError
				require.ErrorAs(t, err, &missing)
				assert.Equal(t, tc.missing, missing.Path)
			} else {
				assert.ErrorIs(t, err, metadata.ErrNotObject)
			}

			// The same invitation as the second item of a page.
			rec.setHandler(reply(http.StatusOK, `{"data":[`+invitationJSON+`,`+body+`],"total_count":2}`))
			page, listErr := c.List(context.Background(), "org_1", client.ListParams{})
			assert.Nil(t, page)
			require.ErrorAs(t, listErr, &decErr)
			if tc.missing != "" {
				var missing *client.MissingFieldError
				require.ErrorAs(t, listErr, &missing)
				assert.Equal(t, "data[1]."+tc.missing, missing.Path)
			} else {
				assert.ErrorIs(t, listErr, metadata.ErrNotObject)
			}
		})
	}
}

// The client reads each response into a buffer it reuses for the next
// one: metadata already returned must not change when a later response
// lands in the same buffer.
func TestMetadataOutlivesTheResponseBuffer(t *testing.T) {
	rec := newRecorder(t, reply(http.StatusOK, withMetadata(`{"team":"compilers"}`, `{"k":"first"}`)))
	c := rec.client()
	first, err := c.Get(context.Background(), "org_1", "orginv_1")
	require.NoError(t, err)
	rec.setHandler(reply(http.StatusOK, withMetadata(`{"team":"XXXXXXXXX"}`, `{"k":"YYYYY"}`)))
	for range 20 {
		_, err := c.Get(context.Background(), "org_1", "orginv_1")
		require.NoError(t, err)
	}
	assert.Equal(t, `{"team":"compilers"}`, string(first.PublicMetadata))
	assert.Equal(t, `{"k":"first"}`, string(first.PrivateMetadata))
}

// Responses are read as leniently as encoding/json reads them: a name
// given twice keeps its last value, invalid UTF-8 becomes U+FFFD, and
// unknown members are ignored.
func TestResponsesAreReadLeniently(t *testing.T) {
	body := strings.Replace(invitationJSON, `"role": "org:member",`, `"role": "org:guest", "role": "org:member", "later": [1, {"x": null}],`, 1)
	body = strings.Replace(body, `"role_name": "Member"`, "\"role_name\": \"Mem\xffber\"", 1)
	rec := newRecorder(t, reply(http.StatusOK, body))
	inv, err := rec.client().Get(context.Background(), "org_1", "orginv_1")
	require.NoError(t, err)
	assert.Equal(t, "org:member", inv.Role)
	assert.Equal(t, "Mem\uFFFDber", inv.RoleName)
}
