package eql

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	// Each query must parse, and printing and re-parsing it must give the
	// same canonical text.
	queries := []string{
		`process where true`,
		`any where event.category == "process"`,
		`process where process.name == "cmd.exe" and not process.args : ("-c", "*x*")`,
		`process where process.name in~ ("a.exe", "b.exe") and process.parent.name not in ("c")`,
		`file where file.path like~ "C:\\Windows\\*" or file.path regex~ """.*\.dll"""`,
		`process where ?process.pe.original_file_name != null`,
		"process where `weird-name`.sub == 1",
		`process where 1 + 2 * -3 < process.pid - (4 - 5) % 2`,
		`process where startsWith~(process.name, "cmd") and CONCAT(a, "b") == "x"`,
		`sequence by host.id with maxspan=5m [process where true] by process.pid [file where true] by process.pid`,
		`sequence with maxspan=30s [process where true] with runs=3`,
		`sequence by host.id with maxspan=1h ![process where true] [file where true] ![network where true]`,
		`sequence [process where true] [file where true] until [process where event.type == "end"]`,
		`sample by host.id [process where true] [file where true]`,
		`process where true | head 5 | tail 2`,
		`process where process.command_line : """C:\Windows\System32\*"""`,
		`process where process.name == "a\tb\"c\\d\u{1F600}"`,
		"process where true // a comment\n and /* another /* nested */ one */ false",
		`"process" where true`,
		`process where event.sequence > 2`,
		`process where null == (exit_code > -1)`,
	}
	for _, q := range queries {
		st, err := Parse(q)
		if err != nil {
			t.Errorf("Parse(%q): %v", q, err)
			continue
		}
		printed := st.String()
		st2, err := Parse(printed)
		if err != nil {
			t.Errorf("re-parse of %q (from %q): %v", printed, q, err)
			continue
		}
		if again := st2.String(); again != printed {
			t.Errorf("printing is not stable:\n  %s\n  %s", printed, again)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query     string
		line, col int
		msg       string // substring of the first error
		hint      string // substring of its hint
	}{
		{`process where a = 1`, 1, 17, "'=' is not an equality operator", "use == (case-sensitive) or :"},
		{`process where a == 'x'`, 1, 20, "single quotes", "double quotes"},
		{`process where a == ?"x"`, 1, 20, `raw string syntax`, `"""`},
		{`process where a == "C:\Windows"`, 1, 23, `invalid escape sequence \W`, `raw string`},
		{`process where a == "x`, 1, 20, "string not terminated", ""},
		{`process where`, 1, 14, "missing condition after 'where'", "'true'"},
		{`process a == 1`, 1, 9, "expected 'where'", ""},
		{`process.name == "x"`, 1, 8, "expected 'where'", "any where process.name"},
		{`process where (a == 1`, 1, 22, "expected ')'", ""},
		{`process where a == 1 && b == 2`, 1, 22, "'&&'", "'and'"},
		{`process where a == 1 || b == 2`, 1, 22, "'||'", "'or'"},
		{`process where a < b < c`, 1, 21, "cannot be chained", "and"},
		{`process where a == 1 | tial 5`, 1, 24, "unrecognized pipe tial", "did you mean tail?"},
		{`process where a == 1 | head -1`, 1, 29, "positive integer", ""},
		{`process where lenght(a) == 1`, 1, 15, "unknown function lenght", "did you mean length?"},
		{`process where startswith(a) == 1`, 1, 15, "startsWith takes 2 arguments, found 1", "usage"},
		{`process where length~(a) == 1`, 1, 15, "no case-insensitive variant", ""},
		{`process where arrayContains(a, "x")`, 1, 15, "arrayContains is not supported by Elasticsearch", ""},
		{`process where a not like "x"`, 1, 17, "'not like' is not supported", "not a like"},
		{`process where a.b[0] == 1`, 1, 15, "array index syntax", ""},
		{`process where a == b`, 1, 15, "comparing a field with another field", ""},
		{`sequence [process where true]`, 1, 1, "a sequence needs at least 2 queries, found 1", "with runs=N"},
		{`sequence [process where true] by a`, 1, 1, "a sequence needs at least 2 queries", ""},
		{`sequence with maxspan=5 [a where true] [b where true]`, 1, 23, "no time unit", "did you mean 5s?"},
		{`sequence with maxspan=5mins [a where true] [b where true]`, 1, 24, `unknown time unit "mins"`, "did you mean 5m?"},
		{`sequence with maxspan=1.5s [a where true] [b where true]`, 1, 23, "decimal time interval", "1500ms"},
		{`sequence with maxspan=0s [a where true] [b where true]`, 1, 23, "positive maxspan", ""},
		{`sequence with maxspan=5m by h [a where true] [b where true]`, 1, 26, "'by' clause must come before 'with'", ""},
		{`sequence [a where true] ![b where true]`, 1, 1, "requires 'with maxspan'", ""},
		{`sequence by h [a where true] by x [b where true]`, 1, 35, "inconsistent number of join keys", ""},
		{`sequence [a where true] with runs=101 [b where true]`, 1, 35, "runs must be between 1 and 100", ""},
		{`sequence [a where true] with maxspan=5m [b where true]`, 1, 30, "'with maxspan' after a bracketed query", ""},
		{`sequence [a where true] [b where true] | sequence [c where true]`, 1, 42, "a pipe cannot start another query", ""},
		{`join [a where true] [b where true]`, 1, 1, "join is not supported", ""},
		{`process where child of [process where true]`, 1, 15, "lineage 'child of' is not supported", ""},
		{`[process where true]`, 1, 1, "must follow 'sequence'", ""},
		{`process where true process where false`, 1, 20, "unexpected second query", "exactly one query"},
		{`process where a == 1 pipe`, 1, 22, "unexpected word 'pipe'", "'|'"},
		{`process where a ! b`, 1, 17, "unexpected character '!'", "'not'"},
		{`process where a : ("x", b)`, 1, 17, "compares with constants only", ""},
		{`process where true | unique a`, 1, 22, "pipe unique is not supported by Elasticsearch EQL", "hunting extension"},
		{``, 1, 1, "empty query", ""},
		{"process where a == 1 /* open", 1, 22, "comment not terminated", "*/"},
		{"process where a == 1 and\nb = 2", 2, 3, "'=' is not an equality operator", ""},
		{`process where a regex "[a-"`, 1, 23, "invalid regular expression", ""},
		{`network where cidrMatch(a, "10.0.0.0/33")`, 1, 28, "invalid CIDR", ""},
	}
	for _, tt := range tests {
		_, err := Compile(tt.query, Options{})
		var el ErrorList
		if !errors.As(err, &el) || len(el) == 0 {
			t.Errorf("Compile(%q): err %v, want an ErrorList", tt.query, err)
			continue
		}
		e := el[0]
		if e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) || !strings.Contains(e.Hint, tt.hint) {
			t.Errorf("Compile(%q):\n  got  %d:%d %q (hint %q)\n  want %d:%d %q (hint containing %q)",
				tt.query, e.Line, e.Column, e.Msg, e.Hint, tt.line, tt.col, tt.msg, tt.hint)
		}
	}
}

