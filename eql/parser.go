package eql

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/suggest"
)

// maxNesting bounds the depth of nested expressions so that hostile input
// cannot exhaust the stack.
const maxNesting = 200

// maxErrors stops parsing after this many errors.
const maxErrors = 20

// Parse parses one EQL statement. On failure it returns an [ErrorList]
// holding every problem found, each with line, column and, where one is
// known, a hint. Warnings alone do not make Parse fail.
func Parse(src string) (*Statement, error) {
	p := newParser(src)
	stmt := p.parseStatements()
	if p.errs.hasErrors() {
		return stmt, p.errs.sorted()
	}
	return stmt, nil
}

// ParseExpr parses a single expression, as used in a where clause.
func ParseExpr(src string) (Expr, error) {
	p := newParser(src)
	var x Expr
	func() {
		defer p.recoverBailout()
		x = p.parseExpr()
		if p.tok.tok != EOF {
			p.unexpected("after the expression", "")
		}
	}()
	if p.errs.hasErrors() {
		return x, p.errs.sorted()
	}
	return x, nil
}

type parser struct {
	lex   lexer
	errs  errs
	tok   item   // current token
	ahead []item // look-ahead buffer
	depth int
}

// bailout is panicked to abandon the current statement after an error.
type bailout struct{}

func newParser(src string) *parser {
	p := &parser{errs: errs{src: src}}
	p.lex = lexer{src: src, errh: func(pos, end Pos, msg, hint string) {
		p.errs.add(pos, end, false, msg, hint)
	}}
	p.next()
	return p
}

func (p *parser) next() {
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.lex.next()
	for p.tok.tok == ILLEGAL { // already reported by the lexer
		p.tok = p.lex.next()
	}
}

// peek returns the token n places after the current one (n ≥ 1).
func (p *parser) peek(n int) item {
	for len(p.ahead) < n {
		it := p.lex.next()
		for it.tok == ILLEGAL {
			it = p.lex.next()
		}
		p.ahead = append(p.ahead, it)
	}
	return p.ahead[n-1]
}

func (p *parser) errorAt(it item, hint, format string, args ...any) {
	end := it.end
	if end <= it.pos {
		end = it.pos + 1
	}
	p.errs.add(it.pos, end, false, fmt.Sprintf(format, args...), hint)
}

// fail reports an error at the current token and abandons the statement.
func (p *parser) fail(hint, format string, args ...any) {
	p.errorAt(p.tok, hint, format, args...)
	panic(bailout{})
}

func (p *parser) recoverBailout() {
	if r := recover(); r != nil {
		if _, ok := r.(bailout); !ok {
			panic(r)
		}
	}
}

// describe renders the current token for messages.
func describe(it item) string {
	switch it.tok {
	case EOF:
		return "end of query"
	case IDENT, QUOTED_IDENT, TILDE_IDENT:
		return fmt.Sprintf("identifier %q", it.lit)
	case STRING:
		return "string " + it.lit
	case INT, DECIMAL:
		return "number " + it.lit
	}
	if it.tok.IsKeyword() {
		return fmt.Sprintf("keyword '%s'", it.lit)
	}
	return fmt.Sprintf("'%s'", it.lit)
}

func (p *parser) unexpected(context, hint string) {
	p.fail(hint, "unexpected %s %s", describe(p.tok), context)
}

func (p *parser) expect(t Token, context string) item {
	if p.tok.tok != t {
		hint := ""
		if t == RBRACK && p.tok.tok == EOF {
			hint = "close the term with ]"
		}
		p.fail(hint, "expected '%s' %s, found %s", t, context, describe(p.tok))
	}
	it := p.tok
	p.next()
	return it
}

// ---------------------------------------------------------------------------
// Statements

// parseStatements parses the statement and, if text follows it, keeps
// parsing further queries so that every fault of a pasted multi-query text
// is reported at once. Only the first statement is returned.
func (p *parser) parseStatements() *Statement {
	var first *Statement
	for {
		stmt, bailed := p.parseOneStatement()
		if first == nil {
			first = stmt
		}
		if p.tok.tok == EOF || len(p.errs.list) >= maxErrors {
			break
		}
		if !bailed {
			p.reportTrailing()
		}
		// After a clean statement any query start will do; after a failed
		// one only a top-level keyword is a safe place to resume, since a
		// [category where ...] may be the inside of the broken sequence.
		if !p.syncToQuery(!bailed) {
			break
		}
	}
	return first
}

