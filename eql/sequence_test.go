package eql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// seqEvents builds events "cat:key@ms" (category, host key, time in ms),
// with id = position.
func seqEvents(t *testing.T, specs ...string) []*event.Event {
	var out []*event.Event
	for i, s := range specs {
		var cat, key string
		var ms int
		if _, err := fmt.Sscanf(strings.NewReplacer(":", " ", "@", " ").Replace(s), "%s %s %d", &cat, &key, &ms); err != nil {
			t.Fatalf("bad spec %q: %v", s, err)
		}
		out = append(out, doc(t, fmt.Sprintf(`{"@timestamp":%d,"event":{"category":%q},"host":{"name":%q},"id":%d}`, ms, cat, key, i+1)))
	}
	return out
}

// resultIDs returns the ids of a result's events, "-" for a missing
// slot, joined by commas.
func resultIDs(res *Result) string {
	var ids []string
	for _, e := range res.Events {
		if e == nil {
			ids = append(ids, "-")
			continue
		}
		id, _ := e.Doc.Get(event.MustPath("id")).Int()
		ids = append(ids, fmt.Sprint(id))
	}
	return strings.Join(ids, ",")
}

// runIDs runs q over evs and returns each result's event ids ("-" for a
// missing slot), one string per result.
func runIDs(t *testing.T, q string, opts Options, evs []*event.Event) ([]string, RunStats) {
	t.Helper()
	query, err := Compile(q, opts)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	r := query.NewRun(func(res *Result) { out = append(out, resultIDs(res)) })
	for _, e := range evs {
		r.Push(e)
	}
	r.Close()
	return out, r.Stats()
}

