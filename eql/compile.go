package eql

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/event"

	"github.com/vigil-sec/vigil/internal/suggest"
)

// DefaultMaxPartials is the default cap on live partial sequences per
// query; when it is exceeded the oldest partial is dropped and counted.
const DefaultMaxPartials = 100_000

// Options configure how a query is compiled and run. The zero value gives
// Elasticsearch's defaults.
type Options struct {
	TimestampField  string  // default "@timestamp"
	TiebreakerField string  // optional field that orders events with equal timestamps
	CategoryField   string  // default "event.category"
	Schema          *Schema // field types, aliases and null values; nil for dynamic typing
	// Extensions allows the hunting pipes of the original EQL (count,
	// unique, unique_count, filter, sort), which Elasticsearch lacks.
	Extensions bool
	// Endgame applies the original EQL's default semantics, for hunts
	// written in that dialect: string comparisons, in, the string functions,
	// join keys and the hunting pipes fold case, and a * in the literal of
	// == or != is a wildcard. Syntax stays Elasticsearch's.
	Endgame bool
	// MaxPartials caps live partial sequences (DefaultMaxPartials if 0).
	MaxPartials int
	// Size caps the number of results as Elasticsearch's size parameter
	// does when no head or tail pipe is given; 0 means no cap.
	Size int
	// Catalog, when set, lists the known fields: a field it does not know
	// (and that is not written ?optional) gets a warning with the nearest
	// known name, or an error with StrictFields.
	Catalog      *Catalog
	StrictFields bool
}

func (o *Options) timestampField() string {
	if o.TimestampField == "" {
		return "@timestamp"
	}
	return o.TimestampField
}

func (o *Options) categoryField() string {
	if o.CategoryField == "" {
		return "event.category"
	}
	return o.CategoryField
}

func (o *Options) maxPartials() int {
	if o.MaxPartials <= 0 {
		return DefaultMaxPartials
	}
	return o.MaxPartials
}

// Query is a compiled EQL statement, ready to run over events. It is
// immutable and may be shared; each run keeps its own state (see
// [Query.NewRun]).
type Query struct {
	src      string
	stmt     *Statement
	opts     Options
	kind     queryKind
	filter   *filterPlan   // event query
	seq      *sequencePlan // sequence
	sample   *samplePlan   // sample
	pipes    []*pipePlan
	fields   []string
	depths   []int // path length of each field id, to size lookup hints
	filters  int   // number of filterPlans, numbered by filterPlan.idx
	warnings ErrorList
	explain  explainer // per-condition evaluation for near-miss reports
}

type queryKind uint8

const (
	kindEvent queryKind = iota
	kindSequence
	kindSample
)

// Source returns the query text.
func (q *Query) Source() string { return q.src }

// Statement returns the parsed statement.
func (q *Query) Statement() *Statement { return q.stmt }

// Fields returns the document fields the query reads, sorted.
func (q *Query) Fields() []string { return q.fields }

// Warnings returns the non-fatal findings of compilation, such as the use
// of an extension pipe.
func (q *Query) Warnings() ErrorList { return q.warnings }

// IsSequence reports whether the query is a sequence.
func (q *Query) IsSequence() bool { return q.kind == kindSequence }

// Compile parses and compiles an EQL statement. Errors come as an
// [ErrorList] with line, column and hints.
func Compile(src string, opts Options) (*Query, error) {
	stmt, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return CompileStatement(src, stmt, opts)
}

// MustCompile is Compile for queries known to be valid; it panics otherwise.
func MustCompile(src string, opts Options) *Query {
	q, err := Compile(src, opts)
	if err != nil {
		panic(err)
	}
	return q
}

// CompileStatement compiles an already parsed statement; src is its text.
func CompileStatement(src string, stmt *Statement, opts Options) (*Query, error) {
	c := &compiler{opts: &opts, errs: errs{src: src}, fields: map[string]bool{}, ids: map[string]int{}}
	q := &Query{src: src, stmt: stmt, opts: opts}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		c.compileQuery(q)
	}()
	if c.errs.hasErrors() {
		return nil, c.errs.sorted()
	}
	q.warnings = c.errs.sorted()
	q.depths = c.depths
	q.filters = c.filters
	for f := range c.fields {
		q.fields = append(q.fields, f)
	}
	sort.Strings(q.fields)
	return q, nil
}

type compiler struct {
	opts    *Options
	errs    errs
	fields  map[string]bool
	inPipe  bool                 // compiling a pipe argument: events[N].field allowed
	refs    map[string]*fieldRef // one shared ref per field, for multi-value binding
	ids     map[string]int       // field name -> id
	checked map[string]bool      // fields already looked up in the catalog
	depths  []int                // path length per field id
	filters int                  // filterPlans compiled so far
}

func (c *compiler) compileQuery(q *Query) {
	switch qq := q.stmt.Query.(type) {
	case *EventQuery:
		q.kind = kindEvent
		q.filter = c.compileFilter(qq)
	case *Sequence:
		q.kind = kindSequence
		q.seq = c.compileSequence(qq)
	case *Sample:
		q.kind = kindSample
		q.sample = c.compileSample(qq)
	case *Join:
		c.errs.errorf(qq, "use a sequence: sequence by <key> [ ... ] [ ... ]", "join is not supported by Elasticsearch EQL")
	}
	q.pipes = c.compilePipes(q)
}

