// Command clerk-fake serves an in-memory Clerk on 127.0.0.1: the seven
// organization-invitation operations of the Backend API, as package fake
// serves them to Go tests, for programs in any language, scripts and
// people trying clerk-invite without an account or a network.
//
//	clerk-fake --port 8099 --org org_demo=Demo --member org_demo=lin@example.com
//
// The first line of stdout is the base URL to give a client, alone, e.g.
// http://127.0.0.1:8099/v1, so a script can read it (--port 0, the
// default, takes any free port). Any bearer key that starts with sk_ is
// accepted, or only the one --secret-key gives.
//
// An admin API under /_fake/ (GET /_fake/ lists its routes) injects
// faults, turns rate limits on and off, accepts an invitation as the
// invited person would or lets it expire, returns the recorded requests
// and emails, and resets the state; see fake.WithAdmin.
//
// With --state FILE the state is loaded from FILE at start-up, if it
// exists, and written to it (mode 0600, atomically) after every change and
// at exit, so a run of clerk-invite can be resumed against a restarted
// fake. SIGINT or SIGTERM stop it gracefully: requests in progress may
// finish within --shutdown-timeout.
//
// Exit codes: 0 after a clean stop, 1 when the state could not be saved
// or the server failed, 2 on bad flags, seed file or state file.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

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

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseFlags reads the command line; the error says which flag is wrong.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("clerk-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var seedFile string
	var orgs, members, roles listFlag
	fs.IntVar(&c.port, "port", 0, "the port on 127.0.0.1 to serve on; 0 takes any free one")
	fs.StringVar(&c.secretKey, "secret-key", "", "accept only this bearer key (default: any key starting with sk_)")
	fs.StringVar(&seedFile, "seed", "", "a JSON file of organizations, members and roles to start with")
	fs.Var(&orgs, "org", "declare an organization, `ID` or ID=Name (repeatable)")
	fs.Var(&members, "member", "make an address a member, `ORG=ADDRESS` (repeatable)")
	fs.Var(&roles, "role", "add a role invitations may name, `KEY=Name` (repeatable)")
	fs.BoolVar(&c.seed.OnlyDeclared, "only-declared", false, "unknown organizations are 404 instead of created on first use")
	fs.StringVar(&c.rateLimits, "rate-limits", "off", "Clerk's rate limits: off, production or development")
	fs.IntVar(&c.requestLog, "request-log", fake.DefaultRequestLog, "how many of the last requests to keep for GET /_fake/requests")
	fs.StringVar(&c.state, "state", "", "load the state from this file at start-up and save it there after every change")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 5*time.Second, "how long requests in progress may take to finish on SIGINT or SIGTERM")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "deliver organizationInvitation webhooks to this http(s) URL (see GET /_fake/webhooks)")
	fs.StringVar(&c.webhookSecret, "webhook-secret", "", "the whsec_ secret that signs the webhooks; required with --webhook-url")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	switch {
	case fs.NArg() > 0:
		return config{}, fmt.Errorf("unexpected argument %q; clerk-fake takes flags only", fs.Arg(0))
	case c.port < 0 || c.port > 65535:
		return config{}, fmt.Errorf("--port %d is not a port from 0 to 65535", c.port)
	case c.secretKey != "" && !strings.HasPrefix(c.secretKey, "sk_"):
		return config{}, fmt.Errorf("--secret-key must start with sk_, as Clerk's secret keys do")
	case c.rateLimits != "off" && c.rateLimits != "production" && c.rateLimits != "development":
		return config{}, fmt.Errorf("--rate-limits %q is not off, production or development", c.rateLimits)
	case c.requestLog < 0:
		return config{}, fmt.Errorf("--request-log %d is negative", c.requestLog)
	case c.shutdownTimeout <= 0:
		return config{}, fmt.Errorf("--shutdown-timeout must be positive")
	case (c.webhookURL == "") != (c.webhookSecret == ""):
		return config{}, fmt.Errorf("--webhook-url and --webhook-secret go together")
	}
	if c.webhookURL != "" {
		if err := checkWebhook(c.webhookURL, c.webhookSecret); err != nil {
			return config{}, err
		}
	}
	if seedFile != "" {
		data, err := os.ReadFile(seedFile)
		if err != nil {
			return config{}, fmt.Errorf("--seed: %w", err)
		}
		onlyDeclared := c.seed.OnlyDeclared
		if c.seed, err = parseSeed(data); err != nil {
			return config{}, fmt.Errorf("--seed %s: %w", seedFile, err)
		}
		c.seed.OnlyDeclared = c.seed.OnlyDeclared || onlyDeclared
	}
	if err := c.seed.addFlags(orgs, members, roles); err != nil {
		return config{}, err
	}
	return c, nil
}

// options are the fake's options for a configuration.
func (c config) options() ([]fake.Option, error) {
	opts, err := c.seed.options()
	if err != nil {
		return nil, fmt.Errorf("the seed: %w", err)
	}
	opts = append(opts, fake.WithAdmin(), fake.WithRequestLog(c.requestLog))
	if c.secretKey != "" {
		opts = append(opts, fake.WithSecretKey(c.secretKey))
	}
	if c.rateLimits != "off" {
		opts = append(opts, fake.WithClerkRateLimits(c.rateLimits == "development"))
	}
	if c.webhookURL != "" {
		opts = append(opts, fake.WithWebhook(c.webhookURL, c.webhookSecret))
	}
	return opts, nil
}

// run serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "clerk-fake: "+format+"\n", a...)
		return code
	}
	c, err := parseFlags(args, stderr)
	if err == flag.ErrHelp {
		return 0
	}
	if err != nil {
		return fail(2, "%v", err)
	}
	opts, err := c.options()
	if err != nil {
		return fail(2, "%v", err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)))
	if err != nil {
		return fail(2, "--port %d: %v", c.port, err)
	}
	var sv *saver
	if c.state != "" {
		sv = newSaver(c.state)
		opts = append(opts, fake.WithOnChange(sv.changed))
	}
	srv := fake.NewServer(append(opts, fake.WithListener(ln))...)
	defer srv.Close()
	if sv != nil {
		loaded, err := load(srv, c.state)
		if err != nil {
			return fail(2, "--state: %v", err)
		}
		go sv.run(srv, func(err error) { fmt.Fprintf(stderr, "clerk-fake: %v\n", err) })
		if loaded {
			fmt.Fprintf(stderr, "clerk-fake: loaded the state from %s\n", c.state)
		}
	}
	fmt.Fprintln(stdout, srv.URL)
	fmt.Fprintf(stderr, "clerk-fake: serving the Backend API at %s and the admin API at %s/; Ctrl-C stops it\n", srv.URL, srv.AdminURL())

	<-ctx.Done()
	fmt.Fprintln(stderr, "clerk-fake: stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	code := 0
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "clerk-fake: requests still in progress after --shutdown-timeout %v were dropped\n", c.shutdownTimeout)
	}
	if sv != nil {
		if err := sv.close(); err != nil {
			code = fail(1, "%v", err)
		} else {
			fmt.Fprintf(stderr, "clerk-fake: saved the state to %s\n", c.state)
		}
	}
	return code
}

// checkWebhook refuses a webhook URL that is not absolute http(s), and a
// secret that package webhook cannot sign with; the secret itself is never
// echoed.
func checkWebhook(rawURL, secret string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--webhook-url %q is not an http or https URL", rawURL)
	}
	if _, err := webhook.NewVerifier(secret); err != nil {
		return fmt.Errorf("--webhook-secret: not a whsec_ secret (whsec_ and base64)")
	}
	return nil
}
