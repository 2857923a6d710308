// Package fake is an in-memory Clerk for tests and demos. It is a real HTTP
// server on 127.0.0.1 that serves the seven organization-invitation
// operations with Clerk's behaviour. So you can test code that uses this
// library, or any client of the API, without a Clerk account or a network.
//
// It serves the strict server interface that oapi-codegen generates from
// api/openapi.yaml, with the same models the client uses, so it cannot
// drift from the contract:
//
//	srv := fake.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	inv, _ := c.Create(ctx, "org_1", client.CreateParams{EmailAddress: "ada@example.com", Role: "org:member"})
//
// # Clerk's behaviour
//
// Invitations get ids like orginv_…, start pending, expire after
// expires_in_days (30 by default), can be revoked while pending, and are
// listed with Clerk's filters, order and paging. Errors have Clerk's shape
// and codes. Organizations are created on first use unless
// [WithOnlyDeclaredOrganizations] is given. Requests need a bearer key
// that starts with "sk_", or exactly the one [WithSecretKey] sets;
// anything else is a 401.
//
// [WithMember] and [Server.Accept] model people who belong to an
// organization. [Server.Expire] lets an invitation expire now.
// [Server.Notifications] lists the emails Clerk would have sent.
//
// # Limits, faults and the request log
//
// [WithRateLimit] (per operation) and [WithClerkRateLimits] make it refuse
// requests beyond Clerk's limits with 429 and Retry-After, as the real API
// does. They run on the fake's own clock ([WithClock]), so hours of limits
// can pass in a test's seconds.
//
// For tests of failure handling, [Server.InjectFault] makes the next calls
// of an operation misbehave, before or after carrying the request out. It
// can respond with a status, or with {}, null or nothing under a 2xx; hang;
// drop the connection; redirect; stall the body after the headers, trickle
// it, or send half of it; echo the key back; or ignore a list's offset (see
// [Fault]). Your tests can meet the same misbehaviours as this library's.
//
// [Server.Requests] returns the last requests the server received: the
// last [DefaultRequestLog] unless [WithRequestLog] says another number. So
// a fake that serves for hours does not grow with its traffic.
//
// # Webhooks
//
// [WithWebhook] makes it deliver Clerk's organizationInvitation.created,
// .accepted and .revoked events to a URL, signed as Clerk signs them
// (package webhook verifies them). It retries a failed delivery
// ([WithWebhookRetries]). [Server.Webhooks] lists what it sent, with every
// attempt, and [Server.WaitWebhooks] waits until all are delivered.
//
// # State, the admin API and other networks
//
// [Server.Snapshot] and [Server.Restore] save and load the state.
// [Server.Reset] goes back to the start.
//
// [WithAdmin] adds an HTTP admin API under [AdminPrefix], for tests in any
// language and for the clerk-fake command: faults, rate limits, accepting
// and expiring invitations, the requests and emails recorded, and a reset.
// docs/clerk-fake.md in the repository describes its routes.
//
// [WithInMemoryNetwork] serves on an in-memory network instead of
// loopback, for tests inside testing/synctest bubbles; [Server.HTTPClient]
// reaches it.
package fake
