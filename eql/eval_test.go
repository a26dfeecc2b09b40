package eql

import (
	"testing"

	"github.com/vigil-sec/vigil/event"
)

func doc(t *testing.T, s string) *event.Event {
	t.Helper()
	var d event.Decoder
	v, err := d.Decode([]byte(s))
	if err != nil {
		t.Fatalf("bad test document %s: %v", s, err)
	}
	return &event.Event{Doc: v}
}

// TestWhereSemantics pins how conditions evaluate, following
// Elasticsearch: per-operator case rules, wildcards only where allowed,
// any-element matching on arrays, and the two-valued handling of missing
// fields in translatable leaves against three-valued scripts.
func TestWhereSemantics(t *testing.T) {
	const proc = `{"event":{"category":["process"]},"process":{"name":"CMD.exe","pid":42,"args":["cmd.exe","/c","whoami"],` +
		`"command_line":"cmd.exe /c whoami","parent":{"name":"explorer.exe"}},"event.code":"4688","source":{"ip":"10.1.2.3"},"n":7,"f":2.5,"b":true}`
	tests := []struct {
		where string
		want  bool
	}{
		// equality is case-sensitive and has no wildcards
		{`process.name == "CMD.exe"`, true},
		{`process.name == "cmd.exe"`, false},
		{`process.name == "CMD*"`, false},
		// : folds case and takes * and ?
		{`process.name : "cmd.exe"`, true},
		{`process.name : "c?d.EXE"`, true},
		{`process.name : ("x", "*.EXE")`, true},
		{`process.name : "cmd"`, false},
		// in is case-sensitive, in~ is not, and neither has wildcards
		{`process.name in ("cmd.exe", "x")`, false},
		{`process.name in~ ("cmd.exe", "x")`, true},
		{`process.name in~ ("cmd*")`, false},
		{`process.name not in ("a", "b")`, true},
		// like is case-sensitive, like~ not
		{`process.name like "CMD*"`, true},
		{`process.name like "cmd*"`, false},
		{`process.name like~ "cmd*"`, true},
		// regex is anchored Lucene syntax
		{`process.name regex "CMD\\.exe"`, true},
		{`process.name regex "CMD"`, false},
		{`process.name regex~ "cmd\\.[a-z]+"`, true},
		{`process.name regex """"CMD.exe""""`, true},
		// arrays: any element matches, negations need every element to fail
		{`process.args : "/C"`, true},
		{`process.args == "whoami"`, true},
		{`process.args != "whoami"`, false},
		{`not process.args : "whoami"`, false},
		{`process.args in ("x", "/c")`, true},
		// missing fields: a positive leaf is false, its negation true
		{`process.pe.original_file_name == "x"`, false},
		{`process.pe.original_file_name != "x"`, true},
		{`not process.pe.original_file_name : "x"`, true},
		{`not startsWith(process.pe.original_file_name, "x")`, true},
		{`process.pe.original_file_name == null`, true},
		{`process.name != null`, true},
		// ... but a script computes null, and not null stays null
		{`not endsWith(process.pe.original_file_name, "x")`, false},
		{`length(process.pe.original_file_name) > 0`, false},
		{`null == (process.pe.original_file_name == "x")`, true},
		{`null == (length(process.pe.original_file_name) > 0)`, true},
		// dotted keys in the document
		{`event.code == "4688"`, true},
		// a numeric literal compares with a keyword's text, a string with a number
		{`event.code == 4688`, true},
		{`process.pid == "42"`, true},
		{`process.pid >= 40 and process.pid < 43`, true},
		{`f > 2 and f < 3`, true},
		{`b == true`, true},
		// functions
		{`startsWith(process.name, "CMD")`, true},
		{`startsWith(process.name, "cmd")`, false},
		{`startsWith~(process.name, "cmd")`, true},
		{`endsWith~(process.name, ".EXE")`, true},
		{`stringContains(process.command_line, "/c")`, true},
		{`stringContains~(process.command_line, "/C")`, true},
		{`indexOf(process.name, ".") == 3`, true},
		{`indexOf(process.name, "z") == null`, true},
		{`length(process.name) == 7`, true},
		{`substring(process.name, -3) == "exe"`, true},
		{`substring(process.name, 0, 3) == "CMD"`, true},
		{`between(process.command_line, "cmd.exe ", " who") == "/c"`, true},
		{`between~(process.command_line, "CMD.EXE ", " WHO") == "/c"`, true},
		{`concat(process.name, "-", process.pid) == "CMD.exe-42"`, true},
		{`concat(process.name, process.pe.original_file_name) == null`, true},
		{`number("0x2A", 16) == 42`, true},
		{`number("42") == process.pid`, true},
		{`string(process.pid) == "42"`, true},
		{`cidrMatch(source.ip, "10.0.0.0/8")`, true},
		{`cidrMatch(source.ip, "192.168.0.0/16", "10.1.2.0/24")`, true},
		{`cidrMatch(source.ip, "192.168.0.0/16")`, false},
		// arithmetic: integer division, null on division by zero
		{`n / 2 == 3`, true},
		{`n % 4 == 3`, true},
		{`n * 2 - 1 == 13`, true},
		{`(n / 0) == null`, true},
		{`divide(n, 2.0) == 3.5`, true},
		{`add(n, 1) == 8 and subtract(n, 1) == 6 and multiply(n, 2) == 14 and modulo(n, 3) == 1`, true},
		// boolean logic
		{`true and not false`, true},
		{`false or process.name == "CMD.exe"`, true},
	}
	ev := doc(t, proc)
	for _, tt := range tests {
		q, err := Compile("process where "+tt.where, Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.where, err)
			continue
		}
		if got := q.Matches(ev); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.where, got, tt.want)
		}
	}
}

