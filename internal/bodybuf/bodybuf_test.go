package bodybuf

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Read holds a body just under the size cap in one buffer of its size
// when the length is known, and in at most twice its size when it is not
// (chunks, then one joined copy): never more than twice the cap.
func TestReadBodyMemory(t *testing.T) {
	const size = 8 << 20
	data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	for _, tc := range []struct {
		name     string
		length   int64
		multiple float64
	}{{"known length", size, 1.01}, {"unknown length", -1, 2.01}} {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		b, err := Read(bytes.NewReader(data), tc.length, size+100)
		runtime.ReadMemStats(&ms)
		require.NoError(t, err)
		assert.Equal(t, data, b.B, tc.name)
		allocated := float64(ms.TotalAlloc-before) / size
		assert.LessOrEqual(t, allocated, tc.multiple, "%s: bytes allocated per byte of body", tc.name)
		b.Release()
	}
}

func TestReadBodyLimits(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 4097, 1<<20 - 1, 1 << 20, 1<<20 + 1, 3<<20 + 7} {
		data := []byte(strings.Repeat("x", n))
		for _, length := range []int64{int64(n), -1} {
			b, err := Read(io.MultiReader(bytes.NewReader(data[:n/2]), bytes.NewReader(data[n/2:])), length, int64(n))
			require.NoError(t, err, "%d bytes, length %d", n, length)
			assert.Equal(t, n, len(b.B))
			b.Release()
			if n > 0 {
				_, err = Read(bytes.NewReader(data), length, int64(n-1))
				assert.ErrorIs(t, err, ErrTooLarge, "%d bytes over a limit of %d", n, n-1)
			}
		}
	}
}
