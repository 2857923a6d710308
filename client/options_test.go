package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
)

func TestNewReadsTheKeyFromTheEnvironment(t *testing.T) {
	t.Setenv(client.SecretKeyEnv, "")
	_, err := client.New()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CLERK_SECRET_KEY")
	assert.Contains(t, err.Error(), "WithSecretKey")

	t.Setenv(client.SecretKeyEnv, "sk_test bad")
	_, err = client.New()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sk_test", "the message describes the key without quoting it")

	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	t.Setenv(client.SecretKeyEnv, "sk_test_from_env")
	c, err := client.New(client.WithBaseURL(rec.srv.URL))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	require.NoError(t, err)
	assert.Equal(t, "Bearer sk_test_from_env", rec.requests()[0].Header.Get("Authorization"))
	assert.Equal(t, "/organizations/org_1/invitations/orginv_1", rec.requests()[0].Path, "a base URL without a path")
}

func TestNewRejectsBadOptions(t *testing.T) {
	cases := map[string]client.Option{
		"empty key":             client.WithSecretKey(""),
		"key with newline":      client.WithSecretKey("sk_test_a\nX-Evil: 1"),
		"publishable key":       client.WithSecretKey("pk_test_abc"),
		"not a key at all":      client.WithSecretKey("rk_not_secret"),
		"nil provider":          client.WithKeyProvider(nil),
		"plain http to network": client.WithBaseURL("http://api.clerk.com/v1"),
		"ftp":                   client.WithBaseURL("ftp://api.clerk.com/v1"),
		"no host":               client.WithBaseURL("https:///v1"),
		"relative":              client.WithBaseURL("/v1"),
		"credentials in URL":    client.WithBaseURL("https://user:pw@api.clerk.com/v1"),
		"query in URL":          client.WithBaseURL("https://api.clerk.com/v1?x=1"),
		"fragment in URL":       client.WithBaseURL("https://api.clerk.com/v1#x"),
		"unparsable URL":        client.WithBaseURL("https://api.clerk.com/%zz"),
		"nil doer":              client.WithHTTPClient(nil),
		"Authorization header":  client.WithHeader("authorization", "Bearer sk_other"),
		"Host header":           client.WithHeader("Host", "evil.example.com"),
		"bad header name":       client.WithHeader("X Bad", "v"),
		"empty header name":     client.WithHeader("", "v"),
		"header injection":      client.WithHeader("X-Ok", "v\r\nX-Evil: 1"),
		"empty UA suffix":       client.WithUserAgentSuffix(" "),
		"zero body limit":       client.WithMaxResponseBytes(0),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := client.New(client.WithSecretKey(testKey), opt)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.True(t, strings.HasPrefix(err.Error(), "clerk: "), err.Error())
			assert.NotContains(t, err.Error(), "sk_other")
		})
	}
}

func TestBaseURLsThatAreAccepted(t *testing.T) {
	for _, u := range []string{
		"https://api.clerk.com/v1", "https://api.clerk.com/v1/", "https://proxy.example.com",
		"http://127.0.0.1:8080/v1", "http://localhost:1", "http://[::1]:9/v1",
	} {
		_, err := client.New(client.WithSecretKey(testKey), client.WithBaseURL(u))
		assert.NoError(t, err, u)
	}
}

func TestDefaultsPointAtClerk(t *testing.T) {
	c, err := client.New(client.WithSecretKey(testKey))
	require.NoError(t, err)
	assert.Equal(t, "clerk client for https://api.clerk.com/v1/", c.String())
	assert.Equal(t, "https://api.clerk.com/v1", client.DefaultBaseURL)
}

