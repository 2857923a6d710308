package paging

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Where a page joins the walk, for each way the list can have shifted
// since the page before it was read (the walk's place is "c"; a, b and c
// were yielded).
func TestJoinPage(t *testing.T) {
	yielded := map[string]bool{"a": true, "b": true, "c": true}
	seen := func(id string) bool { return yielded[id] }
	for _, tc := range []struct {
		name  string
		ids   []string
		last  string
		first bool
		want  joined
	}{
		{"nothing yielded yet", []string{"x", "y"}, "", false, joined{start: 0}},
		{"no shift", []string{"c", "d", "e"}, "c", false, joined{start: 1}},
		{"two created before the place", []string{"a", "b", "c", "d"}, "c", false, joined{start: 3}},
		{"the place is the page's last", []string{"a", "b", "c"}, "c", false, joined{start: 3}},
		{"wholly before the place", []string{"n", "a", "b"}, "c", false, joined{start: 3, atEnd: true}},
		{"the place left the list", []string{"b", "d", "e"}, "c", false, joined{start: 1}},
		{"after the place", []string{"e", "f"}, "c", false, joined{start: -1}},
		{"empty", nil, "c", false, joined{start: -1}},
		{"after the place, at offset 0", []string{"e", "f"}, "c", true, joined{start: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, joinPage(tc.ids, tc.last, seen, tc.first))
		})
	}
}

// How far back a walk that lost its place looks: the same page again
// first, then further back each time.
func TestJoinedBack(t *testing.T) {
	var got []int
	for idle := 1; idle <= 6; idle++ {
		got = append(got, joined{}.back(idle))
	}
	assert.Equal(t, []int{0, 1, 2, 4, 8, 16}, got)
	assert.Equal(t, 1<<30, joined{}.back(100), "bounded")
}
