package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// The key never shows in what the tool prints, even when the server
// echoes it back in its headers and body, raw and escaped: not in the
// progress lines, the summary, a failure's reason kept in the journal and
// shown by status, or an error (the helper cli checks every run's
// output).
func TestKeyNeverPrinted(t *testing.T) {
	srv := newFake(t)
	echo500 := fake.Fault{Status: http.StatusInternalServerError, EchoKey: true}
	echo400 := fake.Fault{Status: http.StatusBadRequest, EchoKey: true} // not retried: quick

	srv.InjectFault(fake.OpBulkCreate, 1, echo500)
	srv.InjectFault(fake.OpCreate, 1, echo500)
	csvPath := writeFile(t, "people.csv", peopleCSV(30))
	r := cli(t, srv, "send", "--org", org, "--csv", csvPath, "--limits", "none", "--no-notify", "--check-delay", "50ms")
	assert.Equal(t, 0, r.code, r)
	assertOncePerPerson(t, srv, 30)

	srv.InjectFault(fake.OpBulkCreate, 1, echo400)
	srv.InjectFault(fake.OpCreate, 1, echo400)
	one := writeFile(t, "one.csv", "email_address\nzed@example.com\n")
	r = cli(t, srv, "send", "--org", org, "--csv", one, "--limits", "none", "--no-notify")
	assert.Equal(t, 1, r.code, r)
	assert.Regexp(t, `zed@example.com \(line 2\): 400 Bad Request: .*You sent \[REDACTED\]\.`, r.stdout,
		"the echo was there, and scrubbed")
	r = cli(t, nil, "status", "--journal", one+journalSuffix)
	assert.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stdout, "[REDACTED]")

	srv.InjectFault(fake.OpList, 1, echo400)
	r = cli(t, srv, "list", "--org", org)
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "400 Bad Request")
	assert.Contains(t, r.stderr, "[REDACTED]")

	wrong := command(srv, "list", "--org", org)
	wrong.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"=sk_test_aWrongKeyThatIsAlsoSecret0000")
	r = finish(t, wrong)
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "401")
	assert.NotContains(t, r.stdout+r.stderr, "aWrongKeyThatIsAlsoSecret")
}

// Exit code 2, and nothing sent, for every kind of bad input.
func TestBadInputExitsTwo(t *testing.T) {
	srv := newFake(t)
	csvPath := writeFile(t, "people.csv", peopleCSV(2))
	for name, args := range map[string][]string{
		"no command":                   {},
		"unknown command":              {"invite"},
		"unknown flag":                 {"send", "--org", org, "--csv", csvPath, "--fast"},
		"no org":                       {"send", "--csv", csvPath},
		"no csv":                       {"send", "--org", org},
		"stray argument":               {"send", "--org", org, "--csv", csvPath, "extra"},
		"bad limits":                   {"send", "--org", org, "--csv", csvPath, "--limits", "fast"},
		"missing csv":                  {"send", "--org", org, "--csv", csvPath + ".missing", "--no-notify"},
		"key as a flag":                {"send", "--org", org, "--csv", csvPath, "--secret-key", testKey},
		"no journal flag":              {"status"},
		"no email":                     {"resend", "--org", org},
		"empty org":                    {"send", "--org", "", "--csv", csvPath},
		"org ..":                       {"list", "--org", ".."},
		"org with a space":             {"list", "--org", "bad org"},
		"org with a slash":             {"send", "--org", "org_1/x", "--csv", csvPath},
		"empty org, revoke":            {"revoke", "--org", "", "--older-than", "7d"},
		"bad email":                    {"resend", "--org", org, "--email", "nobody"},
		"blank role":                   {"send", "--org", org, "--csv", csvPath, "--role", "   ", "--no-notify"},
		"neither notify nor no-notify": {"send", "--org", org, "--csv", csvPath},
		"notify and no-notify":         {"send", "--org", org, "--csv", csvPath, "--notify", "--no-notify"},
	} {
		t.Run(name, func(t *testing.T) {
			r := cli(t, srv, args...)
			assert.Equal(t, 2, r.code, r)
		})
	}
	t.Run("no key", func(t *testing.T) {
		cmd := command(srv, "send", "--org", org, "--csv", csvPath, "--no-notify")
		cmd.Env = environWithout(client.SecretKeyEnv)
		r := finish(t, cmd)
		assert.Equal(t, 2, r.code, r)
		assert.Contains(t, r.stderr, client.SecretKeyEnv)
	})
	t.Run("plain http to another host", func(t *testing.T) {
		r := cli(t, nil, "--base-url", "http://api.example.com/v1", "list", "--org", org)
		assert.Equal(t, 2, r.code, r)
		assert.Contains(t, r.stderr, "plain http is only allowed to loopback")
	})
	assert.Empty(t, srv.Requests(), "bad input sends nothing")
	assert.NoFileExists(t, csvPath+journalSuffix)
}
