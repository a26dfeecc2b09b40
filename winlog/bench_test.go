package winlog

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// rateMeter reports a benchmark's rate in events per second of wall time
// and per second of CPU time (user and system, all threads, so garbage
// collection included). The CPU figure is the one to compare across runs
// when other processes share the cores.
type rateMeter struct {
	cpu0 time.Duration
	ok   bool
}

// startRate starts measuring; call it just before the benchmark loop.
func startRate() rateMeter {
	cpu, ok := cpuTime()
	return rateMeter{cpu0: cpu, ok: ok}
}

// Report reports events/s and events/cpu-s for events processed since
// startRate.
func (m rateMeter) Report(b *testing.B, events int) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	if cpu, ok := cpuTime(); ok && m.ok && cpu > m.cpu0 {
		b.ReportMetric(float64(events)/(cpu-m.cpu0).Seconds(), "events/cpu-s")
	}
}

// BenchmarkXMLToECS measures event XML to ECS documents (reader and
// mapping), on the 32 Sysmon events of sysmon-9.01.xml.
//
//	go test ./winlog/ -run XXX -bench . -benchmem
func BenchmarkXMLToECS(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(goldenDir, "wineventlog", "sysmon-9.01.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	events := 0
	rate := startRate()
	for b.Loop() {
		x := NewXMLReader(bytes.NewReader(data), "bench")
		for {
			rec, err := x.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			ToECS(rec)
			events++
		}
	}
	rate.Report(b, events)
}

// toECSCases are the records of BenchmarkToECS and BenchmarkMapper.
var toECSCases = []struct{ module, file string }{
	{"sysmon", "sysmon/collection/sysmon-9.01.evtx.golden.json"},
	{"security", "security/collection/security-windows2012r2-logon.evtx.golden.json"},
	{"powershell", "powershell/collection/4103.evtx.golden.json"},
}

// benchRecords reads the records of a Winlogbeat golden collection file.
func benchRecords(b *testing.B, file string) []*Record {
	var recs []*Record
	for _, v := range readJSONArray(b, filepath.Join(goldenDir, file)) {
		r, err := RecordFromWinlogbeat(v)
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// BenchmarkMapper is BenchmarkToECS with a Mapper that reuses its memory
// (documents valid until the next call, as a transient reader gives
// them), which allocates nothing per event.
func BenchmarkMapper(b *testing.B) {
	for _, c := range toECSCases {
		b.Run(c.module, func(b *testing.B) {
			recs := benchRecords(b, c.file)
			m := Mapper{Reuse: true}
			b.ReportAllocs()
			n := 0
			rate := startRate()
			for b.Loop() {
				m.ToECS(recs[n%len(recs)])
				n++
			}
			rate.Report(b, n)
		})
	}
}

// BenchmarkToECS measures the mapping alone, per module.
func BenchmarkToECS(b *testing.B) {
	for _, c := range toECSCases {
		b.Run(c.module, func(b *testing.B) {
			recs := benchRecords(b, c.file)
			b.ReportAllocs()
			n := 0
			rate := startRate()
			for b.Loop() {
				ToECS(recs[n%len(recs)])
				n++
			}
			rate.Report(b, n)
		})
	}
}
