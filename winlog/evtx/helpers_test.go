package evtx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/winlog"
)

// readFile reads every record of the EVTX file at path with a Reader.
func readFile(t testing.TB, path string) ([]*winlog.Record, Stats) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAll(t, NewReader(f, filepath.Base(path)))
}

func readAll(t testing.TB, r *Reader) ([]*winlog.Record, Stats) {
	t.Helper()
	var recs []*winlog.Record
	for rec, err := range r.All() {
		if err != nil {
			t.Fatalf("fatal error: %v", err)
		}
		recs = append(recs, rec)
	}
	return recs, r.Stats()
}

// declaredRecords sums the record counts that the chunk headers of an
// intact file declare.
func declaredRecords(t testing.TB, data []byte) int {
	t.Helper()
	n := 0
	for off := FileHeaderSize; off+ChunkHeaderSize <= len(data); off += ChunkSize {
		h, err := ParseChunkHeader(data[off:min(off+ChunkSize, len(data))])
		if err != nil {
			continue
		}
		n += h.RecordCount()
	}
	return n
}

// byRecordID indexes records by their EventRecordID.
func byRecordID(recs []*winlog.Record) map[uint64]*winlog.Record {
	m := make(map[uint64]*winlog.Record, len(recs))
	for _, r := range recs {
		m[r.RecordID] = r
	}
	return m
}

var bracedGUID = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)

// normGUID lower-cases a string that is exactly a braced GUID, as
// Winlogbeat's test harness does on both sides: Windows Server 2012 R2
// rendered GUIDs in lower case, later versions in upper case.
func normGUID(s string) string {
	if bracedGUID.MatchString(s) {
		return strings.ToLower(s)
	}
	return s
}

// normText applies what an XML parser does to character data (line ends
// become "\n") and normGUID.
func normText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return normGUID(s)
}

// normRecord returns a copy of r normalised with normText, for comparison
// with records read from XML text.
func normRecord(r *winlog.Record) winlog.Record {
	c := *r
	c.ProviderGUID = normText(c.ProviderGUID)
	c.ActivityID = normText(c.ActivityID)
	c.RelatedActivityID = normText(c.RelatedActivityID)
	c.Binary = normText(c.Binary)
	normData := func(in []winlog.Data) []winlog.Data {
		if in == nil {
			return nil
		}
		out := make([]winlog.Data, len(in))
		for i, d := range in {
			out[i] = winlog.Data{Name: d.Name, Value: normText(d.Value)}
		}
		return out
	}
	c.EventData = normData(c.EventData)
	if r.UserData != nil {
		c.UserData = &winlog.UserData{Name: r.UserData.Name, Pairs: normData(r.UserData.Pairs)}
	}
	if r.Rendering != nil {
		rc := *r.Rendering
		rc.Message = normText(rc.Message)
		c.Rendering = &rc
	}
	return c
}