// ---------------------------------------------------------------------------
// Event filters

// filterPlan is a compiled "category where condition".
type filterPlan struct {
	category string // "" for any
	catField *fieldRef
	cond     pred
	always   bool // the condition is the constant true
	// foldCategory compares the category case-insensitively (Endgame).
	foldCategory bool
	// idx numbers the filter within its query, for the category bits
	// of a run (see evalCtx.catBits).
	idx int
	// gates are conditions an event must meet to match (see anyGate).
	gates []anyGate
}

func (c *compiler) compileFilter(q *EventQuery) *filterPlan {
	f := &filterPlan{category: q.Category, idx: c.filters}
	c.filters++
	if q.Category != "" {
		f.catField = c.field(&Field{From: q.CatPos, To: q.CatPos, Name: c.opts.categoryField()}, false)
		if c.opts.Endgame {
			f.category, f.foldCategory = foldString(q.Category), true
		}
	}
	where := c.nullUnmapped(q.Where)
	if lit, ok := unparen(where).(*Literal); ok && lit.Kind == LitBool && lit.Bool {
		f.always = true
	}
	f.cond = c.pred(where)
	f.gates = c.gates(where)
	return f
}

// unmapped reports whether f is an optional field that the schema does
// not know: Elasticsearch reads such a field as the constant null.
func (c *compiler) unmapped(f *Field) bool {
	s := c.opts.Schema
	if !f.Optional || s == nil || len(f.Index) > 0 {
		return false
	}
	name := s.resolve(f.Name)
	if _, ok := s.Types[name]; ok {
		return false
	}
	prefix := name + "."
	for n := range s.Types {
		if strings.HasPrefix(n, prefix) {
			return false
		}
	}
	return true
}

// nullUnmapped replaces unmapped optional fields with null literals.
func (c *compiler) nullUnmapped(x Expr) Expr {
	switch x := x.(type) {
	case *Field:
		if c.unmapped(x) {
			return &Literal{From: x.From, To: x.To, Kind: LitNull}
		}
	case *Paren:
		return &Paren{Lparen: x.Lparen, Rparen: x.Rparen, X: c.nullUnmapped(x.X)}
	case *Unary:
		return &Unary{OpPos: x.OpPos, Op: x.Op, X: c.nullUnmapped(x.X)}
	case *Binary:
		return &Binary{X: c.nullUnmapped(x.X), OpPos: x.OpPos, Op: x.Op, Y: c.nullUnmapped(x.Y)}
	case *In:
		list := make([]Expr, len(x.List))
		for i, e := range x.List {
			list[i] = c.nullUnmapped(e)
		}
		return &In{X: c.nullUnmapped(x.X), OpPos: x.OpPos, Not: x.Not, Insensitive: x.Insensitive, List: list, Rparen: x.Rparen}
	case *Match:
		return &Match{X: c.nullUnmapped(x.X), OpPos: x.OpPos, Op: x.Op, Patterns: x.Patterns, To: x.To}
	case *Call:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = c.nullUnmapped(a)
		}
		return &Call{NamePos: x.NamePos, Name: x.Name, Insensitive: x.Insensitive, Args: args, Rparen: x.Rparen}
	}
	return x
}

// match reports whether the event document passes the filter.
func (f *filterPlan) match(ctx *evalCtx) bool {
	if f.catField != nil {
		if f.idx < len(ctx.catBits) && ctx.catBits[f.idx] != 0 {
			if ctx.catMask&ctx.catBits[f.idx] == 0 {
				return false
			}
		} else if !f.categoryMatches(ctx.category(f.catField)) {
			return false
		}
	}
	return f.matchCond(ctx)
}

// matchCond is match for an event known to be of the filter's category.
func (f *filterPlan) matchCond(ctx *evalCtx) bool {
	return f.always || f.cond(ctx)
}

// categoryMatches is anyValue(v, f) written out: it runs for every term of
// every query on every event.
func (f *filterPlan) categoryMatches(v *event.Value) bool {
	if v == nil {
		return false
	}
	if !f.foldCategory {
		if s, ok := v.Str(); ok {
			return s == f.category
		}
		if v.Kind() == event.KindArray {
			for i, n := 0, v.Len(); i < n; i++ {
				if s, ok := v.Elem(i).Str(); ok && s == f.category {
					return true
				}
			}
			return false
		}
	}
	return anyValue(v, f)
}

// category returns the event's category value, looked up once per event
// however many terms ask for it.
func (ctx *evalCtx) category(f *fieldRef) *event.Value {
	if !ctx.catDone {
		ctx.cat, ctx.catDone = f.ref(ctx), true
	}
	return ctx.cat
}

// test compares one value of the category field with the filter's
// category, case-sensitively as Elasticsearch's term query does.
func (f *filterPlan) test(v *event.Value) bool {
	s, ok := v.Str()
	if f.foldCategory {
		s = foldString(s)
	}
	return ok && s == f.category
}

func unparen(x Expr) Expr {
	for {
		p, ok := x.(*Paren)
		if !ok {
			return x
		}
		x = p.X
	}
}

// ---------------------------------------------------------------------------
// Fields

