package eql

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// A gate is a condition an event must meet for a filter to match: one of
// the values of a field is one of a few strings, or starts or ends with
// one. Any conjunct of a where clause that compares a field with string
// literals for equality is one: field == "a", field in ("a", "b"), field
// in~ (...), and field : "a", like and like~ with patterns free of
// wildcards. A pattern with wildcards gives a gate on the text before its
// first wildcard, if that is at least affixLen bytes long, or else on the
// text after its last one; the gate keeps the first (or last) affixLen
// bytes of that text. With fold, the strings are in lower case and an
// event's value is compared in lower case; they are then ASCII, so that
// lower-casing an ASCII value compares it exactly as the filter does.
//
// An Engine with many event queries indexes each by one of its gates (see
// valueIndex), and hands an event only to the queries whose gate its
// values may pass, instead of running every filter of its category.
type gate struct {
	field  string // resolved name
	path   event.Path
	fold   bool
	kind   gateKind
	values []string
}

// gateKind says how a gate's strings are compared with a value.
type gateKind uint8

const (
	gateEqual  gateKind = iota // the value is one of them
	gatePrefix                 // the value starts with one of them
	gateSuffix                 // the value ends with one of them
)

// affixLen is the length of the strings of prefix and suffix gates.
const affixLen = 3

// anyGate is a condition an event must meet for a filter to match: to
// pass one of some gates. A conjunct that is a gate is one of one; a
// conjunct that is a disjunction is one when each of its terms has a
// gate, as (process.name : "a" or file.name : "b") has.
type anyGate []gate

// gates returns what an event must meet for a where clause to hold: one
// anyGate per conjunct, through and and parentheses, that is or has one.
func (c *compiler) gates(x Expr) []anyGate {
	if c.opts.Endgame {
		return nil // == folds case and takes wildcards there
	}
	var out []anyGate
	var walk func(x Expr)
	walk = func(x Expr) {
		x = unparen(x)
		if b, ok := x.(*Binary); ok && b.Op == AND {
			walk(b.X)
			walk(b.Y)
			return
		}
		if g, ok := c.leafGate(x); ok {
			out = append(out, g)
		} else if g, ok := c.orGate(x); ok {
			out = append(out, g)
		}
	}
	walk(x)
	return out
}

// orGate returns the anyGate of a disjunction: for each of its terms,
// the best of the term's own (see better), since an event that passes
// none of them matches no term.
func (c *compiler) orGate(x Expr) (anyGate, bool) {
	b, ok := x.(*Binary)
	if !ok || b.Op != OR {
		return nil, false
	}
	var out anyGate
	for _, term := range []Expr{b.X, b.Y} {
		term = unparen(term)
		var best anyGate
		if t, ok := term.(*Binary); ok && t.Op == OR {
			if best, ok = c.orGate(t); !ok {
				return nil, false
			}
		} else {
			for _, g := range c.gates(term) {
				if best == nil || better(g, best) {
					best = g
				}
			}
			if best == nil {
				return nil, false
			}
		}
		out = append(out, best...)
	}
	return out, true
}

// better reports whether a lets fewer events through than b seems to,
// judging by the gates alone: less weight on fields of few values (see
// fewValues), then fewer values to pass.
func better(a, b anyGate) bool {
	low := func(g anyGate) (weight float64, values int) {
		for _, x := range g {
			weight += fewValues[x.field]
			values += len(x.values)
		}
		return weight, values
	}
	an, av := low(a)
	bn, bv := low(b)
	return an < bn || an == bn && av < bv
}

