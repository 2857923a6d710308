package client

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/invitekit/clerkinvitations/gen"
)

// BulkStatus is what became of one invitation of CreateMany.
type BulkStatus int

const (
	// BulkCreated: the invitation exists; BulkResult.Invitation holds it.
	BulkCreated BulkStatus = iota + 1
	// BulkFailed: the API refused its chunk, or the chunk provably never
	// reached it; the invitation does not exist. Err says why.
	BulkFailed
	// BulkOutcomeUnknown: its chunk may have been carried out, but no
	// readable response came. The invitation may exist and its email may have
	// gone out: look (List with EmailAddress) before inviting again.
	BulkOutcomeUnknown
	// BulkSkipped: its chunk was never sent (StopOnError after an earlier
	// failure, or the context ended first).
	BulkSkipped
)

var bulkStatusNames = [...]string{"", "created", "failed", "outcome unknown", "skipped"}

// String names the status.
func (s BulkStatus) String() string {
	if s <= 0 || int(s) >= len(bulkStatusNames) {
		return "BulkStatus(?)"
	}
	return bulkStatusNames[s]
}

// BulkResult is the result for one requested invitation of CreateMany.
type BulkResult struct {
	// Index is the invitation's position in the input.
	Index int
	// EmailAddress is the invited address, as given.
	EmailAddress string
	// Status says what became of it.
	Status BulkStatus
	// Invitation is the created invitation when Status is BulkCreated.
	Invitation *Invitation
	// Err is why it was not created (BulkFailed, BulkSkipped) or why its
	// outcome is unknown (BulkOutcomeUnknown); nil when created.
	Err error
}

// BulkResults are CreateMany's results, one per input, in input order.
type BulkResults []BulkResult

// Count returns how many results have this status.
func (rs BulkResults) Count(s BulkStatus) int {
	n := 0
	for i := range rs {
		if rs[i].Status == s {
			n++
		}
	}
	return n
}

// CreateManyOptions tune CreateMany. The zero value sends chunks one after
// another, continues past failures, and has no rate limit.
type CreateManyOptions struct {
	// Concurrency is how many chunks may be in flight at once (default 1).
	// Results keep input order either way.
	Concurrency int
	// StopOnError stops at the first chunk that fails or whose outcome is
	// unknown; chunks not yet sent are reported BulkSkipped.
	StopOnError bool
	// Limiter, if set, is waited on before each chunk is sent. Share one
	// limiter between calls to pace them together; [BulkCreateLimiter]
	// returns one that keeps to Clerk's documented 50 calls an hour.
	Limiter Limiter
	// Progress, if set, is called after each chunk with the number of
	// invitations settled so far and the total. Calls never overlap.
	Progress func(done, total int)
}

// Limiter paces calls: Wait blocks until the next call may go, or fails
// when ctx ends first. A *rate.Limiter from golang.org/x/time/rate is one.
type Limiter interface {
	Wait(ctx context.Context) error
}

// errSkipped is the Err of a BulkSkipped result whose chunk was held back.
var errSkipped = errors.New("clerk: not sent: an earlier chunk failed and StopOnError is set")

// BulkCreateLimiter returns a [Limiter] that keeps bulk creation within
// Clerk's documented limit of 50 calls an hour per instance: one call every
// 73 seconds, so no rolling hour holds more than 50. Share it between all
// CreateMany calls of a process.
func BulkCreateLimiter() Limiter {
	return rate.NewLimiter(rate.Every(73*time.Second), 1)
}