func TestSequenceSemantics(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		events []string
		want   []string
	}{
		{"basic by key", `sequence by host.name [a where true] [b where true]`,
			[]string{"a:h1@1", "a:h2@2", "b:h1@3", "b:h2@4"}, []string{"1,3", "2,4"}},
		{"newest partial wins", `sequence by host.name [a where true] [b where true]`,
			[]string{"a:h1@1", "a:h1@2", "b:h1@3", "b:h1@4"}, []string{"2,3"}},
		{"an event does not chain with itself", `sequence [any where true] [any where true]`,
			[]string{"a:h@1", "b:h@2", "c:h@3"}, []string{"1,2", "2,3"}},
		{"maxspan is inclusive", `sequence by host.name with maxspan=10ms [a where true] [b where true]`,
			[]string{"a:h1@0", "b:h1@10", "a:h2@20", "b:h2@31"}, []string{"1,2"}},
		{"until ends the partials of its key", `sequence by host.name [a where true] [b where true] until [c where true]`,
			[]string{"a:h1@1", "a:h2@2", "c:h1@3", "b:h1@4", "b:h2@5"}, []string{"2,5"}},
		{"runs repeats a term", `sequence by host.name [a where true] with runs=3`,
			[]string{"a:h1@1", "a:h1@2", "a:h2@3", "a:h1@4"}, []string{"1,2,4"}},
		{"missing event in a gap rejects", `sequence by host.name with maxspan=1s [a where true] ![m where true] [b where true]`,
			[]string{"a:h1@1", "m:h1@2", "b:h1@3", "a:h2@4", "m:h1@5", "b:h2@6"}, []string{"4,-,6"}},
		{"trailing missing waits for the window", `sequence by host.name with maxspan=100ms [a where true] ![m where true]`,
			[]string{"a:h1@0", "m:h1@50", "a:h2@60", "m:h2@200", "a:h3@300"}, []string{"3,-", "5,-"}},
		{"leading missing", `sequence by host.name with maxspan=100ms ![m where true] [a where true]`,
			[]string{"m:h1@0", "a:h1@50", "a:h1@200"}, []string{"-,3"}},
		{"head stops early", `sequence [a where true] [b where true] | head 1`,
			[]string{"a:h@1", "b:h@2", "a:h@3", "b:h@4"}, []string{"1,2"}},
		{"tail keeps the last", `sequence [a where true] [b where true] | tail 1`,
			[]string{"a:h@1", "b:h@2", "a:h@3", "b:h@4"}, []string{"3,4"}},
	}
	for _, tt := range tests {
		got, _ := runIDs(t, tt.query, Options{}, seqEvents(t, tt.events...))
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSequenceMultiValuedAndOptionalKeys(t *testing.T) {
	evs := []*event.Event{
		doc(t, `{"@timestamp":1,"event":{"category":"a"},"k":["x","y"],"id":1}`),
		doc(t, `{"@timestamp":2,"event":{"category":"b"},"k":"y","id":2}`),
		doc(t, `{"@timestamp":3,"event":{"category":"a"},"id":3}`),
		doc(t, `{"@timestamp":4,"event":{"category":"b"},"id":4}`),
	}
	got, _ := runIDs(t, `sequence by k [a where true] [b where true]`, Options{}, evs)
	if strings.Join(got, " ") != "1,2" {
		t.Errorf("multi-valued key: %v", got)
	}
	got, _ = runIDs(t, `sequence by ?k [a where true] [b where true]`, Options{}, evs)
	if strings.Join(got, " ") != "1,2 3,4" {
		t.Errorf("optional key joins nulls: %v", got)
	}
}

// The cap on partial sequences bounds memory: the oldest partials are
// dropped and counted, and the newest still complete.
func TestSequencePartialCap(t *testing.T) {
	var specs []string
	for i := 0; i < 100; i++ {
		specs = append(specs, fmt.Sprintf("a:h%d@%d", i, i))
	}
	for i := 0; i < 100; i++ {
		specs = append(specs, fmt.Sprintf("b:h%d@%d", i, 100+i))
	}
	got, st := runIDs(t, `sequence by host.name [a where true] [b where true]`, Options{MaxPartials: 10}, seqEvents(t, specs...))
	if len(got) != 10 || st.DroppedPartials != 90 || st.PeakPartials != 10 {
		t.Errorf("cap 10: %d results, %d dropped, peak %d; want 10, 90, 10", len(got), st.DroppedPartials, st.PeakPartials)
	}
	if got[0] != "91,191" {
		t.Errorf("first surviving sequence %s, want 91,191", got[0])
	}
}

// With maxspan, partials expire by time without a scan, and the live
// count returns to zero once the stream moves on.
func TestSequenceExpiry(t *testing.T) {
	var specs []string
	for i := 0; i < 1000; i++ {
		specs = append(specs, fmt.Sprintf("a:h%d@%d", i, i))
	}
	specs = append(specs, "z:h@100000")
	_, st := runIDs(t, `sequence by host.name with maxspan=10ms [a where true] [b where true]`, Options{}, seqEvents(t, specs...))
	if st.LivePartials != 0 || st.Expired != 1000 || st.PeakPartials > 12 {
		t.Errorf("expiry: live %d, expired %d, peak %d", st.LivePartials, st.Expired, st.PeakPartials)
	}
}

func TestSample(t *testing.T) {
	evs := []*event.Event{
		doc(t, `{"@timestamp":1,"event":{"category":"b"},"host":"h2","id":1}`),
		doc(t, `{"@timestamp":2,"event":{"category":"a"},"host":"h2","id":2}`),
		doc(t, `{"@timestamp":3,"event":{"category":"a"},"host":"h1","id":3}`),
		doc(t, `{"@timestamp":4,"event":{"category":"b"},"host":"h1","id":4}`),
		doc(t, `{"@timestamp":5,"event":{"category":"a"},"host":"h3","id":5}`),
	}
	got, _ := runIDs(t, `sample by host [a where true] [b where true]`, Options{}, evs)
	if strings.Join(got, " ") != "3,4 2,1" {
		t.Errorf("sample: %v (want ordered by key: h1 then h2)", got)
	}
}

// An Engine running many queries gives each exactly what a separate run
// would.
func TestEngineMatchesSeparateRuns(t *testing.T) {
	evs, _ := benchEvents(3000)
	queries := []string{
		benchQueries["filter"], benchQueries["sequence3"], benchQueries["sequence2-by-pid"],
		`any where destination.port == 443 | head 5`,
		`file where file.path : "*x1*.tmp"`,
		`process where process.name : "cmd.exe" and host.name : "host-0*"`,
	}
	got, want, _ := engineAndRuns(queries, evs)
	for i := range queries {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("query %d: engine gave %d results, separate run %d", i, len(got[i]), len(want[i]))
		}
		if len(want[i]) == 0 && i != 0 {
			t.Errorf("query %d found nothing; the test data should exercise it", i)
		}
	}
}

