//go:build unix

package bulkinvite

import (
	"errors"
	"os"
	"syscall"
)

// locksFiles reports that a run's journal is locked on this system.
const locksFiles = true

// lockFile takes an exclusive flock on the open file f. The lock belongs
// to the file, not to the name it was opened by, so a second run through
// a symbolic or hard link to the same journal finds it taken. The system
// releases it when f is closed or the process ends, however it ends, so a
// killed run never leaves a stale lock. SQLite's own locks are POSIX
// record locks, which flock does not touch.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}