// CreateMany invites any number of people to an organization. It splits
// the invitations into [Client.BulkCreate] calls of at most
// [MaxBulkInvitations], sends them in order (or a few at once, see
// CreateManyOptions.Concurrency), and returns one result per invitation, in
// input order: created, failed, outcome unknown, or skipped. Nothing is
// dropped silently and nothing is sent twice: a chunk whose outcome is
// unknown is reported so, never re-sent; retries happen only where the
// retry policy proves them safe (a refused connection, a 429 with its
// Retry-After).
//
// Every invitation is checked first, and one email address given twice is
// an error: then nothing is sent and the error is a *[ValidationError]
// naming the item. Zero invitations make no request.
//
// Clerk API: POST /organizations/{organization_id}/invitations/bulk (CreateOrganizationInvitationBulk), once per chunk.
func (c *Client) CreateMany(ctx context.Context, organizationID string, invitations []CreateParams, options CreateManyOptions, opts ...Option) (BulkResults, error) {
	const op = "CreateMany"
	if err := checkInvitations(op, invitations); err != nil {
		return nil, err
	}
	// Every chunk's request is built, and so checked against the spec,
	// before the first is sent.
	var requests []*gen.Request
	for start := 0; start < len(invitations); start += MaxBulkInvitations {
		end := min(start+MaxBulkInvitations, len(invitations))
		req, err := gen.NewCreateOrganizationInvitationBulkRequest(organizationID, invitations[start:end])
		if err != nil {
			return nil, renumber(err, op, start)
		}
		requests = append(requests, req)
	}
	caller := c.with(opts)
	workers := max(options.Concurrency, 1)

	results := make(BulkResults, len(invitations))
	for i := range invitations {
		results[i] = BulkResult{Index: i, EmailAddress: invitations[i].EmailAddress}
	}
	chunks := make(chan int) // index of each chunk
	var (
		mu      sync.Mutex // guards done, stopped and the Progress calls
		done    int
		stopped bool
		wg      sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range chunks {
				start := k * MaxBulkInvitations
				part := results[start:min(start+MaxBulkInvitations, len(results))] // each chunk owns its slice of results
				mu.Lock()
				skip := stopped
				mu.Unlock()
				if skip {
					settle(part, BulkSkipped, errSkipped)
				} else {
					sendChunk(ctx, caller, requests[k], part, options.Limiter)
				}
				mu.Lock()
				if options.StopOnError && slices.ContainsFunc(part, failedResult) {
					stopped = true
				}
				done += len(part)
				if options.Progress != nil {
					options.Progress(done, len(invitations))
				}
				mu.Unlock()
			}
		}()
	}
	for k := range requests {
		chunks <- k
	}
	close(chunks)
	wg.Wait()
	return results, nil
}

// renumber turns a chunk's validation error into one about the whole
// input: "[2].role" of the chunk starting at 30 is "[32].role" of CreateMany.
func renumber(err error, op string, start int) error {
	var v *ValidationError
	if !errors.As(err, &v) {
		return err
	}
	field := v.Field
	if rest, ok := strings.CutPrefix(field, "["); ok {
		if i := strings.IndexByte(rest, ']'); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				field = "[" + strconv.Itoa(start+n) + rest[i:]
			}
		}
	}
	return &ValidationError{Operation: op, Field: field, Reason: v.Reason}
}

// sendChunk sends one chunk and records its outcome in part.
func sendChunk(ctx context.Context, caller gen.Caller, req *gen.Request, part []BulkResult, limiter Limiter) {
	if limiter != nil {
		if err := limiter.Wait(ctx); err != nil {
			settle(part, BulkSkipped, err)
			return
		}
	}
	if err := ctx.Err(); err != nil {
		settle(part, BulkSkipped, err)
		return
	}
	var list InvitationList
	err := caller.Call(ctx, req, &list)
	var decErr *DecodeError
	switch {
	case err == nil:
		match(part, list.Data)
	case OutcomeUnknown(err), errors.As(err, &decErr):
		// A DecodeError follows a 2xx: the invitations exist, but without a
		// readable response the caller must look them up like unknown ones.
		settle(part, BulkOutcomeUnknown, err)
	default:
		settle(part, BulkFailed, err)
	}
}

// match pairs created invitations with their requests by email address.
// An item the response does not mention is reported as unknown: the call
// succeeded, so it may exist.
func match(part []BulkResult, created []Invitation) {
	byEmail := make(map[string]*Invitation, len(created))
	for i := range created {
		byEmail[strings.ToLower(created[i].EmailAddress)] = &created[i]
	}
	for i := range part {
		if inv, ok := byEmail[strings.ToLower(part[i].EmailAddress)]; ok {
			part[i].Status, part[i].Invitation = BulkCreated, inv
			continue
		}
		part[i].Status = BulkOutcomeUnknown
		part[i].Err = errors.New("clerk: the bulk response did not include this invitation")
	}
}

// failedResult reports whether a sent invitation did not surely get created.
func failedResult(r BulkResult) bool {
	return r.Status == BulkFailed || r.Status == BulkOutcomeUnknown
}

func settle(part []BulkResult, status BulkStatus, err error) {
	for i := range part {
		part[i].Status, part[i].Err = status, err
	}
}