// engineAndRuns runs queries over evs through one Engine and each in a
// Run of its own, and returns their results in the two ways, by query.
func engineAndRuns(queries []string, evs []*event.Event) (engine, separate [][]string, eng *Engine) {
	var compiled []*Query
	separate = make([][]string, len(queries))
	for i, src := range queries {
		q := MustCompile(src, Options{})
		compiled = append(compiled, q)
		r := q.NewRun(func(res *Result) { separate[i] = append(separate[i], resultKey(res)) })
		for _, e := range evs {
			r.Push(e)
		}
		r.Close()
	}
	engine = make([][]string, len(queries))
	eng = NewEngine(compiled, func(qi int, res *Result) { engine[qi] = append(engine[qi], resultKey(res)) })
	for _, e := range evs {
		eng.Push(e)
	}
	eng.Close()
	return engine, separate, eng
}

func resultKey(r *Result) string {
	var b strings.Builder
	for _, e := range r.Events {
		if e == nil {
			b.WriteString("-;")
			continue
		}
		b.WriteString(e.Doc.GetString("@timestamp"))
		b.WriteByte(';')
	}
	return b.String()
}

// With transient input the decoder reuses its memory for every event; the
// engine must copy what it keeps and give the same results.
func TestTransientInput(t *testing.T) {
	lines := []string{
		`{"@timestamp":1,"event":{"category":"process"},"host":{"name":"h1"},"process":{"name":"cmd.exe","pid":1},"id":1}`,
		`{"@timestamp":2,"event":{"category":"process"},"host":{"name":"h2"},"process":{"name":"cmd.exe","pid":2},"id":2}`,
		`{"@timestamp":3,"event":{"category":"network"},"host":{"name":"h1"},"process":{"pid":1},"destination":{"port":443},"id":3}`,
		`{"@timestamp":4,"event":{"category":"network"},"host":{"name":"h2"},"process":{"pid":2},"destination":{"port":443},"id":4}`,
	}
	queries := []*Query{
		MustCompile(benchQueries["sequence2-by-pid"], Options{}),
		MustCompile(`process where true | tail 1`, Options{}),
	}
	run := func(transient bool) []string {
		var out []string
		eng := NewEngine(queries, func(qi int, r *Result) {
			var ids []string
			for _, e := range r.Events {
				id, _ := e.Doc.Get(event.MustPath("id")).Int()
				ids = append(ids, fmt.Sprint(id))
			}
			out = append(out, fmt.Sprintf("%d:%s", qi, strings.Join(ids, ",")))
		})
		eng.SetTransient(transient)
		d := event.Decoder{Reuse: transient}
		buf := make([]byte, 0, 256)
		ev := &event.Event{}
		for _, l := range lines {
			buf = append(buf[:0], l...) // the same buffer for every line
			v, err := d.Decode(buf)
			if err != nil {
				t.Fatal(err)
			}
			if transient {
				ev.Doc = v // and the same Event
			} else {
				ev = &event.Event{Doc: v}
				buf = make([]byte, 0, 256)
			}
			eng.Push(ev)
		}
		eng.Close()
		return out
	}
	want, got := run(false), run(true)
	if strings.Join(got, " ") != strings.Join(want, " ") || len(want) != 3 {
		t.Errorf("transient %v, owned %v", got, want)
	}
}

