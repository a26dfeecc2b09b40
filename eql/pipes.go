package eql

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"

	"github.com/vigil-sec/vigil/internal/suggest"
)

// Result is one answer of a query.
type Result struct {
	// Events holds the matching event of an event query, or the events of
	// a sequence or sample in order; a nil entry is the placeholder of a
	// missing event ![...].
	Events []*event.Event
	// JoinKeys holds the join key values of a sequence or sample.
	JoinKeys []event.Value
	// Kind tells what produced the result.
	Kind ResultKind
	// Count is the number of results folded into this one by the count
	// and unique_count pipes (0 otherwise).
	Count int64
	// Key holds the grouping values of a count pipe result.
	Key []event.Value
	// Percent is the share of all results that a count pipe group holds.
	Percent float64
}

// ResultKind is the shape of a Result.
type ResultKind uint8

// The kinds of result.
const (
	ResultEvent ResultKind = iota
	ResultSequence
	ResultSample
	ResultCount // from the count pipe
)

// pipePlan is a compiled pipe.
type pipePlan struct {
	fold  bool // group and sort strings case-insensitively (Endgame)
	name  string
	n     int       // head, tail
	pred  pred      // filter
	exprs []valueFn // unique, unique_count, count, sort
}

var esPipes = []string{"head", "tail"}
var extensionPipes = []string{"count", "filter", "sort", "unique", "unique_count"}

func (c *compiler) compilePipes(q *Query) []*pipePlan {
	var out []*pipePlan
	limited := false
	for _, p := range q.stmt.Pipes {
		name := p.Name
		namePos := &Literal{From: p.NamePos, To: p.NamePos + Pos(len(name))}
		isExt := false
		for _, e := range extensionPipes {
			if name == e {
				isExt = true
			}
		}
		known := name == "head" || name == "tail" || isExt
		if !known {
			hint := "the pipes are head and tail"
			if c.opts.Extensions {
				hint += " (and the hunting pipes count, unique, unique_count, filter, sort)"
			}
			if s := suggest.Nearest(name, append(append([]string{}, esPipes...), extensionPipes...)); s != "" {
				hint = "did you mean " + s + "?"
			}
			c.errs.errorf(namePos, hint, "unrecognized pipe %s", name)
			continue
		}
		if isExt && !c.opts.Extensions {
			c.errs.errorf(namePos, "Elasticsearch supports only head and tail; Vigil offers "+name+
				" as a hunting extension on the command line (vigil query)", "pipe %s is not supported by Elasticsearch EQL", name)
			continue
		}
		if isExt {
			c.errs.warnf(namePos, "", "pipe %s is a Vigil extension from the original EQL; Elasticsearch does not support it", name)
		}
		pp := &pipePlan{name: name, fold: c.opts.Endgame}
		switch name {
		case "head", "tail":
			if len(p.Args) != 1 {
				c.errs.errorf(p, "write | "+name+" 10", "pipe %s expects exactly one argument, found %d", name, len(p.Args))
				continue
			}
			lit, ok := unparen(p.Args[0]).(*Literal)
			if !ok || lit.Kind != LitInt || lit.Int < 0 {
				c.errs.errorf(p.Args[0], "write | "+name+" 10", "pipe %s expects a positive integer, found %s", name, ExprString(p.Args[0]))
				continue
			}
			pp.n = int(min(lit.Int, 1<<31))
			if !limited && c.opts.Size > 0 {
				// The first head/tail is applied to the default-size window.
				out = append(out, &pipePlan{name: name, n: c.opts.Size})
			}
			limited = true
		case "filter":
			if len(p.Args) != 1 {
				c.errs.errorf(p, "write | filter <condition>", "pipe filter expects exactly one condition, found %d", len(p.Args))
				continue
			}
			c.inPipe = true
			pp.pred = c.pred(p.Args[0])
			c.inPipe = false
		case "count", "unique", "unique_count", "sort":
			if len(p.Args) == 0 && name != "count" {
				c.errs.errorf(p, "write | "+name+" <field>, ...", "pipe %s needs at least one field", name)
				continue
			}
			c.inPipe = true
			for _, a := range p.Args {
				pp.exprs = append(pp.exprs, c.value(a))
			}
			c.inPipe = false
		}
		out = append(out, pp)
	}
	if !limited && c.opts.Size > 0 {
		out = append(out, &pipePlan{name: "head", n: c.opts.Size})
	}
	return out
}

