package bulkinvite

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
)

// The outcome decision, row by row: what a run does with the people of a
// create (one person) and of a bulk create (ten) for every kind of reply.
func TestCreateDecisionTable(t *testing.T) {
	named := []string{"Ada@Example.com", "lin@example.com"}
	byName := map[string]bool{"ada@example.com": true, "lin@example.com": true}
	key := decision{verdict: vStop, why: "the API refused the key: ", event: "the key was refused"}
	rows := []struct {
		name        string
		rep         reply
		single, ten decision
	}{
		{"created", reply{ok: true}, decision{verdict: vCreated}, decision{verdict: vCreated}},
		{"429 with Retry-After", reply{rateLimited: true, retryAfter: 2 * time.Hour},
			decision{verdict: vPause, wait: 2 * time.Hour}, decision{verdict: vPause, wait: 2 * time.Hour}},
		{"429 without", reply{rateLimited: true}, decision{verdict: vPause}, decision{verdict: vPause}},
		{"429 with a negative Retry-After", reply{rateLimited: true, retryAfter: -time.Second}, decision{verdict: vPause}, decision{verdict: vPause}},
		{"already invited, named", reply{alreadyInvited: true, named: named},
			decision{verdict: vThere}, decision{verdict: vThere, named: byName}},
		{"already invited, nobody named", reply{alreadyInvited: true},
			decision{verdict: vThere}, decision{verdict: vAlone}},
		{"already a member", reply{alreadyMember: true, named: named},
			decision{verdict: vThere, member: true}, decision{verdict: vThere, member: true, named: byName}},
		{"already a member, nobody named", reply{alreadyMember: true},
			decision{verdict: vThere, member: true}, decision{verdict: vAlone}},
		{"outcome unknown", reply{unknown: true}, decision{verdict: vCheck}, decision{verdict: vCheck}},
		{"outcome unknown, no response", reply{unknown: true, notSent: true}, decision{verdict: vCheck}, decision{verdict: vCheck}},
		{"rate limited before unknown", reply{rateLimited: true, unknown: true}, decision{verdict: vPause}, decision{verdict: vPause}},
		{"401", reply{unauthorized: true}, key, key},
		{"not sent", reply{notSent: true}, decision{verdict: vBackoff}, decision{verdict: vBackoff}},
		{"no key", reply{noKey: true}, decision{verdict: vStop, event: "no key"}, decision{verdict: vStop, event: "no key"}},
		{"another refusal", reply{}, decision{verdict: vFail}, decision{verdict: vAlone}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			assert.Equal(t, row.single, decideCreate(row.rep, 1), "create")
			assert.Equal(t, row.ten, decideCreate(row.rep, 10), "bulk create of ten")
		})
	}
}

// readReply reads the errors the client returns.
func TestReadReply(t *testing.T) {
	apiErr := func(status int, code string) error {
		e := &client.APIError{StatusCode: status, RetryAfter: time.Minute}
		if code != "" {
			e.Errors = []client.ClerkError{{Code: code}}
		}
		return e
	}
	for name, tc := range map[string]struct {
		err  error
		want reply
	}{
		"success":         {nil, reply{ok: true}},
		"429":             {apiErr(http.StatusTooManyRequests, ""), reply{rateLimited: true, retryAfter: time.Minute}},
		"401":             {apiErr(http.StatusUnauthorized, ""), reply{unauthorized: true, retryAfter: time.Minute}},
		"already invited": {apiErr(http.StatusBadRequest, client.CodeInvitationNotUnique), reply{alreadyInvited: true, retryAfter: time.Minute}},
		"a member":        {apiErr(http.StatusBadRequest, client.CodeAlreadyMember), reply{alreadyMember: true, retryAfter: time.Minute}},
		"not sent":        {&client.RequestError{Err: errors.New("refused")}, reply{notSent: true}},
		"no key":          {&client.KeyError{}, reply{noKey: true}},
		"another":         {errors.New("bad input"), reply{}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, readReply(tc.err))
		})
	}
}
