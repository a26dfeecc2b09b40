package event

import (
	"bytes"
	"strings"
	"testing"
)

// pathSetPaths share prefixes, give the root and process more kids than
// manyKids, and hold a key that shares a slot with "name" under process
// (slotClash, which the documents write as CLASH).
func pathSetPaths(t testing.TB) []Path {
	var out []Path
	for _, s := range []string{
		"process.name", "process." + slotClash(t), "process.parent.name", "process.parent.pid",
		"process.pe.original_file_name", "process.args", "process.executable",
		"file.path", "file.name", "event.category", "host.name", "a", "a.b.c", "user.name",
		"dll.name",
	} {
		out = append(out, MustPath(s))
	}
	return out
}

// slotClash returns a key of three letters that shares a slot with "name".
func slotClash(t testing.TB) string {
	for i := 0; i < 26*26*26; i++ {
		if k := string([]byte{'a' + byte(i/676), 'a' + byte(i/26%26), 'a' + byte(i%26)}); pathSlot(k) == pathSlot("name") {
			return k
		}
	}
	t.Fatal("no key shares a slot with name")
	return ""
}

var pathSetDocs = []string{
	`{"process":{"name":"a.exe","CLASH":1,"parent":{"name":"b.exe","pid":4},"args":["x","y"],"executable":"C:\\a.exe"},"event":{"category":["process"]},"host":{"name":"h"}}`,
	// Other key orders, so that hints miss.
	`{"host":{"name":"h2"},"event":{"category":"file"},"file":{"name":"f","path":"C:\\f"},"process":{"executable":"e","name":"n"}}`,
	// Missing parents and a scalar where an object is expected.
	`{"process":"flat","file":{},"a":1}`,
	`{}`,
	// Dotted keys, alone and mixed with objects.
	`{"process.name":"dotted.exe","process":{"parent":{"name":"p"}},"a.b":{"c":3}}`,
	`{"process":{"parent.name":"pd","pe.original_file_name":"O.EXE"}}`,
	// Arrays of objects on the way.
	`{"process":[{"name":"x1"},{"name":"x2","parent":{"name":"y"}}],"a":[{"b":{"c":1}},{"b":[{"c":2}]}]}`,
	`{"user":{"name":null},"dll":{"name":["a.dll","b.dll"]},"a":{"b":{"c":{"d":1}}}}`,
	// The key that shares name's slot, with and without name.
	`{"process":{"CLASH":"only"}}`,
	`{"process":{"name":"n","parent":{"pid":1},"pe":{"original_file_name":"o"},"args":[],"executable":"e"},"":{"name":1}}`,
}

// Refs finds what Ref finds, for every path, through changing key orders
// that keep hints wrong, in both directions.
func TestPathSet(t *testing.T) {
	paths := pathSetPaths(t)
	clash := slotClash(t)
	docs := make([]Value, len(pathSetDocs))
	texts := make([]string, len(pathSetDocs))
	for i, s := range pathSetDocs {
		texts[i] = strings.ReplaceAll(s, "CLASH", clash)
		var d Decoder
		v, err := d.Decode([]byte(texts[i]))
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		docs[i] = v
	}
	set := NewPathSet(paths)
	if set.root.slots == nil || set.root.kids[0].slots == nil {
		t.Fatal("the root and process should be found in one pass")
	}
	out := make([]*Value, set.Len())
	order := append([]int{}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0)
	for _, di := range order {
		set.Refs(&docs[di], out)
		for i := range paths {
			checkRef(t, texts[di], &docs[di], &paths[i], out[i])
		}
	}
}

func checkRef(t *testing.T, doc string, v *Value, p *Path, got *Value) {
	t.Helper()
	want := v.Ref(p)
	if (got == nil) != (want == nil) || got != nil && !bytes.Equal(AppendJSON(nil, *got), AppendJSON(nil, *want)) {
		show := func(v *Value) string {
			if v == nil {
				return "nil"
			}
			return string(AppendJSON(nil, *v))
		}
		t.Errorf("%s in %s: %s, Ref finds %s", p, doc, show(got), show(want))
	}
}

// FuzzPathSet checks Refs against Ref on pairs of documents, the first
// to set the hints the second is looked up with.
func FuzzPathSet(f *testing.F) {
	clash := slotClash(f)
	for i := range pathSetDocs {
		a, b := pathSetDocs[i], pathSetDocs[(i+1)%len(pathSetDocs)]
		f.Add([]byte(strings.ReplaceAll(a, "CLASH", clash)), []byte(strings.ReplaceAll(b, "CLASH", clash)))
	}
	paths := pathSetPaths(f)
	f.Fuzz(func(t *testing.T, a, b []byte) {
		set := NewPathSet(paths)
		out := make([]*Value, set.Len())
		for _, data := range [][]byte{a, b} {
			var d Decoder
			v, err := d.Decode(data)
			if err != nil || hasDuplicateKeys(v) {
				// Which of two equal keys a hinted lookup finds is not
				// defined (Elasticsearch refuses such documents).
				continue
			}
			set.Refs(&v, out)
			for i := range paths {
				checkRef(t, string(data), &v, &paths[i], out[i])
			}
		}
	})
}

func hasDuplicateKeys(v Value) bool {
	seen := map[string]bool{}
	for _, f := range v.kids {
		if v.kind == KindObject {
			if seen[f.Key] {
				return true
			}
			seen[f.Key] = true
		}
		if hasDuplicateKeys(f.Value) {
			return true
		}
	}
	return false
}
