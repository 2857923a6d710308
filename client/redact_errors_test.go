package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

// nestedUnder is a list body whose syntax error lies under a member named
// by the key, depth objects deep, so that the JSON pointer to the error
// passes the 100 bytes the decoder's message shows of it.
func nestedUnder(name string, depth int) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[{"public_metadata":{"` + name + `":`)
	for i := range depth {
		fmt.Fprintf(&b, `{"level%02d":`, i)
	}
	b.WriteString(`{"x": 1 2}`) // the syntax error: a value where a comma belongs
	b.WriteString(strings.Repeat("}", depth) + `}}], "total_count": 1}`)
	return []byte(b.String())
}

// The key as a member name deep in a broken list body: the decoder's
// error keeps the whole JSON pointer, key included, but nothing the
// caller can reach shows it: not the message, not json.Marshal, not the
// SyntacticError errors.As finds (which is still there, scrubbed).
func TestKeyInALongJSONPathIsNotReachable(t *testing.T) {
	for _, depth := range []int{0, 3, 12} {
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			body := nestedUnder(hostileKey, depth)
			c, err := client.New(client.WithSecretKey(hostileKey), client.WithoutRetries(),
				client.WithHTTPClient(staticDoer{200, http.Header{"Content-Type": {"application/json"}}, body}))
			require.NoError(t, err)
			_, err = c.List(context.Background(), "org_1", client.ListParams{})
			var decErr *client.DecodeError
			require.ErrorAs(t, err, &decErr)
			assertKeyNeverPrinted(t, err, hostileKey)
			var syntax *jsontext.SyntacticError
			require.ErrorAs(t, err, &syntax, "the decoder's error is still there to match on")
			assert.NotContains(t, string(syntax.JSONPointer), hostileKey[:16])
			assert.Contains(t, string(syntax.JSONPointer), "/public_metadata/[REDACTED]")
			b, mErr := json.Marshal(err)
			require.NoError(t, mErr)
			assert.NotContains(t, string(b), hostileKey[:16])
		})
	}
}

// keyDoer fails every request with a transport error that holds the key
// in the fields of errors of other packages (the host of a dial, the name
// of a lookup) beneath a wrapping error of no known type.
type keyDoer struct{}

func (keyDoer) Do(r *http.Request) (*http.Response, error) {
	host := strings.ToLower(hostileKey) + ".example"
	return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: fmt.Errorf("proxy %s: %w", host, &net.OpError{
		Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1, Zone: hostileKey},
		Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true, UnwrapErr: errors.New("lookup " + host)},
	})}
}

// A transport error whose net.OpError and net.DNSError hold the key in
// their fields reaches the caller as the same types, scrubbed.
func TestKeyInANetErrorIsNotReachable(t *testing.T) {
	c, err := client.New(client.WithSecretKey(hostileKey), client.WithoutRetries(), client.WithHTTPClient(keyDoer{}))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	var reqErr *client.RequestError
	require.ErrorAs(t, err, &reqErr)
	assertKeyNeverPrinted(t, err, hostileKey)
	var dnsErr *net.DNSError
	require.ErrorAs(t, err, &dnsErr, "still a DNSError to match on")
	assert.True(t, dnsErr.IsNotFound)
	var opErr *net.OpError
	require.ErrorAs(t, err, &opErr)
	assert.NotContains(t, strings.ToLower(opErr.Addr.String()), strings.ToLower(hostileKey[:16]))
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, strings.ToLower(fmt.Sprintf("%+v", e)), strings.ToLower(hostileKey[:16]), "%T", e)
	}
}
