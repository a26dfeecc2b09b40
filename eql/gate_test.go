package eql

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// The conjuncts that are gates, and those that are not.
func TestGates(t *testing.T) {
	mapping := &Schema{Types: map[string]FieldType{"process.pid": TypeLong}, NullValues: map[string]event.Value{"user.name": event.String("-")}}
	tests := []struct {
		where string
		opts  Options
		want  string
	}{
		{`process.name == "cmd.exe"`, Options{}, `process.name [cmd.exe]`},
		{`"cmd.exe" == process.name`, Options{}, `process.name [cmd.exe]`},
		{`process.name : "CMD.exe"`, Options{}, `process.name~ [cmd.exe]`},
		{`process.name : ("A", "b")`, Options{}, `process.name~ [a b]`},
		{`process.name in ("A", "b")`, Options{}, `process.name [A b]`},
		{`process.name in~ ("A", "b")`, Options{}, `process.name~ [a b]`},
		{`process.name like "A"`, Options{}, `process.name [A]`},
		{`process.name like~ "A"`, Options{}, `process.name~ [a]`},
		{`(process.name == "a" and (host.name : "H" and process.pid == 4))`, Options{}, `process.name [a]; host.name~ [h]`},
		{`?process.name == "a"`, Options{}, `process.name [a]`},
		// Disjunctions whose every term has a gate, the best one of each.
		{`process.name : "a" or file.name == "b"`, Options{}, `process.name~ [a] | file.name [b]`},
		{`(event.type == "start" and process.name : "a") or (file.name == "b" and file.path == "c")`, Options{}, `process.name~ [a] | file.name [b]`},
		{`a == "1" or (b == "2" or (c == "3" and d : "4*"))`, Options{}, `a [1] | b [2] | c [3]`},
		{`x == "1" and (process.name : "a" or (file.name == "b" or ?dll.name == "c"))`, Options{}, `x [1]; process.name~ [a] | file.name [b] | dll.name [c]`},
		{`(a == "1" or b == "2") and c == "3"`, Options{}, `a [1] | b [2]; c [3]`},
		// Patterns: the text before the first wildcard, or after the last.
		{`process.name : "CMD*"`, Options{}, `process.name~ prefix [cmd]`},
		{`process.name like~ "cm?.EXE"`, Options{}, `process.name~ suffix [exe]`},
		{`process.name like "Py*.exe"`, Options{}, `process.name suffix [exe]`},
		{`process.name : ("a.exe", "*.DLL", "python*", "pyth?n3", "*.dll")`, Options{}, `process.name~ [a.exe] | process.name~ prefix [pyt] | process.name~ suffix [dll]`},
		// Not gates.
		{`process.name : "*a*"`, Options{}, ``},
		{`process.name : ("a", "*b")`, Options{}, ``},
		{`file.path : "?:\\Windows\\*"`, Options{}, ``},
		{`process.name : "\u{E9}cole*"`, Options{}, ``},
		{`process.name regex "cmd"`, Options{}, ``},
		{`process.name != "a"`, Options{}, ``},
		{`not process.name == "a"`, Options{}, ``},
		{`process.name not in ("a", "b")`, Options{}, ``},
		{`process.name == "a" or host.name : "b*"`, Options{}, ``},
		{`process.name == "a" or not host.name == "b"`, Options{}, ``},
		{`not (process.name == "a" or host.name == "b")`, Options{}, ``},
		{`process.name in ("a", 1)`, Options{}, ``},
		{`process.name in ("a", null)`, Options{}, ``},
		{`process.name : 4`, Options{}, ``},
		{`process.name : "caf\u{E9}*"`, Options{}, `process.name~ prefix [caf]`},
		{`process.name : "\u{212A}ey"`, Options{}, `process.name~ [key]`}, // the Kelvin sign folds to k
		{`process.name : "caf\u{E9}"`, Options{}, ``},                     // folds to non-ASCII
		{`process.name == "a"`, Options{Endgame: true}, ``},
		{`process.pid == "1"`, Options{Schema: mapping}, ``},
		{`user.name == "a"`, Options{Schema: mapping}, ``},
		{`@timestamp == "2020-01-01"`, Options{}, ``},
		{`length(process.name) == 3`, Options{}, ``},
	}
	for _, tt := range tests {
		q, err := Compile("process where "+tt.where, tt.opts)
		if err != nil {
			t.Errorf("%s: %v", tt.where, err)
			continue
		}
		var got []string
		for _, ag := range q.filter.gates {
			var alts []string
			for _, g := range ag {
				name := g.field
				if g.fold {
					name += "~"
				}
				name += []string{"", " prefix", " suffix"}[g.kind]
				alts = append(alts, fmt.Sprintf("%s %v", name, g.values))
			}
			got = append(got, strings.Join(alts, " | "))
		}
		if s := strings.Join(got, "; "); s != tt.want {
			t.Errorf("%s: gates %q, want %q", tt.where, s, tt.want)
		}
	}
}

