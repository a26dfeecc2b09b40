package eql

import (
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// benchEvents returns n synthetic ECS events, already decoded (no JSON in
// the timed loop), and their timestamps.
func benchEvents(n int) ([]*event.Event, []int64) {
	evs := benchgen.Events(n)
	ts := make([]int64, n)
	for i, e := range evs {
		ts[i], _ = event.Time(e.Doc.Get(event.MustPath("@timestamp")))
	}
	return evs, ts
}

// benchQueries are the engine benchmark queries by name.
var benchQueries = map[string]string{}

func init() {
	for _, q := range benchgen.Queries {
		benchQueries[q.Name] = q.EQL
	}
}

// The benchmarks cycle through a ring of distinct pre-decoded events.
// A streaming engine sees each event right after decoding it, while it is
// in cache: the hot ring (512 events, about 1 MB) models that. The cold
// ring (8192 events) spreads the documents over more memory than the
// caches hold, so it also measures memory latency.
const (
	hotRing  = 512
	coldRing = 8192
)

// benchPass is the number of events pushed per benchmark iteration.
const benchPass = 1_000_000

func benchQuery(b *testing.B, name string) {
	for _, ring := range []struct {
		name string
		n    int
	}{{"hot", hotRing}, {"cold", coldRing}} {
		b.Run(ring.name, func(b *testing.B) { benchRing(b, name, ring.n) })
	}
}

func benchRing(b *testing.B, name string, benchRing int) {
	q := MustCompile(benchQueries[name], Options{})
	// Pre-parsed events are decoded as the readers hand them to a rule
	// set: with only the fields the query reads.
	evs := benchgen.SelectedEvents(benchRing, event.NewFieldSet(q.Needs()...))
	results := 0
	base := benchgen.Start.UnixNano()
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
func BenchmarkSequence3(b *testing.B) { benchQuery(b, "sequence3") }

// BenchmarkSequence2ByPID is a 2-stage sequence by host with maxspan=5m and
// a per-stage by process.pid.
func BenchmarkSequence2ByPID(b *testing.B) { benchQuery(b, "sequence2-by-pid") }

// BenchmarkRuleSet pushes the 10-rule set of benchgen.Rules through one
// Engine as `vigil hunt` runs it: each NDJSON line is decoded with only
// the fields the rules read for its category (FieldSet), into reused
// buffers, right before it is
// pushed. The "decode" sub-benchmark times the decoding alone, so the
// engine's share is the difference of the two.
func BenchmarkRuleSet(b *testing.B) {
	const n = 20_000
	lines := benchgen.Lines(n)
	var queries []*Query
	for _, src := range benchgen.Rules {
		queries = append(queries, MustCompile(src, Options{}))
	}
	fields := FieldSet(queries)
	for _, withEngine := range []bool{false, true} {
		name := "decode"
		if withEngine {
			name = "decode+engine"
		}
		b.Run(name, func(b *testing.B) {
			d := event.Decoder{Reuse: true}
			d.Select(fields)
			ev := &event.Event{}
			results := 0
			b.ReportAllocs()
			cpu0 := cpuTime()
			events := 0
			for b.Loop() {
				eng := NewEngine(queries, func(int, *Result) { results++ })
				eng.SetTransient(true)
				for _, l := range lines {
					v, err := d.Decode(l)
					if err != nil {
						b.Fatal(err)
					}
					if withEngine {
						ev.Doc = v
						eng.Push(ev)
					}
				}
				eng.Close()
				events += n
			}
			reportRates(b, events, cpuTime()-cpu0)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
			if withEngine {
				b.ReportMetric(float64(results)/float64(events/n), "results/pass")
			}
		})
	}
}

// BenchmarkElasticRules pushes pre-decoded synthetic events through the
// 1,081 EQL rules of Elastic's detection-rules repository in one Engine,
// as `vigil hunt` runs a rule library, with the value indexes that hand
// an event only to the rules whose gates it may pass ("indexed") and
// without them ("scan": every rule of the event's category).
func BenchmarkElasticRules(b *testing.B) {
	var queries []*Query
	for _, r := range loadRuleQueries(b) {
		q, err := Compile(r.Query, Options{})
		if err != nil {
			b.Fatalf("%s: %v", r.Path, err)
		}
		queries = append(queries, q)
	}
	// Events in time order, one per millisecond: a pass is one stream.
	evs := benchgen.SelectedEvents(20_000, FieldSet(queries))
	for _, index := range []bool{false, true} {
		name := "scan"
		if index {
			name = "indexed"
		}
		b.Run(name, func(b *testing.B) {
			results, n := 0, 0
			cpu0 := cpuTime()
			for b.Loop() {
				e := newEngine(queries, func(int, *Result) { results++ }, index)
				for _, ev := range evs {
					e.Push(ev)
				}
				e.Close()
				n += len(evs)
			}
			reportRates(b, n, cpuTime()-cpu0)
			b.ReportMetric(float64(results)/float64(n/len(evs)), "results/pass")
		})
	}
}
