package evtx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/vigil-sec/vigil/winlog"
)

// TestCorpus reads every EVTX file of the shared corpus (beside the
// repository, not in it) and checks it against every oracle the corpus has:
// Windows-rendered XML, Winlogbeat's output, labels.json, SOURCE.md event
// tables and evtx_dump's rendering in the Sigma regression data.
func TestCorpus(t *testing.T) {
	root := corpusDir(t)
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".evtx") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("only %d EVTX files under %s", len(files), root)
	}
	checked := map[string]int{}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			recs, stats := readAll(t, NewReader(bytes.NewReader(data), rel))
			if stats.ProblemCount != 0 || stats.RecordsSkipped != 0 || stats.ChunksSkipped != 0 {
				t.Errorf("intact file read with problems: %d skipped records, %d skipped chunks, %v",
					stats.RecordsSkipped, stats.ChunksSkipped, stats.Problems)
			}
			if want := declaredRecords(t, data); len(recs) != want {
				t.Errorf("read %d records, chunk headers declare %d", len(recs), want)
			}
			for _, r := range recs {
				if r.Provider == "" || r.Channel == "" || r.RecordID == 0 || r.TimeCreated == 0 {
					t.Errorf("record %d lacks System fields: %+v", r.RecordID, r)
					break
				}
			}
			base := strings.TrimSuffix(path, ".evtx")
			if _, err := os.Stat(base + ".xml"); err == nil {
				checkAgainstXML(t, path, base+".xml")
				checked["windows xml"]++
			}
			if _, err := os.Stat(path + ".golden.json"); err == nil {
				checkAgainstGolden(t, path, path+".golden.json")
				checked["winlogbeat golden"]++
			}
			if jsonPath := base + ".json"; strings.Contains(rel, "regression_data") {
				checkAgainstEvtxDump(t, recs, data, jsonPath)
				checked["sigma evtx_dump json"]++
			}
		})
	}

	// Oracles kept per directory.
	for _, labels := range globAll(t, root, "labels.json") {
		checked["labels.json files"] += checkLabels(t, labels)
	}
	checked["SOURCE.md event tables"] += checkSourceTable(t, filepath.Join(root, "recorded", "evtx-attack-samples"))
	for what, n := range checked {
		t.Logf("%s: %d files checked", what, n)
	}
	for _, what := range []string{"windows xml", "winlogbeat golden", "sigma evtx_dump json", "labels.json files", "SOURCE.md event tables"} {
		if checked[what] == 0 {
			t.Errorf("no file checked against %s", what)
		}
	}
}

