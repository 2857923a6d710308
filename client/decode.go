package client

import (
	"io"
	"net/http"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/invitekit/clerkinvitations/internal/bodybuf"
	"github.com/invitekit/clerkinvitations/internal/redact"
)

// Reading and decoding responses.
//
// A successful response is read whole (package internal/bodybuf: no
// allocation for the bytes of a small body, at most twice the size of a
// large one, never more than the size cap), then unmarshalled: fewer
// instructions than decoding from the stream.
//
// The decoder is github.com/go-json-experiment/json, the module in which
// the Go tree's json v2 (encoding/json/v2, behind GOEXPERIMENT=jsonv2 in Go
// 1.26) is developed: about 2.9 times as fast as encoding/json on a page of
// invitations, with half the allocations (BENCHMARKS.md). Once that package
// is standard, moving to it is a change of import. Requests are still
// marshalled by encoding/json, whose output the wire tests pin byte for
// byte.

// decodeJSON reads resp's body (at most limit bytes), decodes it into out
// and checks that what the schema requires is there. broken reports that
// reading failed (the connection broke off), as opposed to a body that
// arrived whole but is not what the schema describes.
func decodeJSON(resp *http.Response, limit int64, out any) (err error, broken bool) {
	buf, readErr := bodybuf.Read(resp.Body, resp.ContentLength, limit)
	defer buf.Release()
	switch {
	case readErr == bodybuf.ErrTooLarge:
		return ErrResponseTooLarge, false
	case len(buf.B) == 0 && readErr == nil:
		return io.ErrUnexpectedEOF, false // an empty body is not a value
	}
	if err := json.Unmarshal(buf.B, out, lenient); err != nil {
		if readErr != nil {
			return readErr, true
		}
		return err, false
	}
	// Complete, even if the connection broke after the value.
	return checkRequired(out), false
}

// lenient are the decoding options for responses: like encoding/json, a
// name given twice in an object keeps its last value, and invalid UTF-8
// becomes U+FFFD, instead of failing the call.
var lenient = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// readErrorBody reads the start of an error response for APIError.Body:
// at most MaxErrorBodyBytes are kept. The key is scrubbed before the cut,
// from a little more than is kept, so that a key that straddles the cut is
// found whole. A body that breaks off keeps what arrived.
func readErrorBody(r io.Reader, key string) []byte {
	raw, _ := io.ReadAll(io.LimitReader(r, MaxErrorBodyBytes+int64(redact.MaxSpelling(key))))
	raw = redact.Bytes(raw, key)
	if len(raw) > MaxErrorBodyBytes {
		raw = raw[:MaxErrorBodyBytes]
	}
	if len(raw) == 0 {
		return nil
	}
	return raw
}
