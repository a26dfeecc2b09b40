package winlog

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

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
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkToECS measures the mapping alone, per module.
func BenchmarkToECS(b *testing.B) {
	for _, c := range []struct{ module, file string }{
		{"sysmon", "sysmon/collection/sysmon-9.01.evtx.golden.json"},
		{"security", "security/collection/security-windows2012r2-logon.evtx.golden.json"},
		{"powershell", "powershell/collection/4103.evtx.golden.json"},
	} {
		b.Run(c.module, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join(goldenDir, c.file))
			if err != nil {
				b.Fatal(err)
			}
			var recs []*Record
			var dec = new(eventDecoder)
			for _, v := range dec.array(b, data) {
				r, err := RecordFromWinlogbeat(v)
				if err != nil {
					b.Fatal(err)
				}
				recs = append(recs, r)
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				ToECS(recs[n%len(recs)])
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
