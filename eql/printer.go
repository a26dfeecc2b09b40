package eql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// String renders the statement as canonical EQL on one line.
func (s *Statement) String() string {
	var b strings.Builder
	writeQuery(&b, s.Query)
	for _, p := range s.Pipes {
		b.WriteString(" | ")
		b.WriteString(p.Name)
		for i, a := range p.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
			writeExpr(&b, a)
		}
	}
	return b.String()
}

// ExprString renders an expression as canonical EQL.
func ExprString(x Expr) string {
	var b strings.Builder
	writeExpr(&b, x)
	return b.String()
}

func writeQuery(b *strings.Builder, q QueryNode) {
	switch q := q.(type) {
	case *EventQuery:
		writeEventQuery(b, q)
	case *Sequence:
		b.WriteString("sequence")
		writeBy(b, q.By)
		if q.MaxSpan > 0 {
			b.WriteString(" with maxspan=")
			b.WriteString(formatSpan(q.MaxSpan))
		}
		for _, t := range q.Terms {
			b.WriteByte(' ')
			writeTerm(b, t)
		}
		if q.Until != nil {
			b.WriteString(" until ")
			writeTerm(b, q.Until)
		}
	case *Sample:
		b.WriteString("sample")
		writeBy(b, q.By)
		for _, t := range q.Terms {
			b.WriteByte(' ')
			writeTerm(b, t)
		}
	case *Join:
		b.WriteString("join")
		writeBy(b, q.By)
		for _, t := range q.Terms {
			b.WriteByte(' ')
			writeTerm(b, t)
		}
		if q.Until != nil {
			b.WriteString(" until ")
			writeTerm(b, q.Until)
		}
	}
}

func writeEventQuery(b *strings.Builder, q *EventQuery) {
	if q.Category == "" {
		b.WriteString("any")
	} else if isPlainIdent(q.Category) {
		b.WriteString(q.Category)
	} else {
		b.WriteString(quoteString(q.Category))
	}
	b.WriteString(" where ")
	writeExpr(b, q.Where)
}

func writeBy(b *strings.Builder, keys []Expr) {
	if len(keys) == 0 {
		return
	}
	b.WriteString(" by ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, k)
	}
}

func writeTerm(b *strings.Builder, t *Term) {
	if t.Missing {
		b.WriteByte('!')
	}
	b.WriteByte('[')
	writeEventQuery(b, t.Query)
	b.WriteByte(']')
	writeBy(b, t.By)
	if t.Runs > 0 {
		b.WriteString(" with runs=")
		b.WriteString(strconv.Itoa(t.Runs))
	}
}

func formatSpan(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
}

func isPlainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c == '_' || (i > 0 && isDigit(c)) || (i == 0 && c == '@')) {
			return false
		}
	}
	return lookupKeyword(s) == IDENT
}

func writeField(b *strings.Builder, f *Field) {
	for i, part := range f.Parts {
		if i > 0 {
			b.WriteByte('.')
		}
		if isPlainIdent(part) || (i > 0 && part != "" && isKeywordIdent(part)) {
			b.WriteString(part)
		} else {
			b.WriteByte('`')
			b.WriteString(strings.ReplaceAll(part, "`", "``"))
			b.WriteByte('`')
		}
		for k, after := range f.IndexAfter {
			if after == i {
				fmt.Fprintf(b, "[%d]", f.Index[k])
			}
		}
	}
}

// isKeywordIdent reports whether s is a keyword spelled as an identifier,
// which may stand after a dot unquoted.
func isKeywordIdent(s string) bool {
	t := lookupKeyword(s)
	return t != IDENT && t.IsKeyword()
}

// quoteString writes s as an EQL double-quoted string. Bytes other than
// quotes, backslashes and control characters are copied as they are, so
// that any string, valid UTF-8 or not, prints and parses back unchanged.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if c < 0x20 {
				fmt.Fprintf(&b, `\u{%02x}`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeLiteral(b *strings.Builder, l *Literal) {
	switch l.Kind {
	case LitNull:
		b.WriteString("null")
	case LitBool:
		b.WriteString(strconv.FormatBool(l.Bool))
	case LitInt:
		b.WriteString(strconv.FormatInt(l.Int, 10))
	case LitFloat:
		s := strconv.FormatFloat(l.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") { // keep it a decimal literal
			s += ".0"
		}
		b.WriteString(s)
	case LitString:
		if l.Raw && !strings.Contains(l.Str, `"""`) && !strings.ContainsAny(l.Str, "\r\n") && !strings.HasSuffix(l.Str, `"`) {
			b.WriteString(`"""` + l.Str + `"""`)
		} else {
			b.WriteString(quoteString(l.Str))
		}
	}
}

func writeExpr(b *strings.Builder, x Expr) {
	switch x := x.(type) {
	case *Literal:
		writeLiteral(b, x)
	case *Field:
		if x.Optional {
			b.WriteByte('?')
		}
		writeField(b, x)
	case *Unary:
		if x.Op == NOT {
			b.WriteString("not ")
		} else {
			b.WriteString(x.Op.String())
		}
		writeOperand(b, x.X, x)
	case *Binary:
		writeOperand(b, x.X, x)
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		writeOperand(b, x.Y, x)
	case *In:
		writeOperand(b, x.X, x)
		if x.Not {
			b.WriteString(" not")
		}
		if x.Insensitive {
			b.WriteString(" in~ (")
		} else {
			b.WriteString(" in (")
		}
		for i, e := range x.List {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, e)
		}
		b.WriteByte(')')
	case *Match:
		writeOperand(b, x.X, x)
		if x.Op == SEQ {
			b.WriteString(" : ")
		} else {
			b.WriteString(" " + x.Op.String() + " ")
		}
		if len(x.Patterns) == 1 {
			writeLiteral(b, x.Patterns[0])
			return
		}
		b.WriteByte('(')
		for i, e := range x.Patterns {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLiteral(b, e)
		}
		b.WriteByte(')')
	case *Call:
		b.WriteString(x.Name)
		if x.Insensitive {
			b.WriteByte('~')
		}
		b.WriteByte('(')
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, a)
		}
		b.WriteByte(')')
	case *Paren:
		b.WriteByte('(')
		writeExpr(b, x.X)
		b.WriteByte(')')
	case *BadExpr:
		b.WriteString("<bad expression>")
	}
}

// precedence levels, higher binds tighter
func prec(x Expr) int {
	switch x := x.(type) {
	case *Binary:
		switch x.Op {
		case OR:
			return 1
		case AND:
			return 2
		case EQ, NEQ, LT, LTE, GT, GTE:
			return 4
		case PLUS, MINUS:
			return 5
		case STAR, SLASH, PERCENT:
			return 6
		}
	case *Unary:
		if x.Op == NOT {
			return 3
		}
		return 7
	case *In, *Match:
		return 8
	}
	return 9
}

// writeOperand writes child, adding parentheses when it binds more loosely
// than its parent.
func writeOperand(b *strings.Builder, child, parent Expr) {
	pc, pp := prec(child), prec(parent)
	need := pc < pp
	if bin, ok := parent.(*Binary); ok && pc == pp && bin.Y == child && pp >= 4 {
		need = true // left-associative arithmetic and non-associative comparisons
	}
	if _, ok := parent.(*In); ok && pc <= 8 {
		need = pc < 9
	}
	if _, ok := parent.(*Match); ok {
		need = pc < 9
	}
	if need {
		b.WriteByte('(')
		writeExpr(b, child)
		b.WriteByte(')')
		return
	}
	writeExpr(b, child)
}
