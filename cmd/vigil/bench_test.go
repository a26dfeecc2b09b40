package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// BenchmarkEndToEnd runs the end-to-end measurements of `vigil bench`:
// NDJSON bytes through the time-ordered merge as hunt reads them
// (merged-events), straight through the reader (events), each decoded
// selectively into the 10-rule engine, the reading and decoding alone
// (decode-events), and the tokenising ceiling.
func BenchmarkEndToEnd(b *testing.B) {
	for b.Loop() {
		ms, err := benchEndToEnd(50_000, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(ms[0].cpuRate(), "merged-events/cpu-s")
		b.ReportMetric(ms[1].cpuRate(), "events/cpu-s")
		b.ReportMetric(ms[2].cpuRate(), "decode-events/cpu-s")
		b.ReportMetric(ms[3].cpuRate(), "scan-events/cpu-s")
	}
}

// TestBench runs `vigil bench` briefly and checks that it measures every
// figure it promises, with events and results where the queries must
// find some.
func TestBench(t *testing.T) {
	var out bytes.Buffer
	if err := runBench(&out, time.Millisecond, 2000, 2); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, row := range []string{
		"engine filter (hot)", "engine filter (cold)",
		"engine sequence3 (hot)", "engine sequence3 (cold)",
		"engine sequence2-by-pid (hot)", "engine sequence2-by-pid (cold)",
		"end-to-end, 10 rules, as hunt reads", "end-to-end, 10 rules, no reordering",
		"reading and decoding the rules' fields only", "ceiling: JSON tokenising pass",
	} {
		line := ""
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, row) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("no row %q in:\n%s", row, text)
			continue
		}
		if f := strings.Fields(strings.TrimPrefix(line, row)); len(f) == 0 || f[0] == "0" {
			t.Errorf("row %q measured no events: %s", row, line)
		}
	}
	// 100,000 events at least (one round of the loop) hold matches.
	if !regexp.MustCompile(`(?m)^engine sequence3 \(hot\) .* [1-9][0-9]* results`).MatchString(text) {
		t.Errorf("the 3-stage sequence found nothing:\n%s", text)
	}
}
