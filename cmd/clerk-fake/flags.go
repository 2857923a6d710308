package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
	"github.com/invitekit/clerkinvitations/internal/version"
)

// The exit codes.
const (
	exitOK       = 0 // stopped cleanly (SIGINT or SIGTERM), or --help, --version
	exitFailed   = 1 // the state could not be saved at the end
	exitBadInput = 2 // bad flags, seed file, state file or port: nothing served
)

// config is the command line, parsed.
type config struct {
	port            int
	secretKey       string
	seed            seed
	rateLimits      string
	requestLog      int
	state           string
	shutdownTimeout time.Duration
	webhookURL      string
	webhookSecret   string
}

// flagValues are the flags as given, before they are checked.
type flagValues struct {
	config
	seedFile             string
	orgs, members, roles []string
}

// execute runs the command line args: it serves until ctx ends, and
// returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	code := exitOK
	var f flagValues
	root := rootCommand(&f, func(cmd *cobra.Command) error {
		c, err := f.check()
		if err != nil {
			return err
		}
		code = serve(cmd.Context(), c, stdout, stderr)
		return nil
	})
	if err := singleDash(root, args); err != nil {
		fmt.Fprintf(stderr, "clerk-fake: %s\n", textsafe.Terminal(err.Error()))
		return exitBadInput
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(stderr, "clerk-fake: %s\nRun 'clerk-fake --help' for usage.\n", textsafe.Terminal(err.Error()))
		return exitBadInput
	}
	return code
}

// rootCommand is clerk-fake's command line, in the style of clerk-invite's:
// GNU long flags (--port), help with --help, the version with --version.
func rootCommand(f *flagValues, serve func(*cobra.Command) error) *cobra.Command {
	root := &cobra.Command{
		Use:   "clerk-fake [flags]",
		Short: "Serve an in-memory Clerk on 127.0.0.1",
		Long: `clerk-fake serves an in-memory Clerk on 127.0.0.1: the organization
invitations of the Backend API under /v1, and an admin API under /_fake/
(GET /_fake/ lists its routes), for scripts, programs in any language and
people trying clerk-invite without an account or a network.

The first line of standard output is the base URL, alone, for a script to
read. Any bearer key that starts with sk_ is accepted, or only the one
--secret-key gives. SIGINT (Ctrl-C) or SIGTERM (kill PID) stops it: requests
in progress may finish within --shutdown-timeout, --state is saved, and it
exits 0.

Exit codes: 0 after a clean stop, 1 when the state could not be saved,
2 on bad flags, a bad seed or state file, or a port it cannot take.`,
		Example: `  clerk-fake --port 8099 --org org_demo=Demo --member org_demo=lin@example.com
  clerk-fake --port 0 --state fake-state.json &
  kill $!`,
		Version:       version.String("clerk-fake"),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cliwords.NoArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return serve(cmd) },
	}
	root.SetFlagErrorFunc(cliwords.Explain)
	root.SetVersionTemplate("{{.Version}}\n")
	root.CompletionOptions.DisableDefaultCmd = true
	fl := root.Flags()
	fl.SortFlags = false
	fl.IntVar(&f.port, "port", 0, "the `PORT` on 127.0.0.1 to serve on; 0 takes any free one")
	fl.StringVar(&f.secretKey, "secret-key", "", "accept only this bearer `KEY` (default: any key starting with sk_)")
	fl.StringVar(&f.seedFile, "seed", "", "a JSON `FILE` of organizations, members and roles to start with")
	fl.StringArrayVar(&f.orgs, "org", nil, "declare an organization, `ID` or ID=Name (repeatable)")
	fl.StringArrayVar(&f.members, "member", nil, "make an address a member, `ORG=ADDRESS` (repeatable)")
	fl.StringArrayVar(&f.roles, "role", nil, "add a role invitations may name, `KEY=Name` (repeatable)")
	fl.BoolVar(&f.seed.OnlyDeclared, "only-declared", false, "unknown organizations are 404 instead of created on first use")
	fl.StringVar(&f.rateLimits, "rate-limits", "off", "Clerk's rate `LIMITS`: off, production or development")
	fl.IntVar(&f.requestLog, "request-log", fake.DefaultRequestLog, "keep the last `N` requests for GET /_fake/requests")
	fl.StringVar(&f.state, "state", "", "load the state from this `FILE` at start-up and save it there after every change")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 5*time.Second, "how long (a `DURATION` such as 5s) requests in progress may take to finish on SIGINT or SIGTERM")
	fl.StringVar(&f.webhookURL, "webhook-url", "", "deliver organizationInvitation webhooks to this http(s) `URL` (see GET /_fake/webhooks)")
	fl.StringVar(&f.webhookSecret, "webhook-secret", "", "the whsec_ `SECRET` that signs the webhooks; required with --webhook-url")
	return root
}

