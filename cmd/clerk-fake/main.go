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
// finish within --shutdown-timeout, and it exits 0. In a script, start it
// in the background and stop it by its process id:
//
//	clerk-fake --port 8099 &
//	...
//	kill $!
//
// Build it first (go build -o bin/ ./cmd/clerk-fake) rather than start it
// with go run: a signal to go run stops the go command, not the server.
//
// The flags are GNU-style long flags, as clerk-invite's: --port, not
// -port; --help lists them, --version prints the module's version and the
// commit it was built from.
//
// Exit codes: 0 after a clean stop (and for --help and --version), 1 when
// the state could not be saved, 2 on bad flags, a bad seed or state file,
// or a port it cannot take.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/internal/textsafe"
	"github.com/invitekit/clerkinvitations/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
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

// serve serves c until ctx ends and returns the exit code.
func serve(ctx context.Context, c config, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "clerk-fake: %s\n", textsafe.Terminal(fmt.Sprintf(format, a...)))
		return code
	}
	opts, err := c.options()
	if err != nil {
		return fail(exitBadInput, "%v", err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)))
	if err != nil {
		return fail(exitBadInput, "--port %d: %v", c.port, listenWords(err))
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
			return fail(exitBadInput, "--state %s: %v", c.state, err)
		}
		go sv.run(srv, func(err error) { fmt.Fprintf(stderr, "clerk-fake: %v\n", err) })
		if loaded {
			fmt.Fprintf(stderr, "clerk-fake: loaded the state from %s\n", c.state)
		}
	}
	fmt.Fprintln(stdout, srv.URL)
	fmt.Fprintf(stderr, "clerk-fake: serving the Backend API at %s and the admin API at %s/; Ctrl-C or SIGTERM stops it\n", srv.URL, srv.AdminURL())

	<-ctx.Done()
	fmt.Fprintln(stderr, "clerk-fake: stopping")
	return stopServing(srv, sv, c, stderr)
}

// stopServing shuts srv down, letting requests in progress finish within
// --shutdown-timeout, and saves the state a last time.
func stopServing(srv *fake.Server, sv *saver, c config, stderr io.Writer) int {
	shutdown, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "clerk-fake: requests still in progress after --shutdown-timeout %v were dropped\n", c.shutdownTimeout)
	}
	if sv == nil {
		return exitOK
	}
	if err := sv.close(); err != nil {
		fmt.Fprintf(stderr, "clerk-fake: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "clerk-fake: saved the state to %s\n", c.state)
	return exitOK
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
