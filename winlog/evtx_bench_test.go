package winlog_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/winlog"
	"github.com/vigil-sec/vigil/winlog/evtx"
)

// evtxBenchVolume is how much EVTX one operation of BenchmarkEVTXToECS
// parses.
const evtxBenchVolume = 100 << 20

// BenchmarkEVTXToECS measures the whole path from EVTX bytes to ECS
// documents on one core: every EVTX file shipped in testdata (the
// Winlogbeat golden collections and winlog/evtx's samples), held in
// memory, read with winlog/evtx over and over until 100 MB of EVTX have
// been parsed per operation, each record mapped to its ECS document. It
// reports events/s, events/cpu-s (per second of CPU time, the figure to
// use when other processes share the cores) and MB/s of EVTX:
//
//	go test ./winlog/ -run XXX -bench EVTXToECS -cpu 1 -benchmem
//
// The modes are memory (files read in place with Reader.ResetBytes, each
// document allocated by ToECS), stream (files read as streams with
// Reader.Reset and a bytes.Reader, which copies every chunk, as from a
// file) and transient (memory, the documents mapped by a Mapper that
// reuses its memory, each valid until the next, as for a transient
// reader).
func BenchmarkEVTXToECS(b *testing.B) {
	files := shippedEVTX(b)
	for _, mode := range []string{"memory", "stream", "transient"} {
		b.Run(mode, func(b *testing.B) { benchmarkEVTXToECS(b, files, mode) })
	}
}

func benchmarkEVTXToECS(b *testing.B, files [][]byte, mode string) {
	var perRound int
	for _, f := range files {
		perRound += len(f)
	}
	rounds := (evtxBenchVolume + perRound - 1) / perRound
	b.SetBytes(int64(rounds * perRound))
	b.ReportAllocs()
	r := evtx.NewReader(nil, "")
	var in bytes.Reader
	m := winlog.Mapper{Reuse: true}
	events := 0
	rate := winlog.StartRate()
	for b.Loop() {
		for range rounds {
			for _, f := range files {
				if mode == "stream" {
					in.Reset(f)
					r.Reset(&in, "bench.evtx")
				} else {
					r.ResetBytes(f, "bench.evtx")
				}
				for {
					rec, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					if mode == "transient" {
						m.ToECS(rec)
					} else {
						winlog.ToECS(rec)
					}
					events++
				}
				if s := r.Stats(); s.ProblemCount != 0 {
					b.Fatalf("problems: %v", s.Problems)
				}
			}
		}
	}
	rate.Report(b, events)
}

// shippedEVTX returns the contents of every *.evtx file under testdata
// and evtx/testdata, in a fixed order.
func shippedEVTX(tb testing.TB) [][]byte {
	tb.Helper()
	var files [][]byte
	for _, root := range []string{"testdata", filepath.Join("evtx", "testdata")} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".evtx") {
				return err
			}
			data, err := os.ReadFile(p)
			files = append(files, data)
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if len(files) == 0 {
		tb.Fatal("no EVTX files in testdata")
	}
	return files
}