// stage is one step of a run's output pipeline.
type stage interface {
	// push offers a result; it reports false once the stage wants no more.
	push(r *Result) bool
	// close flushes buffered results.
	close()
}

func buildPipeline(plans []*pipePlan, emit func(*Result)) stage {
	var next stage = emitStage(emit)
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		switch p.name {
		case "head":
			next = &headStage{n: p.n, next: next}
		case "tail":
			next = &tailStage{n: p.n, next: next}
		case "filter":
			next = &filterStage{pred: p.pred, next: next}
		case "unique":
			next = &uniqueStage{exprs: p.exprs, fold: p.fold, seen: map[string]bool{}, next: next}
		case "unique_count":
			next = &uniqueCountStage{exprs: p.exprs, fold: p.fold, index: map[string]int{}, next: next}
		case "count":
			next = &countStage{exprs: p.exprs, fold: p.fold, index: map[string]int{}, next: next}
		case "sort":
			next = &sortStage{exprs: p.exprs, fold: p.fold, next: next}
		}
	}
	return next
}

type emitStage func(*Result)

func (e emitStage) push(r *Result) bool { e(r); return true }
func (e emitStage) close()              {}

type headStage struct {
	n, seen int
	next    stage
}

func (h *headStage) push(r *Result) bool {
	if h.seen >= h.n {
		return false
	}
	h.seen++
	ok := h.next.push(r)
	return ok && h.seen < h.n
}
func (h *headStage) close() { h.next.close() }

type tailStage struct {
	n    int
	ring []*Result
	pos  int
	full bool
	next stage
}

func (t *tailStage) push(r *Result) bool {
	if t.n == 0 {
		return true
	}
	if t.ring == nil {
		t.ring = make([]*Result, 0, min(t.n, 1024))
	}
	if len(t.ring) < t.n {
		t.ring = append(t.ring, r)
		return true
	}
	t.ring[t.pos] = r
	t.pos = (t.pos + 1) % t.n
	return true
}

func (t *tailStage) close() {
	for i := 0; i < len(t.ring); i++ {
		if !t.next.push(t.ring[(t.pos+i)%len(t.ring)]) {
			break
		}
	}
	t.next.close()
}

// resultCtx evaluates pipe expressions against a result: its first event
// is the document, events[N] reach the others.
func resultCtx(r *Result) *evalCtx {
	ctx := &evalCtx{doc: &event.Missing, seq: r.Events, res: r}
	for _, e := range r.Events {
		if e != nil {
			ctx.doc = &e.Doc
			break
		}
	}
	return ctx
}

type filterStage struct {
	pred pred
	next stage
}

func (f *filterStage) push(r *Result) bool {
	if f.pred(resultCtx(r)) {
		return f.next.push(r)
	}
	return true
}
func (f *filterStage) close() { f.next.close() }

// groupKey renders the values of exprs for a result as a map key.
func groupKey(exprs []valueFn, r *Result, fold bool) (string, []event.Value) {
	ctx := resultCtx(r)
	var b strings.Builder
	vals := make([]event.Value, len(exprs))
	for i, e := range exprs {
		v := e(ctx)
		vals[i] = v
		if s, ok := v.Str(); ok && fold {
			v = event.String(foldString(s))
		}
		b.WriteString(keyText(v))
		b.WriteByte(0x1f)
	}
	return b.String(), vals
}

// keyText renders a value for grouping: type-tagged so that "1" and 1 and
// null stay apart.
func keyText(v event.Value) string { return string(appendKeyText(nil, v)) }

