package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// The generated parameter and body types read an absent field and a zero
// one alike: to a client, zero means "the API's default". Clerk tells them
// apart and refuses limit=0 or "expires_in_days": 0. So serve keeps the raw
// request in the context, and the store asks it whether a field was given.
// A field sent as JSON null is not given: Clerk reads null as absent, and
// so do the generated types.

type rawKey struct{}

type rawRequest struct {
	query url.Values
	body  []byte
	from  origin

	once    sync.Once
	object  map[string]json.RawMessage   // the body as an object, or nil
	objects []map[string]json.RawMessage // the body as a list of objects, or nil
}

// origin is who sent a request, as Clerk's webhook events name the request
// that caused them: event_attributes.http_request.
type origin struct {
	ClientIP  string `json:"client_ip"`
	UserAgent string `json:"user_agent"`
}

// originOf is the client address and user agent of r. On the in-memory
// network, which stands for loopback, the address is 127.0.0.1.
func originOf(r *http.Request) origin {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || net.ParseIP(host) == nil {
		host = "127.0.0.1"
	}
	return origin{ClientIP: host, UserAgent: r.UserAgent()}
}

func withRaw(ctx context.Context, query url.Values, body []byte, from origin) context.Context {
	return context.WithValue(ctx, rawKey{}, &rawRequest{query: query, body: body, from: from})
}

// originFrom is who sent the request of ctx; zero outside a request.
func originFrom(ctx context.Context) origin {
	raw, _ := ctx.Value(rawKey{}).(*rawRequest)
	if raw == nil {
		return origin{}
	}
	return raw.from
}

// queryGiven reports whether the request's query names the parameter.
func queryGiven(ctx context.Context, name string) bool {
	raw, _ := ctx.Value(rawKey{}).(*rawRequest)
	return raw != nil && raw.query.Has(name)
}

// bodyGiven reports whether the request's JSON body gives the field a
// value: the object itself when index is negative, else item index of a
// list. A field sent as null gives none.
func bodyGiven(ctx context.Context, index int, field string) bool {
	value, ok := bodyField(ctx, index, field)
	return ok && !isNull(value)
}

// bodyBlank reports whether the field is missing from the body: absent,
// null, or a string of nothing but spaces.
func bodyBlank(ctx context.Context, index int, field string) bool {
	if !bodyGiven(ctx, index, field) {
		return true
	}
	value, _ := bodyField(ctx, index, field)
	var s string
	return json.Unmarshal(value, &s) == nil && strings.TrimSpace(s) == ""
}

// bodyField returns the field's raw JSON value and whether the body has
// the field at all.
func bodyField(ctx context.Context, index int, field string) (json.RawMessage, bool) {
	raw, _ := ctx.Value(rawKey{}).(*rawRequest)
	if raw == nil {
		return nil, false
	}
	raw.once.Do(raw.parse)
	fields := raw.object
	if index >= 0 {
		fields = nil
		if index < len(raw.objects) {
			fields = raw.objects[index]
		}
	}
	value, ok := fields[field]
	return value, ok
}

// parse reads the body once, as an object or as a list of objects.
func (raw *rawRequest) parse() {
	if json.Unmarshal(raw.body, &raw.object) != nil {
		raw.object = nil
		_ = json.Unmarshal(raw.body, &raw.objects)
	}
}

func isNull(value json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(value), []byte("null"))
}
