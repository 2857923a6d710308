package paging

// How a page joins the walk. Every page after the first is asked for from
// the offset of the last item of the page before it, so that, if the list
// did not shift between the two requests, its first item is the last one
// yielded (the walk's place). The list is in a fixed order (created_at or
// email_address, ties by creation), so an invitation present for the
// whole walk lies after that place on every later read: if a page begins
// at the place, it holds everything that follows the place up to its own
// end, whatever happened to the list before. A page that does not begin
// there shows that the list shifted, and where to look:
//
//   - the place inside the page: invitations were created before it; take
//     what follows it;
//   - no place, but the page ends with an invitation yielded before: the
//     page lies wholly before the place (many were created before it);
//     read on from its end;
//   - no place, but some invitations yielded before: the place itself left
//     the list (revoked, or no longer matching the filter); take what
//     follows the last one yielded;
//   - nothing yielded before: the page lies after the place, as when it
//     was read before a creation that a page before it saw, or after
//     invitations before the place left the list. Read it again, and then
//     from further back each time (1, 2, 4, … items before it) until the
//     place shows up. At offset 0 there is nothing further back: all that
//     was yielded has left the list, and the page is taken whole.

// joined is where a page joins the walk: start is the index of its first
// item after the walk's place, or -1 when the place is not in it; atEnd
// marks a page that lies wholly before the place.
type joined struct {
	start int
	atEnd bool
}

// joinPage finds the walk's place, the item last (empty before anything was
// yielded), in a page of ids, using seen to know which were yielded
// before; first tells whether the page starts at offset 0.
func joinPage(ids []string, last string, seen func(string) bool, first bool) joined {
	if last == "" {
		return joined{start: 0}
	}
	lastSeen := -1
	for i, id := range ids {
		if id == last {
			return joined{start: i + 1}
		}
		if seen(id) {
			lastSeen = i
		}
	}
	switch {
	case lastSeen >= 0 && lastSeen == len(ids)-1:
		return joined{start: len(ids), atEnd: true}
	case lastSeen >= 0:
		return joined{start: lastSeen + 1}
	case first:
		return joined{start: 0}
	}
	return joined{start: -1}
}

// back is how far before a page in which the walk lost its place it looks
// the next time, on its idle-th page in a row without anything new: first
// at the page itself again (it may have been read before a change a page
// before it saw), then 1, 2, 4, … items back.
func (j joined) back(idle int) int {
	if idle <= 1 {
		return 0
	}
	return 1 << min(idle-2, 30)
}
