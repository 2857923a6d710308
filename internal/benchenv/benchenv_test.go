package benchenv

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The CPU time grows with work done, and the load is a number, where the
// system says.
func TestCPUTimeAndLoad(t *testing.T) {
	before, ok := CPUTime()
	if !ok {
		t.Skip("this system does not say the CPU time of a process")
	}
	deadline := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(deadline) { // spin: CPU time
	}
	after, _ := CPUTime()
	assert.Greater(t, after, before)
	if load, ok := Load(); ok {
		assert.GreaterOrEqual(t, load, 0.0)
	} else if runtime.GOOS == "linux" {
		t.Error("Linux says the load in /proc/loadavg")
	}
}
