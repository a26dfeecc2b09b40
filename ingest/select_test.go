package ingest

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vigil-sec/vigil/event"
)

func TestSelectiveNDJSON(t *testing.T) {
	in := `{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":"process"},"process":{"name":"a.exe","pid":1},"big":{"x":[1,2,3]}}
{"@timestamp":"2024-01-01T00:00:01Z","event":{"category":"file"},"process":{"name":"b.exe"},"big":"y"}
`
	r, err := Open([]string{"-"}, Options{Stdin: strings.NewReader(in), Select: event.NewFieldSet("@timestamp", "process.name")})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var docs, raws []string
	for ev := range r.All() {
		docs = append(docs, ev.Doc.String())
		raws = append(raws, string(ev.Raw))
	}
	if len(docs) != 2 {
		t.Fatalf("%d events", len(docs))
	}
	// The first line is read whole to recognise the file as ECS; later
	// lines only keep the selected fields. Raw is always the whole line.
	if !strings.Contains(docs[0], `"big"`) {
		t.Errorf("first document decoded selectively: %s", docs[0])
	}
	if docs[1] != `{"@timestamp":"2024-01-01T00:00:01Z","process":{"name":"b.exe"}}` {
		t.Errorf("second document: %s", docs[1])
	}
	if raws[1] != strings.Split(in, "\n")[1] {
		t.Errorf("raw of the second line: %s", raws[1])
	}
}

func TestOpenFS(t *testing.T) {
	fsys := fstest.MapFS{
		"t/a.ndjson": {Data: []byte(`{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":"process"}}` + "\n")},
	}
	r, err := OpenFS(fsys, []string{"t/a.ndjson"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for ev := range r.All() {
		n++
		if ev.Src.Name != "t/a.ndjson" || ev.Src.Index != 1 {
			t.Errorf("source %v", ev.Src)
		}
	}
	if n != 1 {
		t.Errorf("%d events", n)
	}
	if _, err := OpenFS(fsys, []string{"t/missing.ndjson"}, Options{}); err == nil {
		t.Error("missing file: no error")
	}
}
