package fake

import (
	"context"
	"encoding/json"
	"net/url"
)

// The generated parameter and body types read an absent field and a zero
// one alike: to a client, zero means "the API's default". Clerk tells them
// apart and refuses limit=0 or "expires_in_days": 0. So serve keeps the raw
// request in the context, and the store asks it whether a field was given.

type rawKey struct{}

type rawRequest struct {
	query url.Values
	body  []byte
}

func withRaw(ctx context.Context, query url.Values, body []byte) context.Context {
	return context.WithValue(ctx, rawKey{}, &rawRequest{query: query, body: body})
}

// queryGiven reports whether the request's query names the parameter.
func queryGiven(ctx context.Context, name string) bool {
	raw, _ := ctx.Value(rawKey{}).(*rawRequest)
	return raw != nil && raw.query.Has(name)
}

// bodyGiven reports whether the request's JSON body has the field: the
// object itself when index is negative, else item index of a list.
func bodyGiven(ctx context.Context, index int, field string) bool {
	raw, _ := ctx.Value(rawKey{}).(*rawRequest)
	if raw == nil {
		return false
	}
	var fields map[string]json.RawMessage
	if index < 0 {
		_ = json.Unmarshal(raw.body, &fields)
	} else {
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw.body, &items) == nil && index < len(items) {
			fields = items[index]
		}
	}
	_, ok := fields[field]
	return ok
}
