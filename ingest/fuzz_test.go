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