// singleDash refuses a long flag written with one dash (-port), which
// clerk-fake took before it used GNU flags, and says how to write it now;
// pflag would read it as the short flags -p -o -r -t.
func singleDash(root *cobra.Command, args []string) error {
	for _, a := range args {
		if a == "--" {
			return nil
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && root.Flags().Lookup(name) != nil {
			return fmt.Errorf("%s: long flags take two dashes: write --%s", a, strings.TrimPrefix(a, "-"))
		}
	}
	return nil
}

// check checks the flags and reads the seed file; the error names the flag
// or the file at fault.
func (f *flagValues) check() (config, error) {
	c := f.config
	switch {
	case c.port < 0 || c.port > 65535:
		return config{}, fmt.Errorf("--port %d is not a port from 0 to 65535", c.port)
	case c.rateLimits != "off" && c.rateLimits != "production" && c.rateLimits != "development":
		return config{}, fmt.Errorf("--rate-limits %q is not off, production or development", c.rateLimits)
	case c.requestLog < 0:
		return config{}, fmt.Errorf("--request-log %d is negative", c.requestLog)
	case c.shutdownTimeout <= 0:
		return config{}, errors.New("--shutdown-timeout must be positive")
	case (c.webhookURL == "") != (c.webhookSecret == ""):
		return config{}, errors.New("--webhook-url and --webhook-secret go together")
	}
	var keyForm *client.KeyFormatError
	if _, err := client.New(client.WithSecretKey(c.secretKey)); c.secretKey != "" && errors.As(err, &keyForm) {
		return config{}, fmt.Errorf("--secret-key %s", keyForm.Reason) // the client's rule of what a secret key is
	}
	if c.webhookURL != "" {
		if err := checkWebhook(c.webhookURL, c.webhookSecret); err != nil {
			return config{}, err
		}
	}
	if f.seedFile != "" {
		data, err := os.ReadFile(f.seedFile)
		if err != nil {
			return config{}, fmt.Errorf("--seed %s: %w", f.seedFile, cliwords.Cause(err))
		}
		onlyDeclared := c.seed.OnlyDeclared
		if c.seed, err = parseSeed(data); err != nil {
			return config{}, fmt.Errorf("--seed %s: %s", f.seedFile, jsonWords(err))
		}
		c.seed.OnlyDeclared = c.seed.OnlyDeclared || onlyDeclared
	}
	if err := c.seed.addFlags(f.orgs, f.members, f.roles); err != nil {
		return config{}, err
	}
	return c, nil
}

// jsonWords says what is wrong with a JSON file, without the decoder's
// package name.
func jsonWords(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("%s holds a JSON %s where it needs %s", typ.Field, typ.Value, kindWords(typ.Type.Kind()))
	case errors.As(err, &typ):
		return fmt.Sprintf("the file holds a JSON %s where it needs %s", typ.Value, kindWords(typ.Type.Kind()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// kindWords names a kind of Go value as the JSON that fills it.
func kindWords(k reflect.Kind) string {
	switch k {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// listenWords says why the port could not be taken.
func listenWords(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return "another program uses this port; pick another, or --port 0 for any free one"
	case errors.Is(err, syscall.EACCES):
		return "permission denied: ports below 1024 need privileges; pick a port above 1023"
	}
	return err.Error()
}