// The vendor query printed on the T1559.001 detection page is not valid
// EQL; these are the exact messages Vigil gives for its three faults.
func TestSeedVendorQueryErrors(t *testing.T) {
	src, err := os.ReadFile("testdata/seed/vendor-t1559-001.eql")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(string(src), Options{})
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("vendor query compiled: err %v", err)
	}
	want := `vendor.eql:1:1: error: a sequence needs at least 2 queries, found 1
    sequence by host.name with maxspan=5m
    ^^^^^^^^
    hint: add a second bracketed query, or repeat this one with 'with runs=N' (N from 2 to 100) after its 'by' clause; to match single events, drop 'sequence' and write the event query alone

vendor.eql:11:1: error: unexpected word 'pipe' after the query
    pipe
    ^^^^
    hint: pipes are written with the '|' character, and a pipe cannot hold another query: an EQL statement holds exactly one query, so write each sequence as its own rule

vendor.eql:13:1: error: a sequence needs at least 2 queries, found 1
    sequence by host.name with maxspan=30s
    ^^^^^^^^
    hint: add a second bracketed query, or repeat this one with 'with runs=N' (N from 2 to 100) after its 'by' clause; to match single events, drop 'sequence' and write the event query alone
`
	if got := el.Format("vendor.eql"); got != want {
		t.Errorf("errors for the vendor query:\n%s\nwant:\n%s", got, want)
	}
	// Each half, once its faults are fixed as the hints say, is valid.
	text := string(src)
	first := strings.Replace(text[:strings.Index(text, "\npipe")], "] by process.entity_id", "] by process.entity_id with runs=2", 1)
	if _, err := Compile(first, Options{}); err != nil {
		t.Errorf("fixed first sequence: %v", err)
	}
}

