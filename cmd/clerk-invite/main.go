// Command clerk-invite invites people to a Clerk organization from a CSV
// file, each exactly once, and lists, revokes and resends organization
// invitations. It is built on package bulkinvite: a run keeps a journal, so
// a run that is stopped, even by SIGKILL, goes on where it was when the
// same command is run again.
//
//	export CLERK_SECRET_KEY=sk_live_...
//	clerk-invite send --org org_123 --csv people.csv --notify
//	clerk-invite status --journal people.csv.journal.db
//
// The secret key comes from CLERK_SECRET_KEY only, never from a flag, so
// that it stays out of shell histories and process lists.
//
// Exit codes: 0 when everyone was invited or was already there (or a
// command other than send did all it was asked), 1 on failures, on anyone
// left unsettled, or when a run stopped early, 2 on bad input (flags, the
// CSV file, the environment) before anything was sent.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once; the journal survives that too
	}()
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
