package bulkinvite

import (
	"hash/maphash"
	"iter"
	"strconv"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
)

// Person is someone to invite: the organization and the invitation. The
// same address in two organizations is two people.
type Person struct {
	// OrganizationID is the organization to invite the person to. Empty,
	// it is [Config.OrganizationID] (or [ReconcileOptions.OrganizationID]).
	OrganizationID string
	// Params is the invitation to create; Params.EmailAddress is the
	// person's address as given.
	Params client.CreateParams
}

// People yields the people of a list, for [RunSeq] and [DryRun].
func People(list []Person) iter.Seq2[Person, error] {
	return func(yield func(Person, error) bool) {
		for _, p := range list {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// keyHash identifies a person (an organization and an address in the
// [client.NormalEmail] form) in 128 bits: two people with the same
// keyHash are taken for one. Two different people share one with a
// chance of about n²/2¹²⁹ among n people, 10⁻²⁷ for a million, so a run
// keeps these, 16 bytes a person, rather than the strings.
type keyHash [2]uint64

// hashSeeds are the process's seeds for keyHash.
var hashSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// hashKey is the keyHash of a person.
func hashKey(organizationID, normalEmail string) keyHash {
	return keyHash{keySum(hashSeeds[0], organizationID, normalEmail), keySum(hashSeeds[1], organizationID, normalEmail)}
}

// hashKey64 is the first half of the keyHash of a person, all that a run
// keeps (a hash shared by chance costs a lookup, not a person), computed
// alone.
func hashKey64(organizationID, normalEmail string) uint64 {
	return keySum(hashSeeds[0], organizationID, normalEmail)
}

// entryHash is hashKey64 of the person of e.
func entryHash(e Entry) uint64 {
	return hashKey64(e.OrganizationID, client.NormalEmail(e.Params.EmailAddress))
}

// keySum is one half of a keyHash, by its seed.
func keySum(seed maphash.Seed, organizationID, normalEmail string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(organizationID)
	h.WriteByte(0)
	h.WriteString(normalEmail)
	return h.Sum64()
}

// intake checks the people of a run as they come, one at a time: each
// is valid, has an organization that the run may invite to, and, if it
// keeps seen, is not given twice (it keeps a keyHash and an index per
// person). A run leaves the last check to its store's Import, which finds
// a key given twice without holding the people in memory.
type intake struct {
	org  string            // Config.OrganizationID, or ""
	seen map[keyHash]int32 // nil: the store finds the people given twice
	n    int
}

func newIntake(organizationID string, dedup bool) *intake {
	in := &intake{org: organizationID}
	if dedup {
		in.seen = map[keyHash]int32{}
	}
	return in
}

// admit checks the next person and returns the entry a run starts them
// with (queued), or a *client.ValidationError naming their index.
func (in *intake) admit(p Person) (Entry, error) {
	i := in.n
	in.n++
	org, err := in.organization(i, p.OrganizationID)
	if err != nil {
		return Entry{}, err
	}
	if err := client.ValidateCreate(org, p.Params); err != nil {
		return Entry{}, indexed(err, i)
	}
	if in.seen != nil {
		k := hashKey(org, client.NormalEmail(p.Params.EmailAddress))
		if j, dup := in.seen[k]; dup {
			return Entry{}, givenTwice(i, int(j), org, p.Params.EmailAddress)
		}
		in.seen[k] = int32(i)
	}
	return Entry{OrganizationID: org, Params: p.Params, State: StateQueued}, nil
}

// givenTwice is the error of person i, whose address is also that of
// person j of the same organization.
func givenTwice(i, j int, org, email string) error {
	return invalidPerson(i, "email_address", textsafe.Quote(email, 100)+" is also person ["+strconv.Itoa(j)+"] of "+org)
}

// DuplicateError is the error of [Store.Import] when a key comes twice:
// the person at Index (from 0, in the order given) has the organization
// and address of the one at First. A run reports it as a
// *[client.ValidationError] naming Index.
type DuplicateError struct {
	Index, First   int
	OrganizationID string
	EmailAddress   string // as given at Index
}

func (e *DuplicateError) Error() string {
	return "bulkinvite: person [" + strconv.Itoa(e.Index) + "] of " + e.OrganizationID + " is also person [" + strconv.Itoa(e.First) + "]"
}

// organization is the organization of person i, who names org.
func (in *intake) organization(i int, org string) (string, error) {
	switch {
	case org == "" && in.org == "":
		return "", invalidPerson(i, "organization_id", "is empty, and no organization is set for the run (Config.OrganizationID)")
	case org == "":
		return in.org, nil
	case in.org != "" && org != in.org:
		return "", invalidPerson(i, "organization_id", textsafe.Quote(org, 100)+" is not "+in.org+", the run's organization (Config.OrganizationID)")
	}
	return org, nil
}

func invalidPerson(i int, field, reason string) error {
	return &client.ValidationError{Operation: "bulkinvite.Run", Field: "[" + strconv.Itoa(i) + "]." + field, Reason: reason}
}
