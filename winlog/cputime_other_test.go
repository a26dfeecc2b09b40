//go:build !unix

package winlog

import "time"

// cpuTime is not available here; benchmarks then report wall-time rates
// only.
func cpuTime() (time.Duration, bool) { return 0, false }
