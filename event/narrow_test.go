package event

import (
	"strings"
	"testing"
)

// narrowSets returns a set narrowed by event.category, as eql.FieldSet
// builds them, and the paths of each case ("" for other).
func narrowSets() (*FieldSet, map[string][]string) {
	paths := map[string][]string{
		"process": {"host.name", "process.name", "process.pid", "event.category"},
		"file":    {"host.name", "file.path", "event.category"},
		"network": {"host.name", "destination.port", "process.pid", "event.category"},
		"":        {"host.name", "user.name", "event.category"},
	}
	all := NewFieldSet()
	cases := map[string]*FieldSet{}
	for c, ps := range paths {
		for _, p := range ps {
			all.Add(p)
		}
		if c != "" {
			cases[c] = NewFieldSet(ps...)
		}
	}
	all.Narrow("event.category", cases, NewFieldSet(paths[""]...))
	return all, paths
}

// checkNarrow decodes data in full and narrowed, and checks what Narrow
// promises: the narrowed decoding fails only where the full one does, and
// keeps every field of the cases of the document's category as full
// decoding finds it (every field of the set when it cannot narrow). It
// returns the narrowed document.
func checkNarrow(t *testing.T, d *Decoder, data []byte) Value {
	t.Helper()
	_, paths := narrowSets()
	var full Decoder
	fv, ferr := full.Decode(append([]byte(nil), data...))
	nv, nerr := d.Decode(data)
	if nerr != nil {
		if ferr == nil {
			t.Fatalf("narrowed decoding rejects what full decoding accepts: %v", nerr)
		}
		return Missing
	}
	if ferr != nil {
		return nv // a fault in a string the narrowed decoding skipped
	}
	var want []string
	cat := fv.Get(MustPath("event.category"))
	switch cat.Kind() {
	case KindString:
		want = casePaths(paths, cat.str)
	case KindArray:
		for _, e := range cat.kids {
			if e.Value.kind != KindString {
				want = nil
				break
			}
			want = append(want, casePaths(paths, e.Value.str)...)
		}
	}
	if want == nil {
		for _, ps := range paths {
			want = append(want, ps...)
		}
	}
	for _, p := range want {
		if a, b := fv.Get(MustPath(p)), nv.Get(MustPath(p)); !Equal(a, b) && !lossy(a) {
			t.Fatalf("%s: %s: full %s, narrowed %s", data, p, a, b)
		}
	}
	return nv
}

func casePaths(paths map[string][]string, c string) []string {
	if ps, ok := paths[c]; ok && c != "" {
		return ps
	}
	return paths[""]
}

func TestNarrow(t *testing.T) {
	const (
		proc = `"host":{"name":"h"},"process":{"name":"cmd.exe","pid":4},"file":{"path":"C:\\x"},"destination":{"port":443},"user":{"name":"u"}`
	)
	tests := []struct {
		name, doc string
		kept      string // the narrowed document
	}{
		{"process", `{"event":{"category":["process"]},` + proc + `}`,
			`{"event":{"category":["process"]},"host":{"name":"h"},"process":{"name":"cmd.exe","pid":4}}`},
		{"string category", `{"event":{"category":"file"},` + proc + `}`,
			`{"event":{"category":"file"},"host":{"name":"h"},"file":{"path":"C:\\x"}}`},
		{"dotted key", `{"event.category":"network",` + proc + `}`,
			`{"event.category":"network","host":{"name":"h"},"process":{"pid":4},"destination":{"port":443}}`},
		{"two categories", `{"event":{"category":["file","network"]},` + proc + `}`,
			`{"event":{"category":["file","network"]},"host":{"name":"h"},"process":{"pid":4},"file":{"path":"C:\\x"},"destination":{"port":443}}`},
		{"other category", `{"event":{"category":["iam"]},` + proc + `}`,
			`{"event":{"category":["iam"]},"host":{"name":"h"},"user":{"name":"u"}}`},
		// Members before the category are kept as the whole set wants.
		{"category late", `{"file":{"path":"a"},"event":{"category":"process"},` + proc + `}`,
			`{"file":{"path":"a"},"event":{"category":"process"},"host":{"name":"h"},"process":{"name":"cmd.exe","pid":4}}`},
		{"no category", `{"event":{"kind":"x"},` + proc + `}`,
			`{"event":{},` + proc + `}`},
		{"number category", `{"event":{"category":1},` + proc + `}`,
			`{"event":{"category":1},` + proc + `}`},
		{"empty category", `{"event":{"category":[]},` + proc + `}`,
			`{"event":{"category":[]},` + proc + `}`},
		{"mixed array", `{"event":{"category":["process",2]},` + proc + `}`,
			`{"event":{"category":["process",2]},` + proc + `}`},
		// A second member that could hold the category: decoded whole.
		{"second event", `{"event":{"category":"process"},"host":{"name":"h"},"event.category":"file","file":{"path":"p"}}`,
			`{"event":{"category":"process"},"host":{"name":"h"},"event.category":"file","file":{"path":"p"}}`},
		{"event twice", `{"event":{"category":"file"},"process":{"pid":1},"event":{"category":"process"},"process":{"pid":2}}`,
			`{"event":{"category":"file"},"process":{"pid":1},"event":{"category":"process"},"process":{"pid":2}}`},
		// Keys that only share a prefix with the field do not count.
		{"event.kind after", `{"event.category":"file","event.kind":"k","events":1,` + proc + `}`,
			`{"event.category":"file","host":{"name":"h"},"file":{"path":"C:\\x"}}`},
	}
	fs, _ := narrowSets()
	for _, reuse := range []bool{false, true} {
		d := Decoder{Reuse: reuse}
		d.Select(fs)
		for _, tt := range tests {
			v := checkNarrow(t, &d, []byte(tt.doc))
			if got := v.String(); got != tt.kept {
				t.Errorf("%s (reuse %v): kept %s, want %s", tt.name, reuse, got, tt.kept)
			}
		}
	}
}

// TestNarrowUnions checks the bound on the joined sets of multi-valued
// categories: beyond it, documents keep the whole set.
func TestNarrowUnions(t *testing.T) {
	fs, _ := narrowSets()
	var d Decoder
	d.Select(fs)
	for i := range maxUnions + 10 {
		doc := `{"event":{"category":["process","c` + strings.Repeat("x", i) + `"]},"file":{"path":"p"},"process":{"pid":1}}`
		v := checkNarrow(t, &d, []byte(doc))
		_, keptFile := v.Get(MustPath("file.path")).Str()
		if narrowed := !keptFile; narrowed != (i < maxUnions) {
			t.Errorf("document %d: narrowed %v", i, narrowed)
		}
	}
	if len(d.unions) != maxUnions {
		t.Errorf("%d unions kept, want %d", len(d.unions), maxUnions)
	}
}

func FuzzNarrow(f *testing.F) {
	f.Add([]byte(`{"event":{"category":["process"]},"process":{"name":"x","pid":1},"file":{"path":"p"}}`))
	f.Add([]byte(`{"event.category":["file","network"],"destination":{"port":1},"user":{"name":"u"}}`))
	f.Add([]byte(`{"event":{"category":"file"},"event":{"category":"process"},"process":{"pid":2}}`))
	f.Add([]byte(`{"event":{"category":"file"},"process":{"name":"a\qb"},"file":{"path":"p"}}`))
	fs, _ := narrowSets()
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Decoder{Reuse: true}
		d.Select(fs)
		checkNarrow(t, &d, data)
		checkNarrow(t, &d, data) // again, with what the first left behind
	})
}
