package winlog

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

func readAllXML(t *testing.T, r io.Reader, name string) (recs []*Record, errs []error) {
	t.Helper()
	x := NewXMLReader(r, name)
	for {
		rec, err := x.Next()
		if err == io.EOF {
			return recs, errs
		}
		var re *RecordError
		if errors.As(err, &re) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

// TestGoldenXML maps the Windows-rendered XML of sysmon-9.01 (the same 32
// events as the sysmon-9.01 EVTX) and compares with the ingest golden.
func TestGoldenXML(t *testing.T) {
	f, err := os.Open(filepath.Join(goldenDir, "wineventlog", "sysmon-9.01.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, errs := readAllXML(t, f, "sysmon-9.01.xml")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := readJSONArray(t, filepath.Join(goldenDir, "sysmon", "ingest", "sysmon-9.01.golden.json"))
	if len(recs) != len(want) {
		t.Fatalf("read %d events, golden has %d", len(recs), len(want))
	}
	byID := map[string]event.Value{}
	for _, w := range want {
		byID[w.GetString("winlog.record_id")] = w
	}
	fields := 0
	for _, r := range recs {
		got := ToECS(r)
		id := got.GetString("winlog.record_id")
		w, ok := byID[id]
		if !ok {
			t.Errorf("record %s not in golden", id)
			continue
		}
		diffs, n := compareGolden("sysmon", got, w)
		fields += n
		for _, d := range diffs {
			t.Errorf("record %s: %s", id, d)
		}
	}
	t.Logf("compared %d events, %d golden fields", len(recs), fields)
}

func TestXMLReaderShapes(t *testing.T) {
	one := `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='P'/><EventID>7</EventID><Level>4</Level><TimeCreated SystemTime='2022-03-22T02:03:11.3106672Z'/><EventRecordID>%d</EventRecordID><Channel>C</Channel><Computer>H</Computer></System><EventData><Data Name='A'>x</Data><Data>y</Data></EventData></Event>`
	ev := func(id string) string { return strings.Replace(one, "%d", id, 1) }
	tests := []struct {
		name    string
		in      string
		ids     []uint64
		errLine []int
	}{
		{"bare", ev("1"), []uint64{1}, nil},
		{"wrapped", "<?xml version='1.0'?>\r\n<Events>\r\n" + ev("1") + "\r\n" + ev("2") + "\r\n</Events>", []uint64{1, 2}, nil},
		{"rendered", strings.Replace(ev("3"), "</EventData>", "</EventData><RenderingInfo Culture='en-US'><Message>m</Message><Level>Information</Level><Task>T</Task><Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo>", 1), []uint64{3}, nil},
		{"bad middle", ev("1") + "\n<Event><System><EventID>x</EventID></System></Event>\n" + ev("3"), []uint64{1, 3}, []int{2}},
		{"truncated", ev("1") + "\n" + ev("2")[:50], []uint64{1}, []int{2}},
		{"no events", "<Events></Events>", nil, nil},
		{"lookalike tags", "<EventData/>" + ev("5"), []uint64{5}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := readAllXML(t, strings.NewReader(tt.in), "in.xml")
			var ids []uint64
			for _, r := range recs {
				ids = append(ids, r.RecordID)
			}
			if !equalU64(ids, tt.ids) {
				t.Errorf("record ids %v, want %v", ids, tt.ids)
			}
			if len(errs) != len(tt.errLine) {
				t.Fatalf("errors %v, want lines %v", errs, tt.errLine)
			}
			for i, err := range errs {
				var re *RecordError
				errors.As(err, &re)
				if re.Line != tt.errLine[i] || !strings.HasPrefix(err.Error(), "in.xml:") {
					t.Errorf("error %q at line %d, want line %d", err, re.Line, tt.errLine[i])
				}
			}
		})
	}
}

func TestXMLRecordFields(t *testing.T) {
	in := `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>4624</EventID><Version>2</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2019-03-29T21:10:39.7868321Z'/><EventRecordID>1535</EventRecordID><Correlation ActivityID='{A}'/><Execution ProcessID='516' ThreadID='536'/><Channel>Security</Channel><Computer>host</Computer><Security/></System><EventData><Data Name='ImpersonationLevel'>%%1833</Data><Data Name='Empty'></Data><Data Name='LogonType'>5</Data></EventData></Event>`
	recs, errs := readAllXML(t, strings.NewReader(in), "x")
	if len(errs) > 0 || len(recs) != 1 {
		t.Fatalf("recs %d errs %v", len(recs), errs)
	}
	r := recs[0]
	if r.EventID != 4624 || r.Version != 2 || r.Task != 12544 || !r.HasOpcode || r.Keywords != 0x8020000000000000 ||
		r.RecordID != 1535 || r.ProcessID != 516 || r.ThreadID != 536 || r.ActivityID != "{A}" || r.Computer != "host" {
		t.Errorf("record %+v", r)
	}
	doc := ToECS(r)
	for path, want := range map[string]string{
		"winlog.event_data.ImpersonationLevel": "Impersonation",
		"winlog.task":                          "Logon",
		"winlog.opcode":                        "Info",
		"log.level":                            "information",
		"event.outcome":                        "success",
		"event.action":                         "logged-in",
		"winlog.logon.type":                    "Service",
		"data_stream.dataset":                  "system.security",
		"host.id":                              "host",
	} {
		if got := doc.GetString(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if doc.Get(event.MustPath("winlog.event_data.Empty")).Exists() {
		t.Error("empty event data value kept")
	}
	if got := doc.Get(event.MustPath("winlog.keywords")).String(); got != `["Audit Success"]` {
		t.Errorf("keywords %s", got)
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBaseOnlyChannel checks that a channel without a Winlogbeat module
// (Task Scheduler 106, ecs-mapping.md §4.6) keeps only the base event and
// the documented additions.
func TestBaseOnlyChannel(t *testing.T) {
	in := `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-TaskScheduler' Guid='{de7b24ea-73c8-4a09-985d-5bdadcfa9017}'/><EventID>106</EventID><Version>0</Version><Level>4</Level><Task>106</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2020-10-20T10:00:00.1234567Z'/><EventRecordID>42</EventRecordID><Correlation/><Execution ProcessID='1' ThreadID='2'/><Channel>Microsoft-Windows-TaskScheduler/Operational</Channel><Computer>WS1.corp</Computer><Security UserID='S-1-5-18'/></System><EventData Name='TaskRegistered'><Data Name='TaskName'>\Microsoft\Windows\evil</Data><Data Name='UserContext'>CORP\bob</Data></EventData></Event>`
	recs, errs := readAllXML(t, strings.NewReader(in), "ts.xml")
	if len(errs) > 0 || len(recs) != 1 {
		t.Fatalf("recs %d errs %v", len(recs), errs)
	}
	doc := ToECS(recs[0])
	for path, want := range map[string]string{
		"event.code":                    "106",
		"event.provider":                "Microsoft-Windows-TaskScheduler",
		"event.action":                  "Task registered",
		"winlog.task":                   "Task registered",
		"winlog.event_data.TaskName":    `\Microsoft\Windows\evil`,
		"winlog.event_data.UserContext": `CORP\bob`,
		"winlog.user.name":              "SYSTEM",
		"data_stream.dataset":           "winlog.winlog",
		"host.name":                     "WS1.corp",
		"host.id":                       "ws1.corp",
		"@timestamp":                    "2020-10-20T10:00:00.1234567Z",
	} {
		if got := doc.GetString(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	for _, absent := range []string{"event.category", "event.type", "event.module", "user.id", "process.name"} {
		if doc.Get(event.MustPath(absent)).Exists() {
			t.Errorf("%s is set on a channel without a module", absent)
		}
	}
	if n, ok := doc.Get(event.MustPath("winlog.record_id")).Int(); !ok || n != 42 {
		t.Errorf("winlog.record_id = %s, want the number 42", doc.Get(event.MustPath("winlog.record_id")))
	}
}