func (p *parser) parseOneStatement() (stmt *Statement, bailed bool) {
	stmt = &Statement{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			bailed = true
			if stmt.Query == nil {
				stmt.Query = &EventQuery{From: p.tok.pos, Where: &BadExpr{p.tok.pos, p.tok.end}}
			}
			if p.tok.tok != EOF {
				p.next() // make progress
			}
		}
	}()
	stmt.Query = p.parseQuery()
	for p.tok.tok == PIPE {
		stmt.Pipes = append(stmt.Pipes, p.parsePipe())
	}
	return stmt, false
}

// reportTrailing explains text found after a complete statement.
func (p *parser) reportTrailing() {
	it := p.tok
	switch {
	case it.tok == IDENT && strings.EqualFold(it.lit, "pipe"):
		p.errorAt(it, "pipes are written with the '|' character, and a pipe cannot hold another query: "+
			"an EQL statement holds exactly one query, so write each sequence as its own rule",
			"unexpected word 'pipe' after the query")
	case it.tok == SEQUENCE || it.tok == SAMPLE || it.tok == JOIN ||
		(it.tok == IDENT || it.tok == ANY) && p.peek(1).tok == WHERE:
		p.errorAt(it, "an EQL statement holds exactly one query; write each query as its own rule",
			"unexpected second query after the first")
	case it.tok == ASSIGN:
		p.errorAt(it, "use == (case-sensitive) or : (case-insensitive) to compare",
			"'=' is not an equality operator in EQL")
	default:
		p.errorAt(it, "", "unexpected %s after the query", describe(it))
	}
}

// syncToQuery skips to the start of the next query, reporting whether one
// was found. With eventQueries false only sequence, sample and join count.
func (p *parser) syncToQuery(eventQueries bool) bool {
	for p.tok.tok != EOF {
		switch {
		case p.tok.tok == SEQUENCE || p.tok.tok == SAMPLE || p.tok.tok == JOIN:
			return true
		case eventQueries && (p.tok.tok == IDENT || p.tok.tok == ANY || p.tok.tok == STRING) && p.peek(1).tok == WHERE:
			return true
		}
		p.next()
	}
	return false
}

func (p *parser) parseQuery() QueryNode {
	switch p.tok.tok {
	case SEQUENCE:
		return p.parseSequence()
	case SAMPLE:
		return p.parseSample()
	case JOIN:
		return p.parseJoin()
	case LBRACK, MISSING:
		p.fail("start a sequence with the keyword: sequence [by keys] [with maxspan=5m] [ ... ] [ ... ]",
			"a bracketed query must follow 'sequence' or 'sample'")
	case EOF:
		p.fail("a query looks like: process where process.name == \"cmd.exe\"", "empty query")
	}
	return p.parseEventQuery()
}

func (p *parser) parseEventQuery() *EventQuery {
	q := &EventQuery{From: p.tok.pos, CatPos: p.tok.pos}
	switch p.tok.tok {
	case ANY:
		p.next()
	case IDENT, QUOTED_IDENT:
		q.Category = p.tok.val
		p.next()
	case STRING:
		q.Category = p.tok.val
		p.next()
	default:
		if p.tok.tok.IsKeyword() && p.peek(1).tok == WHERE {
			q.Category = p.tok.lit
			p.next()
			break
		}
		p.unexpected("where an event category was expected", "a query starts with an event category or 'any': process where ...")
	}
	if p.tok.tok != WHERE {
		hint := "write: " + orAny(q.Category) + " where <condition>"
		if p.tok.tok == DOT {
			hint = "an event query starts with a category or 'any', as in: any where " + q.Category + "." + p.peek(1).lit + " ..."
		}
		p.fail(hint, "expected 'where' after the event category, found %s", describe(p.tok))
	}
	p.next()
	if p.tok.tok == EOF || p.tok.tok == RBRACK || p.tok.tok == PIPE {
		p.fail("write a condition, or 'true' to match every event", "missing condition after 'where'")
	}
	q.Where = p.parseExpr()
	return q
}

func orAny(cat string) string {
	if cat == "" {
		return "any"
	}
	return cat
}

func (p *parser) parseJoinKeys() []Expr {
	p.next() // by
	keys := []Expr{p.parseExpr()}
	for p.tok.tok == COMMA {
		p.next()
		keys = append(keys, p.parseExpr())
	}
	return keys
}