// fieldRef is a compiled field access.
type fieldRef struct {
	// plain is set for a field read from the document as is (no
	// events[N], result attribute or null_value): ref's fast path. It and
	// id come first, so that the fast path reads one cache line.
	plain     bool
	id        int    // index of the field's lookup hints in a run
	name      string // after alias resolution
	path      event.Path
	typ       FieldType
	nullValue event.Value // substitute for an explicit null (mapping null_value)
	optional  bool
	seqIndex  int // events[N].field in a pipe over sequences; -1 otherwise
	// resultAttr is "count" or "percent" for a bare field of that name in
	// a pipe after unique_count or count, which reads the result's own
	// attribute as the original EQL does.
	resultAttr string
}

// evalCtx is what an expression is evaluated against.
type evalCtx struct {
	doc    *event.Value
	seq    []*event.Event // the events of a sequence result, for pipes
	bind   *fieldRef      // when set, reads of this field return bindVal
	bindTo event.Value
	res    *Result    // the result a pipe is looking at
	hints  [][]uint16 // per field id: where each path component was last found
	// cat caches the category of the event at hand (catDone says it is
	// set); every term of a sequence checks it.
	cat     *event.Value
	catDone bool
	// catBits, when set, holds per filter (by filterPlan.idx) the bit
	// of its category in catMask, the categories of the event at hand as
	// an Engine found them; a filter with no bit (0) checks the category
	// field itself.
	catBits []uint64
	catMask uint64
}

func (f *fieldRef) get(ctx *evalCtx) event.Value {
	if ctx.bind == f {
		return ctx.bindTo
	}
	if f.resultAttr != "" && ctx.res != nil && ctx.res.Count > 0 {
		if f.resultAttr == "count" {
			return event.Int(ctx.res.Count)
		}
		return event.Float(ctx.res.Percent)
	}
	doc := ctx.doc
	if f.seqIndex >= 0 {
		if f.seqIndex >= len(ctx.seq) || ctx.seq[f.seqIndex] == nil {
			return event.Missing
		}
		doc = &ctx.seq[f.seqIndex].Doc
	}
	var v event.Value
	if f.seqIndex < 0 && f.id < len(ctx.hints) {
		if p := doc.RefHint(&f.path, ctx.hints[f.id]); p != nil {
			v = *p
		}
	} else {
		v = doc.Get(f.path)
	}
	if f.nullValue.Exists() && v.Kind() == event.KindNull {
		return f.nullValue
	}
	return v
}

func (c *compiler) field(x *Field, allowIndex bool) *fieldRef {
	name := x.Name
	ref := &fieldRef{seqIndex: -1, optional: x.Optional}
	if len(x.Index) > 0 {
		if !(c.inPipe && strings.HasPrefix(name, "events[") && len(x.Index) == 1) || !allowIndex {
			c.errs.errorf(x, "Elasticsearch EQL has no array indexing; match any element with : or in",
				"array index syntax %s is not supported", name)
			panic(bailout{})
		}
		ref.seqIndex = x.Index[0]
		name = strings.TrimPrefix(name[strings.IndexByte(name, ']')+1:], ".")
		if name == "" {
			c.errs.errorf(x, "write events[0].process.name", "a field name must follow events[N]")
			panic(bailout{})
		}
	}
	name = c.opts.Schema.resolve(name)
	p, err := event.ParsePath(name)
	if err != nil {
		c.errs.errorf(x, "", "invalid field name: %v", err)
		panic(bailout{})
	}
	ref.name, ref.path = name, p
	if cat := c.opts.Catalog; cat != nil && !x.Optional && !c.checked[name] && !cat.Known(name) &&
		(c.opts.Schema == nil || c.opts.Schema.Types[name] == TypeUnknown) {
		if c.checked == nil {
			c.checked = map[string]bool{}
		}
		c.checked[name] = true
		hint := "write ?" + name + " if the field may be absent from the index"
		if s := cat.Nearest(name); s != "" {
			hint = "did you mean " + s + "?"
		}
		c.errs.add(x.From, x.To, !c.opts.StrictFields, fmt.Sprintf("unknown field %s", name), hint)
	}
	if id, ok := c.ids[name]; ok {
		ref.id = id
	} else {
		ref.id = len(c.ids)
		c.ids[name] = ref.id
		c.depths = append(c.depths, p.Len())
	}
	if c.inPipe && (name == "count" || name == "percent") {
		ref.resultAttr = name
	}
	if t, ok := c.opts.Schema.typeOf(name); ok {
		ref.typ = t
	} else if name == c.opts.timestampField() {
		ref.typ = TypeDate
	}
	if nv, ok := c.opts.Schema.nullValue(name); ok {
		ref.nullValue = nv
	}
	ref.plain = ref.seqIndex < 0 && ref.resultAttr == "" && !ref.nullValue.Exists()
	c.fields[name] = true
	return ref
}

func (s *Schema) nullValue(name string) (event.Value, bool) {
	if s == nil {
		return event.Missing, false
	}
	v, ok := s.NullValues[name]
	return v, ok
}

// ---------------------------------------------------------------------------
// Predicates: the where clause in query context
//
// Elasticsearch turns a where clause into a Lucene query where it can and
// into a script where it cannot, and the two treat missing fields
// differently: a Lucene leaf (field compared with a constant) simply does
// not match a document without the field, so its negation does; a script
// computes null for a missing field and a null condition never matches,
// negated or not. Rules rely on the first behaviour (`process.pe.original_
// file_name != "x"` matches events without the field), so the compiler
// follows the same split: translatable leaves are two-valued, everything
// else is evaluated with three-valued logic.

