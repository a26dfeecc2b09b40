package evtx

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSharedTemplates reads every test file twice with one Reader, so that
// the second pass uses the templates shared from the first, and checks
// that it gives what a new Reader gives.
func TestSharedTemplates(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	shared := NewReader(nil, "")
	for pass := range 2 {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			shared.ResetBytes(data, p)
			got, gotErr, gotStats := readEnd(shared)
			want, wantErr, wantStats := readEnd(NewReader(bytes.NewReader(data), p))
			if gotErr != wantErr || !reflect.DeepEqual(gotStats, wantStats) || !reflect.DeepEqual(got, want) {
				t.Errorf("pass %d, %s: %d records, %v, %+v; a new reader gives %d, %v, %+v",
					pass, p, len(got), gotErr, gotStats, len(want), wantErr, wantStats)
			}
		}
	}
	if len(shared.dec.shared) == 0 {
		t.Error("no template was shared")
	}
}

// TestSharedTemplateNames checks that a shared template is not used in a
// chunk where a name it takes from elsewhere in the chunk is different,
// and is used where everything is the same.
func TestSharedTemplateNames(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.evtx"))
	// Winlogbeat's samples, beside this package's, have chunks whose later
	// templates use names that earlier ones define.
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "winlogbeat-golden", "*", "collection", "*.evtx"))
	paths = append(paths, more...)
	checked := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(nil, "")
		r.ResetBytes(data, p)
		readEnd(r)
		chunk := data[FileHeaderSize:min(len(data), FileHeaderSize+ChunkSize)]
		for _, st := range r.dec.shared {
			if len(st.refs) == 0 {
				continue
			}
			d := newDecoder()
			d.shared, d.seed = r.dec.shared, r.dec.seed
			d.setChunk(chunk)
			if d.sharedTemplate(st.off, d.definition(st.off)) == nil {
				continue // a template of another chunk
			}
			// The same bytes but for one character of a name the
			// definition refers to outside itself.
			changed := bytes.Clone(chunk)
			ref := st.refs[0]
			changed[ref.off+8] ^= 0x20 // first UTF-16 unit of the name
			d.setChunk(changed)
			if d.sharedTemplate(st.off, d.definition(st.off)) != nil {
				t.Errorf("%s: template at 0x%x shared although name %q at 0x%x changed", p, st.off, ref.name, ref.off)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Skip("no shared template refers to names outside itself")
	}
}
