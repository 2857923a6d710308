package bulkinvite

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRotation files organizations with these numbers of people queued,
// in order, IDs numbered from 1 in each.
func newRotation(sizes ...int) (*rotation, []*orgRun) {
	rt := &rotation{}
	var orgs []*orgRun
	for i, n := range sizes {
		o := &orgRun{id: fmt.Sprintf("org_%c", 'a'+i), counts: Counts{}, at: -1}
		for id := range n {
			o.queue.push(int64(id + 1))
		}
		rt.queued += n
		rt.place(o)
		orgs = append(orgs, o)
	}
	return rt, orgs
}

// Bulks go round the organizations, ten people a turn, full ones first:
// an organization with fewer than ten is left to the single creates while
// another has ten.
func TestRotationBulks(t *testing.T) {
	rt, _ := newRotation(25, 3, 10, 12)
	var got []string
	for rt.hasBulk() {
		o, ids := rt.bulk()
		got = append(got, fmt.Sprintf("%s:%d", o.id, len(ids)))
	}
	assert.Equal(t, []string{"org_a:10", "org_c:10", "org_d:10", "org_a:10", "org_b:3", "org_d:2", "org_a:5"}, got)
	assert.Zero(t, rt.queued)
}

// The single creates take a turn and then that organization's chunk, one
// at a time; a bulk meanwhile takes the next turns.
func TestRotationSinglesTakeAChunk(t *testing.T) {
	rt, _ := newRotation(20, 20, 20)
	var got []string
	take := func() {
		o, _, ok := rt.single()
		require.True(t, ok)
		got = append(got, o.id)
	}
	take() // org_a's turn: its chunk goes one by one
	_, ids := rt.bulk()
	assert.Len(t, ids, 10, "org_b's turn, a full bulk")
	for range 9 {
		take()
	}
	take() // org_a's chunk is done: the next turn, org_c's
	assert.Equal(t, []string{"org_a", "org_a", "org_a", "org_a", "org_a", "org_a", "org_a", "org_a", "org_a", "org_a", "org_c"}, got)
	o, ids := rt.bulk()
	assert.Equal(t, "org_a", o.id, "org_a's turn again, after org_b's and org_c's")
	assert.Len(t, ids, 10)
}

// People sent alone go first on the single creates; people put back go
// to the front of their organization's queue, and an organization that
// had left the rotation joins it at the back.
func TestRotationRequeue(t *testing.T) {
	rt, orgs := newRotation(10, 10)
	a, ids := rt.bulk()
	require.Equal(t, "org_a", a.id)
	assert.False(t, a.heap != nil, "org_a has nobody left: out of the rotation")
	rt.requeue(a, ids[:4], true)
	rt.requeue(a, ids[4:], false)
	o, id, ok := rt.single()
	require.True(t, ok)
	assert.Equal(t, "org_a", o.id)
	assert.Equal(t, ids[0], id, "alone, first")
	o, got := rt.bulk()
	assert.Equal(t, orgs[1], o, "org_b's turn came before org_a rejoined")
	assert.Len(t, got, 10)
	o, got = rt.bulk()
	assert.Equal(t, a, o)
	assert.Equal(t, ids[4:], got, "in their order")
	assert.Equal(t, 3, rt.queued, "three of org_a still to go alone")
}
