package bulkinvite

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// A reader of a journal (status, a dry run) must leave the directory as it
// found it. A run writes the journal in SQLite's WAL mode, which keeps two
// files beside it while a connection is open: the write-ahead log (-wal)
// and its shared index (-shm). A writer that closes cleanly folds the log
// into the journal and removes both. A reader, though, opened read-only in
// the usual way, creates both files when they are missing and, unable to
// write, cannot remove them: status left a 32 KiB -shm and an empty -wal.
//
// So a reader looks first. With no -wal beside the journal, no writer is
// connected and everything written is in the journal file itself: the
// reader opens it as immutable, which SQLite reads without locks or side
// files. With a -wal there, a run is going (or one was killed before it
// could fold its log in): the reader opens it the usual way, through the
// files already there, and sees every entry the run has committed.

// readOnlyQuery returns the SQLite URI parameters with which a reader
// opens the journal at abs: mode=ro, and immutable=1 when no write-ahead
// log is beside it.
func readOnlyQuery(abs string) map[string]string {
	q := map[string]string{"mode": "ro"}
	if !hasWriteAheadLog(abs) {
		q["immutable"] = "1"
	}
	return q
}

// hasWriteAheadLog reports whether the journal at path has a -wal file
// beside it (under the name SQLite gives it: beside the file a symbolic
// link points to). When in doubt, it says yes: the usual opening is always
// correct, only untidy.
func hasWriteAheadLog(path string) bool {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	_, err := os.Stat(path + "-wal")
	return !errors.Is(err, fs.ErrNotExist)
}
