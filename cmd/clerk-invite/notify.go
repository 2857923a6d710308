package main

import "context"

// Whether Clerk emails each invitation is a choice a send must make out
// loud. Forgetting it either way cannot be undone: thousands of
// invitations nobody hears about (each one fixed by a revoke and a new
// create), or thousands of emails sent. So a run that sends needs --notify
// or --no-notify; the journal records the choice, and a resume keeps it.
// A resume may leave the flag out; one that gives the opposite flag is
// refused, as it would leave some people emailed and others not. A dry
// run only shows the choice, or that none was made.

// notifyFlags are send's two flags; at most one may be given.
type notifyFlags struct{ notify, noNotify bool }

// given is the choice the flags make, or nil for none.
func (n notifyFlags) given() (*bool, error) {
	switch {
	case n.notify && n.noNotify:
		return nil, badInput("--notify and --no-notify: give one of them, not both")
	case n.notify:
		return boolPtr(true), nil
	case n.noNotify:
		return boolPtr(false), nil
	}
	return nil, nil
}

func boolPtr(b bool) *bool { return &b }

// decideNotify is a send's choice from its flag (nil when neither was
// given) and the one its journal recorded (nil when none): a pure
// function of the two. A run with no choice at all is refused, as is one
// whose flag contradicts the journal; a dry run (sends false) is only
// refused for a contradiction, and may stay undecided (nil).
func decideNotify(flag, recorded *bool, journalPath string, sends bool) (*bool, error) {
	switch {
	case flag != nil && recorded != nil && *flag != *recorded:
		return nil, badInput("the journal %s records %s for this run, and this command says %s. A run keeps its first choice, so that everyone hears of it the same way: leave the flag out to go on, or give this run its own --journal",
			journalPath, notifyFlagName(*recorded), notifyFlagName(*flag))
	case flag != nil:
		return flag, nil
	case recorded != nil:
		return recorded, nil
	case sends:
		return nil, badInput("send needs --notify (Clerk emails each person their invitation) or --no-notify (no email: you tell them yourself); nothing was sent")
	}
	return nil, nil
}

// notifyFlagName is the flag that makes a choice.
func notifyFlagName(notify bool) string {
	if notify {
		return "--notify"
	}
	return "--no-notify"
}

// notifyWords says a choice for a person: in the dry run, the status and
// the line a run starts with.
func notifyWords(choice *bool, recorded bool) string {
	from := ""
	if recorded {
		from = ", as the journal records"
	}
	switch {
	case choice == nil:
		return "not chosen: a run needs --notify or --no-notify"
	case *choice:
		return "yes, Clerk emails each person their invitation (--notify" + from + ")"
	}
	return "no, nobody is emailed by Clerk (--no-notify" + from + ")"
}

// recordedNotify is the choice the journal at path recorded, or nil when
// there is no journal or it recorded none. It opens the journal read-only,
// which leaves no file behind.
func recordedNotify(ctx context.Context, path string) (*bool, error) {
	j, err := openJournalReadOnly(path)
	if err != nil || j == nil {
		return nil, err
	}
	defer j.Close()
	n, err := j.Notify(ctx)
	if err != nil {
		return nil, damagedJournal(path, err)
	}
	return n, nil
}
