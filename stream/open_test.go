package stream

import (
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
