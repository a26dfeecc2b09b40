package eql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a byte offset into the query text.
type Pos int

// item is one token with its place and, for literals, its decoded value.
type item struct {
	tok Token
	pos Pos    // offset of the first byte
	end Pos    // offset just past the last byte
	lit string // source text of the token
	val string // decoded value of a STRING or QUOTED_IDENT; name of a TILDE_IDENT without '~'
	raw bool   // STRING was written """raw"""
}

// lexer turns query text into tokens. Errors are reported to errh and the
// lexer carries on, so that the parser can report several problems at once.
type lexer struct {
	src  string
	off  int
	errh func(pos, end Pos, msg, hint string)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func (l *lexer) peekByte(n int) byte {
	if l.off+n < len(l.src) {
		return l.src[l.off+n]
	}
	return 0
}

// skip skips white space and comments.
func (l *lexer) skip() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.off++
		case c == '/' && l.peekByte(1) == '/':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.off++
			}
		case c == '/' && l.peekByte(1) == '*':
			start := l.off
			depth := 0
			for l.off < len(l.src) {
				if strings.HasPrefix(l.src[l.off:], "/*") {
					depth++
					l.off += 2
				} else if strings.HasPrefix(l.src[l.off:], "*/") {
					depth--
					l.off += 2
					if depth == 0 {
						break
					}
				} else {
					l.off++
				}
			}
			if depth > 0 {
				l.errh(Pos(start), Pos(start+2), "comment not terminated", "close it with */")
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() item {
	l.skip()
	start := l.off
	if l.off >= len(l.src) {
		return item{tok: EOF, pos: Pos(start), end: Pos(start)}
	}
	c := l.src[l.off]
	mk := func(t Token, n int) item {
		l.off += n
		return item{tok: t, pos: Pos(start), end: Pos(l.off), lit: l.src[start:l.off]}
	}
	switch {
	case isLetter(c) || c == '_' || c == '@':
		return l.word()
	case isDigit(c) || (c == '.' && isDigit(l.peekByte(1))):
		return l.number()
	}
	switch c {
	case '"':
		return l.str()
	case '\'':
		return l.oldString(start, 1)
	case '`':
		return l.quotedIdent()
	case '=':
		if l.peekByte(1) == '=' {
			return mk(EQ, 2)
		}
		return mk(ASSIGN, 1)
	case '!':
		switch l.peekByte(1) {
		case '=':
			return mk(NEQ, 2)
		case '[':
			return mk(MISSING, 2)
		}
		it := mk(ILLEGAL, 1)
		l.errh(it.pos, it.end, "unexpected character '!'", "use 'not' to negate, != for inequality, or ![ ... ] for a missing event")
		return it
	case '<':
		if l.peekByte(1) == '=' {
			return mk(LTE, 2)
		}
		return mk(LT, 1)
	case '>':
		if l.peekByte(1) == '=' {
			return mk(GTE, 2)
		}
		return mk(GT, 1)
	case ':':
		return mk(SEQ, 1)
	case '+':
		return mk(PLUS, 1)
	case '-':
		return mk(MINUS, 1)
	case '*':
		return mk(STAR, 1)
	case '/':
		return mk(SLASH, 1)
	case '%':
		return mk(PERCENT, 1)
	case '.':
		return mk(DOT, 1)
	case ',':
		return mk(COMMA, 1)
	case '[':
		return mk(LBRACK, 1)
	case ']':
		return mk(RBRACK, 1)
	case '(':
		return mk(LPAREN, 1)
	case ')':
		return mk(RPAREN, 1)
	case '|':
		if l.peekByte(1) == '|' {
			it := mk(ILLEGAL, 2)
			l.errh(it.pos, it.end, "unexpected '||'", "EQL writes logical or as 'or'")
			return it
		}
		return mk(PIPE, 1)
	case '?':
		if n := l.peekByte(1); n == '"' || n == '\'' {
			return l.oldString(start, 2)
		}
		return mk(OPTIONAL, 1)
	case '&':
		n := 1
		if l.peekByte(1) == '&' {
			n = 2
		}
		it := mk(ILLEGAL, n)
		l.errh(it.pos, it.end, fmt.Sprintf("unexpected '%s'", it.lit), "EQL writes logical and as 'and'")
		return it
	}
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	it := mk(ILLEGAL, size)
	l.errh(it.pos, it.end, fmt.Sprintf("unexpected character %#U", r), "")
	return it
}

func (l *lexer) word() item {
	start := l.off
	l.off++
	for l.off < len(l.src) {
		c := l.src[l.off]
		if !isLetter(c) && !isDigit(c) && c != '_' {
			break
		}
		l.off++
	}
	w := l.src[start:l.off]
	if l.off < len(l.src) && l.src[l.off] == '~' && isLetter(w[0]) {
		l.off++
		it := item{pos: Pos(start), end: Pos(l.off), lit: l.src[start:l.off], val: w}
		switch w {
		case "in":
			it.tok = IN_I
		case "like":
			it.tok = LIKE_I
		case "regex":
			it.tok = REGEX_I
		default:
			it.tok = TILDE_IDENT
		}
		return it
	}
	return item{tok: lookupKeyword(w), pos: Pos(start), end: Pos(l.off), lit: w, val: w}
}

func (l *lexer) number() item {
	start := l.off
	tok := INT
	for l.off < len(l.src) && isDigit(l.src[l.off]) {
		l.off++
	}
	if l.off < len(l.src) && l.src[l.off] == '.' {
		tok = DECIMAL
		l.off++
		for l.off < len(l.src) && isDigit(l.src[l.off]) {
			l.off++
		}
	}
	if l.off < len(l.src) && (l.src[l.off] == 'e' || l.src[l.off] == 'E') {
		save := l.off
		l.off++
		if l.off < len(l.src) && (l.src[l.off] == '+' || l.src[l.off] == '-') {
			l.off++
		}
		if l.off < len(l.src) && isDigit(l.src[l.off]) {
			tok = DECIMAL
			for l.off < len(l.src) && isDigit(l.src[l.off]) {
				l.off++
			}
		} else {
			l.off = save
		}
	}
	return item{tok: tok, pos: Pos(start), end: Pos(l.off), lit: l.src[start:l.off]}
}

// str lexes "..." (with escapes) and """...""" (raw).
func (l *lexer) str() item {
	start := l.off
	if strings.HasPrefix(l.src[l.off:], `"""`) {
		body := l.off + 3
		i := strings.Index(l.src[body:], `"""`)
		if i < 0 {
			l.off = len(l.src)
			it := item{tok: STRING, pos: Pos(start), end: Pos(l.off), lit: l.src[start:], raw: true}
			l.errh(it.pos, it.pos+3, "string not terminated", `close the raw string with """`)
			return it
		}
		end := body + i + 3
		// Up to two more quotes belong to the string: """a"""" is `a"`.
		for n := 0; n < 2 && end < len(l.src) && l.src[end] == '"'; n++ {
			end++
		}
		l.off = end
		return item{tok: STRING, pos: Pos(start), end: Pos(end), lit: l.src[start:end], val: l.src[body : end-3], raw: true}
	}
	var b strings.Builder
	i := l.off + 1
	for {
		if i >= len(l.src) || l.src[i] == '\n' || l.src[i] == '\r' {
			l.off = i
			it := item{tok: STRING, pos: Pos(start), end: Pos(i), lit: l.src[start:i], val: b.String()}
			l.errh(it.pos, it.pos+1, "string not terminated", `close it with " on the same line, or use """ for a raw string`)
			return it
		}
		c := l.src[i]
		if c == '"' {
			i++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(l.src) {
			i++
			continue
		}
		e := l.src[i+1]
		switch e {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '"', '\'', '\\':
			b.WriteByte(e)
		case 'u':
			// \u{XXXX}: 2 to 8 hex digits
			j := i + 2
			if j < len(l.src) && l.src[j] == '{' {
				k := strings.IndexByte(l.src[j:], '}')
				if k >= 3 && k <= 9 {
					if v, err := strconv.ParseUint(l.src[j+1:j+k], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
						b.WriteRune(rune(v))
						i = j + k + 1
						continue
					}
				}
			}
			l.errh(Pos(i), Pos(i+2), `invalid unicode escape`, `write it as \u{XXXX} with 2 to 8 hex digits`)
			b.WriteString(`\u`)
		default:
			hint := `valid escapes are \b \t \n \f \r \" \' \\ and \u{XXXX}`
			if e != ' ' {
				hint += `; for a Windows path write \\ or use a raw string: """C:\Windows\..."""`
			}
			l.errh(Pos(i), Pos(i+2), fmt.Sprintf(`invalid escape sequence \%c in string`, e), hint)
			b.WriteByte('\\')
			b.WriteByte(e)
		}
		i += 2
	}
	l.off = i
	return item{tok: STRING, pos: Pos(start), end: Pos(i), lit: l.src[start:i], val: b.String()}
}

// oldString lexes the Endgame-only 'single' and ?"raw" strings, reporting
// them as errors the way Elasticsearch does, and returns them as strings so
// that parsing can go on.
func (l *lexer) oldString(start, prefix int) item {
	q := l.src[start+prefix-1]
	i := start + prefix
	var b strings.Builder
	for i < len(l.src) && l.src[i] != q && l.src[i] != '\n' {
		if l.src[i] == '\\' && i+1 < len(l.src) && prefix == 1 {
			b.WriteByte(l.src[i+1])
			i += 2
			continue
		}
		b.WriteByte(l.src[i])
		i++
	}
	if i < len(l.src) && l.src[i] == q {
		i++
	}
	l.off = i
	it := item{tok: STRING, pos: Pos(start), end: Pos(i), lit: l.src[start:i], val: b.String()}
	if prefix == 1 {
		l.errh(it.pos, it.end, "single quotes ['] are not supported around strings", `use double quotes ["] instead`)
	} else {
		l.errh(it.pos, it.end, "the ?\"...\" raw string syntax is not supported", `use triple double quotes: """..."""`)
	}
	return it
}

func (l *lexer) quotedIdent() item {
	start := l.off
	i := l.off + 1
	var b strings.Builder
	for {
		if i >= len(l.src) {
			l.off = i
			it := item{tok: QUOTED_IDENT, pos: Pos(start), end: Pos(i), lit: l.src[start:], val: b.String()}
			l.errh(it.pos, it.pos+1, "quoted field name not terminated", "close it with `")
			return it
		}
		if l.src[i] == '`' {
			if i+1 < len(l.src) && l.src[i+1] == '`' {
				b.WriteByte('`')
				i += 2
				continue
			}
			i++
			break
		}
		b.WriteByte(l.src[i])
		i++
	}
	l.off = i
	return item{tok: QUOTED_IDENT, pos: Pos(start), end: Pos(i), lit: l.src[start:i], val: b.String()}
}
