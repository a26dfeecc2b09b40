package eql

import (
	"math/bits"
	"slices"

	"github.com/vigil-sec/vigil/event"
)

// Engine runs many queries over one pass of an ordered event stream. It
// reads each event's category once and hands the event only to the
// queries that have a term for that category (or an "any where" term), and
// reads the timestamp once per distinct timestamp field.
//
// The categories the queries ask for are numbered; the runs' filters test
// the bits of an event's categories, which the engine finds once per
// event, instead of comparing the category field each.
//
// A rule library is mostly event queries that each require a field to
// equal one of a few strings (process.name : ("a.exe", "b.exe")), or to
// start or end with one. An engine of many queries indexes such queries
// by that field (see gate): it looks the event's value up once per
// field, and hands the event only to the queries that may match it,
// instead of running every filter of the event's category. Sequences
// whose every term has such a condition are indexed too. The results,
// their order and the engine's counters are those of running every
// query; a query's own counters (RunStats) count only the events it was
// handed.
type Engine struct {
	runs     []*Run
	catNames []string       // the categories queries ask for, by number
	catIndex map[string]int // category -> number, when too many to scan catNames
	byCat    [][]int        // per category number: the queries that want it
	catIDs   []int          // numbers of the categories of the event being pushed
	catMask  uint64         // their bits
	anyCat   []int          // queries with an "any where" term
	catPath  event.Path
	catHints []uint16
	seen     []uint64 // generation stamp per query, to dispatch once
	gen      uint64
	tsGroups []tsGroup
	queryTS  []int // index into tsGroups per query
	stats    EngineStats
	keep     *keeper // shared by all runs: an event is copied at most once
	// The queries indexed by their gates (see indexQueries) are not in
	// anyCat and byCat: indexes hand them the events their gates may
	// let through.
	indexes   []*valueIndex
	lookups   *event.PathSet // the indexes' fields
	found     []*event.Value // their values in the event being pushed, by index
	gatedCats []uint64       // per query: the category bits of a gated query, all for any
	gatedTS   []uint64       // per category number + 1: the timestamp groups of its gated queries
	hits      []int          // the gated queries the event being pushed may match
	marks     []uint64       // generation stamp per query, to collect hits once
	noTS      uint64         // the timestamp groups the event being pushed lacks
}

type tsGroup struct {
	path  event.Path
	hints []uint16
	ts    int64
	ok    bool
	cache event.TimeCache
}

// EngineStats counts what an Engine saw.
type EngineStats struct {
	Events      int64 // events pushed
	NoTimestamp int64 // events without a valid timestamp for at least one query
}

// NewEngine prepares runs of queries; emit receives each result with the
// index of its query. All queries must share the category field.
func NewEngine(queries []*Query, emit func(query int, r *Result)) *Engine {
	return newEngine(queries, emit, len(queries) >= minIndexedEngine)
}

// minIndexedEngine is the fewest queries an Engine indexes (see
// indexQueries). With fewer, looking an event's values up costs more
// than the filters it spares: the 10 rules of vigil bench ran 6% slower
// with indexes, the 1,081 of Elastic's pack 5 times faster.
const minIndexedEngine = 32