// Options given to a call apply to that call only.
func TestPerCallOptions(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c := rec.client(client.WithHeader("X-Team", "growth"), client.WithUserAgentSuffix("my-app/1.2"))

	_, err := c.Get(ctx, "org_1", "orginv_1",
		client.WithSecretKey("sk_test_other"), client.WithHeader("X-Request-Id", "r1"), client.WithUserAgentSuffix("job/7"))
	require.NoError(t, err)
	_, err = c.Get(ctx, "org_1", "orginv_1")
	require.NoError(t, err)

	reqs := rec.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer sk_test_other", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "r1", reqs[0].Header.Get("X-Request-Id"))
	assert.Equal(t, "growth", reqs[0].Header.Get("X-Team"))
	assert.True(t, strings.HasSuffix(reqs[0].Header.Get("User-Agent"), " my-app/1.2 job/7"), reqs[0].Header.Get("User-Agent"))

	assert.Equal(t, "Bearer "+testKey, reqs[1].Header.Get("Authorization"), "the client's key again")
	assert.Empty(t, reqs[1].Header.Get("X-Request-Id"), "the per-call header is gone")
	assert.Equal(t, "growth", reqs[1].Header.Get("X-Team"))
	assert.True(t, strings.HasSuffix(reqs[1].Header.Get("User-Agent"), ") my-app/1.2"), reqs[1].Header.Get("User-Agent"))

	_, err = c.Get(ctx, "org_1", "orginv_1", client.WithSecretKey(""))
	require.Error(t, err, "a bad per-call option fails the call")
	assert.Len(t, rec.requests(), 2, "and sends nothing")
}

func TestKeyProviderIsAskedOnEveryRequest(t *testing.T) {
	ctx := context.Background()
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	var n atomic.Int32
	c := rec.client(client.WithKeyProvider(func(context.Context) (string, error) {
		if n.Add(1) == 3 {
			return "", errors.New("vault is sealed")
		}
		return "sk_test_rotation_" + string(rune('0'+n.Load())), nil
	}))
	for range 2 {
		_, err := c.Get(ctx, "org_1", "orginv_1")
		require.NoError(t, err)
	}
	_, err := c.Get(ctx, "org_1", "orginv_1")
	var keyErr *client.KeyError
	require.ErrorAs(t, err, &keyErr)
	assert.EqualError(t, err, "clerk: key provider: vault is sealed")

	reqs := rec.requests()
	require.Len(t, reqs, 2, "a failing provider sends nothing")
	assert.Equal(t, "Bearer sk_test_rotation_1", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer sk_test_rotation_2", reqs[1].Header.Get("Authorization"))

	c = rec.client(client.WithKeyProvider(func(context.Context) (string, error) { return "sk has spaces", nil }))
	_, err = c.Get(ctx, "org_1", "orginv_1")
	require.ErrorAs(t, err, &keyErr)
	assert.NotContains(t, err.Error(), "sk has spaces")
	assert.Len(t, rec.requests(), 2)
}

// A custom doer sends the requests.
func TestWithHTTPClientDoer(t *testing.T) {
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	var calls atomic.Int32
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return http.DefaultClient.Do(r)
	})
	_, err := rec.client(client.WithHTTPClient(doer)).Get(context.Background(), "org_1", "orginv_1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, calls.Load())
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// A redirect to another host is not followed, so the key never reaches it;
// a redirect within the API's origin is.
func TestRedirectsNeverCarryTheKeyAway(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the key reached another host")
		}
		_, _ = w.Write([]byte(invitationJSON))
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another host name, too

	for _, target := range []string{other.URL, otherURL} {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target+r.URL.Path, http.StatusTemporaryRedirect)
		})
		for name, c := range map[string]*client.Client{
			"default client":   rec.client(),
			"user http.Client": rec.client(client.WithHTTPClient(&http.Client{})),
		} {
			_, err := c.Get(context.Background(), "org_1", "orginv_1")
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr, name)
			assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode, name)
		}
	}
	assert.Zero(t, elsewhere.Load(), "no request may reach the other host")

	// Within the origin too, no redirect is followed: Clerk's API never
	// redirects a call, and a followed 303 would turn a POST into a GET.
	rec := newRecorder(t, nil)
	rec.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/old/") {
			http.Redirect(w, r, "/v1/"+strings.TrimPrefix(r.URL.Path, "/old/"), http.StatusPermanentRedirect)
			return
		}
		reply(http.StatusOK, invitationJSON)(w, r)
	})
	c, err := client.New(client.WithBaseURL(rec.srv.URL+"/old"), client.WithSecretKey(testKey))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), "org_1", "orginv_1")
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusPermanentRedirect, apiErr.StatusCode)
	assert.Len(t, rec.requests(), 1)
}

