package main

import "testing"

// BenchmarkEndToEnd runs the end-to-end measurement of `vigil bench`:
// NDJSON bytes through ingest (selective decoding) and the 10-rule engine.
func BenchmarkEndToEnd(b *testing.B) {
	for b.Loop() {
		ms, err := benchEndToEnd(50_000, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(ms[0].events)/ms[0].cpu.Seconds(), "events/cpu-s")
		b.ReportMetric(float64(ms[1].events)/ms[1].cpu.Seconds(), "scan-events/cpu-s")
	}
}
