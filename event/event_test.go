package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func decode(t *testing.T, s string) Value {
	t.Helper()
	var d Decoder
	v, err := d.Decode([]byte(s))
	if err != nil {
		t.Fatalf("Decode(%s): %v", s, err)
	}
	return v
}

func TestGet(t *testing.T) {
	tests := []struct {
		doc, path, want string
	}{
		{`{"process":{"name":"a.exe"}}`, "process.name", `"a.exe"`},
		{`{"process.name":"a.exe"}`, "process.name", `"a.exe"`},
		{`{"process":{"parent.name":"p.exe"}}`, "process.parent.name", `"p.exe"`},
		{`{"process.parent":{"name":"p.exe"}}`, "process.parent.name", `"p.exe"`},
		{`{"process":{"pid":1},"process.name":"x"}`, "process.name", `"x"`},
		{`{"process":{"pid":1},"process.name":"x"}`, "process.pid", `1`},
		{`{"process":{"name":"a"},"process.name":"b"}`, "process.name", `["a","b"]`},
		{`{"process":{"args":["a","b"]}}`, "process.args", `["a","b"]`},
		{`{"dns":{"answers":[{"data":"1.2.3.4"},{"data":"5.6.7.8"}]}}`, "dns.answers.data", `["1.2.3.4","5.6.7.8"]`},
		{`{"a":[{"b":[1,2]},{"b":3}]}`, "a.b", `[1,2,3]`},
		{`{"a":[{"b":1},{"c":3}]}`, "a.b", `1`},
		{`{"process":{"name":"a"}}`, "process.pid", `null`},
		{`{"process":"x"}`, "process.name", `null`},
		{`{"processx":{"name":"a"}}`, "process.name", `null`},
		{`{"process.namex":"a"}`, "process.name", `null`},
		{`{"a":null}`, "a", `null`},
	}
	for _, tt := range tests {
		v := decode(t, tt.doc)
		got := v.Get(MustPath(tt.path)).String()
		if got != tt.want {
			t.Errorf("%s Get(%s) = %s, want %s", tt.doc, tt.path, got, tt.want)
		}
	}
	// missing and null are distinguishable
	v := decode(t, `{"a":null}`)
	if k := v.Get(MustPath("a")).Kind(); k != KindNull {
		t.Errorf("explicit null: kind %v", k)
	}
	if k := v.Get(MustPath("b")).Kind(); k != KindMissing {
		t.Errorf("absent: kind %v", k)
	}
}

func TestParsePathErrors(t *testing.T) {
	for _, s := range []string{"", ".a", "a.", "a..b"} {
		if _, err := ParsePath(s); err == nil {
			t.Errorf("ParsePath(%q): no error", s)
		}
	}
}

func TestSetDelete(t *testing.T) {
	var v Value
	v.Set("process.name", String("a.exe"))
	v.Set("process.pid", Int(4))
	v.Set("event.code", String("1"))
	v.Set("process.name", String("b.exe"))
	if got, want := v.String(), `{"process":{"name":"b.exe","pid":4},"event":{"code":"1"}}`; got != want {
		t.Fatalf("Set: %s, want %s", got, want)
	}
	if !v.Delete("process.pid") || v.Delete("process.pid") || v.Delete("nope.x") {
		t.Fatal("Delete reported wrongly")
	}
	if got, want := v.String(), `{"process":{"name":"b.exe"},"event":{"code":"1"}}`; got != want {
		t.Fatalf("Delete: %s, want %s", got, want)
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `"x"`, `0`, `-12`, `1.5`, `1e+30`, `true`, `false`, `null`,
		`{"a":[1,{"b":[]},"c\"\\\n\t\u0001"],"d":{"e":{}},"f":-0.25}`,
		`{"path":"C:\\Windows\\System32\\cmd.exe","u":"é ✓ 😀"}`,
		`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`,
	}
	for _, s := range docs {
		v := decode(t, s)
		out := string(AppendJSON(nil, v))
		// compare through encoding/json for a canonical form
		var a, b any
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(out), &b); err != nil {
			t.Fatalf("re-decode %s: %v", out, err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("round trip %s -> %s", s, out)
		}
	}
	if v := decode(t, `{"s":"\ud83d\ude00 \ud800x"}`); v.GetString("s") != "😀 \uFFFDx" {
		t.Errorf("surrogates: %q", v.GetString("s"))
	}
}

