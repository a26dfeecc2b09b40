package winlog_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/winlog"
	"github.com/vigil-sec/vigil/winlog/evtx"
)

// TestGoldenEVTX reads each collection/*.evtx with winlog/evtx, maps the
// records, and compares them with ingest/*.golden.json (matched by record
// id). Unlike the collection JSON, the EVTX carries no rendered strings, so
// task, opcode, level and keyword names and the %%-insertion strings come
// from Vigil's static tables.
func TestGoldenEVTX(t *testing.T) {
	events, fields := 0, 0
	for _, module := range []string{"sysmon", "security", "powershell"} {
		files, _ := filepath.Glob(filepath.Join(winlog.GoldenDir, module, "collection", "*.evtx"))
		if len(files) == 0 {
			t.Fatalf("no EVTX files for %s", module)
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".evtx")
			t.Run(module+"/"+name, func(t *testing.T) {
				want := winlog.ReadJSONArray(t, filepath.Join(winlog.GoldenDir, module, "ingest", name+".golden.json"))
				byID := map[string]event.Value{}
				for _, w := range want {
					byID[w.GetString("winlog.record_id")] = w
				}
				fh, err := os.Open(f)
				if err != nil {
					t.Fatal(err)
				}
				defer fh.Close()
				r := evtx.NewReader(fh, f)
				n := 0
				for {
					rec, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					n++
					got := winlog.ToECS(rec)
					id := got.GetString("winlog.record_id")
					w, ok := byID[id]
					if !ok {
						t.Errorf("record %s not in the golden file", id)
						continue
					}
					diffs, c := winlog.CompareGolden(module, got, w)
					fields += c
					for _, d := range diffs {
						t.Errorf("record %s: %s", id, d)
					}
				}
				if st := r.Stats(); st.RecordsSkipped > 0 {
					t.Errorf("evtx skipped %d records: %v", st.RecordsSkipped, st.Problems)
				}
				if n != len(want) {
					t.Errorf("read %d records, golden has %d", n, len(want))
				}
				events += n
			})
		}
	}
	t.Logf("compared %d events, %d golden fields", events, fields)
}
