//go:build unix

package winlog

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used so
// far, for benchmarks to report events per CPU-second: other processes
// share the cores, so wall time alone overstates the cost under load.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
