package winlog

import (
	"path/filepath"
	"testing"
)

// TestToECSAllocs checks that mapping an event allocates only its result:
// the fields of the document, in one slice, and the strings the mapping
// computes, in one buffer (a second one when they outgrow it). The
// document is built on the stack; a change that moves it to the heap, or
// allocates per field, fails here.
func TestToECSAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	for _, c := range []struct {
		file string
		max  float64
	}{
		{"sysmon/collection/sysmon-9.01.evtx.golden.json", 3},
		{"security/collection/security-windows2012r2-logon.evtx.golden.json", 3},
		{"powershell/collection/4103.evtx.golden.json", 3},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			var recs []*Record
			for _, v := range readJSONArray(t, filepath.Join(goldenDir, c.file)) {
				r, err := RecordFromWinlogbeat(v)
				if err != nil {
					t.Fatal(err)
				}
				recs = append(recs, r)
			}
			i := 0
			allocs := testing.AllocsPerRun(10*len(recs), func() {
				ToECS(recs[i%len(recs)])
				i++
			})
			if allocs > c.max {
				t.Errorf("ToECS allocates %.1f times per event, want at most %.0f", allocs, c.max)
			}
		})
	}
}
