//go:build !unix && !windows

package bulkinvite

import "os"

// locksFiles reports that a run's journal is not locked on this system.
const locksFiles = false

// lockFile does not lock where the system offers neither flock nor
// LockFileEx (Plan 9, WebAssembly): there, keep to one run per journal by
// hand.
func lockFile(*os.File) error { return nil }
