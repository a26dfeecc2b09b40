package evtx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/winlog"
)

// readEnd reads every record of r and returns them with the error that
// ended the reading and the stats.
func readEnd(r *Reader) ([]*winlog.Record, error, Stats) {
	var recs []*winlog.Record
	for {
		rec, err := r.Next()
		if err != nil {
			return recs, err, r.Stats()
		}
		recs = append(recs, rec)
	}
}

// TestResetBytes checks that reading a file from memory gives what
// reading it as a stream gives, records, errors and stats, on intact,
// truncated and damaged files, with one Reader of each kind reused for
// every file as a caller reading many files would.
func TestResetBytes(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	stream, mem := NewReader(nil, ""), NewReader(nil, "")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		variants := []struct {
			name string
			data []byte
		}{
			{"intact", data},
			{"empty", nil},
			{"short header", data[:100]},
			{"header only", data[:FileHeaderSize]},
			{"cut in header", data[:FileHeaderSize-10]},
			{"cut in chunk header", data[:FileHeaderSize+300]},
			{"cut in records", data[:FileHeaderSize+ChunkHeaderSize+1000]},
			{"cut at end", data[:len(data)-1]},
			{"extra byte", append(bytes.Clone(data), 0)},
		}
		damaged := bytes.Clone(data)
		for i := FileHeaderSize + ChunkHeaderSize; i < len(damaged); i += 997 {
			damaged[i] ^= 0x5a
		}
		variants = append(variants, struct {
			name string
			data []byte
		}{"damaged", damaged})
		for _, v := range variants {
			t.Run(fmt.Sprintf("%s/%s", filepath.Base(p), v.name), func(t *testing.T) {
				stream.Reset(bytes.NewReader(v.data), "f.evtx")
				mem.ResetBytes(v.data, "f.evtx")
				wantRecs, wantErr, wantStats := readEnd(stream)
				gotRecs, gotErr, gotStats := readEnd(mem)
				if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Errorf("error %v, stream gives %v", gotErr, wantErr)
				}
				if fmt.Sprintf("%+v", gotStats) != fmt.Sprintf("%+v", wantStats) {
					t.Errorf("stats %+v, stream gives %+v", gotStats, wantStats)
				}
				if !reflect.DeepEqual(gotRecs, wantRecs) {
					t.Errorf("%d records differ from the stream's %d", len(gotRecs), len(wantRecs))
				}
			})
		}
	}
}
