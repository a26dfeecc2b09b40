package ingest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/vigil-sec/vigil/event"
)

const xmlEvent = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2019-03-18T16:57:52.4333673Z'/><EventRecordID>%ID%</EventRecordID><Execution ProcessID='4860' ThreadID='4516'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS1.corp</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='UtcTime'>2019-03-18 16:57:52.433</Data><Data Name='ProcessGuid'>{42F11C3B-CE01-5C8F-0000-0010C73E2A00}</Data><Data Name='ProcessId'>1</Data><Data Name='Image'>C:\Windows\System32\mshta.exe</Data><Data Name='CommandLine'>mshta.exe -Embedding</Data></EventData></Event>`

func xmlEvents(ids ...string) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(strings.ReplaceAll(xmlEvent, "%ID%", id))
		b.WriteString("\r\n")
	}
	return b.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, files map[string][]byte, order ...string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range order {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(files[name])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// readAll reads every event of inputs and returns them with the stats.
func readAll(t *testing.T, inputs []string, opts Options) ([]*event.Event, Stats) {
	t.Helper()
	r, err := Open(inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var evs []*event.Event
	for ev := range r.All() {
		evs = append(evs, ev)
	}
	return evs, r.Stats()
}

func sources(evs []*event.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Src.String())
	}
	return out
}

func TestFormats(t *testing.T) {
	ecs1 := `{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":["process"]},"process":{"name":"a.exe"}}`
	ecs2 := `{"@timestamp":"2024-01-01T00:00:01Z","process":{"name":"b.exe"}}`
	tests := []struct {
		name     string
		file     string
		data     []byte
		srcs     []string
		skipped  int64
		problems []string // substrings of the problems, in order
	}{
		{"ndjson with a bad line", "a.log", []byte(ecs1 + "\n{\"@timestamp\": oops}\n\n" + ecs2 + "\n"),
			[]string{"a.log:1", "a.log:4"}, 1, []string{"a.log:2:16: malformed JSON"}},
		{"ndjson crlf no final newline", "b", []byte(ecs1 + "\r\n" + ecs2),
			[]string{"b:1", "b:2"}, 0, nil},
		{"json array", "arr.txt", []byte("[\n " + ecs1 + ",\n " + ecs2 + "\n]\n"),
			[]string{"arr.txt:1", "arr.txt:2"}, 0, nil},
		{"pretty documents", "pretty", []byte("{\n \"@timestamp\": \"2024-01-01T00:00:00Z\"\n}\n{\n \"@timestamp\": \"2024-01-01T00:00:01Z\"\n}\n"),
			[]string{"pretty:1", "pretty:2"}, 0, nil},
		{"not an event", "labels.json", []byte(`{"origin":"x","files":[]}`), nil, 1, []string{"labels.json:1: not an event"}},
		{"xml", "events", []byte("<Events>" + xmlEvents("7", "8") + "</Events>"), []string{"events:1", "events:2"}, 0, nil},
		{"xml utf-16", "ps.xml", utf16LE("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n" + xmlEvents("9")), []string{"ps.xml:2"}, 0, nil},
		{"gzip ndjson", "a.gz", gz(t, []byte(ecs1+"\n")), []string{"a.gz:1"}, 0, nil},
		{"unknown", "notes.txt", []byte("hello\n"), nil, 0, []string{"notes.txt: unrecognised content"}},
		{"empty", "empty.json", nil, nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tt.file, tt.data)
			evs, st := readAll(t, []string{p}, Options{})
			var got []string
			for _, s := range sources(evs) {
				got = append(got, strings.TrimPrefix(s, filepath.Dir(p)+string(filepath.Separator)))
			}
			if strings.Join(got, " ") != strings.Join(tt.srcs, " ") {
				t.Errorf("events %v, want %v", got, tt.srcs)
			}
			if st.Skipped != tt.skipped {
				t.Errorf("skipped %d, want %d (%v)", st.Skipped, tt.skipped, st.Problems)
			}
			if len(st.Problems) != len(tt.problems) {
				t.Fatalf("problems %v, want %v", st.Problems, tt.problems)
			}
			for i, want := range tt.problems {
				if got := strings.TrimPrefix(st.Problems[i].String(), filepath.Dir(p)+string(filepath.Separator)); !strings.Contains(got, want) {
					t.Errorf("problem %q, want %q", got, want)
				}
			}
		})
	}
}

