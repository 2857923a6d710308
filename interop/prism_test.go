package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// TestPrism puts Prism, validating every request and response against
// api/openapi.yaml, between this project's client and the fake, and drives
// the client through all seven operations, error paths included. Prism
// runs without --errors, so the client gets the fake's own responses, each
// with Prism's verdict in its sl-violations header; Prism also logs every
// violation. Both must show none. A request that Prism did not see, or a
// verdict that cannot be read, fails the test too, and at the end one bad
// request and one bad response prove that both detectors work in this run.
func TestPrism(t *testing.T) {
	dir := jsDir(t)
	srv := fake.NewServer(fake.WithSecretKey(interopKey), fake.WithMember(interopOrg, interopMember))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	p := startPrism(t, ctx, dir, srv.URL)

	// Every request on a connection of its own: Go's transport sends a GET
	// again, unseen by rec, when a reused connection turns out closed (Node
	// closes idle ones after 5 s), and Prism and the fake would then count
	// one request more than the client sent.
	direct := http.DefaultTransport.(*http.Transport).Clone()
	direct.DisableKeepAlives = true
	rec := &verdicts{next: direct}
	hc := &http.Client{Transport: rec}
	c, err := client.New(client.WithBaseURL(p.url), client.WithSecretKey(interopKey),
		client.WithHTTPClient(hc), client.WithoutRequestLimit(), client.WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	drive(t, ctx, c, p.url)

	seen := rec.all()
	if len(seen) == 0 {
		t.Fatal("no request reached Prism")
	}
	for _, v := range seen {
		switch {
		case v.err != "":
			t.Errorf("%s %s: Prism's verdict cannot be read: %s", v.method, v.path, v.err)
		case !v.viaPrism:
			t.Errorf("%s %s: the response lacks Prism's headers: it did not come through Prism", v.method, v.path)
		}
		for _, viol := range v.violations {
			t.Errorf("%s %s -> %d: %s violation at %s: %s", v.method, v.path, v.status, viol.side(), strings.Join(viol.Location, "."), viol.Message)
		}
	}
	// Prism writes its log as it goes: wait (bounded) until it has logged
	// every request the client sent, so that a busy machine cannot make the
	// count below come up short.
	log := p.out.String()
	for deadline := time.Now().Add(30 * time.Second); strings.Count(log, "Request received") < len(seen) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		log = p.out.String()
	}
	if n := len(srv.Requests()); n != len(seen) {
		t.Errorf("the fake received %d requests, the client sent %d through Prism", n, len(seen))
	}
	if n := strings.Count(log, "Request received"); n != len(seen) {
		t.Errorf("Prism logged %d requests, the client sent %d", n, len(seen))
	}
	req, resp := logViolations(log)
	if req+resp > 0 {
		t.Errorf("Prism logged %d request and %d response violations:\n%s", req, resp, violationLines(log))
	}
	t.Logf("Prism %s: %d requests through all seven operations: %d request and %d response violations in the headers, %d and %d in the log",
		p.version, len(seen), countSide(seen, "request"), countSide(seen, "response"), req, resp)
	canaries(t, ctx, srv, p, req, resp)
}

// prism is a running Prism proxy: its base URL and its output.
type prism struct {
	url, version string
	out          *output
}

// startPrism starts `prism proxy` for api/openapi.yaml in front of
// upstream on a free port of 127.0.0.1 and waits until it listens. It is
// killed, with its process group, when the test ends.
func startPrism(t *testing.T, ctx context.Context, dir, upstream string) *prism {
	t.Helper()
	spec, err := filepath.Abs(filepath.Join("..", "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	out := &output{}
	cmd := command(t, ctx, dir, nil, filepath.Join(dir, "node_modules", ".bin", "prism"),
		"proxy", spec, upstream, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--errors=false")
	cmd.Env = append(cmd.Environ(), "NO_COLOR=1", "FORCE_COLOR=0")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Cancel()
		<-exited
	})
	if err := waitFor(ctx, out, regexp.MustCompile(`Prism is listening on`), exited); err != nil {
		t.Fatalf("Prism did not start: %v\n%s", err, out)
	}
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(dir, "node_modules", "@stoplight", "prism-cli", "package.json")); err == nil {
		_ = json.Unmarshal(b, &pkg)
	}
	return &prism{url: fmt.Sprintf("http://127.0.0.1:%d", port), version: pkg.Version, out: out}
}

// violation is one entry of Prism's sl-violations header.
type violation struct {
	Location []string `json:"location"`
	Severity string   `json:"severity"`
	Code     any      `json:"code"`
	Message  string   `json:"message"`
}

// side is "request" or "response", as the location's first element says.
func (v violation) side() string {
	if len(v.Location) > 0 {
		return v.Location[0]
	}
	return "unplaced"
}

// verdict is what one response through Prism says.
type verdict struct {
	method, path string
	status       int
	viaPrism     bool // Prism's own headers are there
	violations   []violation
	err          string // the header could not be read
}

// verdicts is an http.RoundTripper that records Prism's verdict on each
// response. It sends each request once, as it is.
type verdicts struct {
	next http.RoundTripper
	mu   sync.Mutex
	list []verdict
}

func (r *verdicts) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	v := readVerdict(resp.Header)
	v.method, v.path, v.status = req.Method, req.URL.RequestURI(), resp.StatusCode
	r.mu.Lock()
	r.list = append(r.list, v)
	r.mu.Unlock()
	return resp, nil
}

func (r *verdicts) all() []verdict {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]verdict(nil), r.list...)
}

// readVerdict reads Prism's headers: sl-violations, a JSON array, absent
// when there is no violation. Prism marks every response it proxies with
// its CORS headers, which tell its responses from anyone else's.
func readVerdict(h http.Header) verdict {
	v := verdict{viaPrism: h.Get("Access-Control-Expose-Headers") != ""}
	values := h.Values("sl-violations")
	for _, raw := range values {
		var list []violation
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			v.err = fmt.Sprintf("sl-violations %q: %v", raw, err)
			continue
		}
		for _, viol := range list {
			if viol.side() != "request" && viol.side() != "response" {
				v.err = fmt.Sprintf("sl-violations %q: a violation without a side", raw)
			}
		}
		v.violations = append(v.violations, list...)
	}
	return v
}

func countSide(vs []verdict, side string) int {
	n := 0
	for _, v := range vs {
		for _, viol := range v.violations {
			if viol.side() == side {
				n++
			}
		}
	}
	return n
}

var (
	ansi          = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	violationLine = regexp.MustCompile(`(?m)Violation: (request|response)\b.*$`)
)

// logViolations counts the request and response violations in Prism's log.
func logViolations(log string) (request, response int) {
	for _, m := range violationLine.FindAllStringSubmatch(ansi.ReplaceAllString(log, ""), -1) {
		if m[1] == "request" {
			request++
		} else {
			response++
		}
	}
	return request, response
}

func violationLines(log string) string {
	return strings.Join(violationLine.FindAllString(ansi.ReplaceAllString(log, ""), -1), "\n")
}
