package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// TestTransient checks that a transient read hands out the same documents
// as an ordinary one, for every reader that reuses its memory: a consumer
// that copies each event when it gets it (as the engine does for the
// events it keeps) must see exactly what a non-transient read returns.
func TestTransient(t *testing.T) {
	dir := t.TempDir()
	ndjson := writeFile(t, dir, "a.ndjson", []byte(
		`{"@timestamp":"2024-01-01T00:00:00Z","process":{"name":"a.exe","args":["a","-x"]}}`+"\n"+
			`{"@timestamp":"2024-01-01T00:00:01Z","process.name":"b.exe","host":{"name":"h"}}`+"\n"))
	xml := writeFile(t, dir, "b.xml", []byte(xmlEvents("1", "3", "11", "13")))
	inputs := map[string]string{
		"ndjson": ndjson,
		"xml":    xml,
		"evtx":   filepath.Join("..", "winlog", "evtx", "testdata", "sysmon-9.01.evtx"),
		"evtx2":  filepath.Join("..", "winlog", "evtx", "testdata", "powershell-4104.evtx"),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(in); err != nil {
				t.Fatal(err)
			}
			want, _ := readAll(t, []string{in}, Options{})
			r, err := Open([]string{in}, Options{Transient: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got []event.Value
			for ev := range r.All() {
				got = append(got, ev.Doc.Clone())
			}
			if len(got) != len(want) || len(want) == 0 {
				t.Fatalf("transient read gave %d events, ordinary read %d", len(got), len(want))
			}
			for i := range want {
				if g, w := got[i].String(), want[i].Doc.String(); g != w {
					t.Errorf("event %d:\ntransient %s\nordinary  %s", i, g, w)
				}
			}
		})
	}
}

