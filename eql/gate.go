package eql

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/event"
)

// A gate is a condition an event must meet for a filter to match: one of
// the values of a field is one of a few strings. Any conjunct of a where
// clause that compares a field with string literals for equality is one:
// field == "a", field in ("a", "b"), field in~ (...), and field : "a",
// like and like~ with patterns free of wildcards. With fold, the strings
// are in lower case and an event's value is compared in lower case; they
// are then ASCII, so that lower-casing an ASCII value compares it exactly
// as the filter does.
//
// An Engine with many event queries indexes each by one of its gates (see
// valueIndex), and hands an event only to the queries whose gate its
// values may pass, instead of running every filter of its category.
type gate struct {
	field  string // resolved name
	path   event.Path
	fold   bool
	values []string
}

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
		if g, ok := c.gate(x); ok {
			out = append(out, anyGate{g})
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

// gate returns the gate of one conjunct, if it is one.
func (c *compiler) gate(x Expr) (gate, bool) {
	var (
		f    *Field
		fold bool
		lits []*Literal
	)
	switch x := x.(type) {
	case *Binary:
		if x.Op != EQ {
			return gate{}, false
		}
		var k Expr
		var ok bool
		if f, k, ok = fieldAndConst(x.X, x.Y); !ok {
			if f, k, ok = fieldAndConst(x.Y, x.X); !ok {
				return gate{}, false
			}
		}
		lit, ok := unparen(k).(*Literal)
		if !ok {
			return gate{}, false
		}
		lits = []*Literal{lit}
	case *In:
		var ok bool
		if f, ok = unparen(x.X).(*Field); !ok || x.Not {
			return gate{}, false
		}
		fold = x.Insensitive
		for _, e := range x.List {
			lit, ok := unparen(e).(*Literal)
			if !ok {
				return gate{}, false
			}
			lits = append(lits, lit)
		}
	case *Match:
		var ok bool
		if f, ok = unparen(x.X).(*Field); !ok {
			return gate{}, false
		}
		switch x.Op {
		case SEQ, LIKE_I:
			fold = true
		case LIKE:
		default:
			return gate{}, false
		}
		for _, p := range x.Patterns {
			if strings.ContainsAny(p.Str, "*?") {
				return gate{}, false
			}
		}
		lits = x.Patterns
	default:
		return gate{}, false
	}
	// The field must be read as the filter reads it, and compared as a
	// string: no null_value, no [N] index, no type that compares
	// otherwise.
	name := c.opts.Schema.resolve(f.Name)
	if len(f.Index) > 0 || name == c.opts.timestampField() {
		return gate{}, false
	}
	if _, ok := c.opts.Schema.nullValue(name); ok {
		return gate{}, false
	}
	if t, _ := c.opts.Schema.typeOf(name); t != TypeUnknown && t != TypeKeyword && t != TypeText {
		return gate{}, false
	}
	p, err := event.ParsePath(name)
	if err != nil {
		return gate{}, false
	}
	g := gate{field: name, path: p, fold: fold}
	for _, lit := range lits {
		if lit.Kind != LitString {
			return gate{}, false
		}
		s := lit.Str
		if fold {
			if s = foldString(s); !isASCII(s) {
				return gate{}, false
			}
		}
		g.values = append(g.values, s)
	}
	return g, true
}

// valueIndex finds the queries whose gate on one field (compared folded
// or not) an event's values may pass.
type valueIndex struct {
	field   string
	path    event.Path
	hints   []uint16
	fold    bool
	cats    uint64           // the category bits of its queries
	anyCat  bool             // it holds a query of any category
	byValue map[string][]int // value -> queries, ascending
	maxLen  int              // the length of the longest value
	all     []int            // every query of the index, ascending
	buf     []byte           // a value in lower case, at most maxLen bytes
}

// collect appends to hits the queries of the index that the event's value
// of the field may let through, once each (marking them in mark with
// gen). A string (or array element) that is a key lets its queries
// through; any other value but null lets every query of the index
// through, for the filters to decide; a missing field or null lets none.
func (ix *valueIndex) collect(doc *event.Value, hits []int, mark []uint64, gen uint64) []int {
	v := doc.RefHint(&ix.path, ix.hints)
	if v == nil {
		return hits
	}
	if v.Kind() != event.KindArray {
		return ix.collectOne(v, hits, mark, gen)
	}
	for i, n := 0, v.Len(); i < n; i++ {
		hits = ix.collectOne(v.Elem(i), hits, mark, gen)
	}
	return hits
}

func (ix *valueIndex) collectOne(v *event.Value, hits []int, mark []uint64, gen uint64) []int {
	var qs []int
	if s, ok := v.Str(); !ok {
		if v.IsNull() {
			return hits
		}
		qs = ix.all
	} else if !ix.fold {
		qs = ix.byValue[s]
	} else if len(s) > ix.maxLen {
		if !isASCII(s) {
			qs = ix.all // it may fold to a shorter value
		}
	} else if low, ok := ix.lower(s); ok {
		qs = ix.byValue[string(low)]
	} else {
		qs = ix.all // not ASCII: the filters fold it their way
	}
	for _, qi := range qs {
		if mark[qi] != gen {
			mark[qi] = gen
			hits = append(hits, qi)
		}
	}
	return hits
}

// lower returns s in lower case, in ix.buf, or false if s is not ASCII.
func (ix *valueIndex) lower(s string) ([]byte, bool) {
	if cap(ix.buf) < len(s) {
		ix.buf = make([]byte, len(s))
	}
	b := ix.buf[:len(s)]
	var high byte
	for i := range b {
		c := s[i]
		high |= c
		b[i] = lowerASCII(c)
	}
	return b, high < utf8.RuneSelf
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
		value string
	}
	seen := map[valueKey]bool{}
	distinct := map[key]int{}
	for _, u := range units {
		for _, ag := range u.gates {
			for _, g := range ag {
				for _, v := range g.values {
					if vk := (valueKey{key{g.field, g.fold}, v}); !seen[vk] {
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
				ix = &valueIndex{field: g.field, path: g.path, hints: make([]uint16, g.path.Len()), fold: g.fold, byValue: map[string][]int{}}
				byKey[key{g.field, g.fold}] = ix
				indexes = append(indexes, ix)
			}
			for _, v := range g.values {
				if qs := ix.byValue[v]; len(qs) == 0 || qs[len(qs)-1] != qi {
					ix.byValue[v] = append(qs, qi)
				}
				ix.maxLen = max(ix.maxLen, len(v))
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
