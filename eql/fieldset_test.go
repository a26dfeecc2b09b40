package eql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// narrowQueries are queries of every shape a narrowed field set must
// serve: the benchmark rules, a query of any category, sequences with
// until and a missing event, a sample, an optional field, and a
// case-insensitive category.
var narrowQueries = append(append([]string{}, benchgen.Rules...),
	`any where destination.port == 443 and host.name : "host-1*" | head 20`,
	`any where winlog.record_id : "*77" and user.domain == "NT AUTHORITY"`,
	`sequence by host.name with maxspan=30s [process where process.name : "cmd.exe"] [file where true] until [network where destination.ip : "10.0.1*"]`,
	`sequence with maxspan=2s [file where file.path : "*x1*"] ![process where process.name == "svchost.exe"] [network where destination.port == 443]`,
	`sample by host.name [process where process.name == "conhost.exe"] [network where destination.port == 443]`,
	`process where ?user.name == "SYSTEM" and process.pid > 5900 | tail 3`,
	`network where process.name : "chrome.exe" | count host.name`,
	`process where event.type == "start" and process.name : ("cmd.exe", "powershell.exe") and process.args : "-k" and process.command_line : "*netsvcs*"`,
	`file where event.type == "creation" and file.path : "C:\\Users\\*\\Temp\\*" and not process.name : "explorer.exe"`,
	`network where destination.port == 443 and not cidrMatch(destination.ip, "10.0.0.0/24")`,
	`process where startsWith~(process.executable, "C:\\Windows\\") and process.parent.name : "services.exe" and process.name : "*.EXE"`,
)

// narrowQuiet is how many of narrowQueries, the benchmark rules, may find
// nothing in the benchmark data, whose events are benign but for the
// two sequences.
var narrowQuiet = len(benchgen.Rules) - 2

// narrowLines returns benchmark lines, some changed to categories of two
// values, dotted category keys and categories no query names.
func narrowLines(n int) [][]byte {
	var lines [][]byte
	for i, l := range benchgen.Lines(n) {
		s := string(l)
		switch i % 13 {
		case 3:
			s = strings.Replace(s, `"category":["file"]`, `"category":["file","network"]`, 1)
		case 5:
			s = strings.Replace(s, `"category":["process"]`, `"category":["process","iam"]`, 1)
		case 7:
			s = strings.Replace(s, `"category":["network"]`, `"category":["iam"]`, 1)
		case 9:
			// A dotted category key after the event object.
			if i := strings.Index(s, `"category":[`); i >= 0 {
				j := strings.Index(s[i:], "]") + i + 1 // after the array
				value := s[i+len(`"category":`) : j]
				s = s[:i] + s[j+1:] // and its comma
				s = strings.Replace(s, `"host":`, `"event.category":`+value+`,"host":`, 1)
			}
		}
		lines = append(lines, []byte(s))
	}
	return lines
}

// TestFieldSetNarrowed runs queries through an Engine twice: over events
// decoded whole, and over events decoded with FieldSet's narrowed
// selection into reused buffers, as hunt reads them. The results must be
// the same, and the narrowing must have left fields out.
func TestFieldSetNarrowed(t *testing.T) {
	var queries []*Query
	for _, src := range narrowQueries {
		queries = append(queries, MustCompile(src, Options{Extensions: true}))
	}
	lines := narrowLines(6000)
	run := func(fs *event.FieldSet) ([][]string, int) {
		out := make([][]string, len(queries))
		eng := NewEngine(queries, func(qi int, r *Result) { out[qi] = append(out[qi], narrowKey(r)) })
		d := event.Decoder{Reuse: fs != nil}
		if fs != nil {
			d.Select(fs)
			eng.SetTransient(true)
		}
		fields := 0
		for i, l := range lines {
			v, err := d.Decode(l)
			if err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
			fields += countLeaves(v)
			eng.Push(&event.Event{Doc: v, Raw: l})
		}
		eng.Close()
		return out, fields
	}
	want, _ := run(nil)
	fs := FieldSet(queries)
	got, narrowed := run(fs)
	whole := 0
	var d event.Decoder
	d.Select(event.NewFieldSet(strings.Fields(fs.String())...))
	for _, l := range lines {
		v, _ := d.Decode(l)
		whole += countLeaves(v)
	}
	for i := range queries {
		if g, w := strings.Join(got[i], "\n"), strings.Join(want[i], "\n"); g != w {
			t.Errorf("%s: %d results narrowed, %d decoded whole", narrowQueries[i], len(got[i]), len(want[i]))
		}
		if len(want[i]) == 0 && i >= narrowQuiet {
			t.Errorf("%s: no results; the test data should exercise it", narrowQueries[i])
		}
	}
	if narrowed >= whole*9/10 {
		t.Errorf("narrowing kept %d values of the %d the whole set keeps", narrowed, whole)
	}
	t.Logf("narrowing kept %d values of the %d the whole set keeps", narrowed, whole)
}

func narrowKey(r *Result) string {
	var b strings.Builder
	for _, e := range r.Events {
		if e == nil {
			b.WriteString("-;")
			continue
		}
		fmt.Fprintf(&b, "%s;", e.Raw)
	}
	for _, k := range r.JoinKeys {
		fmt.Fprintf(&b, "%s;", k)
	}
	for _, k := range r.Key {
		fmt.Fprintf(&b, "%s;", k)
	}
	fmt.Fprintf(&b, "%d", r.Count)
	return b.String()
}

func countLeaves(v event.Value) int {
	switch v.Kind() {
	case event.KindObject, event.KindArray:
		n := 0
		for _, f := range v.Fields() {
			n += countLeaves(f.Value)
		}
		return n
	}
	return 1
}

// TestFieldSetNotNarrowed checks the cases FieldSet leaves whole: queries
// with different category fields, and a category with a null_value.
func TestFieldSetNotNarrowed(t *testing.T) {
	a := MustCompile(`process where process.name == "a"`, Options{})
	b := MustCompile(`process where process.name == "b"`, Options{CategoryField: "kind"})
	doc := []byte(`{"event":{"category":"file"},"kind":"file","process":{"name":"a"}}`)
	for _, qs := range [][]*Query{{a, b}} {
		var d event.Decoder
		d.Select(FieldSet(qs))
		v, err := d.Decode(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v.Get(event.MustPath("process.name")).Str(); !ok {
			t.Errorf("narrowed with two category fields: %s", v)
		}
	}
	// One category field: a file event does not keep process fields.
	var d event.Decoder
	d.Select(FieldSet([]*Query{a}))
	v, _ := d.Decode(doc)
	if _, ok := v.Get(event.MustPath("process.name")).Str(); ok {
		t.Errorf("not narrowed: %s", v)
	}
}