// recordsFromXML maps Windows event XML (a sequence of <Event> elements) to
// records, independently of the package: the same mapping, written against
// encoding/xml.
func recordsFromXML(r io.Reader) ([]*winlog.Record, error) {
	dec := xml.NewDecoder(r)
	var recs []*winlog.Record
	var rec *winlog.Record
	var path []string
	var text strings.Builder
	var dataName string
	userChild := 0
	attr := func(se xml.StartElement, name string) (string, bool) {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			path = append(path, name)
			text.Reset()
			p := strings.Join(path, "/")
			switch {
			case p == "Event":
				rec = &winlog.Record{}
				userChild = 0
			case p == "Event/System/Provider":
				rec.Provider, _ = attr(tok, "Name")
				rec.ProviderGUID, _ = attr(tok, "Guid")
				rec.EventSourceName, _ = attr(tok, "EventSourceName")
			case p == "Event/System/EventID":
				if q, ok := attr(tok, "Qualifiers"); ok {
					n, err := strconv.ParseUint(q, 10, 16)
					if err != nil {
						return nil, err
					}
					rec.Qualifiers = uint16(n)
				}
			case p == "Event/System/Opcode":
				rec.HasOpcode = true
			case p == "Event/System/TimeCreated":
				st, _ := attr(tok, "SystemTime")
				tm, err := time.Parse(time.RFC3339Nano, st)
				if err != nil {
					return nil, err
				}
				rec.TimeCreated = tm.UnixNano()
			case p == "Event/System/Correlation":
				rec.ActivityID, _ = attr(tok, "ActivityID")
				rec.RelatedActivityID, _ = attr(tok, "RelatedActivityID")
			case p == "Event/System/Execution":
				pid, _ := attr(tok, "ProcessID")
				tid, _ := attr(tok, "ThreadID")
				rec.ProcessID = uint32(mustUint(pid, 10))
				rec.ThreadID = uint32(mustUint(tid, 10))
			case p == "Event/System/Security":
				rec.UserID, _ = attr(tok, "UserID")
			case len(path) == 3 && path[1] == "EventData":
				dataName, _ = attr(tok, "Name")
				if name != "Data" && dataName == "" {
					dataName = name
				}
			case len(path) == 3 && path[1] == "UserData":
				userChild++
				if userChild == 1 {
					rec.UserData = &winlog.UserData{Name: name}
				}
			case len(path) == 4 && path[1] == "UserData":
				dataName = name
				if n, ok := attr(tok, "Name"); ok && n != "" {
					dataName = n
				}
			case p == "Event/RenderingInfo":
				rec.Rendering = &winlog.Rendering{}
				rec.Rendering.Culture, _ = attr(tok, "Culture")
			}
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			p := strings.Join(path, "/")
			s := text.String()
			switch {
			case p == "Event":
				recs = append(recs, rec)
			case p == "Event/System/EventID":
				rec.EventID = uint32(mustUint(s, 10))
			case p == "Event/System/Version":
				rec.Version = uint8(mustUint(s, 10))
			case p == "Event/System/Level":
				rec.Level = uint8(mustUint(s, 10))
			case p == "Event/System/Task":
				rec.Task = uint16(mustUint(s, 10))
			case p == "Event/System/Opcode":
				rec.Opcode = uint8(mustUint(s, 10))
			case p == "Event/System/Keywords":
				rec.Keywords = mustUint(strings.TrimPrefix(s, "0x"), 16)
			case p == "Event/System/EventRecordID":
				rec.RecordID = mustUint(s, 10)
			case p == "Event/System/Channel":
				rec.Channel = s
			case p == "Event/System/Computer":
				rec.Computer = s
			case p == "Event/EventData/Binary":
				rec.Binary = s
			case len(path) == 3 && path[1] == "EventData":
				rec.EventData = append(rec.EventData, winlog.Data{Name: dataName, Value: s})
			case len(path) == 4 && path[1] == "UserData" && userChild == 1:
				rec.UserData.Pairs = append(rec.UserData.Pairs, winlog.Data{Name: dataName, Value: s})
			case len(path) == 3 && path[1] == "RenderingInfo":
				r := rec.Rendering
				switch path[2] {
				case "Message":
					r.Message = s
				case "Level":
					r.Level = s
				case "Task":
					r.Task = s
				case "Opcode":
					r.Opcode = s
				case "Channel":
					r.Channel = s
				case "Provider":
					r.Provider = s
				}
			case p == "Event/RenderingInfo/Keywords/Keyword":
				rec.Rendering.Keywords = append(rec.Rendering.Keywords, s)
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

func mustUint(s string, base int) uint64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		panic(fmt.Sprintf("bad number %q in test XML: %v", s, err))
	}
	return n
}

// xnode is a generic XML element, for comparing whole documents.
type xnode struct {
	Name     string
	Attrs    []string // name=value, in order
	Text     string   // direct character data
	Children []*xnode
}

// parseXMLTree parses a sequence of XML elements into trees, normalising
// GUID case as normText does.
func parseXMLTree(r io.Reader) ([]*xnode, error) {
	dec := xml.NewDecoder(r)
	var roots []*xnode
	var stack []*xnode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return roots, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{Name: tok.Name.Local}
			for _, a := range tok.Attr {
				n.Attrs = append(n.Attrs, a.Name.Local+"="+normGUID(a.Value))
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				roots = append(roots, n)
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.Text = normGUID(n.Text)
			stack = stack[:len(stack)-1]
		}
	}
}

// diffRecords reports the fields of got that differ from want.
func diffRecords(got, want winlog.Record) string {
	var b strings.Builder
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if !reflect.DeepEqual(g, w) {
			fmt.Fprintf(&b, "\n  %s: got %s, want %s", gv.Type().Field(i).Name, show(g), show(w))
		}
	}
	return b.String()
}

func show(v any) string {
	switch v := v.(type) {
	case *winlog.UserData:
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("&%+v", *v)
	case *winlog.Rendering:
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("&%+v", *v)
	}
	return fmt.Sprintf("%#v", v)
}

// moduleRoot returns the directory of go.mod above the working directory.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// corpusDir returns the shared test corpus, ../shared/corpus relative to
// the module root, or skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not available at %s (it lives beside the repository, not in it): %v", dir, err)
	}
	return dir
}
