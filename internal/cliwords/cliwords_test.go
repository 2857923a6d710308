package cliwords

import (
	"bytes"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--delay", "soon"}, `--delay "soon" is not a duration, such as 5s, 90m or 1h30m`},
		{[]string{"--port", "eighty"}, `--port "eighty" is not a whole number`},
		{[]string{"--dry-run=maybe"}, `--dry-run "maybe" is not true or false`},
		{[]string{"--port"}, `--port needs a value: a whole number`},
		{[]string{"stray"}, `x takes flags only, and "stray" is not one (a flag starts with --)`},
		{[]string{"--unknown"}, `unknown flag: --unknown`},
	} {
		cmd := &cobra.Command{Use: "x", Args: NoArgs, RunE: func(*cobra.Command, []string) error { return nil },
			SilenceErrors: true, SilenceUsage: true}
		cmd.Flags().Duration("delay", time.Second, "")
		cmd.Flags().Int("port", 0, "")
		cmd.Flags().Bool("dry-run", false, "")
		cmd.SetFlagErrorFunc(Explain)
		cmd.SetArgs(tc.args)
		cmd.SetOut(new(bytes.Buffer))
		cmd.SetErr(new(bytes.Buffer))
		assert.EqualError(t, cmd.Execute(), tc.want, "%v", tc.args)
	}
}

func TestTheRule(t *testing.T) {
	for text, bad := range map[string]bool{
		"clerk-invite: --org \"bad org\" is not an organization id":                           false,
		"clerk-invite: bulkinvite: resend: alice@acme.test has no pending invitation":         true,
		"clerk-invite: clerk: ListOrganizationInvitations: no response":                       true,
		"no answer from 127.0.0.1:1: the connection was refused":                              false,
		`Get "http://127.0.0.1:1/v1/organizations": dial tcp 127.0.0.1:1: connection refused`: true,
		"set bulkinvite.Config.IdleTimeout":                                                   true,
		"credentials in the URL are not allowed; use WithSecretKey":                           true,
		"--seed x.json: json: unknown field \"nmae\"":                                         true,
		"--check-delay: time: invalid duration \"soon\"":                                      true,
		"Clerk answered 400 Bad Request: resource_not_found: There is no role org:boss.":      false,
		"see http://127.0.0.1:8099/v1 for the API":                                            false,
	} {
		assert.Equal(t, bad, len(Violations(text)) > 0, "%s: %v", text, Violations(text))
	}
	assert.Empty(t, Repeats("the run stopped. Run the same command again to go on"))
	assert.Equal(t, []string{"nothing was sent"},
		Repeats("no such host; nothing was sent: nothing was sent. Run the same command again"))
	assert.Equal(t, []string{"nothing was sent"}, Repeats("(x; nothing was sent), so nothing was sent"))
}
