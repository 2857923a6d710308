// Package benchenv reads what the benchmarks of invite runs report beside
// their times, on a machine shared with other work: the CPU time the
// process has used, which the others' load moves less than the time on
// the clock, and the machine's load while it measured.
package benchenv

import (
	"os"
	"strconv"
	"strings"
)

// Load is the machine's load average over the last minute, and whether
// the system says (Linux does, in /proc/loadavg).
func Load() (float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0, false
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	return load, err == nil
}
