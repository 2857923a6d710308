//go:build windows

package bulkinvite

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where, in the journal's file, the lock's one byte lies:
// far past any data, and far from the bytes SQLite locks for itself (at
// 1 GiB). Windows locks are mandatory, so a lock on bytes that SQLite
// reads would keep SQLite's own handle, and every reader's, out of them.
const lockOffset = 1 << 62

// locksFiles reports that a run's journal is locked on this system.
const locksFiles = true

// lockFile takes an exclusive lock (LockFileEx) on one byte of the open
// file f, far past its data. Like flock on Unix, it belongs to the file,
// not the name, so a second run through another path to the same journal
// finds it taken; Windows releases it when f is closed or the process
// ends, however it ends, so a killed run never leaves a stale lock.
func lockFile(f *os.File) error {
	ol := &windows.Overlapped{Offset: uint32(lockOffset & 0xFFFFFFFF), OffsetHigh: uint32(lockOffset >> 32)}
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrLocked
	}
	return err
}
