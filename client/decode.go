package client

import (
	"io"
	"net/http"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/invitekit/clerkinvitations/internal/redact"
)

// Reading and decoding responses.
//
// A successful response is read whole, then unmarshalled: fewer
// instructions than decoding from the stream, and no allocation for the
// body itself when it is small, since it lives in a pooled buffer. A large
// body of known length gets one buffer of exactly its size. A large body of
// unknown length (chunked, or compressed) is read in chunks of
// [readChunk] that are joined once at the end, so that it costs at most
// twice its size in buffers, where doubling a buffer would cost up to four
// times. Either way nothing beyond the size cap is ever held.
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
	buf, readErr := readBody(resp.Body, resp.ContentLength, limit)
	defer buf.release()
	switch {
	case readErr == ErrResponseTooLarge:
		return ErrResponseTooLarge, false
	case len(buf.b) == 0 && readErr == nil:
		return io.ErrUnexpectedEOF, false // an empty body is not a value
	}
	if err := json.Unmarshal(buf.b, out, lenient); err != nil {
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

// body is a response body read into memory.
type body struct {
	b      []byte
	pooled *[]byte // where b came from, when it came from the pool
}

// release gives a pooled buffer back, unless it grew too large to keep.
func (b *body) release() {
	if b.pooled != nil && cap(b.b) <= maxPooledBuffer {
		*b.pooled = b.b[:0]
		bodyBuffers.Put(b.pooled)
	}
	b.pooled = nil
}

// bodyBuffers holds buffers for reading responses. json.Unmarshal copies
// what it keeps, so a buffer is free again as soon as decoding ends.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer kept in the pool, so that a rare
// huge response does not pin its memory.
const maxPooledBuffer = 1 << 20

// readChunk is the largest chunk a body that outgrows its first buffer is
// read in; chunks double up to it.
const readChunk = 1 << 20

// readBody reads r to its end, at most limit bytes. length is the declared
// Content-Length, or -1. It returns what it read and the reading error, if
// any: ErrResponseTooLarge when there was more than limit.
func readBody(r io.Reader, length, limit int64) (body, error) {
	if length > limit {
		return body{}, ErrResponseTooLarge
	}
	var out body
	switch {
	case length > maxPooledBuffer:
		out.b = make([]byte, 0, length)
	default:
		out.pooled = bodyBuffers.Get().(*[]byte)
		out.b = (*out.pooled)[:0]
		if want := max(length, minBuffer); want > int64(cap(out.b)) {
			out.b = make([]byte, 0, want)
		}
	}
	var chunks [][]byte // earlier buffers, full, when one was not enough
	total := int64(0)   // bytes in chunks
	for {
		var err error
		out.b, err = fill(out.b, r, limit-total)
		if err == io.EOF {
			err = nil
		}
		if err != nil || (len(out.b) < cap(out.b) && total+int64(len(out.b)) < limit) {
			return join(out, chunks, total), err
		}
		// The buffer is full: is there more?
		var one [1]byte
		if n, err := io.ReadFull(r, one[:]); n == 0 {
			if err == io.EOF {
				err = nil
			}
			return join(out, chunks, total), err
		}
		if total+int64(len(out.b)) >= limit {
			out.release()
			return body{}, ErrResponseTooLarge
		}
		// Keep the full buffer and go on in a new one, twice as large up to
		// readChunk: nothing read is copied until the end.
		chunks = append(chunks, out.b)
		total += int64(len(out.b))
		size := min(int64(max(2*cap(out.b), minBuffer)), readChunk, limit-total)
		out.b = append(make([]byte, 0, size), one[0])
	}
}

// minBuffer is the smallest buffer a body is read into.
const minBuffer = 4096

// fill reads from r into b's spare capacity until b is full or holds max
// bytes, or until the first error (io.EOF at the end).
func fill(b []byte, r io.Reader, max int64) ([]byte, error) {
	end := min(int64(cap(b)), max)
	for int64(len(b)) < end {
		n, err := r.Read(b[len(b):end])
		b = b[:len(b)+n]
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// join returns the body read into chunks and then into last's buffer, as
// one contiguous slice. When the first buffer came from the pool, the
// joined one takes its place there, so that the next body of this size
// needs no chunks.
func join(last body, chunks [][]byte, total int64) body {
	if len(chunks) == 0 {
		return last
	}
	whole := make([]byte, 0, total+int64(len(last.b)))
	for _, c := range chunks {
		whole = append(whole, c...)
	}
	whole = append(whole, last.b...)
	return body{b: whole, pooled: last.pooled}
}

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