// pred is a compiled condition.
type pred func(ctx *evalCtx) bool

func (c *compiler) pred(x Expr) pred {
	switch x := x.(type) {
	case *Paren:
		return c.pred(x.X)
	case *Binary:
		switch x.Op {
		case AND:
			l, r := c.pred(x.X), c.pred(x.Y)
			return func(ctx *evalCtx) bool { return l(ctx) && r(ctx) }
		case OR:
			l, r := c.pred(x.X), c.pred(x.Y)
			return func(ctx *evalCtx) bool { return l(ctx) || r(ctx) }
		}
	case *Unary:
		if x.Op == NOT {
			// The original EQL has no Lucene translation: a negated null
			// stays null.
			if !c.opts.Endgame && c.translatable(x.X) {
				inner := c.pred(x.X)
				return func(ctx *evalCtx) bool { return !inner(ctx) }
			}
			return c.scriptPred(x)
		}
	}
	if p := c.leafPred(x); p != nil {
		return p
	}
	return c.scriptPred(x)
}

// scriptPred evaluates x with three-valued logic and matches when the
// result is true. A condition over one multi-valued field matches when it
// holds for any of the field's values.
func (c *compiler) scriptPred(x Expr) pred {
	v := c.value(x)
	c.checkBoolean(x)
	refs := c.fieldRefsOf(x)
	if len(refs) == 0 {
		return func(ctx *evalCtx) bool { return isTrue(v(ctx)) }
	}
	return func(ctx *evalCtx) bool {
		for _, f := range refs {
			fv := f.get(ctx)
			if fv.Kind() == event.KindArray && fv.Len() > 1 && ctx.bind == nil {
				saved := *ctx
				for i, n := 0, fv.Len(); i < n; i++ {
					ctx.bind, ctx.bindTo = f, fv.Index(i)
					if isTrue(v(ctx)) {
						*ctx = saved
						return true
					}
				}
				*ctx = saved
				return false
			}
		}
		return isTrue(v(ctx))
	}
}

// checkBoolean rejects conditions that cannot be boolean, such as a bare
// string or arithmetic.
func (c *compiler) checkBoolean(x Expr) {
	switch x := unparen(x).(type) {
	case *Literal:
		if x.Kind != LitBool && x.Kind != LitNull {
			c.errs.errorf(x, "compare it with a field: field == value", "a condition must be true or false, found %s", ExprString(x))
		}
	case *Binary:
		switch x.Op {
		case PLUS, MINUS, STAR, SLASH, PERCENT:
			c.errs.errorf(x, "compare the result: ... == 0", "a condition must be true or false, found arithmetic")
		}
	case *Call:
		spec := functions[strings.ToLower(x.Name)]
		if spec != nil {
			switch strings.ToLower(spec.name) {
			case "startswith", "endswith", "stringcontains", "cidrmatch":
			default:
				c.errs.errorf(x, "compare the result: "+ExprString(x)+" == ...",
					"%s does not return true or false", spec.name)
			}
		}
	}
}

// fieldRefsOf lists the fields an expression reads (for multi-value
// expansion of scripts).
func (c *compiler) fieldRefsOf(x Expr) []*fieldRef {
	var out []*fieldRef
	seen := map[string]bool{}
	Inspect(x, func(x Expr) bool {
		if f, ok := x.(*Field); ok {
			name := c.opts.Schema.resolve(f.Name)
			if !seen[name] && len(f.Index) == 0 {
				seen[name] = true
				out = append(out, c.refFor(name))
			}
		}
		return true
	})
	return out
}

// refFor returns the shared fieldRef for a resolved name, so that binding
// by pointer works across the expression.
func (c *compiler) refFor(name string) *fieldRef {
	if c.refs == nil {
		c.refs = map[string]*fieldRef{}
	}
	return c.refs[name]
}

// translatable reports whether Elasticsearch would run x as a Lucene query
// rather than a script.
func (c *compiler) translatable(x Expr) bool {
	switch x := x.(type) {
	case *Paren:
		return c.translatable(x.X)
	case *Binary:
		if x.Op == AND || x.Op == OR {
			return true
		}
		_, _, ok := fieldAndConst(x.X, x.Y)
		return ok && isComparison(x.Op)
	case *Unary:
		if x.Op == NOT {
			return c.translatable(x.X)
		}
	case *In:
		_, isField := unparen(x.X).(*Field)
		return isField && allConstant(x.List)
	case *Match:
		_, isField := unparen(x.X).(*Field)
		return isField
	case *Literal:
		return x.Kind == LitBool
	case *Call:
		switch strings.ToLower(x.Name) {
		case "startswith":
			return len(x.Args) == 2 && isFieldExpr(x.Args[0]) && isConstant(x.Args[1])
		case "stringcontains":
			return !x.Insensitive && len(x.Args) == 2 && isFieldExpr(x.Args[0]) && isConstant(x.Args[1])
		case "cidrmatch":
			return len(x.Args) >= 2 && isFieldExpr(x.Args[0]) && allConstant(x.Args[1:])
		}
	}
	return false
}

