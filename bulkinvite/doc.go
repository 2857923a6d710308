// Package bulkinvite invites many people to a Clerk organization, each
// exactly once, in runs that may last hours under Clerk's rate limits and
// survive crashes.
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
//		OrganizationID: "org_123",
//		Store:          journal,
//		Limits:         bulkinvite.ProductionLimits(),
//		Progress: func(p bulkinvite.Progress) {
//			log.Printf("%d/%d, ETA %v", p.Counts.Settled(), p.Counts.Total(), p.ETA)
//		},
//	}, people)
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
// store fits the three methods of [Store]. [NewMemoryStore] is for tests
// and for runs short enough not to need resuming.
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
// # The server first
//
// Before sending, a run asks the server. It lists the organization's
// pending invitations ([ListPending]: pages of 500 fetched in parallel, one
// request per 500 from the client's general limit, none from the create
// limits). It settles everyone who has one with no create: as already
// invited, or as created when a request of the journal may have made it.
// It records the invitation's id. So a run whose journal was lost or moved
// aside rebuilds it from the server's state in seconds, instead of
// spending hours of create budget on refusals. [Config.SkipServerCheck]
// turns this off, for people known to be new. A [Journal] records what it
// was started for ([Journal.Origin]: organization, list, digest), so a
// caller can say when a later run is of another list.
//
// # Plans and dry runs
//
// [Reconcile] is the rule by which a run reads its journal and its people:
// whom to send, whom to check, who is settled. It is a pure function, and
// [ReconcileOptions.Pending] carries the server's pending invitations into
// it. [ReconcileWithServer] asks the server first, as a run does.
// `clerk-invite send --dry-run` reports from the same plan, so the dry run
// and the real run agree.
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
package bulkinvite