func TestArchivesDirsGlobsStdin(t *testing.T) {
	dir := t.TempDir()
	ecs := []byte(`{"@timestamp":"2024-01-01T00:00:00Z"}` + "\n")
	inner := zipOf(t, map[string][]byte{"x.ndjson": ecs}, "x.ndjson")
	writeFile(t, dir, "d/a.zip", zipOf(t, map[string][]byte{
		"one.xml":   []byte(xmlEvents("1")),
		"sub/":      nil,
		"two.json":  ecs,
		"inner.zip": inner,
	}, "one.xml", "sub/", "two.json", "inner.zip"))
	writeFile(t, dir, "d/b/c.json.gz", gz(t, ecs))
	writeFile(t, dir, "d/.hidden/x.json", ecs)
	writeFile(t, dir, "d/z.zip.gz", gz(t, zipOf(t, map[string][]byte{"m.json": ecs}, "m.json")))

	evs, st := readAll(t, []string{filepath.Join(dir, "d")}, Options{})
	var got []string
	for _, s := range sources(evs) {
		got = append(got, strings.TrimPrefix(s, dir+"/d/"))
	}
	want := []string{"a.zip:one.xml:1", "a.zip:two.json:1", "a.zip:inner.zip:x.ndjson:1", "b/c.json.gz:1", "z.zip.gz:m.json:1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events %v\nwant %v", got, want)
	}
	if st.Files != 5 || st.Events != 5 || st.ProblemCount != 0 {
		t.Errorf("stats %+v", st)
	}

	evs, _ = readAll(t, []string{filepath.Join(dir, "d", "b", "*.gz"), "-"}, Options{Stdin: bytes.NewReader(ecs)})
	if got := sources(evs); len(got) != 2 || got[1] != "-:1" {
		t.Errorf("glob and stdin: %v", got)
	}
	if _, err := Open([]string{filepath.Join(dir, "nope", "*.json")}, Options{}); err == nil {
		t.Error("a glob that matches nothing is not an error")
	}
	if _, err := Open([]string{filepath.Join(dir, "missing.json")}, Options{}); err == nil {
		t.Error("a missing input is not an error")
	}
}