func (p *parser) parseSequence() *Sequence {
	q := &Sequence{From: p.tok.pos}
	seqTok := p.tok
	p.next()
	if p.tok.tok == BY {
		q.By = p.parseJoinKeys()
	}
	if p.tok.tok == WITH {
		p.parseMaxSpan(q)
		if p.tok.tok == BY {
			p.errorAt(p.tok, "write: sequence by <keys> with maxspan=<span>", "the sequence 'by' clause must come before 'with', not after")
			q.By = p.parseJoinKeys()
		}
	}
	for p.tok.tok == LBRACK || p.tok.tok == MISSING {
		q.Terms = append(q.Terms, p.parseTerm(true))
	}
	if len(q.Terms) == 0 {
		p.fail("a sequence lists its queries in brackets: sequence [process where ...] [file where ...]",
			"expected '[' to start the first sequence query, found %s", describe(p.tok))
	}
	if p.tok.tok == UNTIL {
		p.next()
		if p.tok.tok != LBRACK {
			p.fail("", "expected '[' after 'until', found %s", describe(p.tok))
		}
		q.Until = p.parseTerm(false)
	}
	q.To = p.lastEnd()
	p.checkSequence(q, seqTok)
	return q
}

// checkSequence applies the rules Elasticsearch enforces while parsing.
func (p *parser) checkSequence(q *Sequence, seqTok item) {
	total, positive := 0, 0
	for _, t := range q.Terms {
		n := max(t.Runs, 1)
		total += n
		if !t.Missing {
			positive += n
		}
	}
	if total < 2 {
		hint := "add a second bracketed query, or repeat this one with 'with runs=N' (N from 2 to 100) after its 'by' clause; " +
			"to match single events, drop 'sequence' and write the event query alone"
		p.errs.add(q.From, seqTok.end, false,
			fmt.Sprintf("a sequence needs at least 2 queries, found %d", total), hint)
	}
	hasMissing := total != positive
	if hasMissing && positive == 0 {
		p.errs.add(q.From, seqTok.end, false, "a sequence needs at least one query that is not a missing event ![...]", "")
	}
	if hasMissing && q.MaxSpan == 0 {
		p.errs.add(q.From, seqTok.end, false, "a sequence with missing events ![...] requires 'with maxspan'",
			"add it after the by clause: sequence by host.id with maxspan=5m")
	}
	if q.Until != nil && hasMissing {
		p.errs.add(q.Until.From, q.Until.To, false, "'until' cannot be combined with missing events ![...]", "")
	}
	// Every term must have the same number of join keys.
	keys := -1
	for _, t := range append(q.Terms, q.Until) {
		if t == nil {
			continue
		}
		if keys < 0 {
			keys = len(t.By)
		} else if len(t.By) != keys {
			p.errs.add(t.From, t.To, false,
				fmt.Sprintf("inconsistent number of join keys; expected %d but found %d", keys, len(t.By)),
				"every bracketed query of a sequence needs the same number of 'by' keys")
		}
	}
}