// leafGate returns the gates of one conjunct that compares a field with
// literals, if it is one: a single gate, or for a match with patterns of
// several kinds one gate per kind, any of which an event must pass.
func (c *compiler) leafGate(x Expr) (anyGate, bool) {
	var (
		f        *Field
		fold     bool
		lits     []*Literal
		patterns bool
	)
	switch x := x.(type) {
	case *Binary:
		if x.Op != EQ {
			return nil, false
		}
		var k Expr
		var ok bool
		if f, k, ok = fieldAndConst(x.X, x.Y); !ok {
			if f, k, ok = fieldAndConst(x.Y, x.X); !ok {
				return nil, false
			}
		}
		lit, ok := unparen(k).(*Literal)
		if !ok {
			return nil, false
		}
		lits = []*Literal{lit}
	case *In:
		var ok bool
		if f, ok = unparen(x.X).(*Field); !ok || x.Not {
			return nil, false
		}
		fold = x.Insensitive
		for _, e := range x.List {
			lit, ok := unparen(e).(*Literal)
			if !ok {
				return nil, false
			}
			lits = append(lits, lit)
		}
	case *Match:
		var ok bool
		if f, ok = unparen(x.X).(*Field); !ok {
			return nil, false
		}
		switch x.Op {
		case SEQ, LIKE_I:
			fold = true
		case LIKE:
		default:
			return nil, false
		}
		lits, patterns = x.Patterns, true
	default:
		return nil, false
	}
	// The field must be read as the filter reads it, and compared as a
	// string: no null_value, no [N] index, no type that compares
	// otherwise.
	name := c.opts.Schema.resolve(f.Name)
	if len(f.Index) > 0 || name == c.opts.timestampField() {
		return nil, false
	}
	if _, ok := c.opts.Schema.nullValue(name); ok {
		return nil, false
	}
	if t, _ := c.opts.Schema.typeOf(name); t != TypeUnknown && t != TypeKeyword && t != TypeText {
		return nil, false
	}
	p, err := event.ParsePath(name)
	if err != nil {
		return nil, false
	}
	var byKind [3]gate
	type kindValue struct {
		kind gateKind
		s    string
	}
	var seen map[kindValue]bool // for long lists, which Contains would make quadratic
	if len(lits) > 16 {
		seen = make(map[kindValue]bool, len(lits))
	}
	for _, lit := range lits {
		if lit.Kind != LitString {
			return nil, false
		}
		s, kind := lit.Str, gateEqual
		if fold {
			s = foldString(s)
		}
		if i := strings.IndexAny(s, "*?"); patterns && i >= 0 {
			// '*' and '?' are wildcards, with or without fold.
			if i >= affixLen {
				s, kind = s[:affixLen], gatePrefix
			} else if j := strings.LastIndexAny(s, "*?"); len(s)-j-1 >= affixLen {
				s, kind = s[len(s)-affixLen:], gateSuffix
			} else {
				return nil, false
			}
		}
		if fold && !isASCII(s) {
			return nil, false
		}
		g := &byKind[kind]
		if seen != nil {
			if k := (kindValue{kind, s}); !seen[k] {
				seen[k] = true
				g.values = append(g.values, s)
			}
		} else if !slices.Contains(g.values, s) {
			g.values = append(g.values, s)
		}
	}
	var out anyGate
	for kind, g := range byKind {
		if len(g.values) > 0 {
			out = append(out, gate{field: name, path: p, fold: fold, kind: gateKind(kind), values: g.values})
		}
	}
	return out, len(out) > 0
}

// valueIndex finds the queries whose gates on one field (compared folded
// or not) an event's values may pass.
type valueIndex struct {
	field  string
	path   event.Path
	fold   bool
	cats   uint64              // the category bits of its queries
	anyCat bool                // it holds a query of any category
	by     [3]map[string][]int // per gateKind: string -> queries, ascending
	maxLen int                 // the length of the longest string of gateEqual
	all    []int               // every query of the index, ascending
	buf    []byte              // a value in lower case, at most maxLen bytes
}

