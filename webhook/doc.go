// Package webhook verifies and decodes the webhooks Clerk sends about
// organization invitations.
//
// Clerk delivers its webhooks through Svix: each request carries three
// headers, svix-id (the message's id), svix-timestamp (when it was signed,
// in Unix seconds) and svix-signature (one or more space-separated
// "v1,<base64>" values, each an HMAC-SHA256 of "id.timestamp.body" keyed
// with the endpoint's signing secret). A [Verifier], made by [NewVerifier]
// from the "whsec_…" secret of Clerk's dashboard, checks them and turns the
// body into an [Event]:
//
//   - [InvitationCreated] for organizationInvitation.created,
//   - [InvitationAccepted] for organizationInvitation.accepted,
//   - [InvitationRevoked] for organizationInvitation.revoked,
//   - [OtherEvent] for any other type, known to Clerk or added later: an
//     unknown type is never an error.
//
// [Verifier.Handler] wraps this in an http.Handler:
//
//	http.Handle("/webhooks/clerk", v.Handler(handle))
//
// A message's timestamp must lie within [DefaultTolerance] (5 minutes) of
// your clock. [Sign] makes the headers of a signed request, to test a
// handler without a server. To test it end to end, package fake sends the
// same events, signed the same way (see fake.WithWebhook and its example).
//
// # Every event may arrive more than once
//
// Svix delivers at least once: when an attempt fails or times out it tries
// again later, and an attempt your server did handle can still look failed
// to Svix (a response lost, a timeout just after the work was done). Every
// delivery of one event carries the same svix-id, which
// [Envelope].MessageID holds, so de-duplicate by it: record the ids you have
// handled (in the same transaction as the work, where you can) and skip one
// already recorded. The ids are unique per message, not per invitation:
// an invitation created, then revoked, gives two events with two ids.
// Svix does not keep the events in order either: compare
// [Envelope].Timestamp, or the invitation's UpdatedAt, before letting an
// older event overwrite a newer state.
//
// # Errors
//
// Verify's errors match, with errors.Is, one of [ErrMissingHeader],
// [ErrMalformedHeader], [ErrTooOld], [ErrTooNew], [ErrBadSignature] and
// [ErrMalformedEvent]; [NewVerifier] and [Sign] return [ErrBadSecret] for a
// secret that is not "whsec_" and base64. No error, and no formatting of a
// [Verifier], ever shows the secret.
package webhook
