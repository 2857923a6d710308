package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/invitekit/clerkinvitations/fake"
)

// seed is what the fake holds from the start: the --seed file, and the
// --org, --member and --role flags added to it.
type seed struct {
	Organizations []seedOrganization `json:"organizations"`
	Roles         map[string]string  `json:"roles"`
	// OnlyDeclared makes organizations not listed here unknown (404),
	// instead of created on first use; --only-declared sets it too.
	OnlyDeclared bool `json:"only_declared_organizations"`
}

// seedOrganization is one organization and the addresses of its members.
type seedOrganization struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Slug    string   `json:"slug"`
	Members []string `json:"members"`
}

// parseSeed reads a seed file, refusing fields it does not know.
func parseSeed(data []byte) (seed, error) {
	var s seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return seed{}, err
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return seed{}, errors.New("more than one JSON value")
	}
	return s, nil
}

// options turns a seed into the fake's options, or says what is wrong
// with it: an organization without an id or given twice, an empty member
// address or role key.
func (s seed) options() ([]fake.Option, error) {
	var opts []fake.Option
	seen := map[string]bool{}
	for i, o := range s.Organizations {
		if strings.TrimSpace(o.ID) == "" {
			return nil, fmt.Errorf("organizations[%d] has no id", i)
		}
		if seen[o.ID] {
			return nil, fmt.Errorf("organization %s is given twice", o.ID)
		}
		seen[o.ID] = true
		name, slug := o.Name, o.Slug
		if name == "" {
			name = o.ID
		}
		if slug == "" {
			slug = slugOf(name)
		}
		opts = append(opts, fake.WithOrganization(o.ID, name, slug))
		for _, m := range o.Members {
			if !strings.Contains(m, "@") {
				return nil, fmt.Errorf("organization %s: member %q is not an email address", o.ID, m)
			}
			opts = append(opts, fake.WithMember(o.ID, m))
		}
	}
	for key, name := range s.Roles {
		if strings.TrimSpace(key) == "" {
			return nil, errors.New("a role has an empty key")
		}
		opts = append(opts, fake.WithRole(key, name))
	}
	if s.OnlyDeclared {
		opts = append(opts, fake.WithOnlyDeclaredOrganizations())
	}
	return opts, nil
}

// slugOf makes a slug of a name: lower case, words joined by "-".
func slugOf(name string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}), "-")
}

// addFlags adds the --org, --member and --role flags to the seed: an
// organization "ID" or "ID=Name", a member "ORG=ADDRESS", a role
// "KEY=Name". A member's organization is declared if it is not yet.
func (s *seed) addFlags(orgs, members, roles []string) error {
	index := map[string]int{}
	for i, o := range s.Organizations {
		index[o.ID] = i
	}
	declare := func(id, name string) int {
		if i, ok := index[id]; ok {
			return i
		}
		s.Organizations = append(s.Organizations, seedOrganization{ID: id, Name: name})
		index[id] = len(s.Organizations) - 1
		return index[id]
	}
	for _, o := range orgs {
		id, name, _ := strings.Cut(o, "=")
		if _, ok := index[id]; ok {
			return fmt.Errorf("--org %s: organization %s is given twice", o, id)
		}
		declare(id, name)
	}
	for _, m := range members {
		org, email, ok := strings.Cut(m, "=")
		if !ok || org == "" || email == "" {
			return fmt.Errorf("--member %q: want ORG=ADDRESS, e.g. org_1=ada@example.com", m)
		}
		i := declare(org, "")
		s.Organizations[i].Members = append(s.Organizations[i].Members, email)
	}
	for _, r := range roles {
		key, name, ok := strings.Cut(r, "=")
		if !ok || key == "" || name == "" {
			return fmt.Errorf("--role %q: want KEY=Name, e.g. org:viewer=Viewer", r)
		}
		if s.Roles == nil {
			s.Roles = map[string]string{}
		}
		s.Roles[key] = name
	}
	return nil
}