func isFieldExpr(x Expr) bool {
	_, ok := unparen(x).(*Field)
	return ok
}

func isConstant(x Expr) bool {
	switch x := unparen(x).(type) {
	case *Literal:
		return true
	case *Unary:
		return x.Op != NOT && isConstant(x.X)
	case *Binary:
		switch x.Op {
		case PLUS, MINUS, STAR, SLASH, PERCENT:
			return isConstant(x.X) && isConstant(x.Y)
		}
	}
	return false
}

func allConstant(xs []Expr) bool {
	for _, x := range xs {
		if !isConstant(x) {
			return false
		}
	}
	return true
}

// fieldAndConst splits a comparison into its field and constant sides;
// swapped reports that the field was on the right.
func fieldAndConst(a, b Expr) (*Field, Expr, bool) {
	if f, ok := unparen(a).(*Field); ok && isConstant(b) {
		return f, b, true
	}
	return nil, nil, false
}

// foldConstant evaluates a constant expression.
func (c *compiler) foldConstant(x Expr) event.Value {
	v := c.value(x)
	return v(&evalCtx{doc: &event.Missing})
}

// leafPred compiles a translatable leaf as a two-valued predicate, or
// returns nil when x must run as a script.
func (c *compiler) leafPred(x Expr) pred {
	switch x := x.(type) {
	case *Literal:
		if x.Kind == LitBool {
			b := x.Bool
			return func(*evalCtx) bool { return b }
		}
	case *Binary:
		if !isComparison(x.Op) {
			return nil
		}
		c.checkFieldVsField(x, x.X, x.Y)
		if x.Op == NEQ && c.opts.Endgame {
			return nil // three-valued: a missing field gives null
		}
		op := x.Op
		f, k, ok := fieldAndConst(x.X, x.Y)
		if !ok {
			f, k, ok = fieldAndConst(x.Y, x.X)
			op = flip(op)
		}
		if !ok {
			return nil
		}
		ref := c.field(f, false)
		kv := c.foldConstant(k)
		if kv.IsNull() {
			switch op {
			case EQ:
				return func(ctx *evalCtx) bool { return isNullValue(ref.get(ctx)) }
			case NEQ:
				return func(ctx *evalCtx) bool { return !isNullValue(ref.get(ctx)) }
			}
			return func(*evalCtx) bool { return false }
		}
		c.checkComparable(f, ref, kv, x)
		if str, ok := kv.Str(); ok && c.opts.Endgame {
			return endgameStringPred(ref, op, str)
		}
		k2 := newConstant(kv)
		var test valueTest = &cmpConst{k: k2, t: ref.typ, op: op}
		if op == NEQ {
			test = &cmpConst{k: k2, t: ref.typ, op: EQ}
		}
		if str, ok := kv.Str(); ok && (op == EQ || op == NEQ) && (ref.typ == TypeUnknown || ref.typ == TypeKeyword || ref.typ == TypeText) {
			test = &eqString{s: str, k: k2}
		}
		if op == NEQ {
			return notLeafOf(ref, test)
		}
		return leafOf(ref, test)
	case *In:
		f, ok := unparen(x.X).(*Field)
		if !ok || !allConstant(x.List) || (x.Not && c.opts.Endgame) {
			return nil
		}
		ref := c.field(f, false)
		set := newConstSet(c, x.List, x.Insensitive || c.opts.Endgame, ref.typ)
		if x.Not {
			return notLeafOf(ref, setTest{set})
		}
		return leafOf(ref, setTest{set})
	case *Match:
		f, ok := unparen(x.X).(*Field)
		if !ok {
			return nil
		}
		ref := c.field(f, false)
		return leafOf(ref, matchTest{c.compileMatcher(x)})
	case *Call:
		if !c.translatable(x) {
			return nil
		}
		f := unparen(x.Args[0]).(*Field)
		ref := c.field(f, false)
		switch strings.ToLower(x.Name) {
		case "startswith", "stringcontains":
			kv := c.foldConstant(x.Args[1])
			s, ok := kv.Text()
			if !ok {
				return func(*evalCtx) bool { return false }
			}
			fold := x.Insensitive || c.opts.Endgame
			if fold {
				s = foldString(s)
			}
			contains := strings.ToLower(x.Name) == "stringcontains"
			return leafOf(ref, &prefixTest{s: s, fold: fold, contains: contains})
		case "cidrmatch":
			var args []event.Value
			for _, a := range x.Args[1:] {
				av := c.foldConstant(a)
				s, _ := av.Text()
				if _, ok := parseCIDR(s); !ok {
					c.errs.errorf(a, "write an address or a CIDR block such as \"10.0.0.0/8\"", "invalid CIDR %s", ExprString(a))
				}
				args = append(args, av)
			}
			return leafOf(ref, &cidrTest{args: args})
		}
	}
	return nil
}

// endgameStringPred compares a field with a string the way the original
// EQL does by default: folding case, and treating * in an == literal as a
// wildcard. (!= runs as a script, three-valued.)
func endgameStringPred(ref *fieldRef, op Token, str string) pred {
	if op == EQ && strings.Contains(str, "*") {
		w := compileWildcardQ(str, true, false)
		return func(ctx *evalCtx) bool {
			return anyScalar(ref.get(ctx), func(v event.Value) bool {
				t, ok := v.Text()
				return ok && w.match(foldString(t))
			})
		}
	}
	folded := foldString(str)
	return func(ctx *evalCtx) bool {
		return anyScalar(ref.get(ctx), func(v event.Value) bool {
			t, ok := v.Text()
			return ok && cmpOK(op, strings.Compare(foldString(t), folded))
		})
	}
}

