package fake

import (
	"crypto/rand"
	"strings"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/metadata"
)

// record is one stored invitation. seq numbers invitations in creation
// order, to order those created in the same millisecond.
//
// A fake may hold a million invitations, and the garbage collector marks
// every object of theirs again in each cycle: so an invitation the fake
// builds is as few objects as it can be. Its link and its expiry live in
// the record (inv.URL and inv.ExpiresAt point at link and expires), its
// link and its id are parts of one string, and metadata given empty is
// one {} that all share.
type record struct {
	inv     gen.OrganizationInvitation
	seq     int
	link    string
	expires int64
}

// The parts of an invitation's link and id: a prefix, then random
// characters from [0-9A-Za-z].
const (
	linkPrefix = "https://accounts.fake.invalid/v1/tickets/accept?ticket="
	linkRandom = 32
	idPrefix   = "orginv_"
	idRandom   = 27
)

// newRecord is a record of inv, given a new id and link, that expires at
// expires (Unix milliseconds).
func newRecord(inv gen.OrganizationInvitation, expires int64) *record {
	var b strings.Builder
	b.Grow(len(linkPrefix) + linkRandom + len(idPrefix) + idRandom)
	b.WriteString(linkPrefix)
	appendRandom(&b, linkRandom)
	b.WriteString(idPrefix)
	appendRandom(&b, idRandom)
	both := b.String()
	r := &record{inv: inv, link: both[:len(linkPrefix)+linkRandom], expires: expires}
	r.inv.ID = both[len(r.link):]
	r.inv.URL, r.inv.ExpiresAt = &r.link, &r.expires
	return r
}

// restoredRecord is the record of a saved invitation, the seq-th: its
// link and expiry held in the record, as newRecord holds them, when it has
// them.
func restoredRecord(inv gen.OrganizationInvitation, seq int) *record {
	r := &record{inv: inv, seq: seq}
	if inv.URL != nil {
		r.link = *inv.URL
		r.inv.URL = &r.link
	}
	if inv.ExpiresAt != nil {
		r.expires = *inv.ExpiresAt
		r.inv.ExpiresAt = &r.expires
	}
	return r
}

// randomID returns n random characters from [0-9A-Za-z].
func randomID(n int) string {
	var b strings.Builder
	b.Grow(n)
	appendRandom(&b, n)
	return b.String()
}

// appendRandom writes n random characters from [0-9A-Za-z] to b.
func appendRandom(b *strings.Builder, n int) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var buf [64]byte
	for n > 0 {
		chunk := buf[:min(n, len(buf))]
		_, _ = rand.Read(chunk)
		for _, c := range chunk {
			b.WriteByte(alphabet[int(c)%len(alphabet)])
		}
		n -= len(chunk)
	}
}

// emptyMetadata is the metadata of an invitation created with none: one
// {} for every such invitation. Nothing changes a Raw in place.
var emptyMetadata = metadata.Raw("{}")

// encodeMetadata is the metadata of a request as a response holds it: {}
// when none was given.
func encodeMetadata(m map[string]any) (metadata.Raw, error) {
	if len(m) == 0 {
		return emptyMetadata, nil
	}
	return metadata.Encode(m)
}
