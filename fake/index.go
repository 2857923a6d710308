package fake

import (
	"hash/maphash"

	"github.com/invitekit/clerkinvitations/client"
)

// index finds the store's invitations by id and by address (organization
// and address in any case) without a pointer or a string of its own for
// each invitation: the garbage collector, which marks every pointer of a
// fake holding a million invitations again in each cycle, has nothing in
// it to mark. Each map goes from a key's hash to the last invitation with
// that hash, by its seq (its place in store.invitations, plus one), and
// each invitation names the one before it with the same hash; a lookup
// walks that chain and keeps the invitations whose key is the one asked
// for, so that two keys with one hash are told apart.
type index struct {
	sum                 func(key string) uint64 // a key's hash
	byID, byAddress     map[uint64]int32
	prevID, prevAddress []int32 // by seq
}

// newIndex is an empty index, hashing with maphash.
func newIndex() index {
	seed := maphash.MakeSeed()
	return newIndexHashing(func(key string) uint64 { return maphash.String(seed, key) })
}

// newIndexHashing is an empty index that hashes with sum.
func newIndexHashing(sum func(key string) uint64) index {
	return index{sum: sum, byID: map[uint64]int32{}, byAddress: map[uint64]int32{}}
}

// add indexes r, the store's newest invitation (r.seq is the number of
// invitations indexed before it).
func (x *index) add(r *record) {
	h := x.sum(r.inv.ID)
	x.prevID = append(x.prevID, x.byID[h])
	x.byID[h] = int32(r.seq + 1)
	h = x.sum(addressKey(r.inv.OrganizationID, r.inv.EmailAddress))
	x.prevAddress = append(x.prevAddress, x.byAddress[h])
	x.byAddress[h] = int32(r.seq + 1)
}

// id is the invitation of recs (the store's) with this id, or nil.
func (x *index) id(recs []*record, id string) *record {
	for at := x.byID[x.sum(id)]; at > 0; at = x.prevID[at-1] {
		if r := recs[at-1]; r.inv.ID == id {
			return r
		}
	}
	return nil
}

// eachAt calls fn with each invitation of recs (the store's) to this
// address of org, the newest first, until fn returns false.
func (x *index) eachAt(recs []*record, org, email string, fn func(r *record) bool) {
	normal := client.NormalEmail(email)
	for at := x.byAddress[x.sum(addressKey(org, email))]; at > 0; at = x.prevAddress[at-1] {
		r := recs[at-1]
		if r.inv.OrganizationID == org && client.NormalEmail(r.inv.EmailAddress) == normal && !fn(r) {
			return
		}
	}
}

// at is every invitation of recs (the store's) to this address of org, in
// creation order.
func (x *index) at(recs []*record, org, email string) []*record {
	var out []*record
	x.eachAt(recs, org, email, func(r *record) bool { out = append(out, r); return true })
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