func (p *parser) parseMaxSpan(q *Sequence) {
	p.next() // with
	if p.tok.tok != MAXSPAN {
		if p.tok.tok == IDENT && p.tok.lit == "runs" {
			p.fail("'with runs=N' goes after a bracketed query; the sequence itself takes 'with maxspan=<span>'",
				"unexpected 'runs' on the sequence")
		}
		hint := ""
		if s := suggest.Nearest(p.tok.lit, []string{"maxspan"}); s != "" {
			hint = "did you mean 'maxspan'?"
		}
		p.fail(hint, "expected 'maxspan' after 'with', found %s", describe(p.tok))
	}
	p.next()
	if p.tok.tok == EQ {
		p.errorAt(p.tok, "write maxspan=5m", "use '=' here, not '=='")
	} else if p.tok.tok != ASSIGN {
		p.fail("write maxspan=5m", "expected '=' after 'maxspan', found %s", describe(p.tok))
	}
	p.next()
	numTok := p.tok
	q.MaxSpanPos = numTok.pos
	if numTok.tok != INT && numTok.tok != DECIMAL {
		p.fail("write a positive whole number and a unit: maxspan=30s", "expected a number after 'maxspan=', found %s", describe(numTok))
	}
	p.next()
	unitTok := p.tok
	hasUnit := unitTok.tok == IDENT && unitTok.pos == numTok.end
	if unitTok.tok == IDENT && !hasUnit {
		hasUnit = true // "5 m" is accepted too, as the grammar allows it
	}
	if hasUnit {
		p.next()
	}
	text := numTok.lit
	if hasUnit {
		text += unitTok.lit
	}
	end := numTok.end
	if hasUnit {
		end = unitTok.end
	}
	if numTok.tok == DECIMAL {
		p.errs.add(numTok.pos, end, false, fmt.Sprintf("decimal time interval [%s] is not supported", text),
			"use a positive whole number with a smaller unit, e.g. 1500ms instead of 1.5s")
		return
	}
	n, err := strconv.ParseInt(numTok.lit, 10, 64)
	if err != nil || n <= 0 {
		p.errs.add(numTok.pos, end, false, fmt.Sprintf("a positive maxspan value is required; found [%s]", numTok.lit), "")
		return
	}
	if !hasUnit {
		p.errs.add(numTok.pos, end, false, "no time unit in maxspan="+numTok.lit,
			fmt.Sprintf("did you mean %ss? units are ms, s, m, h, d", numTok.lit))
		return
	}
	unit, ok := timeUnits[unitTok.lit]
	if !ok {
		hint := "use one of ms, s, m, h, d"
		if alias, ok := unitAliases[strings.ToLower(unitTok.lit)]; ok {
			hint = fmt.Sprintf("did you mean %s%s? units are ms, s, m, h, d", numTok.lit, alias)
		}
		p.errs.add(unitTok.pos, unitTok.end, false,
			fmt.Sprintf("unknown time unit %q in maxspan=%s", unitTok.lit, text), hint)
		return
	}
	if n > math.MaxInt64/int64(unit) {
		p.errs.add(numTok.pos, end, false, fmt.Sprintf("maxspan=%s is too large", text), "")
		return
	}
	q.MaxSpan = time.Duration(n) * unit
}

var timeUnits = map[string]time.Duration{
	"ms": time.Millisecond,
	"s":  time.Second,
	"m":  time.Minute,
	"h":  time.Hour,
	"d":  24 * time.Hour,
}

var unitAliases = map[string]string{
	"msec": "ms", "msecs": "ms", "millis": "ms", "milliseconds": "ms", "millisecond": "ms",
	"sec": "s", "secs": "s", "second": "s", "seconds": "s", "S": "s",
	"min": "m", "mins": "m", "minute": "m", "minutes": "m", "mn": "m",
	"hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"day": "d", "days": "d",
	"w": "d", "week": "d", "weeks": "d",
	"ns": "ms", "us": "ms", "micros": "ms",
}

// parseTerm parses [ filter ] or ![ filter ] with its by and runs clauses.
func (p *parser) parseTerm(allowMissing bool) *Term {
	t := &Term{From: p.tok.pos, Missing: p.tok.tok == MISSING}
	if t.Missing && !allowMissing {
		p.errorAt(p.tok, "", "a missing event ![...] cannot be used here")
	}
	p.next()
	if p.tok.tok == LBRACK {
		p.fail("a term holds one event query: [process where ...]", "unexpected '[' inside a bracketed query")
	}
	t.Query = p.parseEventQuery()
	if p.tok.tok != RBRACK {
		if p.tok.tok == BY {
			p.fail("move the 'by' clause after the closing bracket: [process where ...] by process.entity_id",
				"'by' inside a bracketed query")
		}
		p.fail("close the bracketed query with ]", "expected ']' after the condition, found %s", describe(p.tok))
	}
	t.To = p.tok.end
	p.next()
	if p.tok.tok == IDENT && p.tok.lit == "fork" {
		p.errorAt(p.tok, "Elasticsearch has no fork; every event of a sequence is used once", "sequence fork is not supported by Elasticsearch EQL")
		p.next()
		if p.tok.tok == ASSIGN || p.tok.tok == EQ {
			p.next()
			p.next()
		}
	}
	if p.tok.tok == BY {
		t.By = p.parseJoinKeys()
		t.To = p.lastEnd()
	}
	if p.tok.tok == WITH {
		p.parseRuns(t)
		if p.tok.tok == BY {
			p.errorAt(p.tok, "write [ ... ] by key with runs=N", "a term's 'by' clause must come before 'with runs'")
			t.By = p.parseJoinKeys()
		}
	}
	return t
}