// newEngine is NewEngine, with value indexes or without (for tests).
func newEngine(queries []*Query, emit func(query int, r *Result), index bool) *Engine {
	e := &Engine{seen: make([]uint64, len(queries)), keep: &keeper{}}
	catField := ""
	tsIndex := map[string]int{}
	catIndex := map[string]int{}
	for i, q := range queries {
		i := i
		run := q.NewRun(func(r *Result) { emit(i, r) })
		run.keep = e.keep
		if run.seq != nil {
			run.seq.keep = e.keep
		}
		if run.sample != nil {
			run.sample.keep = e.keep
		}
		run.inEngine = true
		e.runs = append(e.runs, run)
		if catField == "" {
			catField = q.opts.Schema.resolve(q.opts.categoryField())
		}
		name := q.opts.Schema.resolve(q.opts.categoryField())
		_, hasNull := q.opts.Schema.nullValue(name)
		run.sharesCat = name == catField && !hasNull
		// Event queries with a category are dispatched by it (below).
		run.catSure = run.sharesCat && q.kind == kindEvent && q.filter.category != "" && !q.filter.foldCategory
		cats, any := q.categories()
		if any {
			e.anyCat = append(e.anyCat, i)
		}
		for _, c := range cats {
			id, ok := catIndex[c]
			if !ok {
				id = len(e.catNames)
				catIndex[c] = id
				e.catNames = append(e.catNames, c)
				e.byCat = append(e.byCat, nil)
			}
			e.byCat[id] = append(e.byCat[id], i)
		}
		tsName := q.opts.Schema.resolve(q.opts.timestampField())
		gi, ok := tsIndex[tsName]
		if !ok {
			p := event.MustPath(tsName)
			gi = len(e.tsGroups)
			tsIndex[tsName] = gi
			e.tsGroups = append(e.tsGroups, tsGroup{path: p, hints: make([]uint16, p.Len())})
		}
		e.queryTS = append(e.queryTS, gi)
	}
	if len(e.catNames) > catScanMax {
		e.catIndex = catIndex
	}
	if index {
		e.indexQueries(queries, catIndex)
	}
	for _, r := range e.runs {
		// The engine hands these runs the category it looked up, and its
		// bits, with every event.
		if r.sharesCat {
			r.ctx.catBits = categoryBits(r.q, catIndex)
		}
	}
	if catField == "" {
		catField = "event.category"
	}
	e.catPath = event.MustPath(catField)
	e.catHints = make([]uint16, e.catPath.Len())
	return e
}

// indexQueries takes the queries it can index out of the dispatch lists,
// and indexes them by their gates (see buildIndexes): event queries with
// a gate, and sequences with a gate in every term. A sequence waiting on
// a trailing missing event is left out: it emits when later events show
// that time has passed, so it must see them all.
func (e *Engine) indexQueries(queries []*Query, catIndex map[string]int) {
	if len(e.tsGroups) > 64 {
		return // gatedTS holds a bit per timestamp field
	}
	var units []gateUnit
	cats := make([]uint64, len(queries))
	for i, q := range queries {
		if !e.runs[i].sharesCat || q.kind == kindSample || q.kind == kindSequence && len(q.seq.trailing) > 0 {
			continue
		}
		names, any := q.categories()
		cats[i] = ^uint64(0)
		if !any {
			cats[i] = 0
			for _, c := range names {
				cats[i] |= catBit(catIndex[c])
			}
			if bits.OnesCount64(cats[i]) != len(names) {
				continue // a category past the 64th has no bit
			}
		}
		filters := q.filterPlans()
		n := len(units)
		for _, f := range filters {
			if len(f.gates) == 0 {
				break
			}
			units = append(units, gateUnit{query: i, gates: f.gates})
		}
		if len(units)-n < len(filters) {
			units = units[:n]
		}
	}
	indexes, indexed := buildIndexes(units, cats)
	if len(indexes) == 0 {
		return
	}
	e.indexes, e.marks = indexes, make([]uint64, len(queries))
	// The indexes' fields are looked up together, each once (a field
	// compared both ways has two indexes).
	paths := make([]event.Path, len(indexes))
	for i, ix := range indexes {
		paths[i] = ix.path
	}
	e.lookups, e.found = event.NewPathSet(paths), make([]*event.Value, len(paths))
	e.gatedCats, e.gatedTS = cats, make([]uint64, len(e.catNames)+1)
	ungated := func(list []int) []int {
		var out []int
		for _, qi := range list {
			if !indexed[qi] {
				out = append(out, qi)
			}
		}
		return out
	}
	e.anyCat = ungated(e.anyCat)
	for id := range e.byCat {
		e.byCat[id] = ungated(e.byCat[id])
	}
	for qi, ok := range indexed {
		if !ok {
			continue
		}
		for id := -1; id < len(e.catNames); id++ {
			if e.gatedIn(qi, id) {
				e.gatedTS[id+1] |= 1 << e.queryTS[qi]
			}
		}
	}
}

// gatedIn reports whether gated query qi is dispatched with the queries
// of category number id (-1: with those of any category).
func (e *Engine) gatedIn(qi, id int) bool {
	if e.gatedCats[qi] == ^uint64(0) {
		return id < 0
	}
	return id >= 0 && e.gatedCats[qi]&catBit(id) != 0
}

// catScanMax is the most categories an Engine finds by scanning their
// names rather than by a map lookup.
const catScanMax = 8

