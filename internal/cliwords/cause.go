package cliwords

// Cause is the error at the bottom of err's chain, as a message says it:
// the cause alone, without the packages and system calls that passed it
// up. A file that cannot be opened is "permission denied", not "open
// /dir/file: permission denied"; the message names the file itself. Of an
// error that wraps several ("%w: %w"), Cause follows the last, the cause.
func Cause(err error) error {
	for {
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next := u.Unwrap()
			if next == nil {
				return err
			}
			err = next
		case interface{ Unwrap() []error }:
			list := u.Unwrap()
			if len(list) == 0 {
				return err
			}
			err = list[len(list)-1]
		default:
			return err
		}
	}
}