func TestWindowsJSONShapes(t *testing.T) {
	dir := t.TempDir()
	// Raw Winlogbeat output (no pipeline): mapped to ECS.
	raw := `{"@timestamp":"2019-03-18T16:57:49.0897231Z","event":{"code":"3","kind":"event","provider":"Microsoft-Windows-Sysmon"},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"h","event_id":"3","provider_name":"Microsoft-Windows-Sysmon","record_id":8,"event_data":{"UtcTime":"2019-03-18 16:57:47.847","Image":"C:\\w\\svchost.exe","Initiated":"false","Protocol":"tcp","SourceIp":"10.0.0.1","SourcePort":"50000","DestinationIp":"10.0.0.2","DestinationPort":"50001"}}}`
	writeFile(t, dir, "wlb.ndjson", []byte(raw+"\n"))
	evs, st := readAll(t, []string{filepath.Join(dir, "wlb.ndjson")}, Options{})
	if len(evs) != 1 {
		t.Fatalf("events %d %v", len(evs), st.Problems)
	}
	d := evs[0].Doc
	for p, want := range map[string]string{"event.module": "sysmon", "network.direction": "ingress", "process.name": "svchost.exe", "@timestamp": "2019-03-18T16:57:47.847Z"} {
		if got := d.GetString(p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if evs[0].Raw != nil {
		t.Error("a mapped event keeps the raw text of its input")
	}

	// evtx_dump JSON (SigmaHQ regression sample, Sysmon 13).
	evs, st = readAll(t, []string{"testdata/sigma-9b0f8a61.evtx_dump.json"}, Options{})
	if len(evs) != 1 {
		t.Fatalf("evtx_dump: %d events %v", len(evs), st.Problems)
	}
	d = evs[0].Doc
	for p, want := range map[string]string{
		"event.code":        "13",
		"registry.hive":     "HKU",
		"registry.value":    "(Default)",
		"registry.key":      `S-1-5-21-3960063115-309473240-3247002503-500_Classes\CLSID\{97D47D56-3777-49FB-8E8F-90D7E30E1A1E}\TreatAs\(Default)`,
		"process.entity_id": "{5AA13A44-62E7-68FD-C13E-000000004002}",
		"process.name":      "reg.exe",
		"user.name":         "Administrator",
		"host.os.type":      "windows",
	} {
		if got := d.GetString(p); got != want {
			t.Errorf("evtx_dump %s = %q, want %q", p, got, want)
		}
	}
	if got := d.Get(event.MustPath("registry.data.strings")).String(); got != `["{00000001-0000-0000-0000-0000FEEDACDC}"]` {
		t.Errorf("registry.data.strings %s", got)
	}

	// Flat NXLog/OTRF JSON lines.
	evs, st = readAll(t, []string{"testdata/otrf-covenant_com_wsman_automation.jsonl"}, Options{})
	if len(evs) != 3 || st.Skipped != 0 {
		t.Fatalf("otrf: %d events %v", len(evs), st.Problems)
	}
	d = evs[0].Doc
	for p, want := range map[string]string{
		"event.code":             "1",
		"event.category":         "process",
		"process.parent.name":    "svchost.exe",
		"process.name":           "WmiPrvSE.exe",
		"process.args":           "-Embedding",
		"winlog.computer_name":   "WORKSTATION6.theshire.local",
		"data_stream.dataset":    "windows.sysmon_operational",
		"process.pe.imphash":     "cc058866636cc184ad452f88ee39368a",
		"process.parent.args":    "-k",
		"winlog.event_data.User": `NT AUTHORITY\NETWORK SERVICE`,
	} {
		v := d.Get(event.MustPath(p))
		ok := false
		if s, isStr := v.Str(); isStr {
			ok = s == want
		} else {
			for i := 0; i < v.Len(); i++ {
				if s, _ := v.Index(i).Str(); s == want {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("otrf %s = %s, want %q", p, v, want)
		}
	}
}

func TestLongLineAndLimits(t *testing.T) {
	dir := t.TempDir()
	long := `{"@timestamp":"2024-01-01T00:00:00Z","x":"` + strings.Repeat("a", 3<<20) + `"}`
	p := writeFile(t, dir, "l.ndjson", []byte(long+"\n"+long+"\n"))
	evs, st := readAll(t, []string{p}, Options{MaxRecordSize: 4 << 20})
	if len(evs) != 2 || st.Skipped != 0 {
		t.Fatalf("long lines under the limit: %d events, %v", len(evs), st.Problems)
	}
	evs, st = readAll(t, []string{p}, Options{MaxRecordSize: 1 << 20})
	if len(evs) != 0 || st.Skipped != 2 || !strings.Contains(st.Problems[0].String(), "l.ndjson:1: line longer than") {
		t.Fatalf("long lines over the limit: %d events, %v", len(evs), st.Problems)
	}
	var many bytes.Buffer
	for i := 0; i < 10; i++ {
		many.WriteString("not json\n")
	}
	p = writeFile(t, dir, "bad.ndjson", append([]byte(`{"@timestamp":1}`+"\n"), many.Bytes()...))
	_, st = readAll(t, []string{p}, Options{MaxProblems: 3})
	if st.Skipped != 10 || len(st.Problems) != 3 || st.ProblemCount != 10 {
		t.Errorf("capped problems: %+v", st)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want Format
	}{
		{"ElfFile\x00rest", FormatEVTX},
		{"\x1f\x8b\x08", FormatGzip},
		{"PK\x03\x04", FormatZip},
		{"\xff\xfe<\x00", FormatUTF16},
		{"\xef\xbb\xbf<Events>", FormatXML},
		{"  \n<Event>", FormatXML},
		{`{"a":1}` + "\n" + `{"a":2}`, FormatNDJSON},
		{"{\n \"a\": 1\n}", FormatJSONStream},
		{"[{}]", FormatJSONStream},
		{"Record 1\n{", FormatJSONStream},
		{"#Fields: x", FormatUnknown},
		{"", FormatUnknown},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

var _ = io.EOF