// isNullValue reports whether a field value is null for EQL: missing,
// null, or an array holding nothing but nulls.
func isNullValue(v event.Value) bool {
	if v.IsNull() {
		return true
	}
	if v.Kind() == event.KindArray {
		for i, n := 0, v.Len(); i < n; i++ {
			if !v.Index(i).IsNull() {
				return false
			}
		}
		return true
	}
	return false
}

// checkComparable reports type mismatches that a mapping makes certain.
func (c *compiler) checkComparable(f *Field, ref *fieldRef, k event.Value, x Expr) {
	switch ref.typ {
	case TypeLong, TypeDouble:
		if s, ok := k.Str(); ok && newConstant(k).isNum == false {
			c.errs.errorf(x, "compare the numeric field with a number", "field %s is numeric but is compared with the string %q", f.Name, s)
		}
	}
}

// constSet is the right side of in / in~ / not in, prepared for lookups.
type constSet struct {
	strs   map[string]bool // exact (or folded) text forms
	consts []*constant
	fold   bool
	typ    FieldType
}

func newConstSet(c *compiler, list []Expr, fold bool, t FieldType) *constSet {
	s := &constSet{strs: map[string]bool{}, fold: fold, typ: t}
	for _, e := range list {
		v := c.foldConstant(e)
		if v.IsNull() {
			continue
		}
		k := newConstant(v)
		s.consts = append(s.consts, k)
		if v.Kind() == event.KindString {
			if fold {
				s.strs[k.folded] = true
			} else {
				s.strs[k.str] = true
			}
		}
	}
	return s
}