func TestParseDepthLimit(t *testing.T) {
	deep := "process where " + strings.Repeat("(", maxNesting+10) + "true" + strings.Repeat(")", maxNesting+10)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("deep nesting: %v", err)
	}
	ok := "process where " + strings.Repeat("(", maxNesting/4) + "true" + strings.Repeat(")", maxNesting/4)
	if _, err := Parse(ok); err != nil {
		t.Errorf("moderate nesting: %v", err)
	}
}

func TestCatalog(t *testing.T) {
	cat := ECSCatalog()
	for _, f := range []string{"process.name", "process.parent.executable", "event.category", "registry.data.strings",
		"winlog.event_data.AnythingAtAll", "process.Ext.token.integrity_level_name", "process"} {
		if !cat.Known(f) {
			t.Errorf("%s unknown", f)
		}
	}
	_, err := Compile(`process where proces.name == "a" and ?custom.field == 1`, Options{Catalog: cat, StrictFields: true})
	var el ErrorList
	if !errors.As(err, &el) || len(el) != 1 || el[0].Msg != "unknown field proces.name" || el[0].Hint != "did you mean process.name?" || el[0].Column != 15 {
		t.Errorf("strict unknown field: %v", err)
	}
	q, err := Compile(`process where proces.name == "a"`, Options{Catalog: cat})
	if err != nil || len(q.Warnings()) != 1 {
		t.Errorf("unknown field as a warning: %v %v", err, q.Warnings())
	}
	// The catalog holds every field the Elastic rules read.
	for _, r := range loadRuleQueries(t) {
		if _, err := Compile(r.Query, Options{Catalog: cat, StrictFields: true}); err != nil {
			t.Errorf("%s: %v", r.Path, err)
		}
	}
}

func TestInspect(t *testing.T) {
	tests := []struct {
		src  string
		want string // the fields visited, in order
	}{
		{`a == 1`, "a"},
		{`not (a : "x*" or length(b) > c + -d)`, "a b c d"},
		{`a in (b, 1, c) and e like~ ("x", "y")`, "a b c e"},
		{`concat(a, concat(b, "c"))`, "a b"},
		{`true`, ""},
	}
	for _, tt := range tests {
		x, err := ParseExpr(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		var got []string
		Inspect(x, func(x Expr) bool {
			if f, ok := x.(*Field); ok {
				got = append(got, f.Name)
			}
			return true
		})
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Inspect(%s) visits %q, want %q", tt.src, g, tt.want)
		}
	}
	// Returning false stops the descent below a node.
	x, _ := ParseExpr(`a == 1 and (b == 2)`)
	n := 0
	Inspect(x, func(x Expr) bool {
		n++
		_, paren := x.(*Paren)
		return !paren
	})
	if n != 5 { // and, ==, a, 1, (...)
		t.Errorf("Inspect visited %d nodes, want 5", n)
	}
}
