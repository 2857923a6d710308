package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
	"github.com/invitekit/clerkinvitations/internal/version"
)

// The exit codes.
const (
	exitOK       = 0 // everyone invited or already there; the command did all it was asked
	exitFailed   = 1 // failures, people left unsettled, a run stopped early, an error of the API
	exitBadInput = 2 // bad flags, CSV or environment: nothing was sent
)

// exitError ends a command with an exit code. Its error, when not nil, is
// printed on stderr; a command that has said everything already leaves it
// nil.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit code %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// badInput is an error for input that is refused before anything is sent.
func badInput(format string, args ...any) error {
	return &exitError{code: exitBadInput, err: fmt.Errorf(format, args...)}
}

// exitWith ends a command with code and nothing more to say.
func exitWith(code int) error { return &exitError{code: code} }

// app is what the commands share: where they write, and the global flags.
type app struct {
	stdout, stderr io.Writer
	baseURL        string
}

// execute runs the command line args and returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Cobra's own errors: a flag or an argument it could not parse, a
		// required flag missing, an unknown command.
		printf(stderr, "clerk-invite: %s\nRun 'clerk-invite --help' for usage.\n", err)
		return exitBadInput
	}
	if ee.err != nil {
		printf(stderr, "clerk-invite: %s\n", say(ee.err))
	}
	return ee.code
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "clerk-invite",
		Short: "Invite people to a Clerk organization, each exactly once",
		Long: `clerk-invite invites people to a Clerk organization from a CSV file, each
exactly once, paced to Clerk's rate limits, and lists, revokes and resends
organization invitations.

The secret key is read from CLERK_SECRET_KEY. A run keeps a journal: run
the same send command again after a crash or Ctrl-C and it goes on where it
was, sending nobody twice.

Exit codes: 0 everyone invited or already there, 1 failures or people left
unsettled or an error, 2 bad input (nothing sent).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_ = cmd.Usage()
			return badInput("name a command; clerk-invite --help lists them")
		},
	}
	root.Version = version.String("clerk-invite")
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().StringVar(&a.baseURL, "base-url", "",
		"the API's base URL (default "+client.DefaultBaseURL+"); plain http only to loopback")
	root.AddCommand(a.sendCommand(), a.statusCommand(), a.listCommand(), a.revokeCommand(), a.resendCommand(), a.versionCommand())
	root.SetFlagErrorFunc(cliwords.Explain)
	return root
}

// unknownCommand refuses a word that names no command, and lists them.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return fmt.Errorf("%q is not a command; the commands are %s", args[0], strings.Join(names, ", "))
}

// versionCommand prints what --version prints: the module's version and
// the commit the binary was built from.
func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit this binary was built from",
		Args:  cliwords.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(a.stdout, cmd.Root().Version)
		},
	}
}

// run adapts a command's function for cobra: an error that does not carry
// an exit code of its own is a failure (1), so that only cobra's parsing
// errors, and those a command marks, are bad input (2).
func run(f func(cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		err := f(cmd)
		var ee *exitError
		if err != nil && !errors.As(err, &ee) {
			return &exitError{code: exitFailed, err: err}
		}
		return err
	}
}

// newClient builds the client for the API at --base-url, with the key from
// CLERK_SECRET_KEY. A missing or malformed key, or a refused base URL, is
// bad input, said in the tool's terms (the flag, the variable): nothing is
// sent.
func (a *app) newClient(opts ...client.Option) (*client.Client, error) {
	key := os.Getenv(client.SecretKeyEnv)
	if key == "" {
		return nil, badInput("%s is not set: export %s=sk_live_... (the key is read from the environment only, never from a flag)",
			client.SecretKeyEnv, client.SecretKeyEnv)
	}
	base := []client.Option{client.WithSecretKey(key), client.WithUserAgentSuffix("clerk-invite")}
	if a.baseURL != "" {
		base = append(base, client.WithBaseURL(a.baseURL))
	}
	c, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, badInput("%s", say(err))
	}
	return c, nil
}

// required marks flags a command cannot go without; cobra refuses the
// command line before the command runs (exit 2).
func required(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		if err := cmd.MarkFlagRequired(n); err != nil {
			panic(err) // a flag of that name was never defined: a bug here
		}
	}
}

// checkTarget refuses, as bad input, an --org (and an --email, when not
// empty) that the client would refuse to send, by the client's own rules
// for an invitation to that organization.
func checkTarget(org, email string) error {
	probe := client.CreateParams{EmailAddress: "someone@example.com", Role: "org:member"}
	if email != "" {
		probe.EmailAddress = email
	}
	var v *client.ValidationError
	if err := client.ValidateCreate(org, probe); errors.As(err, &v) {
		if v.Field != "organization_id" {
			return badInput("--email %s", v.Reason) // the address rule's reasons start with the address
		}
		return badInput("--org %s %s", textsafe.Quote(org, quoteBytes), v.Reason)
	}
	return nil
}
