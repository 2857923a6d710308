package paging

// Requests is how many requests a walk from offset 0 takes over a list of
// total items in pages of limit: the first page brings limit items and
// every later one limit−1 new ones, since it starts at the last item of
// the page before (a page of 1 brings 1). An empty list takes one request,
// the one that tells it is empty. A list that changes during the walk may
// take a few more, to find the walk's place again.
func Requests(total int64, limit int) int {
	if limit < 1 {
		limit = 1
	}
	if total <= int64(limit) {
		return 1
	}
	step := int64(pageStep(limit))
	return 1 + int((total-int64(limit)+step-1)/step)
}

// pageStep is how far a page of limit items starts from the one before
// it: one less than limit, so that they overlap by one item, unless pages
// hold one. Requests counts the walk's requests by it, and the walk takes
// it.
func pageStep(limit int) int { return max(limit-1, 1) }
