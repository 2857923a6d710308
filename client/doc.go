// Package client is the Go client for the organization invitations of
// Clerk's Backend API. You can invite people into an organization (one, up
// to ten, or any number), list an organization's or the whole instance's
// invitations, read one, and revoke one.
//
// A [Client] is safe for concurrent use. Make one and share it:
//
//	c, err := client.New() // the key comes from CLERK_SECRET_KEY
//	inv, err := c.Create(ctx, "org_123", client.CreateParams{
//		EmailAddress: "ada@example.com",
//		Role:         "org:member",
//	})
//
// To invite more people than one [Client.BulkCreate] takes, each exactly
// once, use package bulkinvite, which stands on this one. Package fake is
// an in-memory Clerk for your tests.
//
// # Operations
//
// Each method names its route in its doc comment:
//
//   - [Client.ListInstance], [Client.ListInstanceAll] (an iterator):
//     GET /organization_invitations
//   - [Client.Create]: POST /organizations/{organization_id}/invitations
//   - [Client.List], [Client.ListAll] (an iterator):
//     GET /organizations/{organization_id}/invitations
//   - [Client.BulkCreate], 1 to 10 people:
//     POST /organizations/{organization_id}/invitations/bulk
//   - [Client.Get]:
//     GET /organizations/{organization_id}/invitations/{invitation_id}
//   - [Client.Revoke]:
//     POST /organizations/{organization_id}/invitations/{invitation_id}/revoke
//   - [Client.ListPending], [Client.ListPendingAll], both deprecated:
//     GET /organizations/{organization_id}/invitations/pending
//
// Clerk deprecates the pending-only list. The two methods carry Go's
// Deprecated notice, so staticcheck points their callers at [Client.List]
// with Status: Statuses{StatusPending}. That does the same, and can also
// sort and filter.
//
// # Calls and options
//
// Every method has the same shape: a context, the ids of the route, one
// parameter struct passed by value, then options. The zero fields of a
// parameter struct are not sent, so the API's defaults apply:
// ListParams{} lists the first page of every status, newest first. A call
// never changes your struct.
//
// Orders and statuses are typed ([OrderEmailAsc], [StatusPending]). The
// status filter takes several statuses, and an invitation in any of them
// matches, as in Clerk's API and its own SDKs
// (?status=pending&status=expired). See [Statuses]. A status the API does
// not have, or an order other than created_at or email_address with an
// optional + or -, is refused before anything is sent.
//
// Options are one type, [Option]. Passed to [New], an option sets the
// client's default. Passed to a method, it applies to that call only:
//
//	inv, err := c.Get(ctx, org, id, client.WithSecretKey(other), client.WithHeader("X-Request-Id", rid))
//
// Every request carries these headers:
//
//   - Authorization: Bearer <key>
//   - Clerk-API-Version: [APIVersion], the version api/openapi.yaml describes
//   - User-Agent: clerkinvitations-go/<version> (<go version>), then any
//     [WithUserAgentSuffix]
//   - Accept: application/json
//
// # Errors
//
// Every failure is one of these types. Get one with errors.As:
//
//   - *[APIError]: any response outside 2xx, listed or not (401, 409, 429,
//     502…), with Clerk's JSON, empty, HTML or truncated. It carries the
//     status, Clerk's errors, the trace id and Retry-After.
//   - *[RequestError]: no response came. The connection was refused,
//     reset or timed out, the context ended, or a custom [HTTPDoer]
//     followed a redirect.
//   - *[DecodeError]: a 2xx whose body is not the JSON expected, broke off
//     or stalled, lacks a value the schema requires ([MissingFieldError],
//     such as {} where an invitation belongs), or is over the size cap
//     ([ErrResponseTooLarge]). After a POST the request was carried out, so
//     [OutcomeUnknown] reports true.
//   - *[ValidationError]: bad input, found before anything is sent. It
//     breaks a rule of the spec (required fields, bounds, enums, checked by
//     package gen) or one of this package's (an address that is not one
//     bare address, one address twice in a bulk call).
//   - *[KeyError]: the key provider failed. Nothing was sent.
//
// One predicate answers each question: [IsNotFound], [IsUnauthorized],
// [IsForbidden], [IsRateLimited], [HasCode], and [OutcomeUnknown]: may a
// failed call have been carried out?
//
// Some refusals are not failures but facts about the person. They have
// predicates of their own. [IsAlreadyInvited] is a 400
// organization_invitation_not_unique from Create, or duplicate_record from
// BulkCreate, which then creates none of its ten. [IsAlreadyMember] is
// already_a_member_in_organization. [RefusedAddresses] returns the
// addresses a bulk refusal names, so you can send the rest again without
// them.
//
// [ValidateCreate] returns the error Create would give, without sending.
// Use it for invitations you collect now and send later.
//
// Addresses follow one rule, the library's. [CheckEmailAddress] accepts one
// bare address, and Create and BulkCreate refuse anything else before
// sending. [NormalEmail] is the form in which two addresses are the same
// person. Package bulkinvite, clerk-invite and package fake use the same
// two functions.
//
// # Retries that never invite anyone twice
//
// Clerk's API takes no idempotency key. A create sent twice invites twice
// and emails twice. Clerk's generated SDKs still retry every method, POST
// included, on any 5xx, for up to an hour. Clerk's Go SDK does not retry at
// all. This client retries only what is safe; [RetryPolicy] says which
// failures that is. A POST whose outcome is unknown is not retried: its
// error reports [OutcomeUnknown], so you can look with Get or List first.
//
// The client never sends an Idempotency-Key header. [WithHeader] refuses
// Idempotency-Key and X-Idempotency-Key: Clerk ignores them, and with
// either one Go's transport would replay a POST by itself when a
// connection breaks after sending.
//
// The client follows no redirect, for any operation. Clerk's API does not
// redirect. A followed 303 turns a POST into a GET that "succeeds", and a
// followed 307 sends the POST again. A 3xx comes back as an *[APIError];
// for a POST, [OutcomeUnknown] reports true.
//
// The defaults ([DefaultRetryPolicy]), beside other clients:
//
//	                         retries   waits between attempts
//	this client              3         0.5 s, 1 s, 2 s (×2, cap 8 s, up to 25% shorter at random)
//	openai-go                2         0.5 s doubling, cap 8 s
//	stripe-go                2         exponential backoff
//	Clerk's generated SDKs   an hour   0.5 s ×1.5, cap 60 s; POSTs too, on any 5xx, never on 429
//
// Three retries with a short doubling backoff ride out a deploy or a brief
// network fault in under 4 seconds. An interactive invite flow can afford
// that. Anything longer is an outage, and the caller should see it.
//
// Retry-After, in seconds or as an HTTP date, is honoured on 429 and 503 up
// to 30 s. The client does not wait for a longer one, or for one that would
// pass the context's deadline: the call returns at once, with
// [APIError].RetryAfter set. Every wait ends when the context does.
//
// A retry budget per client ([WithRetryBudget]) stops an outage from
// multiplying traffic. [WithLogger] logs each retry, and never keys or
// bodies. To change the policy, per client or per call, use
// [WithRetryPolicy], [WithMaxRetries], [WithoutRetries] or
// [WithRetryBudget].
//
// # Clerk's request limit
//
// Clerk allows an instance [ProductionRequestLimit] Backend API requests in
// any [RequestLimitWindow], or [DevelopmentRequestLimit] in development. A
// client keeps to that by itself, for all its calls together; see
// [WithRequestLimit]. When the API answers 429 with Retry-After, every call
// of that operation waits it out, not only the one that got it. The limit
// costs a successful call no allocation. The fake's NewClient uses
// [WithoutRequestLimit].
//
// # How long a call can take
//
// With the default settings every call ends within 90 seconds, whatever
// the server does, even with context.Background(). [WithTimeout] (default
// [DefaultTimeout]) bounds the whole call: every attempt and every wait
// between them. [WithAttemptTimeout] (default [DefaultAttemptTimeout])
// bounds each attempt, from sending the request to the last byte of the
// response. So a server that stalls after the headers, or trickles the
// body a byte at a time, cannot hold a call either. The context's own
// deadline wins when it is earlier. Zero removes a bound.
//
// # Iterators
//
// [Client.ListAll] and [Client.ListInstanceAll] are iter.Seq2 iterators
// over a whole list:
//
//	for inv, err := range c.ListAll(ctx, "org_123", client.ListParams{Status: client.Statuses{client.StatusPending}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(inv.EmailAddress)
//	}
//
// Pages hold 500 invitations ([MaxPageSize]) unless Limit says otherwise.
// Each page after the first starts at the last item of the page before it.
// So 1,234 invitations take 3 requests, at offsets 0, 499 and 998, and the
// walk can tell whether the list shifted between two reads.
//
// The first page comes alone, since its total_count tells how many follow.
// Then up to [WithPageConcurrency] pages (default [DefaultPageConcurrency])
// are in flight or waiting to be yielded, the one being yielded included.
// So a walk holds about n pages of decoded invitations, however long the
// list, and releases each page once it is yielded. Items come in the
// list's order, whatever order the pages arrive in.
//
// A walk ends at the end of the list, at the first error, or on break. The
// first error is yielded once, after the items of the pages before it, and
// nothing follows it. A break cancels the requests in flight and sends no
// more; the loop returns once those have ended. The iterators never modify
// your parameters and never yield an id twice. Every page goes through the
// client's pipeline: its request limit (one limit for the whole walk) and
// its retry policy. A 429 with Retry-After pauses every page of the walk,
// which then goes on: it slows down, it does not fail.
//
// What a walk promises while the list changes under it (invitations
// created, revoked or accepted while you list pending ones), at any
// concurrency and in any order of arrival:
//
//   - Every invitation that is in the list for the whole walk is yielded
//     exactly once, in the list's order.
//   - Invitations created or removed during the walk may or may not be
//     yielded.
//   - A page that does not begin where the walk left off shows that the
//     list shifted. The walk finds its place again: it rereads that page,
//     then reads from further back. It does not skip.
//   - It never ends short in silence. A page shorter than asked for, while
//     total_count counts more, is followed on from its last item. A list
//     that ends before its total_count, a page that brings nothing new (a
//     server that ignores the offset), or a list that changes faster than
//     the walk can find its place, ends the walk with a *[PagingError].
//   - With Limit: 1, pages cannot overlap, and this promise does not hold.
//
// # Metadata
//
// Metadata in responses (PublicMetadata, PrivateMetadata) is a [Metadata]:
// the JSON object as the API sent it. Decode it when you need it, into a
// struct of yours with Decode or into a map with Map. In [CreateParams]
// metadata is a plain map.
//
// # The secret key
//
// An error never shows the key. The client scrubs it from everything an
// error keeps of a response (Body, Header, TraceID, Clerk's messages), in
// any spelling a server might echo: raw, JSON-escaped (sk\u005ftest…),
// percent-encoded, and any start of it of 12 bytes or more. It does so
// before the body is cut to [MaxErrorBodyBytes].
//
// The key goes to the base URL only. [WithBaseURL] refuses a URL with
// credentials, a query or a fragment, and plain http except to loopback.
// An [HTTPDoer] of your own that is not an *http.Client must not follow
// redirects or resend requests ([WithHTTPClient] says why). The client
// notices a followed redirect and fails the call, but it cannot unsend it.
//
// # Generated operations
//
// The request and response types are those of package gen, generated from
// the API's OpenAPI document. A Client is also a [gen.Caller]. So any
// operation of gen, including one added to the spec before this package
// wraps it, runs through the client's key, retries and error types:
//
//	inv, err := gen.GetOrganizationInvitation(ctx, c, "org_123", "orginv_123")
package client
