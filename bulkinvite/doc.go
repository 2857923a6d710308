// Package bulkinvite invites many people to a Clerk organization, each
// exactly once, in runs that may last hours under Clerk's rate limits and
// survive crashes.
//
// A run keeps a journal (see [Store]; by default an SQLite file opened with
// [OpenJournal]) with one [Entry] per person. The entry is written before
// each request and after each response, so that a run stopped at any moment,
// even by SIGKILL, continues where it was when started again with the same
// journal: nothing is sent twice and nothing is lost.
//
//	journal, err := bulkinvite.OpenJournal("invites.db")
//	...
//	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{
//		Client:         c,
//		OrganizationID: "org_123",
//		Store:          journal,
//		Limits:         bulkinvite.ProductionLimits(),
//	}, people)
//
// A run uses both ways to invite at once, bulk creates of ten and single
// creates, each paced to its own limit ([Limits]), so that a large run
// approaches Clerk's ceiling of about 750 people an hour. A 429 pauses
// the channel that got it for its Retry-After, however long; it never
// fails anyone.
//
// When a request ends without a clear outcome (the connection broke after
// sending, a 5xx, an unreadable success), the run does not guess and does
// not send again blindly: it looks the address up among the organization's
// pending invitations, records the invitation if it exists, and sends
// again only if it does not. Clerk refuses a second pending invitation for
// one address, which the run reads as "already there", so even a request
// that lands late cannot invite anyone twice. People who already had a
// pending invitation, or who already belong to the organization, are
// outcomes of their own ([StateAlreadyInvited], [StateAlreadyMember]).
//
// Before sending, a run asks the server: it lists the organization's
// pending invitations ([ListPending], one request per 500 from the
// client's general limit, none from the create limits) and settles everyone
// who has one with no create ([ReconcileOptions.Pending]): as already
// invited, or as created when a request of the journal may have made it.
// So a run whose journal was lost or moved aside rebuilds it from the
// server's state in seconds instead of spending hours of create budget on
// refusals. [Config.SkipServerCheck] turns this off. A [Journal] records
// what it was started for ([Journal.Origin]), so a caller can say when a
// later run is of another list.
//
// Every person ends created, already invited, already a member, or failed
// with a reason; only if the API stays unreachable until the run ends can
// someone be left unsettled ([StateCheck] or [StateQueued]), for the next
// run to settle.
package bulkinvite