// Indexes pick the likeliest gate, and keep no index of a single query.
func TestBuildIndexes(t *testing.T) {
	queries := []string{
		`process where event.type == "start" and process.name : ("a.exe", "b.exe")`,
		`process where event.type == "start" and process.parent.name : "c.exe" and process.name : ("d.exe", "e.exe", "f.exe", "g.exe", "h.exe", "i.exe", "j.exe", "k.exe", "l.exe", "m.exe")`,
		`process where process.name : "x.exe"`,
		`file where event.type == "creation" and file.path : "*.tmp"`,
		`file where event.type == "creation" and file.name : "a.txt"`,
		`network where destination.port == 443`,
	}
	var compiled []*Query
	for _, src := range queries {
		compiled = append(compiled, MustCompile(src, Options{}))
	}
	e := newEngine(compiled, func(int, *Result) {}, true)
	var got []string
	for _, ix := range e.indexes {
		got = append(got, fmt.Sprintf("%s fold=%v %v", ix.field, ix.fold, ix.all))
	}
	// Query 1 has a gate on process.parent.name, the rarest value, but
	// it would be alone there, and its process.name gate is selective
	// too. Query 3's gate on event.type, of few values, is not worth an
	// index of its own, but its suffix gate on file.path is. Query 4's
	// file.name gate is alone in its index, but selective, with nothing
	// as good. Query 5 has no gate.
	if s := strings.Join(got, "; "); s != "file.name fold=true [4]; file.path fold=true [3]; process.name fold=true [0 1 2]" {
		t.Errorf("indexes: %s", s)
	}
	if len(e.byCat[e.catID("file")]) != 0 || len(e.byCat[e.catID("process")]) != 0 || !slices.Equal(e.byCat[e.catID("network")], []int{5}) {
		t.Errorf("dispatch lists: %v", e.byCat)
	}
}

// gateEvents returns events whose values put the indexes to the test:
// case variants, non-ASCII text that folds to ASCII, numbers, nulls,
// arrays of mixed kinds, objects, dotted keys, missing fields and
// timestamps, several categories.
func gateEvents() []*event.Event {
	names := []string{
		`"cmd.exe"`, `"CMD.EXE"`, `"Cmd.exe"`, `"cmd.exe "`, `"cmd.exé"`, `"\u212Aey"`, `"KEY"`, `"key"`, `1`, `"1"`,
		`null`, `true`, `{"x":"cmd.exe"}`, `["a","cmd.exe"]`, `["b",1,null]`, `[["cmd.exe"]]`, `[]`, `"a.txt"`, `"A.TXT"`, `"explorer.exe"`,
		// Longer than any value of the index: one folds to "kkkkk".
		`"\u212A\u212A\u212A\u212A\u212A"`, `"CMD.EXE-and-then-some"`,
	}
	cats := []string{`"process"`, `"file"`, `["process","file"]`, `"network"`, `["network","process"]`, `"registry"`, `"dns"`}
	var evs []*event.Event
	for i := 0; i < 2400; i++ {
		name := names[i%len(names)]
		cat := cats[(i/len(names))%len(cats)]
		ts := fmt.Sprintf(`"@timestamp":%d,`, 1000+i)
		if i%97 == 0 {
			ts = "" // no timestamp
		}
		proc := fmt.Sprintf(`"process":{"name":%s,"pid":%d}`, name, i%3)
		if i%7 == 3 {
			proc = fmt.Sprintf(`"process.name":%s,"process.pid":%d`, name, i%3)
		} else if i%13 == 5 {
			proc = fmt.Sprintf(`"process":{"pid":%d}`, i%3) // no name
		}
		text := fmt.Sprintf(`{%s"event":{"category":%s},"host":{"name":"h%d"},%s,"file":{"name":%s},"destination":{"port":%d},"id":%d}`,
			ts, cat, i%4, proc, names[(i/11)%len(names)], 440+i%5, i)
		v, err := (&event.Decoder{}).Decode([]byte(text))
		if err != nil {
			panic(err)
		}
		evs = append(evs, &event.Event{Doc: v})
	}
	return evs
}

// engineTrace pushes evs through an Engine with or without indexes, and
// returns every result as emitted, in order, with the engine's stats.
func engineTrace(queries []*Query, evs []*event.Event, index bool) ([]string, EngineStats, *Engine) {
	var trace []string
	e := newEngine(queries, func(qi int, r *Result) {
		trace = append(trace, fmt.Sprintf("%d:%s", qi, resultIDs(r)))
	}, index)
	for _, ev := range evs {
		e.Push(ev)
	}
	e.Close()
	return trace, e.Stats(), e
}