// WithHTTPClient never modifies the caller's *http.Client.
func TestWithHTTPClientLeavesTheCallersClientAlone(t *testing.T) {
	hc := &http.Client{}
	_, err := client.New(client.WithSecretKey(testKey), client.WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect)
}

func TestDefaultHTTPClientIsTuned(t *testing.T) {
	hc := client.DefaultHTTPClient()
	assert.Same(t, hc, client.DefaultHTTPClient(), "one shared pool")
	assert.NotSame(t, http.DefaultClient, hc)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64)
	assert.NotZero(t, tr.TLSHandshakeTimeout)
	assert.NotZero(t, tr.ResponseHeaderTimeout)
	assert.NotNil(t, tr.Proxy, "proxy settings from the environment, as http.DefaultTransport")
	assert.NotNil(t, hc.CheckRedirect)
}

// WithHeader can replace the client's own Accept, User-Agent and
// Clerk-API-Version (e.g. to pin another API version), never the key.
func TestWithHeaderOverridesClientHeaders(t *testing.T) {
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c := rec.client(client.WithHeader("Clerk-API-Version", "2025-04-10"))
	_, err := c.Get(context.Background(), "org_1", "orginv_1", client.WithHeader("User-Agent", "custom/1"))
	require.NoError(t, err)
	h := rec.requests()[0].Header
	assert.Equal(t, "2025-04-10", h.Get("Clerk-API-Version"))
	assert.Equal(t, "custom/1", h.Get("User-Agent"))
	assert.Equal(t, "Bearer "+testKey, h.Get("Authorization"))
}

// A key that cannot be a secret key is refused before anything is sent,
// wherever it comes from, with a *KeyFormatError that never holds the key.
func TestKeyThatIsNotASecretKeyIsRefused(t *testing.T) {
	for name, key := range map[string]string{
		"publishable":     "pk_test_cGxlYXNlLWRvLW5vdC1wcmludA",
		"empty":           "",
		"space inside":    "sk_test_abc def",
		"trailing space":  "sk_test_abcdef ",
		"no sk_ prefix":   "test_abcdefghijkl",
		"newline":         "sk_live_abc\n",
		"restricted-like": "rk_live_abcdefgh",
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
			var kf *client.KeyFormatError
			_, err := client.New(client.WithBaseURL(rec.srv.URL), client.WithSecretKey(key))
			require.ErrorAs(t, err, &kf)
			t.Setenv(client.SecretKeyEnv, key)
			_, err = client.New(client.WithBaseURL(rec.srv.URL))
			require.Error(t, err)
			if key != "" { // an empty variable is "no key", said as such
				require.ErrorAs(t, err, &kf, "from %s", client.SecretKeyEnv)
			}
			c, err := client.New(client.WithBaseURL(rec.srv.URL),
				client.WithKeyProvider(func(context.Context) (string, error) { return key, nil }))
			require.NoError(t, err)
			_, err = c.Get(context.Background(), "org_1", "orginv_1")
			require.ErrorAs(t, err, &kf, "from a key provider")
			var ke *client.KeyError
			require.ErrorAs(t, err, &ke)
			if key != "" {
				assert.NotContains(t, err.Error(), key)
				assert.NotContains(t, kf.Reason, key[min(3, len(key)):])
			}
			assert.Empty(t, rec.requests(), "nothing sent")
		})
	}
}
