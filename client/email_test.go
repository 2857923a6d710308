package client_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// One address as the API takes it, and every way a cell of a spreadsheet
// can hold something else.
func TestCheckEmailAddress(t *testing.T) {
	for _, ok := range []string{
		"ada@example.com",
		"Ada.Lovelace+math@Example.co.uk",
		"o'brien@example.ie",
		"zoë@exämple.de",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 251) + ".com", // 320 bytes
	} {
		assert.NoError(t, client.CheckEmailAddress(ok), ok)
	}
	for addr, want := range map[string]string{
		"":                                     "it is empty",
		"ada":                                  "it has no @",
		"@":                                    "there is nothing before the @",
		"ada@":                                 "there is no domain after the @",
		"@example.com":                         "there is nothing before the @",
		"ada@@example.com":                     "more than one @",
		"a@b@example.com":                      "more than one @",
		"ada@example.com,bob@example.com":      "one address only",
		"ada@example.com;bob@example.com":      "one address only",
		"ada@example.com bob@example.com":      "a space",
		"Ada <ada@example.com>":                "without a name or angle brackets",
		"<ada@example.com>":                    "without a name or angle brackets",
		" ada@example.com":                     "a space",
		"ada@example.com\n":                    "a line break",
		"ada\x00@example.com":                  "a control character",
		"ada\x1b[2J@example.com":               "a control character",
		"ada\u202e@example.com":                "a control character",
		"ada@exam\xffple.com":                  "not UTF-8",
		"ada@localhost":                        "not a domain name",
		"ada@example..com":                     "not a domain name",
		"ada@.example.com":                     "not a domain name",
		".ada@example.com":                     "a dot at the start",
		"ada..l@example.com":                   "two in a row",
		`"ada"@example.com`:                    "one address only",
		strings.Repeat("a", 65) + "@x.com":     "longer than 64 bytes",
		strings.Repeat("a", 10<<10) + "@x.com": "longer than 320 bytes",
	} {
		err := client.CheckEmailAddress(addr)
		if assert.Error(t, err, "%q", addr) {
			assert.Contains(t, err.Error(), want, "%q", addr)
			assert.Less(t, len(err.Error()), 250, "the address is quoted short")
			assert.NotContains(t, err.Error(), "\x1b", "and escaped")
		}
	}
}

// Create and BulkCreate refuse a bad address before sending anything.
func TestCreateRefusesBadAddresses(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c := rec.client()
	for _, addr := range []string{"Ada <ada@example.com>", "ada@", "a@x.io,b@y.io", strings.Repeat("a", 50<<20) + "@example.com"} {
		_, err := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: addr, Role: "org:member"})
		var v *client.ValidationError
		require.ErrorAs(t, err, &v)
		assert.Equal(t, "email_address", v.Field)
		assert.Less(t, len(err.Error()), 300)
		_, err = c.BulkCreate(ctx, "org_1", []client.CreateParams{{EmailAddress: "ok@example.com", Role: "org:member"}, {EmailAddress: addr, Role: "org:member"}})
		require.ErrorAs(t, err, &v)
		assert.Equal(t, "[1].email_address", v.Field)
	}
	assert.Empty(t, rec.requests(), "nothing sent")
}

// NormalEmail: one person whatever the case and surrounding space.
func TestNormalEmail(t *testing.T) {
	assert.Equal(t, "ada@example.com", client.NormalEmail("  Ada@EXAMPLE.com\t"))
	assert.Equal(t, client.NormalEmail("ZOË@example.com"), client.NormalEmail("zoë@example.com"))
}
