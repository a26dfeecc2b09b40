package ingest

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// FuzzJSONReaders feeds arbitrary bytes, read from stdin, to the content
// sniffer and the JSON readers (NDJSON, JSON arrays and streams, and the
// Windows JSON shapes they map): no panic, every event is an object with
// a source, and the reader ends.
func FuzzJSONReaders(f *testing.F) {
	for _, p := range []string{"testdata/sigma-9b0f8a61.evtx_dump.json", "testdata/otrf-covenant_com_wsman_automation.jsonl"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"@timestamp":"2024-01-01T00:00:00Z","event":{"code":"1"}}` + "\n" + `{"bad` + "\n"))
	f.Add([]byte(`[{"winlog":{"channel":"Security","event_id":"4688","provider_name":"Microsoft-Windows-Security-Auditing","event_data":{"CommandLine":"a \"b c\""}}}, {"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"}}}]`))
	f.Add([]byte("Record 1\n{\n \"Event\": {\"System\": {\"EventID\": {\"#text\": 13, \"#attributes\": {\"Qualifiers\": 0}}}, \"EventData\": {\"Data\": [{\"#attributes\": {\"Name\": \"TargetObject\"}, \"#text\": \"HKLM\\\\x\"}]}}\n}\n"))
	f.Add([]byte(`{"EventID":4688,"Channel":"security","NewProcessName":"C:\\x.exe","CommandLine":"x  y","Keywords":-9218868437227405312}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open([]string{"-"}, Options{Stdin: bytes.NewReader(data), MaxRecordSize: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		n := 0
		for {
			ev, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
			if n > len(data)+1 {
				t.Fatalf("%d events from %d bytes", n, len(data))
			}
			if ev.Doc.Kind() != event.KindObject || ev.Src.Name != "-" {
				t.Fatalf("event %s from %q", ev.Doc.Kind(), ev.Src)
			}
			_ = ev.AppendJSON(nil)
		}
		if st := r.Stats(); st.Events != int64(n) {
			t.Fatalf("stats count %d events, read %d", st.Events, n)
		}
	})
}

// FuzzDeferred checks that deferring the decoding of NDJSON lines changes
// nothing a consumer sees: the same documents, text and places, and the
// same counts and problems, as an ordinary selective read.
func FuzzDeferred(f *testing.F) {
	f.Add([]byte(`{"@timestamp":"2024-01-01T00:00:00Z","process":{"name":"a"}}` + "\n" + ` {"@timestamp":1,"process":{"name":"b" "x":1}}` + "\n" + `[1]` + "\n" + `{"process.name":"c"}` + "\n"))
	f.Add([]byte(`{"@timestamp":"t","event":{"category":"process"}}` + "\n" + `{"bad` + "\n" + "\t{}\t\r\n" + `{"a":"\u0041"}`))
	// JSON arrays and pretty-printed documents one after the other.
	f.Add([]byte("[\n {\"@timestamp\": 1,\n  \"process\": {\"name\": \"a\"}},\n {\"@timestamp\": 2, \"process\": {\"name\": \"b\" \"x\": 1}},\n [1],\n {\"process.name\": \"c\"}\n]\n"))
	f.Add([]byte("{\n  \"@timestamp\": \"2024-01-01T00:00:00Z\",\n  \"event\": {\"category\": \"process\"}\n}\n{\"a\":\n tru}\n{\"@timestamp\": 3}\n"))
	sel := event.NewFieldSet("process.name", "@timestamp")
	read := func(t *testing.T, data []byte, deferred bool) ([]string, Stats) {
		r, err := Open([]string{"-"}, Options{Stdin: bytes.NewReader(data), Select: sel, Deferred: deferred, MaxRecordSize: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for ev := range r.All() {
			if r.Decode(ev) {
				out = append(out, ev.Doc.String()+" "+string(ev.AppendJSON(nil))+" "+ev.Src.String())
			}
		}
		return out, r.Stats()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantStats := read(t, data, false)
		got, gotStats := read(t, data, true)
		if len(got) != len(want) {
			t.Fatalf("deferred read gave %d events, ordinary read %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("event %d:\ndeferred %s\nordinary %s", i, got[i], want[i])
			}
		}
		if gotStats.Events != wantStats.Events || gotStats.Skipped != wantStats.Skipped || gotStats.ProblemCount != wantStats.ProblemCount {
			t.Fatalf("deferred stats %+v, ordinary %+v", gotStats, wantStats)
		}
		for i := range wantStats.Problems {
			if g, w := gotStats.Problems[i].String(), wantStats.Problems[i].String(); g != w {
				t.Fatalf("problem %d: deferred %q, ordinary %q", i, g, w)
			}
		}
	})
}
