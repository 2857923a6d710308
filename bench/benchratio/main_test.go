package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkInMemory/op=get/impl=raw-2      100  30 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  33 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=raw-2      100  20 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  21 ns/op  12 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=raw-2      100  25 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  99 ns/op  11 B/op  5 allocs/op
BenchmarkConcurrentGet-2                 500  70 ns/op  0.002 conns/op
PASS
`

func TestReportMediansAndRatios(t *testing.T) {
	s, order, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	assert.Equal(t, []string{"InMemory/op=get", "ConcurrentGet"}, order)
	assert.Equal(t, []float64{30, 20, 25}, s["InMemory/op=get"]["raw"]["ns/op"])

	var out strings.Builder
	report(&out, s, order)
	lines := strings.Split(out.String(), "\n")
	// medians: raw 25 ns, facade 33 ns (1.32x); bytes 10 vs 11; allocs 4 vs 4.
	assert.Equal(t, "| InMemory/op=get | 3 | 25 | – | 1.32× | 4 | – | 1.00× | 10 | – | 1.10× |", lines[2])
	assert.Contains(t, out.String(), "| ConcurrentGet | 1 | 0.002 conns/op, 70 ns/op |")
}

func TestNum(t *testing.T) {
	assert.Equal(t, "27290", num(27289.5))
	assert.Equal(t, "14700000", num(1.47e7))
	assert.Equal(t, "4", num(4))
	assert.Equal(t, "0.004001", num(0.0040012))
	assert.Equal(t, "12.5", num(12.5))
}

func TestSplit(t *testing.T) {
	name, impl := split("BenchmarkLoopback/op=list500/impl=gen-16")
	assert.Equal(t, "Loopback/op=list500", name)
	assert.Equal(t, "gen", impl)
	name, impl = split("BenchmarkConcurrentGet")
	assert.Equal(t, "ConcurrentGet", name)
	assert.Empty(t, impl)
}

const floorSample = `BenchmarkInMemory/op=get/impl=raw-2      100  50 ns/op  20 B/op  9 allocs/op
BenchmarkInMemory/op=get/impl=floor-2    100  30 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  33 ns/op  12 B/op  6 allocs/op
BenchmarkInMemory/op=get/impl=floor-2    100  20 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  22 ns/op  12 B/op  6 allocs/op
BenchmarkInMemory/op=get/impl=floor-2    100  40 ns/op  10 B/op  4 allocs/op
BenchmarkInMemory/op=get/impl=facade-2   100  99 ns/op  12 B/op  6 allocs/op
`

// The facade against the floor: medians (floor 30 ns, facade 33 ns), the
// ratios, and the allocations beyond the floor's.
func TestReportFacadeAgainstFloor(t *testing.T) {
	s, order, err := parse(strings.NewReader(floorSample))
	require.NoError(t, err)
	var out strings.Builder
	report(&out, s, order)
	assert.Contains(t, out.String(), "| InMemory/op=get | 3 | 30 | 33 | 1.10× | 4 | 6 | 2 | 1.50× | 10 | 1.20× |")

	s, order, err = parse(strings.NewReader(sample)) // no floor: no such table
	require.NoError(t, err)
	out.Reset()
	report(&out, s, order)
	assert.NotContains(t, out.String(), "floor")
}

const boundSample = floorSample + `BenchmarkInMemory/op=get/impl=floor+bound-2    100  25 ns/op  11 B/op  5 allocs/op
BenchmarkInMemory/op=get/impl=floor+bound-2    100  35 ns/op  11 B/op  5 allocs/op
BenchmarkInMemory/op=get/impl=floor+bound-2    100  30 ns/op  11 B/op  5 allocs/op
`

// The facade against floor+bound, in a table of its own after the
// floor's: medians (floor+bound 30 ns, facade 33 ns), ratios, allocations
// beyond floor+bound's.
func TestReportFacadeAgainstFloorWithBound(t *testing.T) {
	s, order, err := parse(strings.NewReader(boundSample))
	require.NoError(t, err)
	var out strings.Builder
	report(&out, s, order)
	got := out.String()
	assert.Contains(t, got, "| InMemory/op=get | 3 | 30 | 33 | 1.10× | 4 | 6 | 2 | 1.50× | 10 | 1.20× |")
	assert.Contains(t, got, "| benchmark | runs | floor+bound ns/op | facade ns/op | facade/(floor+bound) | floor+bound allocs | facade allocs | facade−floor+bound | facade/(floor+bound) | floor+bound B/op | facade/(floor+bound) |")
	assert.Contains(t, got, "| InMemory/op=get | 3 | 30 | 33 | 1.10× | 5 | 6 | 1 | 1.20× | 11 | 1.09× |")
	assert.Less(t, strings.Index(got, "facade/floor"), strings.Index(got, "facade/(floor+bound)"), "the floor's table comes first")

	s, order, err = parse(strings.NewReader(floorSample)) // no floor+bound: no such table
	require.NoError(t, err)
	out.Reset()
	report(&out, s, order)
	assert.NotContains(t, out.String(), "floor+bound")
}