func (p *parser) parseRuns(t *Term) {
	p.next() // with
	key := p.tok
	if key.tok == MAXSPAN {
		p.fail("'maxspan' belongs to the sequence: sequence by host.id with maxspan=5m [ ... ] [ ... ]",
			"'with maxspan' after a bracketed query")
	}
	if key.tok != IDENT || key.lit != "runs" {
		hint := ""
		if suggest.Nearest(key.lit, []string{"runs"}) != "" {
			hint = "did you mean 'runs'?"
		}
		p.fail(hint, "expected 'runs' after 'with', found %s", describe(key))
	}
	p.next()
	if p.tok.tok != ASSIGN && p.tok.tok != EQ {
		p.fail("write with runs=3", "expected '=' after 'runs', found %s", describe(p.tok))
	}
	p.next()
	num := p.tok
	if num.tok != INT {
		p.fail("write a whole number from 1 to 100", "expected a number after 'runs=', found %s", describe(num))
	}
	p.next()
	n, err := strconv.Atoi(num.lit)
	t.RunsPos = num.pos
	t.To = num.end
	if err != nil || n < 1 || n > 100 {
		p.errs.add(num.pos, num.end, false, fmt.Sprintf("runs must be between 1 and 100, found %s", num.lit), "")
		n = 1
	}
	t.Runs = n
}

func (p *parser) parseSample() *Sample {
	q := &Sample{From: p.tok.pos}
	sampleTok := p.tok
	p.next()
	if p.tok.tok == BY {
		q.By = p.parseJoinKeys()
	}
	if p.tok.tok == WITH {
		p.fail("a sample takes no maxspan or runs", "unexpected 'with' in a sample")
	}
	for p.tok.tok == LBRACK || p.tok.tok == MISSING {
		t := p.parseTerm(false)
		if t.Runs > 0 {
			p.errs.add(t.RunsPos, t.To, false, "'with runs' is not supported in a sample", "")
		}
		q.Terms = append(q.Terms, t)
	}
	if p.tok.tok == UNTIL {
		p.fail("", "'until' is not supported in a sample")
	}
	q.To = p.lastEnd()
	if len(q.Terms) < 2 {
		p.errs.add(q.From, sampleTok.end, false, fmt.Sprintf("a sample needs at least 2 queries, found %d", len(q.Terms)), "")
	}
	keys := -1
	for _, t := range q.Terms {
		if keys < 0 {
			keys = len(t.By)
		} else if len(t.By) != keys {
			p.errs.add(t.From, t.To, false,
				fmt.Sprintf("inconsistent number of join keys; expected %d but found %d", keys, len(t.By)), "")
		}
	}
	if len(q.By)+max(keys, 0) == 0 {
		p.errs.add(q.From, sampleTok.end, false, "a sample needs join keys", "write: sample by host.id [ ... ] [ ... ]")
	}
	return q
}

func (p *parser) parseJoin() *Join {
	q := &Join{From: p.tok.pos}
	p.next()
	if p.tok.tok == BY {
		q.By = p.parseJoinKeys()
	}
	for p.tok.tok == LBRACK {
		q.Terms = append(q.Terms, p.parseTerm(false))
	}
	if p.tok.tok == UNTIL {
		p.next()
		q.Until = p.parseTerm(false)
	}
	q.To = p.lastEnd()
	p.errs.add(q.From, q.From+4, false, "join is not supported by Elasticsearch EQL",
		"use a sequence, which also orders the events: sequence by <key> [ ... ] [ ... ]")
	return q
}

// lastEnd is the end of the token before the current one; it is tracked
// through the lexer offset of the previous token.
func (p *parser) lastEnd() Pos {
	// The current token starts after any white space; walk back over it.
	end := p.tok.pos
	src := p.errs.src
	for end > 0 && (src[end-1] == ' ' || src[end-1] == '\n' || src[end-1] == '\t' || src[end-1] == '\r') {
		end--
	}
	return end
}

