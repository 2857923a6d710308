package bulkinvite

import (
	"testing"

	"github.com/invitekit/clerkinvitations/client"

	"github.com/stretchr/testify/assert"
)

// hashKey64 is the first half of hashKey: the dry run files its people by
// the one and matches the server's invitations by the other, and a run
// keeps its people given by the one. The halves are sums of their own.
func TestHashKey64IsTheFirstHalf(t *testing.T) {
	for _, k := range []struct{ org, email string }{
		{"org_a", "ada@example.com"}, {"org_b", "ada@example.com"}, {"org_a", ""}, {"", "org_a"}, {"org_a\x00x", "y"},
	} {
		full := hashKey(k.org, k.email)
		assert.Equal(t, full[0], hashKey64(k.org, k.email), k)
		assert.NotEqual(t, full[0], full[1], k)
		assert.Equal(t, full[0], entryHash(Entry{OrganizationID: k.org, Params: client.CreateParams{EmailAddress: k.email}}), k)
	}
}
