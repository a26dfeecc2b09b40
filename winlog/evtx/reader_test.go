package evtx

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vigil-sec/vigil/winlog"
)

// checkAgainstXML compares every record of the EVTX file with the events of
// the XML file Windows rendered from it: every Record field, and the whole
// XML document the package renders.
func checkAgainstXML(t *testing.T, evtxPath, xmlPath string) {
	t.Helper()
	data, err := os.ReadFile(evtxPath)
	if err != nil {
		t.Fatal(err)
	}
	xmlData, err := os.ReadFile(xmlPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, stats := readAll(t, NewReader(bytes.NewReader(data), filepath.Base(evtxPath)))
	if stats.ProblemCount != 0 || stats.RecordsSkipped != 0 || stats.ChunksSkipped != 0 {
		t.Errorf("problems reading an intact file: %+v", stats)
	}
	if want := declaredRecords(t, data); len(recs) != want {
		t.Errorf("read %d records, chunk headers declare %d", len(recs), want)
	}
	want, err := recordsFromXML(bytes.NewReader(xmlData))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no events in the XML file")
	}
	got := byRecordID(recs)
	for _, w := range want {
		g, ok := got[w.RecordID]
		if !ok {
			t.Errorf("record %d of the XML not read", w.RecordID)
			continue
		}
		if d := diffRecords(normRecord(g), normRecord(w)); d != "" {
			t.Errorf("record %d differs from the Windows XML:%s", w.RecordID, d)
		}
	}

	// The rendered XML, element by element.
	wantTrees, err := parseXMLTree(bytes.NewReader(xmlData))
	if err != nil {
		t.Fatal(err)
	}
	gotXML := map[string][]byte{}
	for off := FileHeaderSize; off < len(data); off += ChunkSize {
		c, err := ParseChunk(data[off:min(off+ChunkSize, len(data))])
		if err != nil {
			continue
		}
		for rr, err := range c.RawRecords() {
			if err != nil {
				t.Fatalf("chunk at %d: %v", off, err)
			}
			x, err := rr.AppendXML(nil)
			if err != nil {
				t.Fatalf("record %d: %v", rr.ID, err)
			}
			// Exported logs renumber the record headers; the event keeps
			// its EventRecordID.
			trees, err := parseXMLTree(bytes.NewReader(x))
			if err != nil || len(trees) != 1 {
				t.Fatalf("record %d: rendered XML does not parse (%v):\n%s", rr.ID, err, x)
			}
			gotXML[recordIDOf(trees[0])] = x
		}
	}
	for _, w := range wantTrees {
		id := recordIDOf(w)
		x, ok := gotXML[id]
		if !ok {
			t.Errorf("no XML rendered for record %s", id)
			continue
		}
		g, err := parseXMLTree(bytes.NewReader(x))
		if err != nil {
			t.Fatalf("record %s: rendered XML does not parse: %v\n%s", id, err, x)
		}
		if len(g) != 1 || !reflect.DeepEqual(g[0], w) {
			t.Errorf("record %s: rendered XML differs\n got: %s\nwant: %s", id, x, findEvent(xmlData, id))
		}
	}
}

func recordIDOf(n *xnode) string {
	for _, s := range n.Children {
		if s.Name != "System" {
			continue
		}
		for _, c := range s.Children {
			if c.Name == "EventRecordID" {
				return c.Text
			}
		}
	}
	return ""
}

// findEvent returns the line of the XML file holding the record, for error
// messages.
func findEvent(xmlData []byte, id string) string {
	for _, line := range strings.Split(string(xmlData), "<Event ") {
		if strings.Contains(line, "<EventRecordID>"+id+"<") {
			return "<Event " + line
		}
	}
	return "(not found)"
}

func TestReaderMatchesWindowsXML(t *testing.T) {
	tests := []struct {
		name string
		what string
	}{
		{"sysmon-9.01", "32 Sysmon events, named EventData, GUIDs rendered by Windows 2012 R2"},
		{"application-windows-error-reporting", "classic event: elements left out by NULL dependency values, unnamed Data, multi-line text"},
		{"ec3and4", "two classic events with Qualifiers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAgainstXML(t, filepath.Join("testdata", tt.name+".evtx"), filepath.Join("testdata", tt.name+".xml"))
		})
	}
}

func TestReaderMatchesWinlogbeat(t *testing.T) {
	tests := []struct {
		file string
		what string
	}{
		{"security-1102", "UserData (LogFileCleared)"},
		{"powershell-4104", "script block logging, long EventData text"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			checkAgainstGolden(t, filepath.Join("testdata", tt.file+".evtx"), filepath.Join("testdata", tt.file+".evtx.golden.json"))
		})
	}
}

