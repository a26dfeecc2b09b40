package eql

import (
	"sync"

	"github.com/vigil-sec/vigil/event"
)

// Check is the outcome of one condition of a term against an event.
type Check struct {
	Text   string       // the condition as EQL, e.g. process.name : "dllhost.exe"
	Pass   bool         // whether it holds for the event
	Fields []FieldValue // the fields it reads and their values in the event
}

// FieldValue is a field and its value in an event (Missing if absent).
type FieldValue struct {
	Name  string
	Value event.Value
}

// TermExplanation says how one term of a query (the where clause of an
// event query, or one bracketed term of a sequence or sample) fares
// against an event.
type TermExplanation struct {
	Term       int    // index of the term (0 for an event query)
	Missing    bool   // the term is a missing event ![...]
	Until      bool   // the term is the until clause
	Category   string // the category the term asks for ("" for any)
	CategoryOK bool   // whether the event has that category
	Matched    bool   // whether the whole term matches the event
	Checks     []Check
}

// Score rates how close the event comes to matching the term: 1 when it
// matches; otherwise the share of passing checks, halved when even the
// category is wrong. It orders candidate events for near-miss reports.
func (t *TermExplanation) Score() float64 {
	if t.Matched {
		return 1
	}
	if len(t.Checks) == 0 {
		if t.CategoryOK {
			return 0.5
		}
		return 0
	}
	pass := 0
	for _, c := range t.Checks {
		if c.Pass {
			pass++
		}
	}
	s := float64(pass) / float64(len(t.Checks))
	if !t.CategoryOK {
		s /= 2
	}
	return s * 0.99
}

// explainer holds the per-term leaves of a query, compiled on first use.
type explainer struct {
	once  sync.Once
	terms []explainTerm
}

type explainTerm struct {
	missing, until bool
	filter         *filterPlan
	leaves         []explainLeaf
}

type explainLeaf struct {
	text   string
	pred   pred
	fields []*fieldRef
}

// Explain evaluates each term of the query against one event and each
// condition of the term separately, so that a person can see why an event
// did or did not match: the near-miss report of `vigil test`.
func (q *Query) Explain(ev *event.Event) []TermExplanation {
	q.explain.once.Do(q.buildExplainer)
	ctx := &evalCtx{doc: &ev.Doc}
	out := make([]TermExplanation, 0, len(q.explain.terms))
	for i, t := range q.explain.terms {
		te := TermExplanation{Term: i, Missing: t.missing, Until: t.until, Category: t.filter.category}
		te.CategoryOK = t.filter.catField == nil || anyValue(t.filter.catField.ref(ctx), t.filter)
		ctx.catDone = false
		te.Matched = t.filter.match(ctx)
		for _, l := range t.leaves {
			c := Check{Text: l.text, Pass: l.pred(ctx)}
			for _, f := range l.fields {
				c.Fields = append(c.Fields, FieldValue{Name: f.name, Value: f.get(ctx)})
			}
			te.Checks = append(te.Checks, c)
		}
		out = append(out, te)
	}
	return out
}

func (q *Query) buildExplainer() {
	var terms []*Term
	var events []*EventQuery
	switch n := q.stmt.Query.(type) {
	case *EventQuery:
		events = append(events, n)
	case *Sequence:
		for _, t := range n.Terms {
			for i := 0; i < max(t.Runs, 1); i++ {
				terms = append(terms, t)
			}
		}
		if n.Until != nil {
			terms = append(terms, n.Until)
		}
	case *Sample:
		terms = n.Terms
	}
	for _, t := range terms {
		events = append(events, t.Query)
	}
	var plans []*filterPlan
	switch q.kind {
	case kindEvent:
		plans = []*filterPlan{q.filter}
	case kindSequence:
		for _, s := range q.seq.stages {
			plans = append(plans, s.filter)
		}
		if q.seq.until != nil {
			plans = append(plans, q.seq.until.filter)
		}
	case kindSample:
		for _, s := range q.sample.terms {
			plans = append(plans, s.filter)
		}
	}
	c := &compiler{opts: &q.opts, errs: errs{src: q.src}, fields: map[string]bool{}, ids: map[string]int{}}
	for i, eq := range events {
		et := explainTerm{filter: plans[i]}
		if i < len(terms) {
			et.missing = terms[i].Missing
			et.until = q.kind == kindSequence && q.stmt.Query.(*Sequence).Until == terms[i]
		}
		for _, leaf := range leavesOf(c.nullUnmapped(eq.Where), false) {
			l := explainLeaf{text: ExprString(leaf)}
			func() {
				defer func() {
					if r := recover(); r != nil {
						if _, ok := r.(bailout); !ok {
							panic(r)
						}
						l.pred = func(*evalCtx) bool { return false }
					}
				}()
				l.pred = c.pred(leaf)
				for _, f := range fieldsOf(leaf) {
					l.fields = append(l.fields, c.field(f, false))
				}
			}()
			et.leaves = append(et.leaves, l)
		}
		q.explain.terms = append(q.explain.terms, et)
	}
}

// leavesOf splits a condition at and / or into its leaves; a negated
// and/or is split too, each leaf keeping the negation.
func leavesOf(x Expr, negate bool) []Expr {
	switch n := x.(type) {
	case *Paren:
		return leavesOf(n.X, negate)
	case *Binary:
		if n.Op == AND || n.Op == OR {
			return append(leavesOf(n.X, negate), leavesOf(n.Y, negate)...)
		}
	case *Unary:
		if n.Op == NOT {
			return leavesOf(n.X, !negate)
		}
	case *Literal:
		if n.Kind == LitBool {
			return nil // "where true" has nothing to explain
		}
	}
	if negate {
		return []Expr{&Unary{OpPos: x.Pos(), Op: NOT, X: x}}
	}
	return []Expr{x}
}

// fieldsOf lists the fields an expression reads, each once.
func fieldsOf(x Expr) []*Field {
	var out []*Field
	seen := map[string]bool{}
	Inspect(x, func(x Expr) bool {
		if f, ok := x.(*Field); ok && !seen[f.Name] && len(f.Index) == 0 {
			seen[f.Name] = true
			out = append(out, f)
		}
		return true
	})
	return out
}
