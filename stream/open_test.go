package stream

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/ingest"
)

// TestDeferredStream reads NDJSON with decoding deferred to the stream:
// events come out in time order and decoded, and a broken line is
// reported with its place and passed over.
func TestDeferredStream(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.ndjson")
	lines := []string{
		`{"@timestamp":"2024-01-01T00:00:01Z","id":"b"}`,
		`{"@timestamp":"2024-01-01T00:00:00Z","id":"a"}`,
		`{"@timestamp":"2024-01-01T00:00:03Z","id":"d","x":[1 2]}`,
		`{"@timestamp":"2024-01-01T00:00:04Z","id":"e"}`,
		`{"@timestamp":"2024-01-01T00:00:02Z","id":"c"}`,
		`[1,2]`,
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Open([]string{p}, ingest.Options{Select: event.NewFieldSet("id"), Deferred: true}, Order{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var got string
	for ev := range st.All {
		got += ev.Doc.GetString("id")
	}
	if got != "abce" {
		t.Errorf("events %q, want abce", got)
	}
	// Line 6 has no timestamp to order it by, so it is decoded (and
	// found broken) first; problems are still listed in line order.
	is := st.IngestStats()
	if is.Events != 4 || is.Skipped != 2 || len(is.Problems) != 2 ||
		!strings.Contains(is.Problems[0].String(), "a.ndjson:3:54: malformed JSON") ||
		!strings.Contains(is.Problems[1].String(), "a.ndjson:6: not an event") {
		t.Errorf("stats %+v, want 4 events, and lines 3 (at column 54) and 6 skipped in that order", is)
	}
}

// TestDeferredStreamReusesLines streams enough lines to fill many of the
// reader's line blocks through a merge window of 800 events (about four
// blocks), in order and shuffled within runs of 400: as blocks are
// reused while the window still holds lines, every event must come out
// whole (its Raw the line read, its document decoded from it) and in
// time order. It fails if a block is reused before all its lines leave.
func TestDeferredStreamReusesLines(t *testing.T) {
	const n, run = 4000, 400
	pad := strings.Repeat("z", 1200)
	line := func(i int) string {
		return fmt.Sprintf(`{"@timestamp":"2024-01-01T00:%02d:%02d.%03dZ","id":"%05d","pad":"%s"}`, i/60000, i/1000%60, i%1000, i, pad)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, order := range []string{"in order", "shuffled"} {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		if order == "shuffled" {
			for r := 0; r < n; r += run {
				rng.Shuffle(run, func(i, j int) { idx[r+i], idx[r+j] = idx[r+j], idx[r+i] })
			}
		}
		var text strings.Builder
		for _, i := range idx {
			text.WriteString(line(i) + "\n")
		}
		st, err := Open([]string{"-"}, ingest.Options{Stdin: strings.NewReader(text.String()), Select: event.NewFieldSet("id"), Deferred: true}, Order{Window: 2 * run})
		if err != nil {
			t.Fatal(err)
		}
		next := 0
		for ev := range st.All {
			if want := fmt.Sprintf("%05d", next); ev.Doc.GetString("id") != want || string(ev.Raw) != line(next) {
				t.Fatalf("%s: event %d: id %q, Raw %.60q", order, next, ev.Doc.GetString("id"), ev.Raw)
			}
			next++
		}
		if late := st.Merger.Stats().Late; late != 0 {
			t.Errorf("%s: %d late events", order, late)
		}
		st.Close()
		if next != n {
			t.Errorf("%s: %d events, want %d", order, next, n)
		}
	}
}
