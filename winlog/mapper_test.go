package winlog_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/winlog"
	"github.com/vigil-sec/vigil/winlog/evtx"
)

// shippedRecords returns the records of every shipped EVTX file.
func shippedRecords(tb testing.TB) []*winlog.Record {
	tb.Helper()
	var recs []*winlog.Record
	r := evtx.NewReader(nil, "")
	for _, f := range shippedEVTX(tb) {
		r.ResetBytes(f, "test.evtx")
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				tb.Fatal(err)
			}
			recs = append(recs, rec)
		}
	}
	return recs
}

// TestMapper checks that a Mapper, reusing its memory or not, maps every
// record as ToECS does, and that without Reuse its documents stay valid.
func TestMapper(t *testing.T) {
	recs := shippedRecords(t)
	want := make([][]byte, len(recs))
	for i, r := range recs {
		want[i] = event.AppendJSON(nil, winlog.ToECS(r))
	}
	for _, reuse := range []bool{false, true} {
		m := winlog.Mapper{Reuse: reuse}
		var kept []event.Value
		for pass := range 2 {
			for i, r := range recs {
				doc := m.ToECS(r)
				if got := event.AppendJSON(nil, doc); !bytes.Equal(got, want[i]) {
					t.Fatalf("reuse %v, pass %d, record %d:\n got %s\nwant %s", reuse, pass, i, got, want[i])
				}
				if !reuse && pass == 0 {
					kept = append(kept, doc)
				}
			}
		}
		for i, doc := range kept {
			if got := event.AppendJSON(nil, doc); !bytes.Equal(got, want[i]) {
				t.Fatalf("record %d changed after later calls:\n got %s\nwant %s", i, got, want[i])
			}
		}
	}
}

// TestMapperAllocs checks that a Mapper with Reuse allocates nothing once
// its buffers have grown.
func TestMapperAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	recs := shippedRecords(t)
	m := winlog.Mapper{Reuse: true}
	for _, r := range recs {
		m.ToECS(r)
	}
	i := 0
	if allocs := testing.AllocsPerRun(2*len(recs), func() {
		m.ToECS(recs[i%len(recs)])
		i++
	}); allocs != 0 {
		t.Errorf("Mapper with Reuse allocates %.2f times per record, want 0", allocs)
	}
}