func (p *parser) parsePipe() *Pipe {
	pp := &Pipe{From: p.tok.pos}
	p.next()
	if p.tok.tok != IDENT {
		if p.tok.tok == SEQUENCE || p.tok.tok == SAMPLE || (p.tok.tok.IsKeyword() && p.peek(1).tok == WHERE) || p.peek(1).tok == WHERE {
			p.fail("an EQL statement holds exactly one query; the only pipes are head and tail "+
				"(and Vigil's hunting pipes count, unique, unique_count, filter, sort)",
				"a pipe cannot start another query")
		}
		p.fail("pipes are head, tail (and Vigil's count, unique, unique_count, filter, sort)",
			"expected a pipe name after '|', found %s", describe(p.tok))
	}
	pp.Name = p.tok.lit
	pp.NamePos = p.tok.pos
	pp.To = p.tok.end
	p.next()
	if p.tok.tok != PIPE && p.tok.tok != EOF {
		pp.Args = append(pp.Args, p.parseExpr())
		for {
			if p.tok.tok == COMMA {
				p.next()
			} else if !(isHuntingPipe(pp.Name) && startsAtom(p.tok.tok)) {
				break
			}
			// The original EQL separates the arguments of its hunting
			// pipes with spaces: | unique process_name parent_process_name
			pp.Args = append(pp.Args, p.parseExpr())
		}
		pp.To = pp.Args[len(pp.Args)-1].End()
	}
	return pp
}

func isHuntingPipe(name string) bool {
	switch name {
	case "count", "unique", "unique_count", "sort":
		return true
	}
	return false
}