func (s *constSet) contains(v event.Value) bool {
	if str, ok := v.Str(); ok && (s.typ == TypeUnknown || s.typ == TypeKeyword || s.typ == TypeText) {
		if s.fold && hasFolded(s.strs, str) || !s.fold && s.strs[str] {
			return true
		}
		if len(s.strs) == len(s.consts) {
			return false
		}
	}
	for _, k := range s.consts {
		if s.fold {
			if t, ok := v.Text(); ok && k.hasStr && foldString(t) == k.folded {
				return true
			}
			continue
		}
		if r, ok := compareConst(v, k, s.typ); ok && r == 0 {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// : like like~ regex regex~

type matcher struct {
	fold  bool
	wilds []*wildcard
	res   []*regexp.Regexp
	exact map[string]bool // wildcard-free patterns, for long lists
}

func (c *compiler) compileMatcher(x *Match) *matcher {
	m := &matcher{}
	isRegex := x.Op == REGEX || x.Op == REGEX_I
	m.fold = x.Op == SEQ || x.Op == LIKE_I || x.Op == REGEX_I
	for _, p := range x.Patterns {
		if p.Kind != LitString {
			if x.Op == SEQ && p.Kind != LitNull {
				// ':' against a number compares text forms
				s, _ := c.foldConstant(p).Text()
				m.wilds = append(m.wilds, compileWildcard(s, true))
				continue
			}
			c.errs.errorf(p, "", "%s needs a string pattern, found %s", x.Op, ExprString(p))
			continue
		}
		if isRegex {
			re, err := compileLuceneRegexp(p.Str, m.fold)
			if err != nil {
				c.errs.errorf(p, "regex uses Lucene regular expression syntax", "invalid regular expression: %v", err)
				continue
			}
			m.res = append(m.res, re)
			continue
		}
		w := compileWildcard(p.Str, m.fold)
		if w.kind == wildExact && len(x.Patterns) > 8 {
			if m.exact == nil {
				m.exact = map[string]bool{}
			}
			m.exact[w.lit] = true
			continue
		}
		m.wilds = append(m.wilds, w)
	}
	return m
}

// matchValue reports whether a scalar value matches any pattern.
func (m *matcher) matchValue(v event.Value) bool {
	s, ok := v.Text()
	if !ok {
		return false
	}
	return m.matchString(s)
}

func (m *matcher) matchString(s string) bool {
	if len(m.res) > 0 {
		for _, re := range m.res {
			if re.MatchString(s) {
				return true
			}
		}
		return false
	}
	if m.fold {
		if m.exact != nil && hasFolded(m.exact, s) {
			return true
		}
		if !isASCII(s) {
			s = foldString(s)
			for _, w := range m.wilds {
				if w.match(s) {
					return true
				}
			}
			return false
		}
		for _, w := range m.wilds {
			if w.matchFoldASCII(s) {
				return true
			}
		}
		return false
	}
	if m.exact[s] {
		return true
	}
	for _, w := range m.wilds {
		if w.match(s) {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Values: expressions in script context

// valueFn computes an expression; null is event.Null() or event.Missing.
type valueFn func(ctx *evalCtx) event.Value

func (c *compiler) value(x Expr) valueFn {
	switch x := x.(type) {
	case *Paren:
		return c.value(x.X)
	case *Literal:
		v := literalValue(x)
		return func(*evalCtx) event.Value { return v }
	case *Field:
		ref := c.field(x, c.inPipe)
		if c.refs == nil {
			c.refs = map[string]*fieldRef{}
		}
		if prev, ok := c.refs[ref.name]; ok && ref.seqIndex < 0 {
			ref = prev
		} else if ref.seqIndex < 0 {
			c.refs[ref.name] = ref
		}
		return ref.get
	case *Unary:
		inner := c.value(x.X)
		switch x.Op {
		case NOT:
			return func(ctx *evalCtx) event.Value {
				v := inner(ctx)
				b, ok := v.Bool()
				if !ok {
					return vNull
				}
				return boolValue(!b)
			}
		case MINUS:
			return func(ctx *evalCtx) event.Value { return arith(STAR, inner(ctx), event.Int(-1)) }
		default:
			return func(ctx *evalCtx) event.Value {
				v := inner(ctx)
				if _, _, _, ok := numeric(v); !ok {
					return vNull
				}
				return v
			}
		}
	case *Binary:
		return c.binaryValue(x)
	case *In:
		return c.inValue(x)
	case *Match:
		lhs := c.value(x.X)
		m := c.compileMatcher(x)
		return func(ctx *evalCtx) event.Value {
			v := lhs(ctx)
			if v.IsNull() {
				return vNull
			}
			return boolValue(anyScalar(v, m.matchValue))
		}
	case *Call:
		return c.callValue(x)
	case *BadExpr:
		c.errs.errorf(x, "", "invalid expression")
		panic(bailout{})
	}
	c.errs.errorf(x, "", "unsupported expression")
	panic(bailout{})
}

func literalValue(x *Literal) event.Value {
	switch x.Kind {
	case LitBool:
		return event.Bool(x.Bool)
	case LitInt:
		return event.Int(x.Int)
	case LitFloat:
		return event.Float(x.Float)
	case LitString:
		return event.String(x.Str)
	}
	return vNull
}

// refsField reports whether x reads a document field.
func refsField(x Expr) bool {
	found := false
	Inspect(x, func(x Expr) bool {
		if _, ok := x.(*Field); ok {
			found = true
		}
		return !found
	})
	return found
}

// checkFieldVsField rejects comparisons whose two sides both read fields,
// which Elasticsearch does not support ("even if the fields are changed
// using a function").
func (c *compiler) checkFieldVsField(x Expr, a Expr, b Expr) {
	if refsField(a) && refsField(b) {
		c.errs.errorf(x, "compare each field with a constant instead",
			"comparing a field with another field is not supported by Elasticsearch EQL")
		panic(bailout{})
	}
}

func (c *compiler) binaryValue(x *Binary) valueFn {
	if isComparison(x.Op) {
		c.checkFieldVsField(x, x.X, x.Y)
	}
	l, r := c.value(x.X), c.value(x.Y)
	switch x.Op {
	case AND:
		return func(ctx *evalCtx) event.Value {
			a := l(ctx)
			if ab, ok := a.Bool(); ok && !ab {
				return vFalse
			}
			b := r(ctx)
			bb, okb := b.Bool()
			if okb && !bb {
				return vFalse
			}
			if ab, ok := a.Bool(); ok && ab && okb {
				return vTrue
			}
			return vNull
		}
	case OR:
		return func(ctx *evalCtx) event.Value {
			a := l(ctx)
			if ab, ok := a.Bool(); ok && ab {
				return vTrue
			}
			b := r(ctx)
			bb, okb := b.Bool()
			if okb && bb {
				return vTrue
			}
			if _, ok := a.Bool(); ok && okb {
				return vFalse
			}
			return vNull
		}
	case PLUS, MINUS, STAR, SLASH, PERCENT:
		op := x.Op
		return func(ctx *evalCtx) event.Value { return arith(op, l(ctx), r(ctx)) }
	}
	op := x.Op
	// Comparison with a null literal is a null test, as Elasticsearch's
	// optimizer rewrites it.
	if lit, ok := unparen(x.Y).(*Literal); ok && lit.Kind == LitNull && (op == EQ || op == NEQ) {
		return nullTest(l, op == EQ)
	}
	if lit, ok := unparen(x.X).(*Literal); ok && lit.Kind == LitNull && (op == EQ || op == NEQ) {
		return nullTest(r, op == EQ)
	}
	// A typed field on one side decides how the other side compares.
	var t FieldType
	fieldLeft := true
	if f, ok := unparen(x.X).(*Field); ok {
		t = c.field(f, c.inPipe).typ
	} else if f, ok := unparen(x.Y).(*Field); ok {
		t = c.field(f, c.inPipe).typ
		fieldLeft = false
	}
	endgame := c.opts.Endgame
	return func(ctx *evalCtx) event.Value {
		a, b := l(ctx), r(ctx)
		if isNullValue(a) || isNullValue(b) {
			return vNull
		}
		var cmp int
		var ok bool
		sa, aStr := scalar(a).Str()
		sb, bStr := scalar(b).Str()
		switch {
		case endgame && aStr && bStr:
			if (op == EQ || op == NEQ) && strings.Contains(sb, "*") {
				return boolValue(compileWildcardQ(sb, true, false).match(foldString(sa)) == (op == EQ))
			}
			cmp, ok = strings.Compare(foldString(sa), foldString(sb)), true
		case t == TypeUnknown:
			cmp, ok = compareValues(a, b)
		case fieldLeft:
			cmp, ok = compareConst(scalar(a), newConstant(scalar(b)), t)
		default:
			cmp, ok = compareConst(scalar(b), newConstant(scalar(a)), t)
			cmp = -cmp
		}
		if !ok {
			return vNull
		}
		return boolValue(cmpOK(op, cmp))
	}
}

func nullTest(v valueFn, isNull bool) valueFn {
	return func(ctx *evalCtx) event.Value {
		return boolValue(isNullValue(v(ctx)) == isNull)
	}
}

func (c *compiler) inValue(x *In) valueFn {
	for _, e := range x.List {
		c.checkFieldVsField(x, x.X, e)
	}
	lhs := c.value(x.X)
	var t FieldType
	if f, ok := unparen(x.X).(*Field); ok {
		t = c.field(f, c.inPipe).typ
	}
	if allConstant(x.List) {
		set := newConstSet(c, x.List, x.Insensitive, t)
		not := x.Not
		return func(ctx *evalCtx) event.Value {
			v := lhs(ctx)
			if isNullValue(v) {
				return vNull
			}
			return boolValue(anyScalar(v, set.contains) != not)
		}
	}
	items := make([]valueFn, len(x.List))
	for i, e := range x.List {
		items[i] = c.value(e)
	}
	fold, not := x.Insensitive, x.Not
	return func(ctx *evalCtx) event.Value {
		v := scalar(lhs(ctx))
		if v.IsNull() {
			return vNull
		}
		found := false
		for _, it := range items {
			w := it(ctx)
			if w.IsNull() {
				continue
			}
			if fold {
				a, _ := v.Text()
				b, _ := scalar(w).Text()
				if foldString(a) == foldString(b) {
					found = true
					break
				}
			} else if r, ok := compareValues(v, w); ok && r == 0 {
				found = true
				break
			}
		}
		return boolValue(found != not)
	}
}

func (c *compiler) callValue(x *Call) valueFn {
	lname := strings.ToLower(x.Name)
	spec, ok := functions[lname]
	if !ok {
		if hint, ok := endgameOnly[lname]; ok {
			c.errs.errorf(&Literal{From: x.NamePos, To: x.NamePos + Pos(len(x.Name))}, hint,
				"function %s is not supported by Elasticsearch EQL", x.Name)
			panic(bailout{})
		}
		hint := "see the functions of the Elasticsearch EQL reference: " + strings.Join(functionNames(), ", ")
		if s := suggest.Nearest(x.Name, functionNames()); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
		c.errs.errorf(&Literal{From: x.NamePos, To: x.NamePos + Pos(len(x.Name))}, hint, "unknown function %s", x.Name)
		panic(bailout{})
	}
	if x.Insensitive && !spec.tilde {
		c.errs.errorf(x, "the case-insensitive ~ variants exist for between, endsWith, indexOf, startsWith and stringContains",
			"function %s has no case-insensitive variant %s~", spec.name, spec.name)
	}
	if len(x.Args) < spec.minArgs || (spec.maxArgs >= 0 && len(x.Args) > spec.maxArgs) {
		want := fmt.Sprintf("%d", spec.minArgs)
		switch {
		case spec.maxArgs < 0:
			want = fmt.Sprintf("at least %d", spec.minArgs)
		case spec.maxArgs != spec.minArgs:
			want = fmt.Sprintf("%d to %d", spec.minArgs, spec.maxArgs)
		}
		c.errs.errorf(x, "usage: "+spec.usage, "%s takes %s arguments, found %d", spec.name, want, len(x.Args))
		panic(bailout{})
	}
	args := make([]valueFn, len(x.Args))
	for i, a := range x.Args {
		args[i] = c.value(a)
	}
	if lname == "cidrmatch" {
		for _, a := range x.Args[1:] {
			if isConstant(a) {
				s, _ := c.foldConstant(a).Text()
				if _, ok := parseCIDR(s); !ok {
					c.errs.errorf(a, "write an address or a CIDR block such as \"10.0.0.0/8\"", "invalid CIDR %s", ExprString(a))
				}
			}
		}
	}
	fold := x.Insensitive || (c.opts.Endgame && spec.tilde)
	eval, nullOnNulls := spec.eval, spec.nullOnNulls
	n := len(args)
	return func(ctx *evalCtx) event.Value {
		var buf [4]event.Value
		vals := buf[:0]
		if n > len(buf) {
			vals = make([]event.Value, 0, n)
		}
		for _, a := range args {
			v := a(ctx)
			if nullOnNulls && isNullValue(v) {
				return vNull
			}
			vals = append(vals, v)
		}
		return eval(vals, fold)
	}
}

// Needs returns every field a run of the query reads: the fields of its
// conditions, keys and pipes, and the timestamp, category and tiebreaker
// fields. A reader that decodes only these (see event.FieldSet) gives the
// query everything it needs.
func (q *Query) Needs() []string {
	need := append([]string{}, q.fields...)
	need = append(need, q.opts.Schema.resolve(q.opts.timestampField()), q.opts.Schema.resolve(q.opts.categoryField()))
	if q.opts.TiebreakerField != "" {
		need = append(need, q.opts.Schema.resolve(q.opts.TiebreakerField))
	}
	return need
}