func TestDecodeKinds(t *testing.T) {
	v := decode(t, `{"i":3,"f":3.0,"big":18446744073709551616,"s":"3"}`)
	if i, ok := v.Get(MustPath("i")).Int(); !ok || i != 3 {
		t.Error("int")
	}
	if k := v.Get(MustPath("f")).Kind(); k != KindFloat {
		t.Errorf("3.0 kind %v", k)
	}
	if k := v.Get(MustPath("big")).Kind(); k != KindFloat {
		t.Errorf("big kind %v", k)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{``, 0},
		{`{`, 1},
		{`{"a" 1}`, 5},
		{`{"a":1,}`, 7},
		{`[1 2]`, 3},
		{`"abc`, 4},
		{"\"a\x01\"", 2},
		{`tru`, 0},
		{`01`, 1},
		{`1.`, 2},
		{`{"a":1} x`, 8},
		{`"\x"`, 2},
		{`{1:2}`, 1},
	}
	for _, tt := range tests {
		var d Decoder
		_, err := d.Decode([]byte(tt.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Decode(%q): err %v, want SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset {
			t.Errorf("Decode(%q): offset %d (%v), want %d", tt.in, se.Offset, se, tt.offset)
		}
	}
	deep := make([]byte, 0, 2*maxDepth+4)
	for i := 0; i <= maxDepth; i++ {
		deep = append(deep, '[')
	}
	var d Decoder
	if _, err := d.Decode(deep); err == nil {
		t.Error("no error for excessive nesting")
	}
}

// The decoder reuses its buffers: earlier documents must stay intact.
func TestDecoderReuse(t *testing.T) {
	var d Decoder
	a, _ := d.Decode([]byte(`{"x":{"y":"C:\\a"},"z":[1,2]}`))
	b, _ := d.Decode([]byte(`{"q":{"r":"s"},"t":[3,{"u":4}]}`))
	if got := a.String(); got != `{"x":{"y":"C:\\a"},"z":[1,2]}` {
		t.Errorf("first document changed: %s", got)
	}
	if got := b.String(); got != `{"q":{"r":"s"},"t":[3,{"u":4}]}` {
		t.Errorf("second document: %s", got)
	}
	// A document that fails deep down, after its levels grew, leaves
	// nothing behind for the next, with or without Reuse.
	wide := `{"a":[` + strings.Repeat(`{"b":[1,2,{"c":3}]},`, 50) + `{"b":[1,2,{"c":3}]}],"d":{"e":[{"f":"g"}]}}`
	for _, reuse := range []bool{false, true} {
		d := Decoder{Reuse: reuse}
		for _, doc := range []string{`{"x":[{"y":[1,{"z":tru}]}]}`, wide, `{"x":[{"y":[1,{"z":2}` + strings.Repeat(`,{"w":[3]}`, 40) + `]}]`, wide} {
			v, err := d.Decode([]byte(doc))
			if strings.Contains(doc, "tru}") || !strings.HasSuffix(doc, "}") {
				if err == nil {
					t.Errorf("reuse=%v: no error for %.30s", reuse, doc)
				}
				continue
			}
			if err != nil || v.String() != doc {
				t.Errorf("reuse=%v: %.30s decoded as %.30s, %v", reuse, doc, v.String(), err)
			}
			if reuse {
				continue
			}
			// Without Reuse, the decoder keeps nothing of a document.
			for depth, l := range d.levels {
				for i, f := range l[:cap(l)] {
					if f.Key != "" || f.Value.kind != KindMissing || f.Value.str != "" || f.Value.kids != nil {
						t.Fatalf("level %d keeps member %d (%q) of %.30s", depth, i, f.Key, doc)
					}
				}
			}
		}
	}
}

func TestTime(t *testing.T) {
	base := time.Date(2019, 3, 19, 23, 34, 25, 0, time.UTC).UnixNano()
	tests := []struct {
		in   Value
		want int64
		ok   bool
	}{
		{String("2019-03-19T23:34:25Z"), base, true},
		{String("2019-03-19T23:34:25.123Z"), base + 123e6, true},
		{String("2019-03-19T23:34:25.1234567Z"), base + 123456700, true},
		{String("2019-03-19T23:34:25.123456789123Z"), base + 123456789, true},
		{String("2019-03-20T01:34:25+02:00"), base, true},
		{String("2019-03-19T22:34:25-0100"), base, true},
		{String("2019-03-19 23:34:25"), base, true},
		{String("2019-03-19"), base - (23*3600+34*60+25)*1e9, true},
		{String("1"), 1e6, true},
		{Int(1553038465000), base, true},
		{String("2019-13-19"), 0, false},
		{String("yesterday"), 0, false},
		{String("2019-03-19T23:34:25.Z"), 0, false},
		{Null(), 0, false},
	}
	for _, tt := range tests {
		got, ok := Time(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("Time(%s) = %d,%v want %d,%v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if s := FormatTime(base + 5e6); s != "2019-03-19T23:34:25.005Z" {
		t.Errorf("FormatTime: %s", s)
	}
	if s := FormatTimeNanos(base + 123456700); s != "2019-03-19T23:34:25.1234567Z" {
		t.Errorf("FormatTimeNanos: %s", s)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\\d"}]}`, `"\ud83d\ude00"`, `-1.5e10`, `[[[]]]`, `{"a.b":{"c":null}}`} {
		f.Add([]byte(s))
	}
	f.Add([]byte("{\n  \"a\" : [ 1,\r\n 2 ],\t\"b\": \"x y\\\" z\"\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Decoder
		in := append([]byte(nil), data...)
		v, err := d.Decode(in)
		stdOK := json.Valid(data)
		if (err == nil) != stdOK {
			t.Fatalf("Decode err=%v, encoding/json valid=%v for %q", err, stdOK, data)
		}
		if err != nil {
			return
		}
		// An event shows its text on one line, as encoding/json compacts
		// it when it spans lines.
		line := (&Event{Doc: v, Raw: data}).AppendJSON(nil)
		want := data
		if bytes.ContainsAny(data, "\r\n") {
			var c bytes.Buffer
			if err := json.Compact(&c, data); err != nil {
				t.Fatal(err)
			}
			want = c.Bytes()
		}
		if !bytes.Equal(line, want) {
			t.Fatalf("Event.AppendJSON of %q = %q, want %q", data, line, want)
		}
		out := AppendJSON(nil, v)
		if !json.Valid(out) {
			t.Fatalf("AppendJSON produced invalid JSON %q from %q", out, data)
		}
		v2, err := d.Decode(out)
		if err != nil {
			t.Fatalf("re-decode %q: %v", out, err)
		}
		if !Equal(v, v2) && !lossy(v) {
			t.Fatalf("round trip changed %q -> %q", data, out)
		}
	})
}

// lossy reports whether v holds something that may legitimately change
// in a round trip.
func lossy(v Value) bool {
	if v.Kind() == KindFloat {
		return true // a float may reformat
	}
	if s, ok := v.Str(); ok && !utf8.ValidString(s) {
		return true // invalid UTF-8 becomes U+FFFD
	}
	for _, f := range v.Fields() {
		if !utf8.ValidString(f.Key) || lossy(f.Value) {
			return true // a key's invalid UTF-8 becomes U+FFFD too
		}
	}
	return false
}

func TestSelectiveDecode(t *testing.T) {
	src := `{"@timestamp":"t","event":{"category":["process"],"code":"1","x":{"deep":[1,{"a":"\"}"}]}},` +
		`"process":{"name":"a.exe","args":["x","y"],"parent":{"name":"p.exe","pid":4}},"process.pid":7,` +
		`"dns":{"answers":[{"data":"1.2.3.4","ttl":5},{"data":"5.6.7.8"}]},"skip":[true,false,null,-1.5e3,"s\"q\\"]}`
	var d Decoder
	d.Select(NewFieldSet("event.category", "process.parent", "process.pid", "dns.answers.data"))
	v, err := d.Decode([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event":{"category":["process"]},"process":{"parent":{"name":"p.exe","pid":4}},"process.pid":7,"dns":{"answers":[{"data":"1.2.3.4"},{"data":"5.6.7.8"}]}}`
	if got := v.String(); got != want {
		t.Errorf("selective decode:\n got %s\nwant %s", got, want)
	}
	if got := v.Get(MustPath("dns.answers.data")).String(); got != `["1.2.3.4","5.6.7.8"]` {
		t.Errorf("dns.answers.data = %s", got)
	}
	// Skipped parts are still checked for structure.
	for _, bad := range []string{`{"skip":[1,2}`, `{"skip":"abc}`, `{"skip":tru}`, `{"skip":{"a":1]}`, `{"skip":[-]}`} {
		if _, err := d.Decode([]byte(bad)); err == nil {
			t.Errorf("selective decode of %s: no error", bad)
		}
	}
	// A key is matched after unescaping, and white space may surround
	// every token.
	spaced := " { \"proc\\u0065ss\" : { \"pid\" : 1 , \"parent\" : { \"x\" : [ 1 , { } ] } } , \"event\" :{} } "
	if v, err := d.Decode([]byte(spaced)); err != nil {
		t.Errorf("selective decode of %q: %v", spaced, err)
	} else if got := v.String(); got != `{"process":{"pid":1,"parent":{"x":[1,{}]}},"event":{}}` {
		t.Errorf("selective decode of %q = %s", spaced, got)
	}
	// Skipping follows the grammar: a fault in a skipped value is found at
	// the same offset as full decoding finds it.
	var full Decoder
	for _, bad := range []string{`{"skip":[1 2]}`, `{"skip":{"a" 1}}`, `{"skip":{1:2}}`, `{"skip":[1,]}`,
		`{"skip":{"a":1,}}`, `{"skip":[[[]]}`, `{"skip":nul}`, `{"skip":{"a":[}}`, `{"event":{"x":1 "y":2}}`} {
		_, ferr := full.Decode([]byte(bad))
		_, serr := d.Decode([]byte(bad))
		var fse, sse *SyntaxError
		if !errors.As(ferr, &fse) || !errors.As(serr, &sse) {
			t.Errorf("%s: full decode err %v, selective %v; want syntax errors", bad, ferr, serr)
			continue
		}
		if fse.Offset != sse.Offset {
			t.Errorf("%s: selective decode fails at offset %d (%s), full decode at %d (%s)", bad, sse.Offset, sse.Msg, fse.Offset, fse.Msg)
		}
	}
	// An empty path component is reached by a key that starts with a dot.
	var e Decoder
	e.Select(NewFieldSet("a..b"))
	if v, err := e.Decode([]byte(`{"a":{".b":1,"x":2}}`)); err != nil || v.String() != `{"a":{".b":1}}` {
		t.Errorf("selective decode for a..b = %s, %v", v, err)
	}
	// Keys of one length and first byte share a slot of the node's
	// table; over 254 children overflow it. Each wanted key must still
	// be found, plain or dotted, and no other kept.
	many := []string{"ab", "ac", "x", "process.name", "aa.b"}
	doc := `{"ab":1,"ac":2,"ad":3,"x":4,"y":5,"process":{"name":"n","pid":1},"aa":{"b":6,"c":7},"aa.b":8,"process.name":"m"`
	for i := range 300 {
		many = append(many, fmt.Sprintf("k%03d", i))
		doc += fmt.Sprintf(`,"k%03d":%d,"j%03d":0`, i, i, i)
	}
	e.Select(NewFieldSet(many...))
	mv, merr := e.Decode([]byte(doc + "}"))
	if merr != nil {
		t.Fatal(merr)
	}
	expect := `{"ab":1,"ac":2,"x":4,"process":{"name":"n"},"aa":{"b":6},"aa.b":8,"process.name":"m"`
	for i := range 300 {
		expect += fmt.Sprintf(`,"k%03d":%d`, i, i)
	}
	if got := mv.String(); got != expect+"}" {
		t.Errorf("selective decode with %d paths:\n got %.200s\nwant %.200s", len(many), got, expect+"}")
	}
	d.Select(nil)
	if v, _ := d.Decode([]byte(src)); !v.Get(MustPath("skip")).Exists() {
		t.Error("Select(nil) does not restore full decoding")
	}
}

// Selective decoding must agree with full decoding on the selected paths,
// and must not reject a document that full decoding accepts.
func FuzzSelectiveDecode(f *testing.F) {
	f.Add([]byte(`{"a":{"b":1,"c":[1,2]},"a.b":2,"d":{"e":"x"},"f":[{"g":1},{"g":2}]}`))
	f.Add([]byte(`{"event":{"category":["process"]},"process":{"name":"x","parent":{"name":"y"}}}`))
	paths := []string{"a.b", "d", "f.g", "process.parent.name", "event.category"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var full, sel Decoder
		sel.Select(NewFieldSet(paths...))
		fv, ferr := full.Decode(append([]byte(nil), data...))
		sv, serr := sel.Decode(append([]byte(nil), data...))
		if ferr == nil && serr != nil {
			t.Fatalf("selective decode rejects what full decode accepts: %v", serr)
		}
		if ferr != nil || serr != nil {
			return
		}
		for _, p := range paths {
			a, b := fv.Get(MustPath(p)), sv.Get(MustPath(p))
			if !Equal(a, b) && !lossy(a) {
				t.Fatalf("%s: full %s, selective %s", p, a, b)
			}
		}
	})
}

func TestReuseAndClone(t *testing.T) {
	d := Decoder{Reuse: true}
	buf := []byte(`{"a":{"b":"C:\\x","c":[1,2]},"d":"e"}`)
	v, err := d.Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	kept := v.Clone()
	copy(buf, []byte(`{"a":{"b":"Z:\\y","c":[3,4]},"d":"f"}`))
	if _, err := d.Decode(buf); err != nil {
		t.Fatal(err)
	}
	if got := kept.String(); got != `{"a":{"b":"C:\\x","c":[1,2]},"d":"e"}` {
		t.Errorf("clone changed after reuse: %s", got)
	}
	if !Equal(kept, kept.Clone()) {
		t.Error("clone of clone differs")
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		in     string
		want   string // the peeked document, or "error"
	}{
		{"first key", []string{"@timestamp"}, `{"@timestamp":"t1","a":{"b":[1,2]}}`, `{"@timestamp":"t1"}`},
		{"rest unread", []string{"@timestamp"}, `{"@timestamp":"t1","a":{"b":[1,`, `{"@timestamp":"t1"}`},
		{"later key", []string{"@timestamp"}, `{"a":{"@timestamp":"x"},"@timestamp":"t2","b":1}`, `{"@timestamp":"t2"}`},
		{"dotted key is not the field", []string{"@timestamp"}, `{"@timestamp.x":1,"@timestamp":"t5","z":tru}`, `{"@timestamp.x":1,"@timestamp":"t5"}`},
		{"first of two", []string{"@timestamp"}, `{"@timestamp":"t1","@timestamp":"t2"}`, `{"@timestamp":"t1"}`},
		{"two fields", []string{"@timestamp", "seq"}, `{"seq":7,"x":[],"@timestamp":"t3","y":tru}`, `{"seq":7,"@timestamp":"t3"}`},
		{"absent, all read", []string{"@timestamp"}, `{"a":1} `, `{}`},
		{"absent, fault found", []string{"@timestamp"}, `{"a":1,}`, "error"},
		{"fault before", []string{"@timestamp"}, `{"a":[1 2],"@timestamp":"t"}`, "error"},
		{"trailing text", []string{"@timestamp"}, `{"a":1} x`, "error"},
		{"nested field: decoded in full", []string{"event.created"}, `{"event":{"created":"t4"},"z":tru}`, "error"},
		{"nested field", []string{"event.created"}, `{"event":{"created":"t4","k":1},"z":true}`, `{"event":{"created":"t4"}}`},
	}
	for _, tt := range tests {
		var d Decoder
		d.Reuse = true
		d.Select(NewFieldSet(tt.fields...))
		v, err := d.Peek([]byte(tt.in))
		got := v.String()
		if err != nil {
			got = "error"
		}
		if got != tt.want {
			t.Errorf("%s: Peek(%s) = %s (%v), want %s", tt.name, tt.in, got, err, tt.want)
		}
		// A peek leaves the decoder as it found it.
		doc := []byte(`{"@timestamp":"t9","seq":1,"n":2,"event":{"created":"t"}}`)
		var fresh Decoder
		fresh.Select(NewFieldSet(tt.fields...))
		want, _ := fresh.Decode(doc)
		if got, err := d.Decode(doc); err != nil || !Equal(got, want) {
			t.Errorf("%s: Decode after Peek = %s, %v; want %s", tt.name, got, err, want)
		}
	}
}

// FuzzPeek checks that Peek accepts what Decode accepts and finds the same
// values of the fields it reads.
func FuzzPeek(f *testing.F) {
	f.Add([]byte(`{"@timestamp":"t1","a":{"b":[1,2]},"seq":3}`))
	f.Add([]byte(`{"seq":1,"@timestamp":"x","@timestamp":"y"}`))
	f.Add([]byte(`{"@timestamp":"2026-01-01T00:00:00Z","seq":1}`))
	f.Add([]byte(`{"@timestamp":"a\\b","seq":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Two fields, and the single timestamp of Peek's fast path.
		for _, paths := range [][]string{{"@timestamp", "seq"}, {"@timestamp"}} {
			var peek, dec Decoder
			fs := NewFieldSet(paths...)
			peek.Select(fs)
			dec.Select(fs)
			dv, derr := dec.Decode(data)
			pv, perr := peek.Peek(data)
			if derr != nil {
				continue // Peek may or may not see the fault
			}
			if perr != nil {
				t.Fatalf("%v: Peek rejects what Decode accepts: %v", paths, perr)
			}
			for _, p := range paths {
				if a, b := dv.Get(MustPath(p)), pv.Get(MustPath(p)); !Equal(a, b) {
					t.Fatalf("%s: Decode %s, Peek %s", p, a, b)
				}
			}
		}
	})
}
