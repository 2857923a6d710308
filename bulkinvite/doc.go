// Package bulkinvite invites many people to Clerk organizations, each
// exactly once, in runs that may last hours under Clerk's rate limits and
// survive crashes. One run may cover one organization or thousands.
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
//		OrganizationID: "org_123", // or empty: each Person names theirs
//		Store:          journal,
//		Limits:         bulkinvite.ProductionLimits(),
//	}, people) // []bulkinvite.Person
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
// Before sending, a run asks the server: it lists the pending invitations
// of its organizations ([ServerCheck], one request per 500 from the
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
//
// # Many organizations
//
// A [Person] carries the organization they are invited to: a migration
// onto Clerk is one list of people across all its organizations, one run,
// one journal. The same address in two organizations is two people; the
// same address twice in one organization is bad input. When
// [Config.OrganizationID] is set, the run is of that organization alone: a
// person with no organization gets it, a person of another is refused.
// When it is empty, each person names their organization, and the run
// covers the organizations they name (resuming with no people: every
// organization of the journal with someone unsettled). [Summary] and
// [Progress] count by organization and in total; a [Journal] counts by
// organization in SQL ([Journal.CountByOrganization]) and lists its
// organizations ([Journal.Organizations]).
//
// # The order of sending
//
// Clerk's create limits are the instance's, shared by all its
// organizations, so one run sends for all of them through its two paced
// channels: the run never exceeds the instance's ceiling, however many
// organizations it has. A bulk create holds people of one organization.
// The organizations take turns, round-robin over those with people
// queued: a turn gives one organization a chunk of up to ten people, sent
// in one bulk create or, by the single creates, one at a time, and sends
// it to the back. A bulk create takes the next organization in turn that
// has ten queued, so that bulks go full; the single creates take the next
// turn and then that organization's chunk. So a small organization is not
// starved behind a large one: its turn comes within one rotation, the
// time one turn of every organization takes ([Limits.Rotation]: at
// Clerk's limits, a run keeps about 74.6 turns an hour, so a rotation of
// 1,000 organizations takes 13 h 24 min). Organizations of equal size
// finish within one rotation of one another, give or take the ten single
// creates of a chunk sent one by one and one bulk: 1,000 organizations of
// 20 reach 99.5% of the ceiling with no 429 and finish within 13 h 24 min
// of one another (TestPacingAcrossOrganizations, in simulated time). A 429
// that another process on the instance caused pauses the channel that got
// it for its Retry-After, and fails no one.
//
// # Asking the server once
//
// A run of one organization lists that organization's pending
// invitations. A run of several asks for the first page of the instance's
// pending invitations (GET /organization_invitations?status=pending):
// its total_count tells what one walk of the whole instance costs. The
// run then takes whichever way costs fewer requests: the rest of that
// walk, or one list per organization (at least one request each). So a
// run of 1,000 organizations on an instance with 20,000 pending takes 41
// requests, not 1,000 ([ServerCheck], [Summary.ServerCheck]). [DryRun]
// asks the same way and says what it cost.
//
// # Memory
//
// The journal is where the people are. A run streams them into it
// ([RunSeq], [Store.Import]: one transaction, all or none), reads it once
// when it starts, and then holds, for each person waiting, the ID of
// their entry in their organization's queue (8 bytes), and for the server
// check 16 bytes more; counts are kept by organization as people move. It
// loads a person's entry when it sends, checks or revokes them, ten at a
// time, and writes the records of the responses and of the next requests
// in one transaction (nothing is sent before its record is written).
// Summary.Failed and Summary.Unsettled are read from the journal at the
// end, when there are any. So a run's memory grows by a few dozen bytes a
// person, not by the people's invitations (BenchmarkRun). A
// [MemoryStore] holds every entry, and suits tests and small runs.
package bulkinvite
