package evtx

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// benchVolume is how much EVTX one benchmark operation parses.
const benchVolume = 100 << 20

// BenchmarkReadEVTX parses the EVTX files in testdata from memory, over and
// over until 100 MB have been parsed per operation, and reports events/s
// and MB/s of EVTX. The "all" case mixes every file (some hold a single
// event in a 64 KiB chunk); the per-file cases show the rate on one kind of
// event.
func BenchmarkReadEVTX(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no testdata: %v", err)
	}
	var all [][]byte
	perFile := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
		perFile[strings.TrimSuffix(filepath.Base(p), ".evtx")] = data
	}
	b.Run("all", func(b *testing.B) { benchmarkFiles(b, all) })
	for _, name := range slices.Sorted(maps.Keys(perFile)) {
		b.Run(name, func(b *testing.B) { benchmarkFiles(b, [][]byte{perFile[name]}) })
	}
}

func benchmarkFiles(b *testing.B, files [][]byte) {
	var perRound, events int
	for _, f := range files {
		perRound += len(f)
	}
	rounds := (benchVolume + perRound - 1) / perRound
	b.SetBytes(int64(rounds * perRound))
	b.ReportAllocs()
	b.ResetTimer()
	r := NewReader(nil, "")
	var in bytes.Reader
	for b.Loop() {
		for range rounds {
			for _, f := range files {
				in.Reset(f)
				r.Reset(&in, "bench.evtx")
				for {
					rec, err := r.Next()
					if err != nil {
						break
					}
					_ = rec
					events++
				}
				if s := r.Stats(); s.ProblemCount != 0 {
					b.Fatalf("problems: %v", s.Problems)
				}
			}
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