// collect appends to hits the queries of the index that v, the event's
// value of the field, may let through, once each (marking them in mark
// with gen). A string (or array element) lets through the queries of the
// gates it passes; any other value but null lets every query of the
// index through, for the filters to decide, and so does a string that is
// not ASCII when the index folds case; null lets none, and so does a
// missing field, which the caller does not look up.
func (ix *valueIndex) collect(v *event.Value, hits []int, mark []uint64, gen uint64) []int {
	if v.Kind() != event.KindArray {
		return ix.collectOne(v, hits, mark, gen)
	}
	for i, n := 0, v.Len(); i < n; i++ {
		hits = ix.collectOne(v.Elem(i), hits, mark, gen)
	}
	return hits
}

func (ix *valueIndex) collectOne(v *event.Value, hits []int, mark []uint64, gen uint64) []int {
	s, ok := v.Str()
	switch {
	case !ok && v.IsNull():
		return hits
	case !ok || ix.fold && !isASCII(s):
		// The filters fold non-ASCII text their own way.
		return mark1(ix.all, hits, mark, gen)
	}
	if m := ix.by[gateEqual]; m != nil && len(s) <= ix.maxLen {
		hits = mark1(ix.lookup(m, s), hits, mark, gen)
	}
	if len(s) >= affixLen {
		if m := ix.by[gatePrefix]; m != nil {
			hits = mark1(ix.lookup(m, s[:affixLen]), hits, mark, gen)
		}
		if m := ix.by[gateSuffix]; m != nil {
			hits = mark1(ix.lookup(m, s[len(s)-affixLen:]), hits, mark, gen)
		}
	}
	return hits
}

// mark1 appends to hits the queries of qs not marked with gen yet, and
// marks them.
func mark1(qs, hits []int, mark []uint64, gen uint64) []int {
	for _, qi := range qs {
		if mark[qi] != gen {
			mark[qi] = gen
			hits = append(hits, qi)
		}
	}
	return hits
}

// lookup returns the queries m holds for s, in lower case when the index
// folds case (s is ASCII then).
func (ix *valueIndex) lookup(m map[string][]int, s string) []int {
	if !ix.fold {
		return m[s]
	}
	if cap(ix.buf) < len(s) {
		ix.buf = make([]byte, len(s))
	}
	b := ix.buf[:len(s)]
	for i := range b {
		b[i] = lowerASCII(s[i])
	}
	return m[string(b)]
}

// fewValues weighs down gates on fields of few values, so that they are
// taken only when a query has no other: ECS gives them a handful of
// values, so most events pass them. Those that are the same for every
// event of a host, or of a whole fleet, weigh most.
var fewValues = map[string]float64{
	"event.kind": 2, "host.os.type": 2, "host.os.family": 2, "host.os.platform": 2, "host.os.name": 2,
	"agent.type": 2, "data_stream.namespace": 2, "data_stream.type": 2,
	"event.category": 1, "event.type": 1, "event.outcome": 1, "event.action": 1, "event.module": 1,
	"event.dataset": 1, "event.provider": 1, "data_stream.dataset": 1,
	"network.direction": 1, "network.transport": 1, "network.type": 1, "network.protocol": 1,
}

// minIndexed is the fewest gates an index is kept for without question:
// with one, its lookup costs about what running the query's filter does.
const minIndexed = 2

// A gateUnit is a filter of a query with what its events must meet: an
// event query has one, a sequence one per term.
type gateUnit struct {
	query int
	gates []anyGate
}