// TestDeferred checks that deferred reading hands out, once Decode has
// run, the documents an ordinary selective read does, and reports broken
// lines at Decode with the same location an ordinary read gives them.
func TestDeferred(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "a.ndjson", []byte(
		`{"@timestamp":"2024-01-01T00:00:00Z","process":{"name":"a.exe","pid":1}}`+"\n"+
			`  {"@timestamp":"2024-01-01T00:00:01Z","process":{"name":"b.exe","pid":2}}`+"\n"+
			`  {"@timestamp":"2024-01-01T00:00:02Z","process":{"name":"c.exe" "pid":3}}`+"\n"+
			`[1,2]`+"\n"+
			`{"@timestamp":"2024-01-01T00:00:03Z","process":{"name":"d.exe","pid":4}}`+"\n"))
	sel := event.NewFieldSet("process.name")
	want, wantStats := readAll(t, []string{in}, Options{Select: sel})

	r, err := Open([]string{in}, Options{Select: sel, Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	undecoded := 0
	for ev := range r.All() {
		if !ev.Doc.Exists() {
			undecoded++
		}
		if r.Decode(ev) {
			got = append(got, ev.Doc.String()+" "+string(ev.Raw)+" "+ev.Src.String())
		}
	}
	if undecoded != 4 {
		t.Errorf("%d events came undecoded, want the 4 after the first line", undecoded)
	}
	if len(got) != len(want) {
		t.Fatalf("deferred read gave %d events, ordinary read %d", len(got), len(want))
	}
	for i, w := range want {
		if ws := w.Doc.String() + " " + string(w.Raw) + " " + w.Src.String(); got[i] != ws {
			t.Errorf("event %d:\ndeferred %s\nordinary %s", i, got[i], ws)
		}
	}
	st := r.Stats()
	if st.Events != wantStats.Events || st.Skipped != wantStats.Skipped || len(st.Problems) != len(wantStats.Problems) {
		t.Fatalf("deferred stats %+v, ordinary %+v", st, wantStats)
	}
	for i, p := range wantStats.Problems {
		if st.Problems[i].String() != p.String() {
			t.Errorf("problem %d: deferred %q, ordinary %q", i, st.Problems[i], p)
		}
	}
}

// TestLineStore checks that line copies carved from one block do not
// overlap (an append to one must not write over the next), and that a
// block is reused only once every line in it is released.
func TestLineStore(t *testing.T) {
	var a lineStore
	x := a.copy([]byte("first"))
	y := a.copy([]byte("second"))
	big := a.copy(make([]byte, lineBlockSize/2)) // a block of its own
	x = append(x, "!!!"...)
	if string(x) != "first!!!" || string(y) != "second" || len(big) != lineBlockSize/2 {
		t.Errorf("copies %q %q (big %d bytes)", x, y, len(big))
	}
	a.release(big) // not from a block: nothing to do

	// Fill three blocks with numbered lines.
	a = lineStore{}
	line := func(i int) []byte { return []byte(fmt.Sprintf("%07d", i) + strings.Repeat("x", 1000)) }
	var lines [][]byte
	for i := 0; len(a.held) < 4; i++ {
		lines = append(lines, a.copy(line(i)))
	}
	first, second := a.held[0], a.held[1]
	// Release every line of the first block but one: it stays held.
	keep := -1
	for i, l := range lines {
		if blockOf(&a, l) == first {
			if keep < 0 {
				keep = i
				continue
			}
			a.release(l)
			lines[i] = nil
		}
	}
	if a.held[0] != first || len(a.free) != 0 {
		t.Fatalf("a block with a held line was let go: %d free", len(a.free))
	}
	a.release(lines[keep])
	lines[keep] = nil
	if a.held[0] != second || len(a.free) != 1 || a.free[0] != first {
		t.Fatalf("a block with every line released was not kept for reuse: %d free", len(a.free))
	}
	// Fill the current block: the next one is the reused block, and the
	// lines still held are intact.
	for n := len(a.held); len(a.held) == n; {
		a.copy(line(-1))
	}
	if a.cur != first || len(a.free) != 0 {
		t.Errorf("a free block was not reused")
	}
	for i, l := range lines {
		if l != nil && string(l) != string(line(i)) {
			t.Fatalf("held line %d overwritten: %.20q", i, l)
		}
	}
}

// TestLineStoreReverse releases lines newest first, as a merge does for a
// file read newest first: every block is reused once its lines are gone.
func TestLineStoreReverse(t *testing.T) {
	var a lineStore
	var lines [][]byte
	for i := 0; len(a.held) < 5; i++ {
		lines = append(lines, a.copy([]byte(fmt.Sprintf("%07d", i)+strings.Repeat("y", 2000))))
	}
	for i := len(lines) - 1; i >= 0; i-- {
		a.release(lines[i])
	}
	// Only the current block, which more lines may still be carved from,
	// stays held; the others are free (up to the limit) or dropped.
	if len(a.held) != 1 || a.held[0] != a.cur || len(a.free) != maxFreeBlocks {
		t.Errorf("after releasing every line: %d blocks held, %d free", len(a.held), len(a.free))
	}
}

// TestLineStoreSmallWindow releases each line before the next one is
// carved, as a consumer that decodes every event as soon as it is read
// does: a block whose lines were all released while it was the current
// one must be reused once full, not kept held for a release that never
// comes.
func TestLineStoreSmallWindow(t *testing.T) {
	var a lineStore
	var prev []byte
	blocks := map[*lineBlock]bool{}
	for i := 0; i < 2000; i++ {
		a.release(prev)
		prev = a.copy([]byte(fmt.Sprintf("%07d", i) + strings.Repeat("w", 1000)))
		blocks[a.cur] = true
	}
	if len(a.held) > 2 || len(blocks) > 2 {
		t.Errorf("%d blocks held, %d used for 2000 lines of 1 KB, each released before the next is read", len(a.held), len(blocks))
	}
}

// blockOf returns the block of a's that holds line, or nil.
func blockOf(a *lineStore, line []byte) *lineBlock {
	if i := a.find(line); i >= 0 {
		return a.held[i]
	}
	return nil
}
