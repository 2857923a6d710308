package bulkinvite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// askServer settles from the server's pending invitations those of
// st.awaiting who have one (see [ServerCheck] and [fromServer]), writing
// them batchSize at a time, and returns their IDs, sorted. The scan's
// counts are moved along.
func (r *runner) askServer(ctx context.Context, st *startScan) ([]int64, error) {
	aw := st.awaiting
	slices.SortFunc(aw, func(a, b awaitItem) int { return cmp.Compare(a.h, b.h) })
	var orgs []string
	for _, o := range r.orgs {
		if o.counts[StateQueued]+o.counts[StateCheck] > 0 {
			orgs = append(orgs, o.id)
		}
	}
	mark := make([]uint8, len(aw)) // 0 awaiting, 1 in hits, 2 settled
	var found []int64
	var hits []awaitHit
	settle := func() error {
		ids, err := r.settleFound(ctx, hits)
		for _, h := range hits {
			mark[h.at] = 0 // the key was not theirs after all: another may be
		}
		for _, i := range ids {
			mark[i] = 2
			found = append(found, aw[i].id)
		}
		hits = hits[:0]
		return err
	}
	check, err := checkServer(ctx, r.cfg.Client, orgs, func(h pendingHit) error {
		if r.byOrg[h.org] == nil {
			return nil
		}
		key := hashKey64(h.org, h.email)
		i, _ := slices.BinarySearchFunc(aw, key, func(a awaitItem, k uint64) int { return cmp.Compare(a.h, k) })
		for ; i < len(aw) && aw[i].h == key; i++ {
			if mark[i] == 0 {
				mark[i] = 1
				hits = append(hits, awaitHit{i, aw[i].id, h})
			}
		}
		if len(hits) >= batchSize {
			return settle()
		}
		return nil
	})
	if err == nil {
		err = settle()
	}
	if err != nil {
		return nil, err
	}
	check.Found = len(found)
	r.serverCheck = check
	if len(found) > 0 {
		r.log.Info("bulkinvite: settled from the server's pending invitations", "found", len(found), "strategy", string(check.Strategy), "requests", check.Requests)
	}
	slices.Sort(found)
	return found, nil
}

// awaitHit is a pending invitation of the server that may settle the
// entry with ID id, at index at of the awaiting: it does if the entry's
// key is the invitation's.
type awaitHit struct {
	at  int
	id  int64
	hit pendingHit
}

// settleFound settles the entries of hits from their pending invitations
// (see fromServer), writes them, and returns the indexes (at) of those it
// settled.
func (r *runner) settleFound(ctx context.Context, hits []awaitHit) ([]int, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	entries, err := r.cfg.Store.Get(ctx, ids...)
	if err != nil {
		return nil, fmt.Errorf("bulkinvite: journal: %w", err)
	}
	var changed []Entry
	var settled []int
	for i, e := range entries {
		h := hits[i].hit
		pending := func(org, email string) (string, bool) { return h.id, org == h.org && email == h.email }
		next, ok := fromServer(e, r.opts.Now, pending)
		if !ok {
			continue
		}
		r.moved(r.byOrg[e.OrganizationID], e.State, next.State)
		changed = append(changed, next)
		settled = append(settled, hits[i].at)
	}
	if len(changed) > 0 {
		if err := r.cfg.Store.Put(ctx, changed...); err != nil {
			return nil, fmt.Errorf("bulkinvite: journal: %w", err)
		}
	}
	return settled, nil
}
