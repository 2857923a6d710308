// Command gosdk runs Clerk's Go SDK (github.com/clerk/clerk-sdk-go/v2)
// against a Clerk Backend API: every method of its organizationinvitation
// package, error paths included. Each result is compared field for field,
// through the SDK's own json tags, with the response the server sent for it
// (the SDK keeps it in Response.RawJSON), and each response with the wire
// contract. It lives in a module of its own so that the library's module
// does not depend on the SDK.
//
//	CLERK_INTEROP_URL=http://127.0.0.1:8080/v1 go run .
//
// CLERK_INTEROP_ORG names an organization with no invitations yet (default
// org_interop), CLERK_INTEROP_MEMBER an address already a member of it
// (default member@example.com); CLERK_SECRET_KEY defaults to
// sk_test_interop. It prints one line per check and exits 1 if any fails.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/organizationinvitation"
)

// suite is one run: the SDK's client and the run's names.
type suite struct {
	t           *tally
	c           *organizationinvitation.Client
	ctx         context.Context
	sent        *lastQuery
	org, member string
	tag         string // in every address this run invites
}

func main() {
	base := os.Getenv("CLERK_INTEROP_URL")
	if base == "" {
		fmt.Fprintln(os.Stderr, "gosdk: set CLERK_INTEROP_URL to the API's base URL, e.g. http://127.0.0.1:8080/v1")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	config := &clerk.ClientConfig{}
	config.URL = clerk.String(base)
	config.Key = clerk.String(env("CLERK_SECRET_KEY", "sk_test_interop"))
	sent := &lastQuery{next: http.DefaultTransport}
	config.HTTPClient = &http.Client{Timeout: 20 * time.Second, Transport: sent}
	s := &suite{
		t:      &tally{suite: "clerk-sdk-go " + sdkVersion()},
		c:      organizationinvitation.NewClient(config),
		ctx:    ctx,
		sent:   sent,
		org:    env("CLERK_INTEROP_ORG", "org_interop"),
		member: env("CLERK_INTEROP_MEMBER", "member@example.com"),
		tag:    "go-" + strings.ToLower(rand.Text()[:6]),
	}
	s.run()
	os.Exit(s.t.summary())
}

// lastQuery is an http.RoundTripper that keeps the query of the last
// request it sent, to check how the SDK puts filters on the wire.
type lastQuery struct {
	next  http.RoundTripper
	mu    sync.Mutex
	query url.Values
}

func (l *lastQuery) RoundTrip(req *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.query = req.URL.Query()
	l.mu.Unlock()
	return l.next.RoundTrip(req)
}

func (l *lastQuery) last() url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.query
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func sdkVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/clerk/clerk-sdk-go/v2" {
				return m.Version
			}
		}
	}
	return "(unknown version)"
}

func (s *suite) addr(name string) string { return s.tag + "-" + name + "@example.com" }

// quote is v as a JSON text, for the want maps.
func quote(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

const day = int64(24 * time.Hour / time.Millisecond)

// run creates four invitations (one with every optional field), reads and
// revokes, lists with every filter, and meets each refusal.
func (s *suite) run() {
	public := json.RawMessage(`{"team":"core","seats":[1,2]}`)
	private := json.RawMessage(`{"note":"from the Go SDK"}`)
	inv, err := s.c.Create(s.ctx, &organizationinvitation.CreateParams{
		OrganizationID:  s.org,
		EmailAddress:    clerk.String(s.addr("a")),
		Role:            clerk.String("org:admin"),
		RedirectURL:     clerk.String("https://example.com/welcome"),
		InviterUserID:   clerk.String("user_interop"),
		PublicMetadata:  &public,
		PrivateMetadata: &private,
		ExpiresInDays:   clerk.Int64(7),
	})
	a := s.invitationChecks("create (all fields)", inv, err, map[string]string{
		"email_address": quote(s.addr("a")), "role": `"org:admin"`, "organization_id": quote(s.org),
		"status": `"pending"`, "inviter_id": `"user_interop"`,
		"public_metadata": string(public), "private_metadata": string(private),
	})
	if a != nil {
		s.t.equal("create (all fields): expires in 7 days", *inv.ExpiresAt-inv.CreatedAt, 7*day)
	}
	var ids []string // in creation order
	if a != nil {
		ids = append(ids, inv.ID)
	}
	for _, name := range []string{"b", "c", "d"} {
		inv, err := s.c.Create(s.ctx, &organizationinvitation.CreateParams{
			OrganizationID: s.org, EmailAddress: clerk.String(s.addr(name)), Role: clerk.String("org:member"),
		})
		obj := s.invitationChecks("create "+name+" (required fields)", inv, err, map[string]string{
			"email_address": quote(s.addr(name)), "inviter_id": "null", "public_inviter_data": "null",
			"public_metadata": "{}", "private_metadata": "{}",
		})
		if obj != nil {
			ids = append(ids, inv.ID)
		}
	}
	if len(ids) != 4 {
		s.t.check("the four invitations exist", false, "cannot go on")
		return
	}
	got, err := s.c.Get(s.ctx, &organizationinvitation.GetParams{OrganizationID: s.org, ID: ids[0]})
	if g := s.invitationChecks("get", got, err, nil); g != nil {
		s.t.check("get: the same invitation as create returned", sameJSON(got.Response.RawJSON, inv.Response.RawJSON), string(got.Response.RawJSON))
	}
	revoked, err := s.c.Revoke(s.ctx, &organizationinvitation.RevokeParams{
		OrganizationID: s.org, ID: ids[1], RequestingUserID: clerk.String("user_interop"),
	})
	s.invitationChecks("revoke", revoked, err, map[string]string{"id": quote(ids[1]), "status": `"revoked"`})

	s.lists(ids)
	s.instanceLists(ids)
	s.refusals(ids)
}