// buildIndexes picks an anyGate for each unit, and returns the indexes
// that hold their gates, one per field and way of comparing, and which
// queries they hold: a query whose every unit has all the gates of its
// anyGate in them. cats[q] holds the category bits of query q, all of
// them for a query of any category: an index is looked up only for
// events of the categories of its queries, and for every event when it
// holds a query of any category.
//
// A unit's anyGate is the one likeliest to turn events away, with no data
// to judge by: a gate's chance to let an event through is taken as the
// share its values are of those the queries compare its field with (at
// least 8 of them are assumed), plus the weight of a field of few values
// (fewValues), and an anyGate's as the sum of its gates'. A unit whose
// anyGate has a gate in an index of fewer than minIndexed gates takes
// its best anyGate among the other indexes instead, if that one is
// selective (its chance under 1); a unit whose anyGate is not selective
// then takes none.
func buildIndexes(units []gateUnit, cats []uint64) (indexes []*valueIndex, indexed []bool) {
	type key struct {
		field string
		fold  bool
	}
	type valueKey struct {
		key
		kind  gateKind
		value string
	}
	seen := map[valueKey]bool{}
	distinct := map[key]int{}
	for _, u := range units {
		for _, ag := range u.gates {
			for _, g := range ag {
				for _, v := range g.values {
					if vk := (valueKey{key{g.field, g.fold}, g.kind, v}); !seen[vk] {
						seen[vk] = true
						distinct[vk.key]++
					}
				}
			}
		}
	}
	score := func(ag anyGate) float64 {
		s := 0.0
		for _, g := range ag {
			s += float64(len(g.values))/float64(max(distinct[key{g.field, g.fold}], 8)) + fewValues[g.field]
			if g.kind == gateSuffix {
				s += 0.5 // file extensions: many values end alike
			}
		}
		return s
	}
	// pick returns the index of unit u's best anyGate among those whose
	// every gate ok allows, -1 for none.
	pick := func(u gateUnit, ok func(g gate) bool) int {
		best, bestScore := -1, 0.0
		for gi, ag := range u.gates {
			if sc := score(ag); !slices.ContainsFunc(ag, func(g gate) bool { return !ok(g) }) && (best < 0 || sc < bestScore) {
				best, bestScore = gi, sc
			}
		}
		return best
	}
	picked := make([]int, len(units))
	count := map[key]int{}
	for ui, u := range units {
		if picked[ui] = pick(u, func(gate) bool { return true }); picked[ui] >= 0 {
			for _, g := range u.gates[picked[ui]] {
				count[key{g.field, g.fold}]++
			}
		}
	}
	big := func(g gate) bool { return count[key{g.field, g.fold}] >= minIndexed }
	indexed = make([]bool, len(cats))
	for ui, u := range units {
		indexed[u.query] = true
		if gi := picked[ui]; gi >= 0 && slices.ContainsFunc(u.gates[gi], func(g gate) bool { return !big(g) }) {
			// A selective anyGate stays where it is unless another is
			// about as selective.
			if alt := pick(u, big); alt >= 0 && score(u.gates[alt]) < 1 || score(u.gates[gi]) >= 1 {
				picked[ui] = alt
			}
		}
	}
	for ui, u := range units {
		if picked[ui] < 0 {
			indexed[u.query] = false // the query's other units are no use
		}
	}
	byKey := map[key]*valueIndex{}
	for ui, u := range units {
		qi := u.query
		if !indexed[qi] {
			continue
		}
		for _, g := range u.gates[picked[ui]] {
			ix := byKey[key{g.field, g.fold}]
			if ix == nil {
				ix = &valueIndex{field: g.field, path: g.path, fold: g.fold}
				byKey[key{g.field, g.fold}] = ix
				indexes = append(indexes, ix)
			}
			m := ix.by[g.kind]
			if m == nil {
				m = map[string][]int{}
				ix.by[g.kind] = m
			}
			for _, v := range g.values {
				if qs := m[v]; len(qs) == 0 || qs[len(qs)-1] != qi {
					m[v] = append(qs, qi)
				}
				if g.kind == gateEqual {
					ix.maxLen = max(ix.maxLen, len(v))
				}
			}
			if len(ix.all) == 0 || ix.all[len(ix.all)-1] != qi {
				ix.all = append(ix.all, qi)
			}
			ix.cats |= cats[qi]
			ix.anyCat = ix.anyCat || cats[qi] == ^uint64(0)
		}
	}
	slices.SortFunc(indexes, func(a, b *valueIndex) int {
		return cmp.Or(strings.Compare(a.field, b.field), cmp.Compare(b2i(a.fold), b2i(b.fold)))
	})
	return indexes, indexed
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
