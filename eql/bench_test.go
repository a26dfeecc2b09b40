package eql

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/event"
)

// benchEvents builds n synthetic ECS events of three categories across
// 100 hosts, one millisecond apart, already decoded (no JSON in the timed
// loop).
func benchEvents(n int) ([]*event.Event, []int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"svchost.exe", "explorer.exe", "cmd.exe", "powershell.exe", "dllhost.exe", "chrome.exe", "conhost.exe", "rundll32.exe"}
	cats := []string{"process", "file", "network"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	evs := make([]*event.Event, n)
	ts := make([]int64, n)
	var d event.Decoder
	for i := range evs {
		cat := cats[rng.IntN(len(cats))]
		name := names[rng.IntN(len(names))]
		pid := 1000 + rng.IntN(5000)
		host := fmt.Sprintf("host-%02d", rng.IntN(100))
		t := base + int64(i)*int64(time.Millisecond)
		doc := fmt.Sprintf(`{"@timestamp":%q,"event":{"category":[%q],"type":["start"],"kind":"event","code":"1"},`+
			`"host":{"name":%q,"id":"%s-id","os":{"type":"windows"}},`+
			`"process":{"name":%q,"pid":%d,"executable":"C:\\Windows\\System32\\%s","command_line":"C:\\Windows\\System32\\%s -k netsvcs -p %d",`+
			`"args":["C:\\Windows\\System32\\%s","-k","netsvcs"],"parent":{"name":"services.exe","pid":%d},"entity_id":"{%08d-0000}"},`+
			`"user":{"name":"SYSTEM","domain":"NT AUTHORITY"},"file":{"path":"C:\\Users\\a\\AppData\\Local\\Temp\\x%d.tmp"},`+
			`"destination":{"ip":"10.0.%d.%d","port":443}}`,
			event.FormatTime(t), cat, host, host, name, pid, name, name, i, name, pid/2, pid, i, rng.IntN(255), rng.IntN(255))
		v, err := d.Decode([]byte(doc))
		if err != nil {
			panic(err)
		}
		evs[i] = &event.Event{Doc: v}
		ts[i] = t
	}
	return evs, ts
}

var benchQueries = map[string]string{
	"filter": `process where process.name == "dllhost.exe" and process.command_line : "*xxxx*"`,
	"seq3": `sequence by host.name with maxspan=1m
		[process where process.name == "cmd.exe"]
		[file where file.path : "*.tmp"]
		[network where destination.port == 443]`,
	"seq2pid": `sequence by host.name with maxspan=5m
		[process where process.name in ("powershell.exe", "cmd.exe")] by process.pid
		[network where destination.port == 443] by process.pid`,
}

// benchRing is the number of distinct pre-decoded events the benchmarks
// cycle through. A streaming engine sees each event right after decoding
// it, while it is in cache; a ring that fits in cache models that, where a
// huge array of cold documents would mostly measure memory latency.
const benchRing = 8192

// benchPass is the number of events pushed per benchmark iteration.
const benchPass = 1_000_000

func benchQuery(b *testing.B, name string) {
	evs, _ := benchEvents(benchRing)
	q := MustCompile(benchQueries[name], Options{})
	results := 0
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		run := q.NewRun(func(*Result) { results++ })
		for i := 0; i < benchPass; i++ {
			// one event per millisecond of stream time
			run.PushAt(evs[i%benchRing], base+int64(i)*int64(time.Millisecond))
		}
		run.Close()
		n += benchPass
	}
	reportRates(b, n, cpuTime()-cpu0)
	b.ReportMetric(float64(results)/float64(n/benchPass), "results/pass")
}

// reportRates reports events per second of wall time and of CPU time. The
// second is the figure to trust on a shared machine: it counts only the
// time this process actually ran.
func reportRates(b *testing.B, events int, cpu time.Duration) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
	}
}

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFilter is a single-event filter over pre-decoded events.
func BenchmarkFilter(b *testing.B) { benchQuery(b, "filter") }

// BenchmarkSequence3 is a 3-stage sequence by host with maxspan.
func BenchmarkSequence3(b *testing.B) { benchQuery(b, "seq3") }

// BenchmarkSequence2ByPID is a 2-stage sequence by host with maxspan=5m and
// a per-stage by process.pid.
func BenchmarkSequence2ByPID(b *testing.B) { benchQuery(b, "seq2pid") }
