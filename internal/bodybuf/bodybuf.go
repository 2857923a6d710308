// Package bodybuf reads a response body into memory, never more than a
// limit. A small body lives in a pooled buffer, so that reading it
// allocates nothing for the bytes themselves. A large body of known length
// gets one buffer of exactly its size. A large body of unknown length
// (chunked, or compressed) is read in chunks of up to 1 MiB that are joined
// once at the end, so that it costs at most twice its size in buffers,
// where doubling a buffer would cost up to four times. Either way nothing
// beyond the limit is ever held.
package bodybuf

import (
	"errors"
	"io"
	"sync"
)

// ErrTooLarge is the error of [Read] for a body larger than its limit.
var ErrTooLarge = errors.New("body larger than the limit")

// Body is a body read into memory: B holds it until Release.
type Body struct {
	B      []byte
	pooled *[]byte // where B came from, when it came from the pool
}

// Release gives a pooled buffer back, unless it grew too large to keep.
// B must not be used after it.
func (b *Body) Release() {
	if b.pooled != nil && cap(b.B) <= maxPooledBuffer {
		*b.pooled = b.B[:0]
		bodyBuffers.Put(b.pooled)
	}
	b.pooled = nil
}

// bodyBuffers holds buffers for reading bodies. A decoder that copies what
// it keeps (as json.Unmarshal does) frees its buffer as soon as it ends.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer kept in the pool, so that a rare
// huge response does not pin its memory.
const maxPooledBuffer = 1 << 20

// readChunk is the largest chunk a body that outgrows its first buffer is
// read in; chunks double up to it.
const readChunk = 1 << 20

// Read reads r to its end, at most limit bytes. length is the declared
// Content-Length, or -1. It returns what it read and the reading error, if
// any: [ErrTooLarge] when there was more than limit.
func Read(r io.Reader, length, limit int64) (Body, error) {
	if length > limit {
		return Body{}, ErrTooLarge
	}
	var out Body
	switch {
	case length > maxPooledBuffer:
		out.B = make([]byte, 0, length)
	default:
		out.pooled = bodyBuffers.Get().(*[]byte)
		out.B = (*out.pooled)[:0]
		if want := max(length, minBuffer); want > int64(cap(out.B)) {
			out.B = make([]byte, 0, want)
		}
	}
	var chunks [][]byte // earlier buffers, full, when one was not enough
	total := int64(0)   // bytes in chunks
	for {
		var err error
		out.B, err = fill(out.B, r, limit-total)
		if err == io.EOF {
			err = nil
		}
		if err != nil || (len(out.B) < cap(out.B) && total+int64(len(out.B)) < limit) {
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
		if total+int64(len(out.B)) >= limit {
			out.Release()
			return Body{}, ErrTooLarge
		}
		// Keep the full buffer and go on in a new one, twice as large up to
		// readChunk: nothing read is copied until the end.
		chunks = append(chunks, out.B)
		total += int64(len(out.B))
		size := min(int64(max(2*cap(out.B), minBuffer)), readChunk, limit-total)
		out.B = append(make([]byte, 0, size), one[0])
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
func join(last Body, chunks [][]byte, total int64) Body {
	if len(chunks) == 0 {
		return last
	}
	whole := make([]byte, 0, total+int64(len(last.B)))
	for _, c := range chunks {
		whole = append(whole, c...)
	}
	whole = append(whole, last.B...)
	return Body{B: whole, pooled: last.pooled}
}
