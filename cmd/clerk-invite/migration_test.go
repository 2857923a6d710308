package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
)

// startClerkFake builds and starts the clerk-fake command, accepting only
// testKey, and returns its base URL.
func startClerkFake(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "clerk-fake")
	out, err := exec.Command("go", "build", "-o", bin, "../clerk-fake").CombinedOutput()
	require.NoError(t, err, "%s", out)
	cmd := exec.Command(bin, "--secret-key", testKey, "--request-log", "0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(line)
}

// migrationFile is a CSV file of orgs organizations of 1 to 500 people
// each, from a fixed seed, and one address in the first two. It returns
// the file and how many people it holds.
func migrationFile(t *testing.T, orgs int) (string, int) {
	rnd := rand.New(rand.NewPCG(27, 2026))
	var b strings.Builder
	b.WriteString("organization_id,email_address,role\n")
	n := 0
	for o := range orgs {
		for i := range 1 + rnd.IntN(500) {
			fmt.Fprintf(&b, "org_%04d,p%04d.%03d@example.com,org:member\n", o, o, i)
			n++
		}
	}
	b.WriteString("org_0000,shared@example.com,org:admin\norg_0001,Shared@Example.com,org:member\n")
	return writeFile(t, "migration.csv", b.String()), n + 2
}

// settled is how many people the journal holds settled, read as status
// reads it, or -1 while it cannot be read.
func settled(path string) int {
	j, err := bulkinvite.OpenJournalReadOnly(path)
	if err != nil {
		return -1
	}
	defer j.Close()
	counts, err := j.CountByOrganization(context.Background())
	if err != nil {
		return -1
	}
	n := 0
	for _, c := range counts {
		n += c.Counts.Settled()
	}
	return n
}

// killMidway starts cmd and kills it with SIGKILL once it has sent 1,500
// creates (bulk or single) through the proxy that counts them, some
// eight thousand people. It fails the test if the run ends first.
func killMidway(t *testing.T, cmd *exec.Cmd, creates *atomic.Int64) {
	_, stderr, done := start(t, cmd)
	from := creates.Load()
	waitFor(t, 3*time.Minute, "1,500 creates", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the run ended before the kill: %v\n%s", err, stderr)
		default:
		}
		return creates.Load() >= from+1500
	})
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL), "the run ended before the kill")
	<-done
}

// counted puts a proxy before base that counts the create and bulk create
// requests it passes on, and returns the proxy's base URL.
func counted(t *testing.T, base string, creates *atomic.Int64) string {
	u, err := url.Parse(base)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !strings.HasSuffix(r.URL.Path, "/revoke") {
			creates.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}

// A migration, as issue 27 tells it: 200 organizations of 1 to 500
// people, one address in two of them, sent to the built clerk-fake with
// no limits, and killed with SIGKILL three times along the way, each time
// started again with the same command. Afterwards every person holds
// exactly one invitation, in the right organization, and the journal and
// the server agree. Each run is killed once it has sent 1,500 creates more,
// whatever the speed of the machine.
func TestAMigrationKilledThreeTimes(t *testing.T) {
	var creates atomic.Int64
	base := counted(t, startClerkFake(t), &creates)
	csvPath, n := migrationFile(t, 200)
	journal := csvPath + journalSuffix
	args := []string{"--base-url", base, "send", "--csv", csvPath, "--limits", "none", "--no-notify", "--check-delay", "100ms"}
	inFlight := 0
	for i := range 3 {
		cmd := exec.Command(binary, args...)
		cmd.Env = append(environWithout(client.SecretKeyEnv), client.SecretKeyEnv+"="+testKey)
		killMidway(t, cmd, &creates)
		sent := 0
		for _, e := range loadJournal(t, journal) {
			if e.State == bulkinvite.StateSent {
				sent++
			}
		}
		inFlight += sent
		t.Logf("run %d killed with %d of %d settled, %d in flight", i+1, settled(journal), n, sent)
	}
	assert.Positive(t, inFlight, "the kills caught requests in flight")
	last := cli(t, nil, args...)
	require.Equal(t, 0, last.code, last)
	assert.Contains(t, last.stdout, "Summary for 200 organizations")

	c, err := client.New(client.WithSecretKey(testKey), client.WithBaseURL(base), client.WithoutRequestLimit(), client.WithPageConcurrency(16))
	require.NoError(t, err)
	held := map[string][]string{} // organization and address -> invitation ids
	for inv, err := range c.ListInstanceAll(t.Context(), client.ListInstanceParams{}) {
		require.NoError(t, err)
		k := inv.OrganizationID + " " + strings.ToLower(inv.EmailAddress)
		held[k] = append(held[k], inv.ID)
	}
	assert.Len(t, held, n, "one invitation per person")
	entries := loadJournal(t, journal)
	require.Len(t, entries, n)
	for _, e := range entries {
		ids := held[e.OrganizationID+" "+client.NormalEmail(e.Params.EmailAddress)]
		if assert.Len(t, ids, 1, "%s of %s", e.Params.EmailAddress, e.OrganizationID) {
			assert.Equal(t, ids[0], e.InvitationID, "the journal agrees")
		}
	}
	assert.Len(t, held["org_0000 shared@example.com"], 1)
	assert.Len(t, held["org_0001 shared@example.com"], 1)

	status := cli(t, nil, "status", "--journal", journal)
	require.Equal(t, 0, status.code, status)
	assert.Contains(t, status.stdout, fmt.Sprintf("Total, 200 organizations: %d people, %d settled, 0 unsettled\n", n, n))
}
