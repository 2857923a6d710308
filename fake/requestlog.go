package fake

// DefaultRequestLog is how many requests a Server keeps for Requests when
// WithRequestLog is not given: the most recent ones, so that a fake that
// serves for hours holds a bounded amount of memory whatever its traffic.
const DefaultRequestLog = 1000

// WithRequestLog makes the fake keep the last n requests it received for
// Requests (DefaultRequestLog by default); older ones are dropped. n == 0
// keeps none; a negative n is taken as 0. Memory for the log grows with the
// requests kept, up to n of them, and never beyond.
func WithRequestLog(n int) Option {
	return func(s *Server) { s.log = requestLog{limit: max(n, 0)} }
}

// requestLog holds the last limit requests: a ring that grows by append up
// to limit entries, then overwrites its oldest one. The caller holds the
// Server's mu.
type requestLog struct {
	limit   int
	entries []Request
	next    int // where the next request goes once entries is full
}

// add records r, dropping the oldest entry when the log is full.
func (l *requestLog) add(r Request) {
	switch {
	case l.limit == 0:
	case len(l.entries) < l.limit:
		l.entries = append(l.entries, r)
	default:
		l.entries[l.next] = r
		l.next = (l.next + 1) % l.limit
	}
}

// list returns a copy of the entries, oldest first.
func (l *requestLog) list() []Request {
	out := make([]Request, 0, len(l.entries))
	out = append(out, l.entries[l.next:]...)
	return append(out, l.entries[:l.next]...)
}

// clear drops every entry, keeping the limit.
func (l *requestLog) clear() { *l = requestLog{limit: l.limit} }