func startsAtom(t Token) bool {
	switch t {
	case IDENT, QUOTED_IDENT, TILDE_IDENT, STRING, INT, DECIMAL, OPTIONAL, NULL, TRUE, FALSE, LPAREN:
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Expressions

func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.fail("", "expression nested deeper than %d levels", maxNesting)
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) parseExpr() Expr {
	return p.parseOr()
}

func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	for p.tok.tok == OR {
		op := p.tok
		p.next()
		y := p.parseAnd()
		x = &Binary{X: x, OpPos: op.pos, Op: OR, Y: y}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseNot()
	for p.tok.tok == AND {
		op := p.tok
		p.next()
		y := p.parseNot()
		x = &Binary{X: x, OpPos: op.pos, Op: AND, Y: y}
	}
	return x
}

func (p *parser) parseNot() Expr {
	p.enter()
	defer p.leave()
	if p.tok.tok == NOT {
		op := p.tok
		p.next()
		return &Unary{OpPos: op.pos, Op: NOT, X: p.parseNot()}
	}
	if p.tok.tok == IDENT && p.peek(1).tok == OF {
		p.fail("Elasticsearch EQL has no process lineage; join parent and child with a sequence by process.entity_id / process.parent.entity_id",
			"lineage '%s of' is not supported", p.tok.lit)
	}
	return p.parseComparison()
}

func isComparison(t Token) bool {
	switch t {
	case EQ, NEQ, LT, LTE, GT, GTE:
		return true
	}
	return false
}

func (p *parser) parseComparison() Expr {
	x := p.parseAdditive()
	switch {
	case isComparison(p.tok.tok):
		op := p.tok
		p.next()
		y := p.parseAdditive()
		x = &Binary{X: x, OpPos: op.pos, Op: op.tok, Y: y}
		if isComparison(p.tok.tok) {
			p.fail("combine comparisons with 'and': a < b and b < c", "comparisons cannot be chained")
		}
	case p.tok.tok == ASSIGN:
		op := p.tok
		p.errorAt(op, "use == (case-sensitive) or : (case-insensitive) to compare",
			"'=' is not an equality operator in EQL")
		p.next()
		y := p.parseAdditive()
		x = &Binary{X: x, OpPos: op.pos, Op: EQ, Y: y}
	}
	return x
}

func (p *parser) parseAdditive() Expr {
	x := p.parseMultiplicative()
	for p.tok.tok == PLUS || p.tok.tok == MINUS {
		op := p.tok
		p.next()
		y := p.parseMultiplicative()
		x = &Binary{X: x, OpPos: op.pos, Op: op.tok, Y: y}
	}
	return x
}

func (p *parser) parseMultiplicative() Expr {
	x := p.parseUnary()
	for p.tok.tok == STAR || p.tok.tok == SLASH || p.tok.tok == PERCENT {
		op := p.tok
		p.next()
		y := p.parseUnary()
		x = &Binary{X: x, OpPos: op.pos, Op: op.tok, Y: y}
	}
	return x
}

func (p *parser) parseUnary() Expr {
	p.enter()
	defer p.leave()
	if p.tok.tok == MINUS || p.tok.tok == PLUS {
		op := p.tok
		p.next()
		x := p.parseUnary()
		// Fold signs into numeric literals, as the grammar's literal would.
		if lit, ok := x.(*Literal); ok && op.tok == MINUS {
			switch lit.Kind {
			case LitInt:
				if lit.Int != math.MinInt64 {
					return &Literal{From: op.pos, To: lit.To, Kind: LitInt, Int: -lit.Int}
				}
			case LitFloat:
				return &Literal{From: op.pos, To: lit.To, Kind: LitFloat, Float: -lit.Float}
			}
		}
		return &Unary{OpPos: op.pos, Op: op.tok, X: x}
	}
	return p.parsePredicate()
}

// parsePredicate parses a primary expression and an optional in / : /
// like / regex predicate on it.
func (p *parser) parsePredicate() Expr {
	x := p.parsePrimary()
	switch p.tok.tok {
	case NOT:
		if nt := p.peek(1).tok; nt == IN || nt == IN_I {
			p.next()
			return p.parseIn(x, true)
		} else if nt == SEQ || nt == LIKE || nt == LIKE_I || nt == REGEX || nt == REGEX_I {
			p.fail("negate the whole predicate: not "+exprText(p, x)+" "+p.peek(1).lit+" ...",
				"'not %s' is not supported", p.peek(1).lit)
		}
	case IN, IN_I:
		return p.parseIn(x, false)
	case SEQ, LIKE, LIKE_I, REGEX, REGEX_I:
		return p.parseMatch(x)
	}
	return x
}

func exprText(p *parser, x Expr) string {
	return p.errs.src[x.Pos():x.End()]
}

func (p *parser) parseIn(x Expr, not bool) Expr {
	op := p.tok
	p.next()
	in := &In{X: x, OpPos: op.pos, Not: not, Insensitive: op.tok == IN_I}
	if p.tok.tok != LPAREN {
		p.fail("write: field in (\"a\", \"b\")", "expected '(' after '%s', found %s", op.lit, describe(p.tok))
	}
	p.next()
	if p.tok.tok == RPAREN {
		p.fail("list at least one value", "empty list after '%s'", op.lit)
	}
	in.List = append(in.List, p.parseExpr())
	for p.tok.tok == COMMA {
		p.next()
		in.List = append(in.List, p.parseExpr())
	}
	in.Rparen = p.expect(RPAREN, "to close the list").pos
	return in
}

func (p *parser) parseMatch(x Expr) Expr {
	op := p.tok
	p.next()
	m := &Match{X: x, OpPos: op.pos, Op: op.tok}
	constant := func() *Literal {
		c, ok := p.parsePrimary().(*Literal)
		if !ok {
			p.errorAt(op, "the right side of "+op.lit+" must be a string or a list of strings",
				"'%s' compares with constants only", op.lit)
			panic(bailout{})
		}
		return c
	}
	if p.tok.tok == LPAREN {
		p.next()
		m.Patterns = append(m.Patterns, constant())
		for p.tok.tok == COMMA {
			p.next()
			m.Patterns = append(m.Patterns, constant())
		}
		m.To = p.expect(RPAREN, "to close the list").end
		return m
	}
	m.Patterns = []*Literal{constant()}
	m.To = m.Patterns[0].To
	return m
}

func (p *parser) parsePrimary() Expr {
	it := p.tok
	switch it.tok {
	case NULL:
		p.next()
		return &Literal{From: it.pos, To: it.end, Kind: LitNull}
	case TRUE, FALSE:
		p.next()
		return &Literal{From: it.pos, To: it.end, Kind: LitBool, Bool: it.tok == TRUE}
	case INT:
		p.next()
		n, err := strconv.ParseInt(it.lit, 10, 64)
		if err != nil {
			f, _ := strconv.ParseFloat(it.lit, 64)
			return &Literal{From: it.pos, To: it.end, Kind: LitFloat, Float: f}
		}
		return &Literal{From: it.pos, To: it.end, Kind: LitInt, Int: n}
	case DECIMAL:
		p.next()
		f, err := strconv.ParseFloat(it.lit, 64)
		if err != nil && !math.IsInf(f, 0) {
			p.errorAt(it, "", "invalid number %s", it.lit)
		}
		return &Literal{From: it.pos, To: it.end, Kind: LitFloat, Float: f}
	case STRING:
		p.next()
		return &Literal{From: it.pos, To: it.end, Kind: LitString, Str: it.val, Raw: it.raw}
	case LPAREN:
		p.next()
		x := p.parseExpr()
		rp := p.expect(RPAREN, "to close the parenthesis")
		return &Paren{Lparen: it.pos, Rparen: rp.pos, X: x}
	case TILDE_IDENT:
		if p.peek(1).tok != LPAREN {
			p.fail("'~' marks a case-insensitive function or operator: startsWith~(...), in~, like~, regex~",
				"unexpected %q", it.lit)
		}
		return p.parseCall()
	case IDENT:
		if p.peek(1).tok == LPAREN {
			return p.parseCall()
		}
		return p.parseField(false)
	case QUOTED_IDENT:
		return p.parseField(false)
	case OPTIONAL:
		p.next()
		if p.tok.tok != IDENT && p.tok.tok != QUOTED_IDENT {
			p.fail("write ?field.name for an optional field", "expected a field name after '?', found %s", describe(p.tok))
		}
		f := p.parseField(true)
		f.From = it.pos
		return f
	case LBRACK:
		p.fail("brackets hold the queries of a sequence; in a condition use in (...) for a list", "unexpected '['")
	case ASSIGN:
		p.fail("use == (case-sensitive) or : (case-insensitive) to compare", "'=' is not an equality operator in EQL")
	}
	if it.tok.IsKeyword() {
		hint := ""
		if it.tok == WHERE {
			hint = "an event query has one 'where'; combine conditions with and / or"
		}
		p.fail(hint, "unexpected keyword '%s' where a value or field was expected", it.lit)
	}
	if it.tok == EOF {
		p.fail("the condition is incomplete", "unexpected end of query where a value or field was expected")
	}
	p.fail("", "unexpected %s where a value or field was expected", describe(it))
	return nil
}

func (p *parser) parseCall() Expr {
	name := p.tok
	p.next() // name
	p.next() // (
	c := &Call{NamePos: name.pos, Name: name.val, Insensitive: name.tok == TILDE_IDENT}
	if p.tok.tok != RPAREN {
		c.Args = append(c.Args, p.parseExpr())
		for p.tok.tok == COMMA {
			p.next()
			c.Args = append(c.Args, p.parseExpr())
		}
	}
	c.Rparen = p.expect(RPAREN, "to close the function call").pos
	return c
}

func (p *parser) parseField(optional bool) *Field {
	f := &Field{From: p.tok.pos, Optional: optional}
	var b strings.Builder
	b.WriteString(p.tok.val)
	f.Parts = append(f.Parts, p.tok.val)
	f.To = p.tok.end
	p.next()
	for {
		switch {
		case p.tok.tok == DOT && p.tok.pos == f.To:
			p.next()
			// A keyword is a fine field name after a dot (event.sequence).
			if p.tok.tok != IDENT && p.tok.tok != QUOTED_IDENT && !p.tok.tok.IsKeyword() {
				if p.tok.tok == INT {
					p.fail("field names with digits after a dot need back quotes: "+b.String()+".`"+p.tok.lit+"`",
						"expected a field name after '.', found %s", describe(p.tok))
				}
				p.fail("", "expected a field name after '.', found %s", describe(p.tok))
			}
			b.WriteByte('.')
			b.WriteString(p.tok.val)
			f.Parts = append(f.Parts, p.tok.val)
			f.To = p.tok.end
			p.next()
		case p.tok.tok == DECIMAL && p.tok.pos == f.To && strings.HasPrefix(p.tok.lit, ".") && !strings.ContainsAny(p.tok.lit, "eE"):
			// a.1 lexes as a decimal; treat the digits as a name part.
			b.WriteString(p.tok.lit)
			f.Parts = append(f.Parts, p.tok.lit[1:])
			f.To = p.tok.end
			p.next()
		case p.tok.tok == LBRACK && p.tok.pos == f.To && p.peek(1).tok == INT && p.peek(2).tok == RBRACK:
			p.next()
			n, err := strconv.Atoi(p.tok.lit)
			if err != nil {
				p.fail("", "index %s is too large", p.tok.lit)
			}
			f.Index = append(f.Index, n)
			f.IndexAfter = append(f.IndexAfter, len(f.Parts)-1)
			fmt.Fprintf(&b, "[%d]", n)
			p.next()
			f.To = p.tok.end
			p.next()
		default:
			f.Name = b.String()
			return f
		}
	}
}