// categoryBits returns the bit of each filter's category (by
// filterPlan.idx) among the numbered categories, 0 for a filter that has
// none: no category, a case-folded one, or one beyond the 64 bits.
func categoryBits(q *Query, catIndex map[string]int) []uint64 {
	bits := make([]uint64, q.filters)
	for _, f := range q.filterPlans() {
		if f.category == "" || f.foldCategory {
			continue
		}
		if id, ok := catIndex[f.category]; ok {
			bits[f.idx] = catBit(id)
		}
	}
	return bits
}

// catBit returns the bit of category number id, 0 past the 64th.
func catBit(id int) uint64 {
	if id >= 64 {
		return 0
	}
	return 1 << id
}

// catID returns the number of category s, or -1 if no query asks for it.
func (e *Engine) catID(s string) int {
	if e.catIndex != nil {
		if id, ok := e.catIndex[s]; ok {
			return id
		}
		return -1
	}
	for i, c := range e.catNames {
		if c == s {
			return i
		}
	}
	return -1
}

// filterPlans returns the filters of a query's terms.
func (q *Query) filterPlans() []*filterPlan {
	var filters []*filterPlan
	switch q.kind {
	case kindEvent:
		filters = append(filters, q.filter)
	case kindSequence:
		for _, s := range q.seq.stages {
			filters = append(filters, s.filter)
		}
		if q.seq.until != nil {
			filters = append(filters, q.seq.until.filter)
		}
	case kindSample:
		for _, s := range q.sample.terms {
			filters = append(filters, s.filter)
		}
	}
	return filters
}

// categories lists the event categories a query's terms ask for, and
// whether one of them is "any".
func (q *Query) categories() ([]string, bool) {
	filters := q.filterPlans()
	seen := map[string]bool{}
	var cats []string
	for _, f := range filters {
		if f.category == "" || f.foldCategory {
			return nil, true
		}
		if !seen[f.category] {
			seen[f.category] = true
			cats = append(cats, f.category)
		}
	}
	return cats, false
}

// FieldSet returns the set of fields that runs of queries read, with
// extra ones, for selective decoding (see event.Decoder.Select). When
// the queries share their category field, the set is narrowed by it (see
// event.FieldSet.Narrow): an event keeps the fields of the queries its
// categories concern, as an Engine dispatches it, and those of queries of
// any category, with extra in every case.
func FieldSet(queries []*Query, extra ...string) *event.FieldSet {
	fs := event.NewFieldSet(extra...)
	for _, q := range queries {
		for _, f := range q.Needs() {
			fs.Add(f)
		}
	}
	catField := ""
	for _, q := range queries {
		name := q.opts.Schema.resolve(q.opts.categoryField())
		if _, hasNull := q.opts.Schema.nullValue(name); hasNull || catField != "" && name != catField {
			// A null_value stands in for a missing category, which the
			// decoder would not see; several category fields would need
			// several narrowings.
			return fs
		}
		catField = name
	}
	if catField == "" {
		return fs
	}
	// Every case keeps extra and the fields that order and dispatch
	// events, whatever their category.
	common := append([]string{}, extra...)
	for _, q := range queries {
		common = append(common, q.opts.Schema.resolve(q.opts.timestampField()), catField)
		if q.opts.TiebreakerField != "" {
			common = append(common, q.opts.Schema.resolve(q.opts.TiebreakerField))
		}
	}
	cases := map[string]*event.FieldSet{}
	other := event.NewFieldSet(common...)
	var anyCat []*Query
	for _, q := range queries {
		cats, any := q.categories()
		if any {
			anyCat = append(anyCat, q)
			continue
		}
		for _, c := range cats {
			if cases[c] == nil {
				cases[c] = event.NewFieldSet(common...)
			}
			for _, f := range q.Needs() {
				cases[c].Add(f)
			}
		}
	}
	if len(cases) == 0 {
		return fs // every query takes events of any category
	}
	for _, q := range anyCat {
		for _, f := range q.Needs() {
			other.Add(f)
			for _, c := range cases {
				c.Add(f)
			}
		}
	}
	fs.Narrow(catField, cases, other)
	return fs
}

// SetTransient tells the engine that pushed events are only valid during
// the call to Push; see [Run.SetTransient].
func (e *Engine) SetTransient(t bool) { e.keep.transient = t }

