//go:build !unix

package benchenv

import "time"

// CPUTime is the CPU time that this process has used so far, and whether
// the system says: here it does not.
func CPUTime() (time.Duration, bool) { return 0, false }
