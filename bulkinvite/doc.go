// Package bulkinvite invites many people to Clerk organizations, each
// exactly once, in runs that may last hours under Clerk's rate limits and
// survive crashes. One run may cover one organization or thousands.
//
// Package client holds the single operations and the iterators. The engine
// for many invitations lives here, once. Use it for more people than the
// ten of one client.Client.BulkCreate.
//
//	journal, err := bulkinvite.OpenJournal("invites.db") // an SQLite file, pure Go
//	if err != nil {
//		return err
//	}
//	defer journal.Close()
//	summary, err := bulkinvite.Run(ctx, bulkinvite.Config{
//		Client:         c,
//		OrganizationID: "org_123", // or empty: each Person names theirs
//		Store:          journal,
//		Limits:         bulkinvite.ProductionLimits(),
//		Progress: func(p bulkinvite.Progress) {
//			log.Printf("%d/%d, ETA %v", p.Counts.Settled(), p.Counts.Total(), p.ETA)
//		},
//	}, people) // []bulkinvite.Person; RunSeq streams them
//	if err != nil {
//		return err
//	}
//	fmt.Println(summary.Counts[bulkinvite.StateCreated], "invited")
//
// Clerk allows 50 bulk creates of ten ([client.BulkCreateLimit]) and 250
// single creates ([client.CreateLimit]) an hour, per instance: about 750
// people an hour at best. So a run of thousands lasts
// hours, and over hours processes restart and networks drop. Give such a
// run a journal on disk. With [NewMemoryStore] as its journal, a short run
// is an in-memory "create many": it checks everyone first, sends bulk and
// single creates, and settles every outcome a request leaves unknown
// instead of handing it back.
//
// # The journal
//
// A run keeps one [Entry] per person in its journal (a [Store]; by default
// an SQLite file opened with [OpenJournal]). The entry holds the person's
// [State]: queued, sent, needs_check, created (with the invitation's id),
// already_invited, already_member, or failed (with the reason). The run
// writes it before each request and after each response, synced to disk.
// The journal is locked against a second run ([ErrLocked]). Any other
// store fits the methods of [Store]. [NewMemoryStore] is for tests and for
// runs short enough not to need resuming.
//
// Kill the process at any moment, SIGKILL included, and run it again with
// the same journal. Requests that were in flight are checked first.
// Nothing is sent twice, and nothing is lost.
//
// # Exactly once
//
// When a request ends without a clear outcome (the connection broke after
// sending, a 5xx, an unreadable success), the run does not guess and does
// not send again blindly. It looks the address up among the organization's
// pending invitations. It records the invitation if it exists, and sends
// again only if it does not. Clerk refuses a second pending invitation for
// one address, which the run reads as "already there". So even a request
// that lands late cannot invite anyone twice. People who already had a
// pending invitation, or who already belong to the organization, are
// outcomes of their own ([StateAlreadyInvited], [StateAlreadyMember]). A
// bulk create refused for some of its addresses goes again without them.
//
// # Pacing
//
// A run uses both ways to invite at once: bulk creates of ten, and single
// creates. Each is paced to its own limit ([Limits]). No request goes
// sooner than the limit's window, plus a margin of 1/200 of it, after the
// request the limit's count before it, timed from that request's response.
// All of it stays within the client's general request limit. So a large
// run approaches Clerk's ceiling of about 750 people an hour. A 429 pauses
// the channel that got it for its Retry-After, however long; it never
// fails anyone.
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
// # The server first
//
// Before sending, a run asks the server for the pending invitations of its
// organizations (one request per 500 from the client's general limit,
// none from the create limits). It settles everyone who has one with no
// create: as already invited, or as created when a request of the journal
// may have made it.
// It records the invitation's id. So a run whose journal was lost or moved
// aside rebuilds it from the server's state in seconds, instead of
// spending hours of create budget on refusals. [Config.SkipServerCheck]
// turns this off, for people known to be new. A [Journal] records what it
// was started for ([Journal.Origin]: organization, list, digest), so a
// caller can say when a later run is of another list.
//
// A run of one organization lists that organization's pending
// invitations ([ListPending]). A run of several asks for the first page of
// the instance's pending invitations (GET
// /organization_invitations?status=pending): its total_count tells what
// one walk of the whole instance costs. The run then takes whichever way
// costs fewer requests: the rest of that walk, or one list per
// organization (at least one request each). So a run of 1,000
// organizations on an instance with 20,000 pending takes 41 requests, not
// 1,000 ([ServerCheck], [Summary.ServerCheck]).
//
// # Plans and dry runs
//
// [Reconcile] is the rule by which a run reads its journal and its people:
// whom to send, whom to check, who is settled. It is a pure function, and
// [ReconcileOptions.Pending] carries the server's pending invitations into
// it. [ReconcileWithServer] asks the server first, as a run does. Both hold
// every person in memory. [DryRun] decides with the same rules, person by
// person, for a list of any size: it says per organization whom a run
// would invite, who is found pending, who is settled, and how many list
// requests asking the server takes, sending and writing nothing.
//
// # Resend
//
// Clerk has no resend endpoint. [Resend] revokes the pending invitation and
// creates it again with the same role and metadata, exactly once, through
// the same kind of journal.
//
// # The end of a run
//
// Everyone ends created, already invited, already a member, or failed with
// a reason. Only if the API stays unreachable until the run ends can
// someone be left unsettled ([StateCheck] or [StateQueued]), for the next
// run to settle.
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
// At the end, the summary counts everyone and lists the first
// [MaxSummaryEntries] of the failed and of the unsettled, read from the
// journal when there are any; the store's Scan gives them all. So a
// run's memory grows by a few dozen bytes a person, not by the people's
// invitations (BenchmarkRun), even when it stops early with most of a
// million unsettled. A [MemoryStore] holds every entry, and suits tests
// and small runs.
package bulkinvite