// appendKeyText appends the grouping encoding of v.
func appendKeyText(dst []byte, v event.Value) []byte {
	switch v.Kind() {
	case event.KindMissing, event.KindNull:
		return append(dst, 0)
	case event.KindString:
		s, _ := v.Str()
		return append(append(dst, 's'), s...)
	case event.KindArray, event.KindObject:
		return event.AppendJSON(append(dst, 'j'), v)
	case event.KindInt:
		i, _ := v.Int()
		return strconv.AppendInt(append(dst, 'n'), i, 10)
	}
	s, _ := v.Text()
	return append(append(dst, 'n'), s...)
}

type uniqueStage struct {
	exprs []valueFn
	fold  bool
	seen  map[string]bool
	next  stage
}

func (u *uniqueStage) push(r *Result) bool {
	k, _ := groupKey(u.exprs, r, u.fold)
	if u.seen[k] {
		return true
	}
	u.seen[k] = true
	return u.next.push(r)
}
func (u *uniqueStage) close() { u.next.close() }

type uniqueCountStage struct {
	exprs []valueFn
	fold  bool
	index map[string]int
	order []*Result
	next  stage
}

func (u *uniqueCountStage) push(r *Result) bool {
	k, _ := groupKey(u.exprs, r, u.fold)
	if i, ok := u.index[k]; ok {
		u.order[i].Count++
		return true
	}
	cp := *r
	cp.Count = 1
	u.index[k] = len(u.order)
	u.order = append(u.order, &cp)
	return true
}

func (u *uniqueCountStage) close() {
	var total int64
	for _, r := range u.order {
		total += r.Count
	}
	for _, r := range u.order {
		r.Percent = float64(r.Count) / float64(total)
	}
	for _, r := range u.order {
		if !u.next.push(r) {
			break
		}
	}
	u.next.close()
}

type countStage struct {
	exprs []valueFn
	fold  bool
	index map[string]int
	rows  []*Result
	total int64
	next  stage
}

func (c *countStage) push(r *Result) bool {
	c.total++
	if len(c.exprs) == 0 {
		return true
	}
	k, vals := groupKey(c.exprs, r, c.fold)
	if i, ok := c.index[k]; ok {
		c.rows[i].Count++
		return true
	}
	c.index[k] = len(c.rows)
	c.rows = append(c.rows, &Result{Kind: ResultCount, Count: 1, Key: vals})
	return true
}

func (c *countStage) close() {
	if len(c.exprs) == 0 {
		c.next.push(&Result{Kind: ResultCount, Count: c.total, Percent: 1})
		c.next.close()
		return
	}
	sort.SliceStable(c.rows, func(i, j int) bool { return c.rows[i].Count < c.rows[j].Count })
	for _, r := range c.rows {
		r.Percent = float64(r.Count) / float64(c.total)
		if !c.next.push(r) {
			break
		}
	}
	c.next.close()
}

type sortStage struct {
	exprs []valueFn
	fold  bool
	rows  []*Result
	keys  [][]event.Value
	next  stage
}

func (s *sortStage) push(r *Result) bool {
	_, vals := groupKey(s.exprs, r, s.fold)
	s.rows = append(s.rows, r)
	s.keys = append(s.keys, vals)
	return true
}

func (s *sortStage) close() {
	idx := make([]int, len(s.rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := s.keys[idx[a]], s.keys[idx[b]]
		for i := range ka {
			if c := sortCompare(ka[i], kb[i], s.fold); c != 0 {
				return c < 0
			}
		}
		return false
	})
	for _, i := range idx {
		if !s.next.push(s.rows[i]) {
			break
		}
	}
	s.next.close()
}

// sortCompare orders values with nulls first, then by value.
func sortCompare(a, b event.Value, fold bool) int {
	if fold {
		if x, ok := a.Str(); ok {
			if y, ok := b.Str(); ok {
				return strings.Compare(foldString(x), foldString(y))
			}
		}
	}
	an, bn := a.IsNull(), b.IsNull()
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	if c, ok := compareValues(a, b); ok {
		return c
	}
	return strings.Compare(keyText(a), keyText(b))
}
