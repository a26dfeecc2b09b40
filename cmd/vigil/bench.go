package main

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"iter"
	"runtime"
	"slices"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/ingest"
	"github.com/vigil-sec/vigil/internal/benchgen"
	"github.com/vigil-sec/vigil/stream"
)

func newBenchCmd() *cobra.Command {
	var (
		seconds float64
		events  int
		rounds  int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure engine throughput on one core",
		Long: `Bench measures Vigil's speed on one core with synthetic ECS telemetry, the
figures 'go test -bench' reports in eql/ and ingest/:

  engine      pre-decoded events through a single-event filter, a 3-stage
              sequence by host, and a 2-stage sequence by host with
              maxspan=5m and a per-stage pid key; each over a hot ring of
              512 events that stays in cache and a cold one of 8192
  end-to-end  NDJSON bytes to results through a 10-rule set: as 'hunt' and
              'query' read (a time-ordered merge holding up to 65,536
              lines, each decoded as it leaves), and with no reordering;
              the same reading and decoding with no rules run, to show
              what the rules add; next to a plain JSON tokenising pass
              over the same bytes (the ceiling)

It reports events per second of CPU time, which counts only the time
Vigil ran, over several rounds of every measurement: the best round, as
the figures in the README are given, and the median. A shared machine
makes single runs vary by a third, and the cold-ring figures, which
measure memory latency, by more.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rounds < 1 {
				return fmt.Errorf("bench: --rounds must be at least 1")
			}
			return runBench(cmd.OutOrStdout(), time.Duration(seconds*float64(time.Second)), events, rounds)
		},
	}
	cmd.Flags().Float64Var(&seconds, "seconds", 1, "time to spend on each measurement in each round")
	cmd.Flags().IntVar(&events, "events", 200_000, "synthetic events for the end-to-end measurement")
	cmd.Flags().IntVar(&rounds, "rounds", 3, "rounds of every measurement")
	return cmd
}

// measurement is one benchmark figure.
type measurement struct {
	name   string
	events int64
	cpu    time.Duration
	extra  string
}

// cpuRate is the measurement's events per second of CPU time.
func (m measurement) cpuRate() float64 {
	if m.cpu <= 0 {
		return 0
	}
	return float64(m.events) / m.cpu.Seconds()
}

func runBench(out io.Writer, per time.Duration, ndjsonEvents, rounds int) error {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	fmt.Fprintf(out, "vigil bench: %s, GOMAXPROCS=1, %d rounds of %s per measurement\n\n", runtime.Version(), rounds, per)
	// Rounds go over every measurement in turn, so that a busy spell of
	// the machine spoils one round of several rows rather than every
	// round of one.
	var byRound [][]measurement
	for range rounds {
		var results []measurement
		for _, q := range benchgen.Queries {
			// As in eql's benchmarks: a hot ring of events that stays
			// in cache, as a streamed event does right after decoding,
			// and a cold one that does not.
			for _, ring := range []struct {
				name string
				n    int
			}{{"hot", 512}, {"cold", 8192}} {
				m, err := benchEngine(q.Name+" ("+ring.name+")", q.EQL, ring.n, per)
				if err != nil {
					return err
				}
				results = append(results, m)
			}
		}
		e2e, err := benchEndToEnd(ndjsonEvents, per)
		if err != nil {
			return err
		}
		byRound = append(byRound, append(results, e2e...))
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tevents\tevents/s (cpu), best\tmedian\t")
	for row := range byRound[0] {
		var ms []measurement
		for _, r := range byRound {
			ms = append(ms, r[row])
		}
		slices.SortFunc(ms, func(a, b measurement) int { return cmp.Compare(b.cpuRate(), a.cpuRate()) })
		best, median := ms[0], ms[len(ms)/2]
		fmt.Fprintf(tw, "%s\t%d\t%.2f M\t%.2f M\t%s\n", best.name, best.events, best.cpuRate()/1e6, median.cpuRate()/1e6, best.extra)
	}
	return tw.Flush()
}

// benchEngine pushes a ring of n pre-decoded events through one query for
// about d. The events are decoded as the readers hand them to a rule set:
// with only the fields the query reads.
func benchEngine(name, src string, n int, d time.Duration) (measurement, error) {
	q, err := eql.Compile(src, eql.Options{})
	if err != nil {
		return measurement{}, err
	}
	ring := benchgen.SelectedEvents(n, event.NewFieldSet(q.Needs()...))
	results := 0
	run := q.NewRun(func(*eql.Result) { results++ })
	base := benchgen.Start.UnixNano()
	var pushed int64
	wall0, cpu0 := time.Now(), cpuTime()
	// At least one round, however short d is.
	for rounds := 0; rounds == 0 || time.Since(wall0) < d; rounds++ {
		for i := 0; i < 100_000; i++ {
			run.PushAt(ring[int(pushed)%len(ring)], base+pushed*int64(time.Millisecond))
			pushed++
		}
	}
	run.Close()
	return measurement{name: "engine " + name, events: pushed, cpu: cpuTime() - cpu0,
		extra: fmt.Sprintf("%d results", results)}, nil
}

// cpuTime returns the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchEndToEnd measures NDJSON bytes to results through the 10-rule set
// on two paths: as `vigil hunt` and `vigil query` read (a time-ordered
// merge whose window holds the lines, each decoded selectively as it
// leaves), and straight from the reader with no reordering. The same
// reading with no rules run shows what the rules add, and a plain
// tokenising pass over the same bytes is the ceiling.
func benchEndToEnd(n int, d time.Duration) ([]measurement, error) {
	data := benchgen.NDJSON(n)
	var queries []*eql.Query
	for _, src := range benchgen.Rules {
		q, err := eql.Compile(src, eql.Options{})
		if err != nil {
			return nil, err
		}
		queries = append(queries, q)
	}
	fields := eql.FieldSet(queries)
	mb := float64(len(data)) / 1e6
	perEvent := float64(len(data)) / float64(n)

	// pass reads data once through one path and, with rules, the engine.
	pass := func(merge, rules bool) (results int, err error) {
		in := ingest.Options{Stdin: bytes.NewReader(data), Select: fields}
		var events iter.Seq[*event.Event]
		var stats func() ingest.Stats
		if merge {
			in.Deferred = true
			st, err := stream.Open([]string{"-"}, in, stream.Order{})
			if err != nil {
				return 0, err
			}
			defer st.Close()
			events, stats = st.All, st.IngestStats
		} else {
			in.Transient = true
			r, err := ingest.Open([]string{"-"}, in)
			if err != nil {
				return 0, err
			}
			defer r.Close()
			events, stats = r.All(), r.Stats
		}
		if rules {
			eng := eql.NewEngine(queries, func(int, *eql.Result) { results++ })
			eng.SetTransient(true)
			for ev := range events {
				eng.Push(ev)
			}
			eng.Close()
		} else {
			for range events {
			}
		}
		if st := stats(); st.Events != int64(n) {
			return 0, fmt.Errorf("end-to-end: read %d events of %d (%d skipped)", st.Events, n, st.Skipped)
		}
		return results, nil
	}
	var out []measurement
	for _, path := range []struct {
		name         string
		merge, rules bool
	}{
		{fmt.Sprintf("end-to-end, %d rules, as hunt reads: time-ordered merge", len(queries)), true, true},
		{fmt.Sprintf("end-to-end, %d rules, no reordering", len(queries)), false, true},
		{"reading and decoding the rules' fields only, no rules run", false, false},
	} {
		m := measurement{name: fmt.Sprintf("%s (%.0f bytes/event)", path.name, perEvent)}
		results := 0
		wall0, cpu0 := time.Now(), cpuTime()
		for passes := 0; passes == 0 || time.Since(wall0) < d; passes++ {
			r, err := pass(path.merge, path.rules)
			if err != nil {
				return nil, err
			}
			results += r
			m.events += int64(n)
		}
		m.cpu = cpuTime() - cpu0
		m.extra = fmt.Sprintf("%.0f MB/s (cpu)", mb*float64(m.events/int64(n))/m.cpu.Seconds())
		if path.rules {
			m.extra += fmt.Sprintf(", %d results", results)
		}
		out = append(out, m)
	}

	scan := measurement{name: "ceiling: JSON tokenising pass"}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	wall0, cpu0 := time.Now(), cpuTime()
	for passes := 0; passes == 0 || time.Since(wall0) < d; passes++ {
		for _, l := range lines {
			if err := event.Scan(l); err != nil {
				return nil, err
			}
		}
		scan.events += int64(len(lines))
	}
	scan.cpu = cpuTime() - cpu0
	scan.extra = fmt.Sprintf("%.0f MB/s (cpu)", mb*float64(scan.events/int64(n))/scan.cpu.Seconds())
	return append(out, scan), nil
}
