package eql

import "time"

// Node is any node of the syntax tree.
type Node interface {
	Pos() Pos // first byte of the node
	End() Pos // first byte after the node
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// ---------------------------------------------------------------------------
// Expressions

// LitKind is the type of a literal.
type LitKind uint8

// The kinds of literal.
const (
	LitNull LitKind = iota
	LitBool
	LitInt
	LitFloat
	LitString
)

type (
	// Literal is a constant: null, true, 42, 4.2 or "text".
	Literal struct {
		From, To Pos
		Kind     LitKind
		Bool     bool
		Int      int64
		Float    float64
		Str      string
		Raw      bool // a """raw""" string
	}

	// Field is a reference to a document field, such as process.name,
	// `strange-name`.sub or ?optional.field.
	Field struct {
		From, To   Pos
		Name       string   // dotted path, with any [N] indexes
		Parts      []string // the identifiers as written, unquoted
		Optional   bool     // written with a leading ?
		Index      []int    // Endgame-style [N] indexes (rejected outside extension pipes)
		IndexAfter []int    // for each index, the part it follows
	}

	// Unary is not X, -X or +X.
	Unary struct {
		OpPos Pos
		Op    Token // NOT, MINUS, PLUS
		X     Expr
	}

	// Binary is X op Y for logical, comparison and arithmetic operators.
	Binary struct {
		X     Expr
		OpPos Pos
		Op    Token // AND, OR, EQ, NEQ, LT, LTE, GT, GTE, PLUS, MINUS, STAR, SLASH, PERCENT
		Y     Expr
	}

	// In is X in (a, b), X in~ (...), X not in (...).
	In struct {
		X           Expr
		OpPos       Pos
		Not         bool
		Insensitive bool
		List        []Expr
		Rparen      Pos
	}

	// Match is X : p, X like p, X like~ (p, q), X regex p, X regex~ p.
	Match struct {
		X        Expr
		OpPos    Pos
		Op       Token // SEQ, LIKE, LIKE_I, REGEX, REGEX_I
		Patterns []*Literal
		To       Pos
	}

	// Call is a function call: name(args) or name~(args).
	Call struct {
		NamePos     Pos
		Name        string // as written, without '~'
		Insensitive bool   // written name~
		Args        []Expr
		Rparen      Pos
	}

	// Paren is a parenthesised expression, kept for positions and printing.
	Paren struct {
		Lparen, Rparen Pos
		X              Expr
	}

	// BadExpr stands for an expression that did not parse.
	BadExpr struct {
		From, To Pos
	}
)

func (x *Literal) Pos() Pos { return x.From }
func (x *Literal) End() Pos { return x.To }
func (x *Field) Pos() Pos   { return x.From }
func (x *Field) End() Pos   { return x.To }
func (x *Unary) Pos() Pos   { return x.OpPos }
func (x *Unary) End() Pos   { return x.X.End() }
func (x *Binary) Pos() Pos  { return x.X.Pos() }
func (x *Binary) End() Pos  { return x.Y.End() }
func (x *In) Pos() Pos      { return x.X.Pos() }
func (x *In) End() Pos      { return x.Rparen + 1 }
func (x *Match) Pos() Pos   { return x.X.Pos() }
func (x *Match) End() Pos   { return x.To }
func (x *Call) Pos() Pos    { return x.NamePos }
func (x *Call) End() Pos    { return x.Rparen + 1 }
func (x *Paren) Pos() Pos   { return x.Lparen }
func (x *Paren) End() Pos   { return x.Rparen + 1 }
func (x *BadExpr) Pos() Pos { return x.From }
func (x *BadExpr) End() Pos { return x.To }

func (*Literal) exprNode() {}
func (*Field) exprNode()   {}
func (*Unary) exprNode()   {}
func (*Binary) exprNode()  {}
func (*In) exprNode()      {}
func (*Match) exprNode()   {}
func (*Call) exprNode()    {}
func (*Paren) exprNode()   {}
func (*BadExpr) exprNode() {}

// Inspect traverses x depth first, as go/ast.Inspect does: it calls f for
// x and, if f returns true, for each of its sub-expressions in turn. The
// patterns of a Match are literals and are not visited.
func Inspect(x Expr, f func(Expr) bool) {
	if x == nil || !f(x) {
		return
	}
	switch x := x.(type) {
	case *Unary:
		Inspect(x.X, f)
	case *Binary:
		Inspect(x.X, f)
		Inspect(x.Y, f)
	case *In:
		Inspect(x.X, f)
		for _, e := range x.List {
			Inspect(e, f)
		}
	case *Match:
		Inspect(x.X, f)
	case *Call:
		for _, a := range x.Args {
			Inspect(a, f)
		}
	case *Paren:
		Inspect(x.X, f)
	}
}

// ---------------------------------------------------------------------------
// Queries

// QueryNode is the query part of a statement: an event query, a sequence, a
// sample, or (rejected) an Endgame join.
type QueryNode interface {
	Node
	queryNode()
}

type (
	// EventQuery is "category where condition"; Category is "" for any.
	EventQuery struct {
		From     Pos
		Category string
		CatPos   Pos
		Where    Expr
	}

	// Term is one bracketed part of a sequence, sample or join.
	Term struct {
		From, To Pos
		Missing  bool // written ![ ... ]
		Query    *EventQuery
		By       []Expr
		Runs     int // with runs=N; 0 when absent
		RunsPos  Pos
	}

	// Sequence is sequence [by keys] [with maxspan=...] terms [until term].
	Sequence struct {
		From       Pos
		By         []Expr
		MaxSpan    time.Duration // 0 when absent
		MaxSpanPos Pos
		Terms      []*Term
		Until      *Term
		To         Pos
	}

	// Sample is sample [by keys] terms.
	Sample struct {
		From  Pos
		By    []Expr
		Terms []*Term
		To    Pos
	}

	// Join is the Endgame join, parsed only to be rejected clearly.
	Join struct {
		From  Pos
		By    []Expr
		Terms []*Term
		Until *Term
		To    Pos
	}
)

func (q *EventQuery) Pos() Pos { return q.From }
func (q *EventQuery) End() Pos { return q.Where.End() }
func (t *Term) Pos() Pos       { return t.From }
func (t *Term) End() Pos       { return t.To }
func (q *Sequence) Pos() Pos   { return q.From }
func (q *Sequence) End() Pos   { return q.To }
func (q *Sample) Pos() Pos     { return q.From }
func (q *Sample) End() Pos     { return q.To }
func (q *Join) Pos() Pos       { return q.From }
func (q *Join) End() Pos       { return q.To }

func (*EventQuery) queryNode() {}
func (*Sequence) queryNode()   {}
func (*Sample) queryNode()     {}
func (*Join) queryNode()       {}

// Pipe is "| name args": head and tail from Elasticsearch, and the hunting
// pipes count, unique, unique_count, filter and sort of the original EQL as
// extensions.
type Pipe struct {
	From    Pos
	Name    string
	NamePos Pos
	Args    []Expr
	To      Pos
}

// Pos returns the position of the pipe character.
func (p *Pipe) Pos() Pos { return p.From }

// End returns the position after the last argument.
func (p *Pipe) End() Pos { return p.To }

// Statement is a whole EQL query: a query followed by pipes.
type Statement struct {
	Query QueryNode
	Pipes []*Pipe
}

// Pos returns the start of the statement.
func (s *Statement) Pos() Pos { return s.Query.Pos() }

// End returns the end of the statement.
func (s *Statement) End() Pos {
	if n := len(s.Pipes); n > 0 {
		return s.Pipes[n-1].End()
	}
	return s.Query.End()
}
