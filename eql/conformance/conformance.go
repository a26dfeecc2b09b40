// Package conformance runs external EQL conformance suites against Vigil's
// engine: Elasticsearch's EQL QA specs (the reference for semantics) and the
// original Endgame EQL test queries.
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
)

// Spec is one query of a suite with its expected results.
type Spec struct {
	File     string    // spec file name
	Name     string    // unique name (ES) or index (Endgame)
	Query    string    // EQL text
	Expected [][]int64 // accepted id lists (usually one); -1 marks a missing-event slot
	JoinKeys []string  // expected join keys, flattened, or nil when unchecked
	// CaseSensitive and CaseInsensitive carry the Endgame suite's global
	// case-mode flags; an Endgame query with neither runs in both modes.
	CaseSensitive, CaseInsensitive bool
}

// Suite is a set of specs over one data set.
type Suite struct {
	Name    string
	Specs   []Spec
	Events  []*event.Event // sorted by timestamp, then tiebreaker
	Options eql.Options
	idField string
}

// Outcome is the result of running one spec.
type Outcome struct {
	Suite    string
	Spec     Spec
	Got      []int64
	GotKeys  []string
	Err      error // compile error
	Pass     bool
	Rejected bool // the query was rejected at compile time
}

// LoadElasticsearch loads the Elasticsearch QA specs from dir (the
// elasticsearch-eql-qa folder) with their data sets. The main data set,
// endgame-140, is the Endgame test_data.json with @timestamp derived from
// its FILETIME timestamps, read from endgameDir.
func LoadElasticsearch(dir, endgameDir string) ([]*Suite, error) {
	mainSchema, err := loadMapping(filepath.Join(dir, "data", "endgame-140.mapping"))
	if err != nil {
		return nil, err
	}
	mainEvents, err := loadEndgameData(filepath.Join(endgameDir, "test_data.json"))
	if err != nil {
		return nil, err
	}
	addDynamicTypes(mainSchema, mainEvents)
	main := &Suite{Name: "endgame-140", Events: mainEvents, idField: "serial_event_id",
		Options: eql.Options{Schema: mainSchema, TiebreakerField: "serial_event_id", Size: 50}}
	for _, f := range []string{"test_queries.toml", "additional_test_queries.toml", "test_queries_date.toml"} {
		specs, err := loadSpecs(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		main.Specs = append(main.Specs, specs...)
	}
	suites := []*Suite{main}
	for _, ds := range []struct{ name, specs string }{{"extra", "test_extra.toml"}, {"missing-events", "test_missing_events.toml"}} {
		schema, err := loadMapping(filepath.Join(dir, "data", ds.name+".mapping"))
		if err != nil {
			return nil, err
		}
		events, err := loadESData(filepath.Join(dir, "data", ds.name+".data"))
		if err != nil {
			return nil, err
		}
		addDynamicTypes(schema, events)
		specs, err := loadSpecs(filepath.Join(dir, ds.specs))
		if err != nil {
			return nil, err
		}
		s := &Suite{Name: ds.name, Specs: specs, Events: events, idField: "sequence",
			Options: eql.Options{Schema: schema, TiebreakerField: "sequence", Size: 50}}
		sortEvents(s.Events, s.Options)
		suites = append(suites, s)
	}
	sortEvents(main.Events, main.Options)
	return suites, nil
}

// LoadEndgame loads the original EQL suite (test_queries.toml over
// test_data.json) from dir. Its queries are run with Elasticsearch
// semantics and the extension pipes enabled.
func LoadEndgame(dir string) (*Suite, error) {
	events, err := loadEndgameData(filepath.Join(dir, "test_data.json"))
	if err != nil {
		return nil, err
	}
	specs, err := loadSpecs(filepath.Join(dir, "test_queries.toml"))
	if err != nil {
		return nil, err
	}
	schema := &eql.Schema{Types: map[string]eql.FieldType{}, Aliases: map[string]string{"event.category": "event_type"}}
	addDynamicTypes(schema, events)
	// The original engine streams events in file order; keep it.
	return &Suite{Name: "endgame", Specs: specs, Events: events, idField: "serial_event_id",
		Options: eql.Options{Schema: schema, TiebreakerField: "serial_event_id", Extensions: true}}, nil
}

func loadMapping(path string) (*eql.Schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := eql.ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// addDynamicTypes types the unmapped fields of the data the way
// Elasticsearch's dynamic mapping would: strings as keyword, integers as
// long, other numbers as double.
func addDynamicTypes(s *eql.Schema, events []*event.Event) {
	var walk func(prefix string, v event.Value)
	walk = func(prefix string, v event.Value) {
		switch v.Kind() {
		case event.KindObject:
			for _, f := range v.Fields() {
				walk(prefix+f.Key+".", f.Value)
			}
			return
		case event.KindArray:
			for i := 0; i < v.Len(); i++ {
				walk(prefix, v.Index(i))
			}
			return
		case event.KindNull, event.KindMissing:
			return
		}
		name := strings.TrimSuffix(prefix, ".")
		if _, ok := s.Types[name]; ok {
			return
		}
		if _, ok := s.Aliases[name]; ok {
			return
		}
		switch v.Kind() {
		case event.KindString:
			s.Types[name] = eql.TypeKeyword
		case event.KindInt:
			s.Types[name] = eql.TypeLong
		case event.KindFloat:
			s.Types[name] = eql.TypeDouble
		case event.KindBool:
			s.Types[name] = eql.TypeBoolean
		}
	}
	for _, e := range events {
		walk("", e.Doc)
	}
}

// loadEndgameData reads test_data.json and adds @timestamp (epoch millis
// from the FILETIME timestamp) and event_type where only event_type_full
// is given, as Elasticsearch's loader does.
func loadEndgameData(path string) ([]*event.Event, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw []map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []*event.Event
	var d event.Decoder
	for i, m := range raw {
		ts, err := m["timestamp"].(json.Number).Int64()
		if err != nil {
			return nil, fmt.Errorf("%s: event %d: timestamp: %w", path, i, err)
		}
		m["@timestamp"] = ts/10000 - 11644473600000
		if _, ok := m["event_type"]; !ok {
			if full, ok := m["event_type_full"].(string); ok {
				m["event_type"] = strings.TrimSuffix(full, "_event")
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		v, err := d.Decode(b)
		if err != nil {
			return nil, err
		}
		out = append(out, &event.Event{Doc: v, Raw: b, Src: event.Source{Name: filepath.Base(path), Index: int64(i + 1)}})
	}
	return out, nil
}

var lineComment = regexp.MustCompile(`(?m)^\s*//.*$`)

// loadESData reads an Elasticsearch test data file: a JSON array that may
// hold // comment lines.
func loadESData(path string) ([]*event.Event, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = lineComment.ReplaceAll(data, nil)
	var d event.Decoder
	root, err := d.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if root.Kind() != event.KindArray {
		return nil, fmt.Errorf("%s: not a JSON array", path)
	}
	var out []*event.Event
	for i := 0; i < root.Len(); i++ {
		out = append(out, &event.Event{Doc: root.Index(i), Src: event.Source{Name: filepath.Base(path), Index: int64(i + 1)}})
	}
	return out, nil
}

// sortEvents orders events by timestamp then tiebreaker, as Elasticsearch
// returns them.
func sortEvents(events []*event.Event, opts eql.Options) {
	ts := event.MustPath("@timestamp")
	tb := event.MustPath(opts.TiebreakerField)
	sort.SliceStable(events, func(i, j int) bool {
		a, _ := event.Time(events[i].Doc.Get(ts))
		b, _ := event.Time(events[j].Doc.Get(ts))
		if a != b {
			return a < b
		}
		x, _ := events[i].Doc.Get(tb).Float()
		y, _ := events[j].Doc.Get(tb).Float()
		return x < y
	})
}

var bareNull = regexp.MustCompile(`([\[,]\s*)null(\s*[\],])`)

// loadSpecs reads a TOML spec file. Bare nulls inside arrays, which
// Elasticsearch's lenient TOML reader accepts, are read as "null".
func loadSpecs(path string) ([]Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for bareNull.Match(data) {
		data = bareNull.ReplaceAll(data, []byte(`$1"null"$2`))
	}
	var doc struct {
		Queries []map[string]any `toml:"queries"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var specs []Spec
	for i, q := range doc.Queries {
		s := Spec{File: filepath.Base(path)}
		s.Name, _ = q["name"].(string)
		if s.Name == "" {
			s.Name = fmt.Sprintf("%s#%d", strings.TrimSuffix(s.File, ".toml"), i+1)
		}
		s.Query, _ = q["query"].(string)
		s.Query = strings.TrimSpace(s.Query)
		s.CaseSensitive, _ = q["case_sensitive"].(bool)
		s.CaseInsensitive, _ = q["case_insensitive"].(bool)
		ids, err := expectedIDs(q["expected_event_ids"])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, s.Name, err)
		}
		s.Expected = ids
		if jk, ok := q["join_keys"].([]any); ok {
			s.JoinKeys = []string{}
			for _, k := range jk {
				s.JoinKeys = append(s.JoinKeys, fmt.Sprint(k))
			}
		}
		specs = append(specs, s)
	}
	return specs, nil
}

func expectedIDs(v any) ([][]int64, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("expected_event_ids is missing or not a list")
	}
	if len(list) > 0 {
		if _, nested := list[0].([]any); nested {
			var alts [][]int64
			for _, l := range list {
				ids, err := expectedIDs(l)
				if err != nil {
					return nil, err
				}
				alts = append(alts, ids[0])
			}
			return alts, nil
		}
	}
	ids := []int64{}
	for _, x := range list {
		n, ok := x.(int64)
		if !ok {
			return nil, fmt.Errorf("expected_event_ids holds %v", x)
		}
		ids = append(ids, n)
	}
	return [][]int64{ids}, nil
}

// Run executes every spec of the suite.
func Run(s *Suite) []Outcome {
	var out []Outcome
	for _, spec := range s.Specs {
		opts := s.Options
		if s.Name == "endgame" {
			// The original suite's expectations hold in its default
			// case-insensitive mode, except for the queries marked
			// case_sensitive, which only hold with case-sensitive
			// comparisons.
			opts.Endgame = !spec.CaseSensitive
		}
		out = append(out, runSpec(s, spec, opts))
	}
	return out
}

func runSpec(s *Suite, spec Spec, opts eql.Options) Outcome {
	idPath := event.MustPath(s.idField)
	{
		o := Outcome{Suite: s.Name, Spec: spec}
		q, err := eql.Compile(spec.Query, opts)
		if err != nil {
			o.Err, o.Rejected = err, true
			return o
		}
		o.Got, o.GotKeys = []int64{}, []string{}
		run := q.NewRun(func(r *eql.Result) {
			for _, e := range r.Events {
				if e == nil {
					o.Got = append(o.Got, -1)
					continue
				}
				id, _ := e.Doc.Get(idPath).Int()
				o.Got = append(o.Got, id)
			}
			for _, k := range r.JoinKeys {
				if k.IsNull() {
					o.GotKeys = append(o.GotKeys, "null")
					continue
				}
				t, _ := k.Text()
				o.GotKeys = append(o.GotKeys, t)
			}
		})
		for _, e := range s.Events {
			run.Push(e)
			if run.Done() {
				break
			}
		}
		run.Close()
		for _, want := range spec.Expected {
			if slices.Equal(want, o.Got) {
				o.Pass = true
			}
		}
		if o.Pass && spec.JoinKeys != nil && !slices.Equal(spec.JoinKeys, o.GotKeys) {
			o.Pass = false
		}
		return o
	}
}

// Describe renders an outcome for people.
func (o Outcome) Describe() string {
	var b strings.Builder
	status := "FAIL"
	if o.Pass {
		status = "ok"
	}
	fmt.Fprintf(&b, "%-4s %s/%s: %s\n", status, o.Suite, o.Spec.Name, oneLine(o.Spec.Query))
	if !o.Pass {
		if o.Err != nil {
			fmt.Fprintf(&b, "     error: %v\n", o.Err)
		} else {
			fmt.Fprintf(&b, "     want %v", formatIDs(o.Spec.Expected[0]))
			if o.Spec.JoinKeys != nil {
				fmt.Fprintf(&b, " keys %q", o.Spec.JoinKeys)
			}
			fmt.Fprintf(&b, "\n     got  %v", formatIDs(o.Got))
			if o.Spec.JoinKeys != nil {
				fmt.Fprintf(&b, " keys %q", o.GotKeys)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func formatIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// EndgameReport sorts the outcomes of the Endgame suite.
type EndgameReport struct {
	Total    int
	Passed   []Outcome // accepted and matching the expected ids
	Failed   []Outcome // accepted but wrong
	Rejected []Outcome // not valid Elasticsearch EQL: rejected with an error
}

// Classify sorts Endgame outcomes into passed, failed and rejected.
func Classify(outcomes []Outcome) EndgameReport {
	r := EndgameReport{Total: len(outcomes)}
	for _, o := range outcomes {
		switch {
		case o.Rejected:
			r.Rejected = append(r.Rejected, o)
		case o.Pass:
			r.Passed = append(r.Passed, o)
		default:
			r.Failed = append(r.Failed, o)
		}
	}
	return r
}