// An Engine with value indexes emits exactly what one without them does,
// in the same order, and counts the same events without a timestamp.
func TestEngineIndexesChangeNothing(t *testing.T) {
	sources := []string{
		`process where process.name == "cmd.exe"`,
		`process where process.name == "CMD.EXE"`,
		`process where process.name : "cmd.exe"`,
		`process where process.name : ("key", "a")`,
		`process where process.name : "kkkkk"`,
		`process where process.name in ("cmd.exe", "1")`,
		`process where process.name in~ ("cmd.exe", "x")`,
		`process where process.name like "cmd.exe"`,
		`process where process.name like~ "CMD.exe"`,
		`process where process.name : "cmd*"`,
		`any where process.name : "cmd.exe" and destination.port == 441`,
		`any where process.name : "a"`,
		`process where process.name : "cmd.exe" and process.pid == 1 | head 20`,
		`file where file.name : ("a.txt", "b.txt") and process.name : "cmd.exe"`,
		`file where file.name == "a.txt"`,
		`process where process.pid : "1"`,
		`process where process.pid == "1"`,
		`network where process.name in~ ("cmd.exe", "explorer.exe") | tail 3`,
		`sequence by host.name [process where process.name : "cmd.exe"] [file where file.name : "a.txt"]`,
		`sequence by host.name with maxspan=40ms [process where process.name : "cmd.exe"] ![file where file.name : "a.txt"]`,
		`sequence by host.name with maxspan=50ms [process where process.name : "cmd.exe"] ![network where process.name : "explorer.exe"] [file where file.name : "A.TXT"]`,
		`sequence by host.name [process where process.name : "cmd.exe"] [file where file.name : "A.TXT"] until [registry where process.name : "key"]`,
		`sequence by host.name with maxspan=30ms [process where process.name : "cmd.exe"] [any where process.name == "KEY"] | head 5`,
		`process where process.name : "explorer.exe"`,
		`any where process.name : "cmd.exe" or file.name == "a.txt"`,
		`process where (process.name == "KEY" or (file.name : "A.TXT" and event.category == "file")) and process.pid == 1`,
		`registry where process.name : "cmd.exe"`,
	}
	var queries []*Query
	for _, src := range sources {
		queries = append(queries, MustCompile(src, Options{}))
	}
	evs := gateEvents()
	want, wantStats, _ := engineTrace(queries, evs, false)
	got, gotStats, e := engineTrace(queries, evs, true)
	if len(e.indexes) < 2 {
		t.Fatalf("%d indexes; the test wants them", len(e.indexes))
	}
	compareTraces(t, got, want)
	if gotStats != wantStats {
		t.Errorf("stats %+v, without indexes %+v", gotStats, wantStats)
	}
	for qi := range sources {
		n := 0
		for _, r := range want {
			if strings.HasPrefix(r, fmt.Sprint(qi, ":")) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("query %d (%s) found nothing; the test data should exercise it", qi, sources[qi])
		}
	}
}

// The same for Elastic's rule pack over synthetic telemetry, where most
// rules are indexed.
func TestEngineIndexesElasticRules(t *testing.T) {
	var queries []*Query
	for _, r := range loadRuleQueries(t) {
		if q, err := Compile(r.Query, Options{}); err == nil {
			queries = append(queries, q)
		}
	}
	evs := append(benchgen.Events(3000), gateEvents()[:600]...)
	want, wantStats, _ := engineTrace(queries, evs, false)
	got, gotStats, e := engineTrace(queries, evs, true)
	indexed := 0
	for _, ix := range e.indexes {
		indexed += len(ix.all)
	}
	if indexed < len(queries)/2 || len(want) == 0 {
		t.Fatalf("%d of %d queries indexed, %d results", indexed, len(queries), len(want))
	}
	compareTraces(t, got, want)
	if gotStats != wantStats {
		t.Errorf("stats %+v, without indexes %+v", gotStats, wantStats)
	}
}

func compareTraces(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d results, without indexes %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("result %d is %s, without indexes %s", i, got[i], want[i])
			return
		}
	}
}

