//go:build !unix

package bulkinvite

import "os"

// lockFile does not lock where the system offers no flock: there, keep to
// one run per journal by hand.
func lockFile(*os.File) error { return nil }