func globAll(t *testing.T, root, name string) []string {
	var out []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == name {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// checkLabels checks the record counts and the labelled key events of a
// labels.json.
func checkLabels(t *testing.T, path string) int {
	var labels struct {
		Files []struct {
			File      string `json:"file"`
			Events    int    `json:"events"`
			KeyEvents []struct {
				EventRecordID uint64 `json:"EventRecordID"`
				EventID       uint32 `json:"EventID"`
			} `json:"key_events"`
		} `json:"files"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &labels); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, f := range labels.Files {
		recs, _ := readFile(t, filepath.Join(filepath.Dir(path), f.File))
		if len(recs) != f.Events {
			t.Errorf("%s: %d records, labels.json says %d", f.File, len(recs), f.Events)
		}
		got := byRecordID(recs)
		for _, k := range f.KeyEvents {
			r, ok := got[k.EventRecordID]
			switch {
			case !ok:
				t.Errorf("%s: labelled record %d not read", f.File, k.EventRecordID)
			case r.EventID != k.EventID:
				t.Errorf("%s: record %d has EventID %d, labels.json says %d", f.File, k.EventRecordID, r.EventID, k.EventID)
			}
		}
	}
	return len(labels.Files)
}

// checkSourceTable checks the per-EventID counts in the table of a
// SOURCE.md ("| file.evtx (folder) | Sysmon 1 ×5, Sysmon 3 ×4 | ... |").
// Rows that list IDs without counts ("4624/4672") are not checked.
func checkSourceTable(t *testing.T, dir string) int {
	f, err := os.Open(filepath.Join(dir, "SOURCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile(`^\| (\S+\.evtx) [^|]*\| ([^|]+) \|`)
	item := regexp.MustCompile(`^\D*?(\d+)(?: ×(\d+))?$`)
	n := 0
	sc := bufio.NewScanner(f)
rows:
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil || strings.Contains(m[2], "/") {
			continue
		}
		want := map[uint32]int{}
		for _, it := range strings.Split(m[2], ",") {
			im := item.FindStringSubmatch(strings.TrimSpace(it))
			if im == nil {
				continue rows
			}
			id, _ := strconv.Atoi(im[1])
			count := 1
			if im[2] != "" {
				count, _ = strconv.Atoi(im[2])
			}
			want[uint32(id)] += count
		}
		recs, _ := readFile(t, filepath.Join(dir, m[1]))
		got := map[uint32]int{}
		for _, r := range recs {
			got[r.EventID]++
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: events per EventID %v, SOURCE.md says %v", m[1], got, want)
		}
		n++
	}
	return n
}

// checkAgainstEvtxDump compares records with evtx_dump's JSON rendering of
// the same file, as shipped in the Sigma regression data: a sequence of
// {"Event": {...}} objects.
func checkAgainstEvtxDump(t *testing.T, recs []*winlog.Record, fileData []byte, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type dumped struct {
		Event struct {
			System struct {
				EventID       json.RawMessage `json:"EventID"`
				EventRecordID uint64          `json:"EventRecordID"`
				Channel       string          `json:"Channel"`
				Computer      string          `json:"Computer"`
			} `json:"System"`
			EventData map[string]any `json:"EventData"`
		} `json:"Event"`
	}
	var events []dumped
	for {
		var e dumped
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		events = append(events, e)
	}
	if len(events) != len(recs) {
		t.Errorf("%d records, evtx_dump rendered %d", len(recs), len(events))
	}
	got := byRecordID(recs)
	for _, e := range events {
		sys := e.Event.System
		r, ok := got[sys.EventRecordID]
		if !ok {
			t.Errorf("record %d rendered by evtx_dump not read", sys.EventRecordID)
			continue
		}
		// EventID is a number, or {"#attributes": {...}, "#text": n} when it
		// has Qualifiers.
		var id json.Number
		if err := json.Unmarshal(sys.EventID, &id); err != nil {
			var withAttrs struct {
				Text json.Number `json:"#text"`
			}
			json.Unmarshal(sys.EventID, &withAttrs)
			id = withAttrs.Text
		}
		if id.String() != strconv.FormatUint(uint64(r.EventID), 10) || sys.Channel != r.Channel || sys.Computer != r.Computer {
			t.Errorf("record %d: EventID/Channel/Computer %s/%s/%s, evtx_dump %s/%s/%s",
				r.RecordID, strconv.FormatUint(uint64(r.EventID), 10), r.Channel, r.Computer, id, sys.Channel, sys.Computer)
		}
		for name, v := range e.Event.EventData {
			if strings.HasPrefix(name, "#") {
				continue // attributes of <EventData> itself, not a <Data>
			}
			want := evtxDumpText(v)
			gotV, ok := r.Value(name)
			if !ok {
				t.Errorf("record %d: EventData %q missing", r.RecordID, name)
				continue
			}
			if dumpNorm(gotV) != dumpNorm(want) {
				if !bytes.Contains(fileData, utf16le(want)) && bytes.Contains(fileData, utf16le(gotV)) {
					// The JSON shipped upstream was not made from these bytes.
					t.Logf("record %d: EventData %q: evtx_dump JSON has %q, which is not in the file; the file has %q", r.RecordID, name, want, gotV)
					continue
				}
				t.Errorf("record %d: EventData %q = %q, evtx_dump %q", r.RecordID, name, gotV, want)
			}
		}
	}
}

// evtxDumpText turns a value of evtx_dump's JSON into text: numbers and
// booleans as written, null as empty.
func evtxDumpText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

var unbracedGUID = regexp.MustCompile(`^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$`)

// dumpNorm removes the known differences of presentation between evtx_dump
// and Windows: evtx_dump writes GUIDs without braces and trims trailing
// spaces from strings (Windows keeps them: Sysmon command lines often end
// with a space).
func dumpNorm(s string) string {
	s = strings.TrimRight(s, " ")
	if m := unbracedGUID.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1])
	}
	return s
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
