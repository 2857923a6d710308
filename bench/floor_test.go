package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/invitekit/clerkinvitations/gen"
)

// --- floor: raw's loop, decoding as the facade does ---

// floor is raw's hand-written loop (the same requests, headers and
// transport) that decodes the way the facade does: with
// github.com/go-json-experiment/json, with the facade's options, into gen's
// models. It is what a careful hand-written client that picked the same
// decoder would cost, so facade/floor is what the facade adds on top of
// its decoder: auth, limits, bounds, retries, validation, error types.
type floor struct{ r *raw }

// floorOptions are the facade's decoding options (client/decode.go): a
// name given twice keeps its last value, and invalid UTF-8 becomes U+FFFD,
// as with encoding/json.
var floorOptions = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// floorBuffers are the floor's buffers for reading bodies: reading a body
// whole and then unmarshalling it costs fewer instructions than decoding
// from the stream (json.UnmarshalRead) or reading with io.ReadAll, the
// floor's two other choices, which it therefore does not take.
var floorBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (f floor) do(ctx context.Context, method, url string, body []byte, out any) error {
	resp, err := f.r.send(ctx, method, url, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := floorBuffers.Get().(*bytes.Buffer)
	defer floorBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	return jsonv2.Unmarshal(buf.Bytes(), out, floorOptions)
}

func (f floor) get(ctx context.Context) error {
	var out gen.OrganizationInvitation
	return f.do(ctx, http.MethodGet, f.r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations/"+url.PathEscape(invID), nil, &out)
}

func (f floor) list(ctx context.Context, limit int) error {
	var out gen.OrganizationInvitations
	return f.do(ctx, http.MethodGet, f.r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations?limit="+strconv.Itoa(limit), nil, &out)
}

func (f floor) create(ctx context.Context) error {
	body, err := json.Marshal(gen.NewOrganizationInvitation{EmailAddress: "ada@example.com", Role: "org:member"})
	if err != nil {
		return err
	}
	var out gen.OrganizationInvitation
	return f.do(ctx, http.MethodPost, f.r.base+"/organizations/"+url.PathEscape(orgID)+"/invitations", body, &out)
}