// Push feeds one event to every query that can use it.
func (e *Engine) Push(ev *event.Event) {
	e.stats.Events++
	e.gen++
	e.keep.next()
	e.noTS = 0
	for i := range e.tsGroups {
		g := &e.tsGroups[i]
		g.ok = false
		if v := ev.Doc.RefHint(&g.path, g.hints); v != nil {
			g.ts, g.ok = g.cache.Time(v)
		}
		if !g.ok && i < 64 {
			e.noTS |= 1 << i
		}
	}
	// The category is read once here, for dispatch and for the runs'
	// filters, which get the bits of all the event's categories before
	// any run sees the event.
	cat := ev.Doc.RefHint(&e.catPath, e.catHints)
	ids := e.catIDs[:0] // the numbers of the event's categories
	if len(e.catNames) > 0 && cat != nil {
		if cat.Kind() == event.KindArray {
			for i, n := 0, cat.Len(); i < n; i++ {
				if s, ok := cat.Elem(i).Str(); ok {
					if id := e.catID(s); id >= 0 {
						ids = append(ids, id)
					}
				}
			}
		} else if s, ok := cat.Str(); ok {
			if id := e.catID(s); id >= 0 {
				ids = append(ids, id)
			}
		}
	}
	e.catIDs = ids
	e.catMask = 0
	for _, id := range ids {
		e.catMask |= catBit(id)
	}
	if e.indexes != nil {
		hits := e.hits[:0]
		e.lookups.Refs(&ev.Doc, e.found)
		for i, ix := range e.indexes {
			if v := e.found[i]; v != nil && (ix.anyCat || ix.cats&e.catMask != 0) {
				hits = ix.collect(v, hits, e.marks, e.gen)
			}
		}
		slices.Sort(hits)
		e.hits = hits
	}
	// Queries get the event in the order they had without indexes: those
	// of any category, then those of each of its categories, each group
	// by query number.
	missingTS := e.dispatch(e.anyCat, -1, ev, cat)
	for _, id := range ids {
		missingTS = e.dispatch(e.byCat[id], id, ev, cat) || missingTS
	}
	if missingTS {
		e.stats.NoTimestamp++
	}
}

// dispatch delivers the event to the queries of list and to the gated
// queries of category number id (-1: of any category) among e.hits, in
// the order of their numbers. It reports whether the event lacked the
// timestamp of one of them.
func (e *Engine) dispatch(list []int, id int, ev *event.Event, cat *event.Value) bool {
	// The gated queries the event does not reach would have counted it
	// too.
	missingTS := e.gatedTS != nil && e.gatedTS[id+1]&e.noTS != 0
	hits := e.hits
	for _, qi := range list {
		for len(hits) > 0 && hits[0] < qi {
			if e.gatedIn(hits[0], id) {
				missingTS = !e.deliver(hits[0], ev, cat) || missingTS
			}
			hits = hits[1:]
		}
		missingTS = !e.deliver(qi, ev, cat) || missingTS
	}
	for _, qi := range hits {
		if e.gatedIn(qi, id) {
			missingTS = !e.deliver(qi, ev, cat) || missingTS
		}
	}
	return missingTS
}

// deliver pushes ev to query qi, once per push. It reports false when the
// event lacks the query's timestamp.
func (e *Engine) deliver(qi int, ev *event.Event, cat *event.Value) bool {
	if e.seen[qi] == e.gen {
		return true
	}
	e.seen[qi] = e.gen
	g := &e.tsGroups[e.queryTS[qi]]
	if !g.ok {
		return false
	}
	r := e.runs[qi]
	if r.sharesCat {
		r.pushAt(ev, g.ts, cat, true, e.catMask)
	} else {
		r.pushAt(ev, g.ts, nil, false, 0)
	}
	return true
}

// Close flushes every run.
func (e *Engine) Close() {
	for _, r := range e.runs {
		r.Close()
	}
}

// Stats returns the engine's counters.
func (e *Engine) Stats() EngineStats { return e.stats }

// RunStats returns the counters of query i.
func (e *Engine) RunStats(i int) RunStats { return e.runs[i].Stats() }

// Done reports whether every query has reached its head limit.
func (e *Engine) Done() bool {
	for _, r := range e.runs {
		if !r.Done() {
			return false
		}
	}
	return true
}