func TestFieldVsField(t *testing.T) {
	for _, q := range []string{
		`process where process.pid == process.parent.pid`,
		`process where process.name in (process.parent.name, "x")`,
		`process where length(process.name) > length(process.parent.name)`,
	} {
		if _, err := Compile(q, Options{}); err == nil {
			t.Errorf("%s: compiled, want the field-vs-field error", q)
		}
	}
}

func TestCategoryAndTimestamp(t *testing.T) {
	evs := []*event.Event{
		doc(t, `{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":["process","start"]},"id":1}`),
		doc(t, `{"@timestamp":"2024-01-01T00:00:01.5Z","event":{"category":"file"},"id":2}`),
		doc(t, `{"@timestamp":1704067205000,"event":{"category":"Process"},"id":3}`),
		doc(t, `{"event":{"category":"process"},"id":4}`),
	}
	run := func(q string, opts Options) ([]int64, RunStats) {
		var ids []int64
		r := MustCompile(q, opts).NewRun(func(res *Result) {
			id, _ := res.Events[0].Doc.Get(event.MustPath("id")).Int()
			ids = append(ids, id)
		})
		for _, e := range evs {
			r.Push(e)
		}
		r.Close()
		return ids, r.Stats()
	}
	ids, st := run(`process where true`, Options{})
	if len(ids) != 1 || ids[0] != 1 || st.NoTimestamp != 1 {
		t.Errorf("process where true: ids %v, no-timestamp %d", ids, st.NoTimestamp)
	}
	if ids, _ := run(`any where @timestamp > "2024-01-01T00:00:01Z"`, Options{}); len(ids) != 2 {
		t.Errorf("timestamp range: %v", ids)
	}
	if ids, _ := run(`any where @timestamp == 1704067205000`, Options{}); len(ids) != 1 || ids[0] != 3 {
		t.Errorf("timestamp millis: %v", ids)
	}
	if ids, _ := run(`process where true`, Options{Endgame: true}); len(ids) != 2 {
		t.Errorf("endgame category folding: %v", ids)
	}
}

func TestEndgameSemantics(t *testing.T) {
	ev := doc(t, `{"event":{"category":"process"},"process":{"name":"CMD.exe","path":"C:\\Windows\\cmd.exe"}}`)
	for _, tt := range []struct {
		where string
		want  bool
	}{
		{`process.name == "cmd.exe"`, true},
		{`process.path == "*\\windows\\*"`, true},
		{`process.path == "?:*"`, false}, // only * is a wildcard in ==
		{`process.name in ("cmd.EXE")`, true},
		{`startsWith(process.name, "cmd")`, true},
		{`missing_field != "x"`, false}, // three-valued: null != "x" is null
	} {
		q := MustCompile("process where "+tt.where, Options{Endgame: true})
		if got := q.Matches(ev); got != tt.want {
			t.Errorf("endgame %s = %v, want %v", tt.where, got, tt.want)
		}
	}
}

func TestWildcard(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"*c", "abc", true}, {"*b*", "abc", true}, {"a*c", "abc", true},
		{"a*c", "ab", false}, {"a?c", "abc", true}, {"a?c", "ac", false}, {"?", "é", true}, {"a*b*c", "aXbYbZc", true},
		{"a*b?d", "abbcd", true}, {"*.exe", "x.exe.bak", false}, {"a**b", "ab", true}, {"C:\\*", "C:\\x", true},
	} {
		if got := compileWildcard(tt.pattern, false).match(tt.s); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestLuceneRegexp(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{`ab.`, "abc", true}, {`ab`, "abc", false}, {`a(b|c)+`, "abcb", true}, {`[a-c]{2}`, "bc", true},
		{`[^a]x`, "bx", true}, {`"a.b"`, "a.b", true}, {`"a.b"`, "axb", false}, {`a@`, "anything", true},
		{`#`, "", false}, {`id<1-10>`, "id7", true}, {`id<1-10>`, "id11", false}, {`\d+`, "123", true},
		{`a\.b`, "a.b", true}, {`^a`, "^a", true},
	} {
		re, err := compileLuceneRegexp(tt.pattern, false)
		if err != nil {
			t.Errorf("%q: %v", tt.pattern, err)
			continue
		}
		if got := re.MatchString(tt.s); got != tt.want {
			t.Errorf("regex %q on %q = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
	for _, bad := range []string{`a&b`, `~a`, `(a`, `[a`, `"a`, `a\`} {
		if _, err := compileLuceneRegexp(bad, false); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	ordered := []string{"1.2.3-alpha", "1.2.3", "1.2.4", "1.11.0", "2.0.0", "bad", "zzz"}
	for i := 0; i+1 < len(ordered); i++ {
		if c := compareVersions(ordered[i], ordered[i+1]); c >= 0 {
			t.Errorf("%s vs %s = %d, want < 0", ordered[i], ordered[i+1], c)
		}
	}
}

func TestWildcardFold(t *testing.T) {
	patterns := []string{"*.TMP", "C:\\Win*", "*temp*", "exact.EXE", "*", "a*b*c", "*é*"}
	values := []string{"x.tmp", "X.TmP", "c:\\windows", "C:\\WINDOWS\\x", "my TEMP dir", "EXACT.exe", "exact.exee", "", "AxBxC", "ÉCOLE é", "tmp"}
	for _, p := range patterns {
		w := compileWildcard(p, true)
		for _, v := range values {
			if got, want := w.matchFold(v), w.match(foldString(v)); got != want {
				t.Errorf("pattern %q value %q: matchFold %v, match on folded %v", p, v, got, want)
			}
		}
	}
}