// Random rules over random events: indexes change nothing.
func TestEngineIndexesRandom(t *testing.T) {
	fields := []string{"process.name", "file.name", "host.name", "event.type", "user.name"}
	values := []string{"cmd.exe", "CMD.exe", "a", "A", "start", "\u212Aey", "key", "caf\u00e9", "", "CMD.EXE.bak", "x.Exe", "cafe"}
	for seed := range 12 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
		lit := func() string { return strconv.Quote(pick(values)) }
		var cond func(depth int) string
		cond = func(depth int) string {
			if depth > 0 && rng.IntN(3) > 0 {
				op := []string{"and", "or", "and"}[rng.IntN(3)]
				c := "(" + cond(depth-1) + " " + op + " " + cond(depth-1) + ")"
				if rng.IntN(6) == 0 {
					c = "not " + c
				}
				return c
			}
			f := pick(fields)
			switch rng.IntN(12) {
			case 9:
				return f + ` : "cmd*"`
			case 10:
				return f + ` like~ "*.EXE"`
			case 11:
				return f + " : (" + lit() + `, "*ey", "caf*", "cm?.exe")`
			case 0:
				return f + " == " + lit()
			case 1:
				return f + " : " + lit()
			case 2:
				return f + " in (" + lit() + ", " + lit() + ")"
			case 3:
				return f + " in~ (" + lit() + ", " + lit() + ")"
			case 4:
				return f + " like " + lit()
			case 5:
				return f + " like~ " + lit()
			case 6:
				return f + ` : "c*"`
			case 7:
				return f + " != " + lit()
			}
			return f + " : (" + lit() + ", " + lit() + ", " + lit() + ")"
		}
		cats := []string{"process", "file", "any"}
		var queries []*Query
		for range 60 {
			src := pick(cats) + " where " + cond(3)
			if rng.IntN(5) == 0 {
				src = "sequence by host.name with maxspan=20ms [" + pick(cats) + " where " + cond(2) + "] [" + pick(cats) + " where " + cond(2) + "]"
			}
			q, err := Compile(src, Options{})
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			queries = append(queries, q)
		}
		jsonValue := func() string {
			switch rng.IntN(8) {
			case 0:
				return "null"
			case 1:
				return "7"
			case 2:
				return "[" + strconv.Quote(pick(values)) + ",1," + strconv.Quote(pick(values)) + "]"
			}
			return strconv.Quote(pick(values))
		}
		var evs []*event.Event
		for i := range 1500 {
			var b strings.Builder
			fmt.Fprintf(&b, `{"@timestamp":%d,"event":{"category":%q},"id":%d`, 1000+i, pick([]string{"process", "file", "network"}), i)
			for _, f := range fields[:4] {
				if rng.IntN(5) > 0 {
					fmt.Fprintf(&b, `,%q:%s`, f, jsonValue())
				}
			}
			b.WriteString(`,"user":{"name":` + jsonValue() + "}}")
			v, err := (&event.Decoder{}).Decode([]byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			evs = append(evs, &event.Event{Doc: v})
		}
		want, wantStats, _ := engineTrace(queries, evs, false)
		got, gotStats, e := engineTrace(queries, evs, true)
		if len(e.indexes) == 0 || len(want) == 0 {
			t.Fatalf("seed %d: %d indexes, %d results", seed, len(e.indexes), len(want))
		}
		if len(got) != len(want) {
			per := func(tr []string) map[string]int {
				m := map[string]int{}
				for _, r := range tr {
					m[strings.SplitN(r, ":", 2)[0]]++
				}
				return m
			}
			g, w := per(got), per(want)
			for qi, q := range queries {
				k := fmt.Sprint(qi)
				if g[k] != w[k] {
					t.Errorf("seed %d: %s: %d results, without indexes %d", seed, q.Source(), g[k], w[k])
					break
				}
			}
		}
		compareTraces(t, got, want)
		if gotStats != wantStats {
			t.Errorf("seed %d: stats %+v, without indexes %+v", seed, gotStats, wantStats)
		}
	}
}

// FuzzEngineIndexes compiles a rule and runs it, with a rule that shares
// its gates' fields, over edge-case events, with and without indexes:
// the results must be the same.
func FuzzEngineIndexes(f *testing.F) {
	for _, s := range []string{
		`process where process.name : "cmd.exe"`,
		`any where process.name == "KEY" or file.name in~ ("a.txt", "x")`,
		`file where (file.name like "a.txt" or process.name like~ "CMD.EXE") and not host.name == "h1"`,
		`sequence by host.name [process where process.name : "cmd.exe"] [file where file.name : "A.TXT"]`,
		`process where process.name : "\u{212A}ey" and process.pid == 1`,
	} {
		f.Add(s)
	}
	evs := gateEvents()[:400]
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Compile(src, Options{})
		if err != nil {
			return
		}
		queries := []*Query{q, MustCompile(`any where process.name : "a" or file.name == "b" or host.name == "c"`, Options{})}
		want, wantStats, _ := engineTrace(queries, evs, false)
		got, gotStats, _ := engineTrace(queries, evs, true)
		compareTraces(t, got, want)
		if gotStats != wantStats {
			t.Errorf("stats %+v, without indexes %+v", gotStats, wantStats)
		}
	})
}