// checkAgainstGolden compares the records of an EVTX file with Winlogbeat's
// output for it.
func checkAgainstGolden(t *testing.T, evtxPath, goldenPath string) {
	t.Helper()
	recs, stats := readFile(t, evtxPath)
	if stats.ProblemCount != 0 {
		t.Errorf("problems reading an intact file: %v", stats.Problems)
	}
	golden, err := loadGolden(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(golden) {
		t.Errorf("read %d records, Winlogbeat emitted %d", len(recs), len(golden))
	}
	got := byRecordID(recs)
	for i, g := range golden {
		id, _ := g.Winlog["record_id"].(float64)
		rec, ok := got[uint64(id)]
		if !ok {
			t.Errorf("golden event %d (record %v) not read", i, g.Winlog["record_id"])
			continue
		}
		for _, d := range compareGolden(rec, g) {
			t.Errorf("record %d: %s", rec.RecordID, d)
		}
	}
}

// TestReaderSequentialInput reads through a gzip stream and a reader that
// returns one byte at a time: the Reader must not need Seek or large reads.
func TestReaderSequentialInput(t *testing.T) {
	path := filepath.Join("testdata", "sysmon-9.01.evtx")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := readAll(t, NewReader(bytes.NewReader(data), "plain"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	zr, err := gzip.NewReader(&gz)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]io.Reader{
		"gzip":     zr,
		"one-byte": iotest.OneByteReader(bytes.NewReader(data)),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			got, stats := readAll(t, NewReader(in, name))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("records differ from reading the plain file (%d vs %d)", len(got), len(want))
			}
			if stats.ProblemCount != 0 {
				t.Errorf("problems: %v", stats.Problems)
			}
		})
	}
}

func TestReaderNotEVTX(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		want  error
	}{
		{"text", []byte(strings.Repeat("this is not an event log ", 200)), ErrNotEVTX},
		{"empty", nil, io.ErrUnexpectedEOF},
		{"short", []byte("ElfFile\x00abc"), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.input), "x.evtx")
			rec, err := r.Next()
			if rec != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Next() = %v, %v; want error %v", rec, err, tt.want)
			}
			if !strings.Contains(err.Error(), "x.evtx") {
				t.Errorf("error %q does not name the file", err)
			}
			if _, err2 := r.Next(); err2 != err {
				t.Errorf("second Next() = %v, want the same error", err2)
			}
		})
	}
}

// TestReaderRecordsAreIndependent checks that records returned earlier are
// not changed by reading later ones: the reader reuses its buffers.
func TestReaderRecordsAreIndependent(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sysmon-9.01.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []*winlog.Record
	var snapshot []winlog.Record
	for rec, err := range NewReader(f, "sysmon").All() {
		if err != nil {
			t.Fatal(err)
		}
		c := *rec
		c.EventData = append([]winlog.Data(nil), rec.EventData...)
		recs = append(recs, rec)
		snapshot = append(snapshot, c)
	}
	if len(recs) < 2 {
		t.Fatal("test file too small to be meaningful")
	}
	for i, r := range recs {
		if !reflect.DeepEqual(*r, snapshot[i]) {
			t.Fatalf("record %d changed after reading on", r.RecordID)
		}
	}
}

// TestReaderReset checks that a reset reader reads the next file as a new
// one would, with fresh stats.
func TestReaderReset(t *testing.T) {
	a, err := os.ReadFile(filepath.Join("testdata", "sysmon-9.01.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "security-1102.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(a)
	bad[60] ^= 1 // a file header checksum problem
	r := NewReader(bytes.NewReader(bad), "a")
	first, statsA := readAll(t, r)
	if len(first) == 0 || statsA.ProblemCount != 1 {
		t.Fatalf("first file: %d records, %d problems", len(first), statsA.ProblemCount)
	}
	r.Reset(bytes.NewReader(b), "b")
	got, stats := readAll(t, r)
	want, wantStats := readAll(t, NewReader(bytes.NewReader(b), "b"))
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(stats, wantStats) {
		t.Errorf("after Reset: %d records, stats %+v; a new reader: %d records, stats %+v", len(got), stats, len(want), wantStats)
	}
	if len(statsA.Problems) != 1 {
		t.Errorf("Reset changed the stats returned before it: %+v", statsA)
	}
}

// TestChunkRecords reads a chunk directly, with a damaged record, and
// checks that the damage is reported as a *RecordError with its offset and
// that the records around it are decoded.
func TestChunkRecords(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sysmon-9.01.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Clone(data[FileHeaderSize : FileHeaderSize+ChunkSize])
	c, err := ParseChunk(chunk)
	if err != nil {
		t.Fatal(err)
	}
	var offsets []int
	for rr, err := range c.RawRecords() {
		if err != nil {
			t.Fatal(err)
		}
		offsets = append(offsets, rr.Offset)
	}
	bad := offsets[5]
	chunk[bad+recordHeaderSize] = 0x1f // not a binary XML token
	c, err = ParseChunk(chunk)
	if err != nil {
		t.Fatal(err)
	}
	if c.Header.DataChecksumValid {
		t.Error("data checksum still valid after damage")
	}
	var good int
	var errs []error
	for rec, err := range c.Records() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if rec == nil {
			t.Fatal("nil record without error")
		}
		good++
	}
	if good != len(offsets)-1 || len(errs) != 1 {
		t.Fatalf("%d records and %d errors, want %d and 1", good, len(errs), len(offsets)-1)
	}
	var re *RecordError
	if !errors.As(errs[0], &re) || re.Offset != bad || re.RecordID == 0 {
		t.Errorf("error %v, want a *RecordError at offset %d", errs[0], bad)
	}
	if _, err := ParseChunk(make([]byte, ChunkSize)); err == nil {
		t.Error("a zeroed chunk parsed")
	}
}
