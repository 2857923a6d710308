package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/invitekit/clerkinvitations/gen"
)

// --- floor: the cheapest hand-written loop, decoding as the facade does ---

// floor is the cheapest correct hand-written loop: raw's requests and
// transport, the same headers set as the facade sets them (shared slices
// assigned under canonical names, instead of raw's Header.Set, which
// canonicalises each name and allocates each value), decoded the way the
// facade does: with github.com/go-json-experiment/json, with the facade's
// options, into gen's models. It is what a careful hand-written client that
// picked the same decoder would cost, so facade/floor is what the facade
// adds on top of its decoder: auth, limits, bounds, retries, validation,
// error types.
//
// With bound set (impl=floor+bound) each call runs under
// context.WithTimeout(ctx, bound), as a careful hand-written client bounds
// its calls: facade/(floor+bound) is what the facade adds on top of a loop
// that also cannot hang.
type floor struct {
	r     *raw
	bound time.Duration
}

// floorBound is floor+bound's timeout per call: the facade's attempt
// timeout.
const floorBound = 30 * time.Second

// The floor's header values, built once and shared by every request, as
// the facade's are; never modified.
var (
	floorAuthorization = []string{"Bearer " + key}
	floorJSON          = []string{"application/json"}
	floorAPIVersion    = []string{"2026-05-12"}
	floorUserAgent     = []string{"raw-baseline/1.0"}
)

// send is raw.send with the headers assigned, not Set.
func (f floor) send(ctx context.Context, method, url string, body []byte) (*http.Response, error) {
	req, err := newRequest(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	h := req.Header
	h["Authorization"] = floorAuthorization
	h["Accept"] = floorJSON
	h["Clerk-Api-Version"] = floorAPIVersion
	h["User-Agent"] = floorUserAgent
	if body != nil {
		h["Content-Type"] = floorJSON
	}
	return f.r.roundTrip(req)
}

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
	if f.bound > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.bound)
		defer cancel()
	}
	resp, err := f.send(ctx, method, url, body)
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