// Slots left empty by completed sequences are kept for their key's next
// sequence, but not without bound.
func TestEmptySlotsSwept(t *testing.T) {
	q := MustCompile(`sequence by id [process where true] [network where true]`, Options{})
	results := 0
	run := q.NewRun(func(*Result) { results++ })
	const n = 10_000
	for i := 0; i < n; i++ {
		for _, cat := range []string{"process", "network"} {
			run.PushAt(&event.Event{Doc: event.Object(
				event.Field{Key: "event", Value: event.Object(event.Field{Key: "category", Value: event.String(cat)})},
				event.Field{Key: "id", Value: event.Int(int64(i))},
			)}, int64(i))
		}
		if got := len(run.seq.byKey); got > maxEmptySlots+1 {
			t.Fatalf("after %d sequences byKey holds %d keys", i+1, got)
		}
	}
	if results != n {
		t.Errorf("%d results, want %d", results, n)
	}
}

// A scalar key before a multi-valued one: each combination joins.
func TestSequenceScalarThenMultiValuedKey(t *testing.T) {
	evs := []*event.Event{
		doc(t, `{"@timestamp":1,"event":{"category":"a"},"h":"h1","k":["x",null,"y","x"],"id":1}`),
		doc(t, `{"@timestamp":2,"event":{"category":"b"},"h":"h1","k":"y","id":2}`),
		doc(t, `{"@timestamp":3,"event":{"category":"a"},"k":["x"],"id":3}`),
		doc(t, `{"@timestamp":4,"event":{"category":"b"},"h":"h2","k":"x","id":4}`),
		doc(t, `{"@timestamp":5,"event":{"category":"a"},"h":"h2","k":[null],"id":5}`),
		doc(t, `{"@timestamp":6,"event":{"category":"b"},"h":"h2","id":6}`),
	}
	got, _ := runIDs(t, `sequence by h, k [a where true] [b where true]`, Options{}, evs)
	if strings.Join(got, " ") != "1,2" {
		t.Errorf("by h, k: %v", got)
	}
	got, _ = runIDs(t, `sequence by h, ?k [a where true] [b where true]`, Options{}, evs)
	if strings.Join(got, " ") != "1,2 5,6" {
		t.Errorf("by h, ?k: %v", got)
	}
}

// The engine finds the categories of an event once, numbered, for the
// filters of all runs: with events of several categories, with few
// categories (found by a scan) and with more than 64 (by a map, the last
// ones without a bit), every query gets what a separate run gives it.
func TestEngineCategoryBits(t *testing.T) {
	cats := [][]string{{"process"}, {"file"}, {"process", "file"}, {"network", "file"}, {}, {"c70"}, {"c3", "process"}}
	var evs []*event.Event
	for i := 0; i < 400; i++ {
		c := cats[i%len(cats)]
		if i%11 == 0 {
			c = []string{"network"}
		}
		evs = append(evs, &event.Event{Doc: event.Object(
			event.Field{Key: "@timestamp", Value: event.Int(int64(i))},
			event.Field{Key: "event", Value: event.Object(event.Field{Key: "category", Value: event.Strings(c...)})},
			event.Field{Key: "host", Value: event.String(fmt.Sprint("h", i%3))},
		)})
	}
	// A single category as a plain string.
	evs = append(evs, &event.Event{Doc: event.Object(
		event.Field{Key: "@timestamp", Value: event.Int(1000)},
		event.Field{Key: "event", Value: event.Object(event.Field{Key: "category", Value: event.String("file")})},
		event.Field{Key: "host", Value: event.String("h0")},
	)})
	base := []string{
		`sequence by host [process where true] [file where true]`,
		`sequence by host [file where true] [network where true] until [c70 where true]`,
		`sequence by host [any where true] [file where true]`,
		`file where true`,
		`sample by host [process where true] [network where true]`,
	}
	for _, extra := range []int{0, 70} {
		queries := append([]string{}, base...)
		for i := 0; i < extra; i++ {
			queries = append(queries, fmt.Sprintf("sequence by host [c%d where true] [process where true]", i+1))
		}
		got, want, eng := engineAndRuns(queries, evs)
		for i := range queries {
			if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("%d categories, %s: engine gave %d results, separate run %d", len(eng.catNames), queries[i], len(got[i]), len(want[i]))
			}
		}
		found := 0
		for i := range base {
			found += len(want[i])
		}
		if found == 0 || extra > 0 && len(want[len(base)+69]) == 0 {
			t.Errorf("%d categories: the test data should exercise the queries", len(eng.catNames))
		}
	}
}
