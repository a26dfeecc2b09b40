package winlog

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// FuzzXMLReader feeds arbitrary bytes to the XML reader and maps every
// record it returns: neither may panic, every error must be a
// *RecordError naming the input (or the end), and the reader must make
// progress.
func FuzzXMLReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "wineventlog", "*.xml"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err == nil && len(data) < 8<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte("<Events><Event><System><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data Name='TargetObject'>HKLM\\a\\b</Data><Data Name='Details'>DWORD (0x00000001)</Data><Data Name='CommandLine'>\"a b\" c</Data></EventData></Event></Events>"))
	f.Add([]byte("<Event><System><EventID>4688</EventID><Channel>Security</Channel><Provider Name='Microsoft-Windows-Security-Auditing'/></System><EventData><Data Name='CommandLine'>a  \"b c\" </Data><Data Name='AccessMask'>%%1537 0x10</Data></EventData></Event>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x := NewXMLReader(bytes.NewReader(data), "fuzz.xml")
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("no progress after %d calls", i)
			}
			rec, err := x.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var re *RecordError
				if !errors.As(err, &re) || re.Name != "fuzz.xml" {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			doc := ToECS(rec)
			if doc.Kind() != event.KindObject {
				t.Fatalf("mapped document is %s", doc.Kind())
			}
			_ = event.AppendJSON(nil, doc)
		}
	})
}

// FuzzWinlogbeatJSON maps arbitrary JSON documents as raw Winlogbeat
// output: no panic, and a mapped document is an object.
func FuzzWinlogbeatJSON(f *testing.F) {
	for _, p := range []string{"sysmon/collection/sysmon-9.01.evtx.golden.json", "security/collection/4670_WindowsSrv2016.evtx.golden.json", "powershell/collection/4103.evtx.golden.json"} {
		data, err := os.ReadFile(filepath.Join(goldenDir, p))
		if err != nil {
			f.Fatal(err)
		}
		var dec event.Decoder
		v, err := dec.Decode(data)
		if err != nil {
			f.Fatal(err)
		}
		for i := 0; i < v.Len() && i < 3; i++ {
			f.Add(event.AppendJSON(nil, v.Index(i)))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var dec event.Decoder
		v, err := dec.Decode(data)
		if err != nil {
			return
		}
		doc, err := WinlogbeatToECS(v)
		if err != nil {
			return
		}
		if doc.Kind() != event.KindObject {
			t.Fatalf("mapped document is %s", doc.Kind())
		}
	})
}
