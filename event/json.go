package event

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds the nesting of arrays and objects the decoder accepts, so
// hostile input cannot exhaust the stack.
const maxDepth = 512

// SyntaxError is a JSON syntax error at a byte offset of the input.
type SyntaxError struct {
	Offset int    // byte offset of the offending character
	Msg    string // what was wrong, lower case
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// A Decoder turns JSON text into a [Value]. It keeps scratch buffers between
// calls, so one Decoder per goroutine decodes many documents with few
// allocations: the document's fields land in one slice sized to fit, and
// strings without escapes are not copied at all.
//
// Because of that, the Value returned by Decode refers to the input bytes:
// the caller must not modify data after decoding it.
//
// With Reuse set, the Decoder goes further and keeps its buffers from one
// document to the next: decoding allocates nothing, and each Value is
// valid only until the next call (keep one with [Value.Clone]).
type Decoder struct {
	// Reuse makes decoded values live in the Decoder's own buffers, valid
	// until the next Decode.
	Reuse bool

	data     []byte
	pos      int
	depth    int
	scratch  []Field               // the level of the composite being parsed: its members come last
	levels   [][]Field             // members of the composites at each depth: the document's storage
	members  int                   // members in the document so far
	one      []Field               // Peek's one-member document, with Reuse
	strbuf   []byte                // unescaped strings of the current document
	sel      *fieldNode            // the fields kept at the current level; nil keeps all
	narrow   *narrowing            // the selection's narrowing, if any
	narrowed bool                  // the document being decoded was narrowed
	wide     bool                  // decode without narrowing (the second try)
	unionKey []byte                // the values of a multi-valued narrowing field
	unions   map[string]*fieldNode // joined sets by unionKey, at most maxUnions
	lastStr  int                   // bytes of unescaped strings in the last document
	peekLeft uint64                // Peek: top-level fields not found yet, by child index
	ix       strIndex              // where the strings of data end, when indexed
	indexed  bool                  // ix holds data's string index
	indexing indexMode             // tests: when to index
}

// indexMode says when a Decoder builds a string index; tests use the
// modes other than indexAuto to compare decoding with and without it.
type indexMode uint8

const (
	indexAuto   indexMode = iota // when the machine can and the text is long enough
	indexNever                   // never
	indexAlways                  // whenever the machine can
)

// Decode parses data, which must hold exactly one JSON value (surrounding
// white space allowed).
func (d *Decoder) Decode(data []byte) (Value, error) {
	d.index(data)
	v, n, err := d.DecodePrefix(data)
	d.indexed = false
	if err == nil {
		err = trailing(data, n)
	}
	if err != nil {
		return Missing, err
	}
	return v, nil
}

// index builds the string index of data when that pays: for a whole
// document of some length (see minIndexed and maxIndexed), on a machine
// with the vector code. Only Decode indexes: DecodePrefix may be handed
// the rest of a long text, of which it reads one value.
func (d *Decoder) index(data []byte) {
	switch d.indexing {
	case indexAuto:
		d.indexed = haveIndex && len(data) >= minIndexed && len(data) <= maxIndexed
	case indexNever:
		d.indexed = false
	case indexAlways:
		d.indexed = haveIndex
	}
	if d.indexed {
		d.ix.build(data)
	}
}

// trailing checks that data[n:] is only white space.
func trailing(data []byte, n int) error {
	for ; n < len(data); n++ {
		if !isSpace(data[n]) {
			return &SyntaxError{n, fmt.Sprintf("invalid character %s after top-level value", quoteChar(data[n]))}
		}
	}
	return nil
}

// DecodePrefix parses the first JSON value in data (after white space) and
// returns it with the number of bytes consumed. It lets a reader walk the
// elements of a JSON array one by one.
func (d *Decoder) DecodePrefix(data []byte) (v Value, n int, err error) {
	d.wide = false
again:
	d.data, d.pos, d.depth, d.narrowed = data, 0, 0, false
	d.members = 0
	if d.Reuse {
		d.strbuf = d.strbuf[:0]
	} else {
		d.strbuf = nil
	}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return Missing, d.pos, &SyntaxError{d.pos, "unexpected end of JSON input"}
	}
	// The document decodes into a slot of its own at level 0, as every
	// member does into its slot at its composite's level.
	if len(d.levels) == 0 {
		d.levels = make([][]Field, 1, 8)
	}
	d.scratch = d.levels[0][:0]
	sel := d.sel
	err = d.valueAt(d.push(""))
	d.sel = sel
	if err == nil {
		// Every composite closed, so scratch is level 0 again.
		v = d.scratch[0].Value
		d.levels[0] = d.scratch
	}
	if err != nil || !d.Reuse {
		if err == nil {
			// The document must not share the decoder's levels, which
			// the next document overwrites: move its members to one
			// slice of its own.
			relocate(&v, make([]Field, d.members))
		}
		// Drop the members the levels hold, so that the decoder keeps
		// no reference into a document it handed out (or failed on).
		// After an error, a level may have grown into storage only
		// scratch knows of, and the levels' lengths may be short of what
		// was written.
		if err != nil {
			clear(d.scratch[:cap(d.scratch)])
		}
		for i, l := range d.levels {
			if err != nil {
				l = l[:cap(l)]
			}
			clear(l)
			d.levels[i] = l[:0]
		}
	} else {
		// Earlier documents' members are overwritten, not cleared: what
		// they still point to is bounded by the levels' capacity.
		for i := range d.levels {
			d.levels[i] = d.levels[i][:0]
		}
	}
	d.scratch = nil
	if err != nil {
		if err == errWiden && !d.wide {
			// A narrowed document had a second member holding the
			// narrowing field (see FieldSet.Narrow): decode it whole.
			d.wide = true
			goto again
		}
		return Missing, d.pos, err
	}
	d.lastStr = len(d.strbuf)
	d.data = nil
	return v, d.pos, nil
}

// relocate moves the members of v's composites, depth first, to the
// front of buf, and returns the rest of buf.
func relocate(v *Value, buf []Field) []Field {
	if v.kind != KindArray && v.kind != KindObject {
		return buf
	}
	n := len(v.kids)
	kids := buf[:n:n]
	copy(kids, v.kids)
	v.kids, buf = kids, buf[n:]
	for i := range kids {
		buf = relocate(&kids[i].Value, buf)
	}
	return buf
}

// dottedBit marks, in an object's num, that one of its keys contains a dot,
// so lookups must consider keys spanning several path components.
const dottedBit = 1 << 63

// valueAt decodes the value at d.pos into d.scratch[p]. Members of
// composites are decoded into their slot in place, rather than returned
// and copied: copying a just-written Value costs a store-forwarding stall
// per member, which was a fifth of the decoding time.
func (d *Decoder) valueAt(p int) error {
	c := d.data[d.pos]
	switch c {
	case '{':
		if d.sel != nil {
			return d.selObject(p, d.sel)
		}
		return d.composite(p, KindObject, '}')
	case '[':
		return d.composite(p, KindArray, ']')
	case '"':
		s, err := d.str()
		d.scratch[p].Value.set(KindString, 0, s, nil)
		return err
	case 't':
		return d.literal(p, "true", Bool(true))
	case 'f':
		return d.literal(p, "false", Bool(false))
	case 'n':
		return d.literal(p, "null", Null())
	}
	if c == '-' || (c >= '0' && c <= '9') {
		v, err := d.number()
		d.scratch[p].Value.set(v.kind, v.num, "", nil)
		return err
	}
	return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s looking for beginning of value", quoteChar(c))}
}

// literal checks that word is at d.pos and stores v in d.scratch[p]; with
// p < 0 it only checks.
func (d *Decoder) literal(p int, word string, v Value) error {
	end := d.pos + len(word)
	if end > len(d.data) || string(d.data[d.pos:end]) != word {
		return &SyntaxError{d.pos, fmt.Sprintf("invalid literal, expected %q", word)}
	}
	d.pos = end
	if p >= 0 {
		d.scratch[p].Value.set(v.kind, v.num, "", nil)
	}
	return nil
}

// composite decodes an array or an object, keeping every member, into
// d.scratch[p].
func (d *Decoder) composite(p int, kind Kind, closer byte) error {
	open := d.pos
	d.depth++
	if d.depth > maxDepth {
		return &SyntaxError{d.pos, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	d.pos++
	start := d.enter()
	dotted := false
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == closer {
		d.pos++
	} else {
		for {
			if d.pos >= len(d.data) {
				return d.eof(open, kind)
			}
			var key string
			if kind == KindObject {
				var ok bool
				if key, ok = d.keyIndexed(); !ok {
					var err error
					if key, err = d.keySlow(open); err != nil {
						return err
					}
				}
				dotted = dotted || strings.IndexByte(key, '.') >= 0
			}
			if err := d.valueAt(d.push(key)); err != nil {
				return err
			}
			if i := d.pos; i+1 < len(d.data) && d.data[i] == ',' && d.data[i+1] > ' ' {
				d.pos = i + 1
				continue
			}
			if i := d.pos; i < len(d.data) && d.data[i] == closer {
				d.pos = i + 1
				break
			}
			end, err := d.afterMember(open, kind, closer)
			if err != nil {
				return err
			}
			if end {
				break
			}
		}
	}
	d.close(p, kind, start, dotted)
	return nil
}

// enter starts the members of a composite just opened at d.depth: they
// go to the end of that depth's level, and enter returns where they
// start. The level of the composite's parent is kept as it now is, with
// the slot the composite will fill.
func (d *Decoder) enter() int {
	d.levels[d.depth-1] = d.scratch
	if d.depth == len(d.levels) {
		d.levels = append(d.levels, nil)
	}
	d.scratch = d.levels[d.depth]
	return len(d.scratch)
}

// close ends the composite whose members are scratch[start:], leaves its
// depth, and stores the composite in its slot p of the parent's level.
// The members stay where they were decoded: a level only grows within a
// document, and when it moves, the composites closed before keep their
// members in the old storage.
func (d *Decoder) close(p int, kind Kind, start int, dotted bool) {
	n := len(d.scratch)
	kids := d.scratch[start:n:n]
	d.members += n - start
	d.levels[d.depth] = d.scratch
	d.depth--
	d.scratch = d.levels[d.depth]
	var num uint64
	if dotted {
		num = dottedBit
	}
	d.scratch[p].Value.set(kind, num, "", kids)
}

// push adds a slot for a member with the given key to scratch and returns
// its index; the member's value is decoded into it with valueAt.
func (d *Decoder) push(key string) int {
	n := len(d.scratch)
	if n < cap(d.scratch) {
		d.scratch = d.scratch[:n+1]
	} else {
		d.scratch = append(d.scratch, Field{})
	}
	d.scratch[n].Key = key
	return n
}

// set stores a value field by field. Assigning a Value literal instead
// makes the compiler build it on the stack and copy it with wide loads
// that stall on the narrow stores just made, once per member decoded.
func (v *Value) set(kind Kind, num uint64, str string, kids []Field) {
	v.kind, v.num, v.str, v.kids = kind, num, str, kids
}

// keySlow reads an object member's key, and the colon and white space
// after it, for the keys keyIndexed leaves: it leaves d.pos at the
// member's value. open is where the object opened.
func (d *Decoder) keySlow(open int) (string, error) {
	if d.data[d.pos] != '"' {
		return "", d.keyError()
	}
	key, err := d.str()
	if err != nil {
		return "", err
	}
	if i := d.pos; i+1 < len(d.data) && d.data[i] == ':' && d.data[i+1] > ' ' {
		d.pos = i + 1
	} else if err := d.afterKey(open); err != nil {
		return "", err
	}
	return key, nil
}

// keyError reports the byte at d.pos, where an object member's key should
// start.
func (d *Decoder) keyError() error {
	return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s looking for beginning of object key string", quoteChar(d.data[d.pos]))}
}

// afterKey passes the colon after the key of a member of the object
// opened at open, and the white space around it, stopping at the member's
// value. Callers first test inline for the usual case, a colon right
// before the value; a call per member costs a tenth of the decoding time.
func (d *Decoder) afterKey(open int) error {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.eof(open, KindObject)
	}
	if d.data[d.pos] != ':' {
		return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s after object key", quoteChar(d.data[d.pos]))}
	}
	d.pos++
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.eof(open, KindObject)
	}
	return nil
}

// afterMember passes what follows a member of the composite opened at
// open: a comma and the white space after it, or the closer, when it
// reports the end. Callers first test inline for the usual case, a comma
// right before the next member.
func (d *Decoder) afterMember(open int, kind Kind, closer byte) (end bool, err error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false, d.eof(open, kind)
	}
	c := d.data[d.pos]
	d.pos++
	if c == closer {
		return true, nil
	}
	if c != ',' {
		what := "array element"
		if kind == KindObject {
			what = "object key:value pair"
		}
		return false, &SyntaxError{d.pos - 1, fmt.Sprintf("invalid character %s after %s", quoteChar(c), what)}
	}
	d.skipSpace()
	return false, nil
}

func (d *Decoder) eof(open int, kind Kind) error {
	return &SyntaxError{len(d.data), fmt.Sprintf("unexpected end of JSON input in %s opened at offset %d", kind, open)}
}

// str parses a string starting at the opening quote. A string without
// escapes is returned as a view of the input, with no copy. The closing
// quote is found, and the text before it checked for escapes and control
// characters, in the string index when the text has one, else eight bytes
// at a time.
func (d *Decoder) str() (string, error) {
	start := d.pos + 1
	if d.indexed {
		return d.strIndexed(start)
	}
	end := stringStop(d.data, start)
	if end == len(d.data) || d.data[end] != '"' {
		return d.strSlow(start, end)
	}
	d.pos = end + 1
	if end == start {
		return "", nil
	}
	return unsafe.String(&d.data[start], end-start), nil
}

// strIndexed is str with the string index: most strings end in the
// block they start in, with no backslash or control character before
// their closing quote, which one block's masks show.
func (d *Decoder) strIndexed(start int) (string, error) {
	end := plainEndIn(d.ix.blocks, start)
	if end < 0 {
		end = d.ix.nextQuote(start)
		if s := d.ix.nextSpecial(start); s < end {
			return d.strSlow(start, s)
		}
		if end == len(d.data) {
			return d.strSlow(start, end)
		}
	}
	d.pos = end + 1
	if end == start {
		return "", nil
	}
	return unsafe.String(&d.data[start], end-start), nil
}

// blocks returns the blocks of the text's string index, none when it has
// no index.
func (d *Decoder) blocks() []blockMasks {
	if !d.indexed {
		return nil
	}
	return d.ix.blocks
}

// plainEndIn returns the index of the closing quote of a string whose
// text starts at start, when blocks show it in the block the text starts
// in with no backslash or control character before it, or -1.
func plainEndIn(blocks []blockMasks, start int) int {
	if k := start >> 6; k < len(blocks) {
		b := &blocks[k]
		q, s := b.quote>>(uint(start)&63), b.special>>(uint(start)&63)
		// q^(q-1) covers the bits up to the first quote.
		if q != 0 && s&(q^(q-1)) == 0 {
			return start + bits.TrailingZeros64(q)
		}
	}
	return -1
}

// strSlow finishes a string that str found to hold an escape, a control
// character or no closing quote: i is the first such byte after start.
func (d *Decoder) strSlow(start, i int) (string, error) {
	if i >= len(d.data) {
		return "", &SyntaxError{len(d.data), fmt.Sprintf("unexpected end of JSON input in string opened at offset %d", start-1)}
	}
	if c := d.data[i]; c != '\\' {
		return "", &SyntaxError{i, fmt.Sprintf("invalid control character %s in string literal", quoteChar(c))}
	}
	if d.indexed {
		if s, ok := d.unescapeIndexed(start, i); ok {
			return s, nil
		}
	}
	return d.strEscaped(start, i)
}

// unescapeIndexed decodes a string with escapes, its text starting at
// start and its first backslash at i, with the string index: the index
// gives its closing quote and each backslash, and the plain runs between
// them are copied a word at a time. It reports false, having done
// nothing, for a string it leaves to strEscaped: one with a \u escape, a
// control character, an invalid escape or no end.
func (d *Decoder) unescapeIndexed(start, i int) (string, bool) {
	end := d.ix.nextQuote(i)
	if end == len(d.data) {
		return "", false
	}
	// Unescaping never lengthens a string, and a word copy may write up
	// to 7 bytes past the last run.
	need := end - start + 8
	b := d.strbuf
	if cap(b)-len(b) < need {
		// Strings handed out earlier keep the old array alive.
		b = make([]byte, 0, max(d.lastStr, 2*cap(b), need+64))
	}
	base := len(b)
	buf, w := b[:cap(b)], base
	for r := start; ; {
		j := min(d.ix.nextSpecial(r), end)
		if n := j - r; n <= 8 && r+8 <= len(d.data) {
			binary.LittleEndian.PutUint64(buf[w:], binary.LittleEndian.Uint64(d.data[r:]))
			w += n
		} else {
			w += copy(buf[w:], d.data[r:j])
		}
		if j == end {
			break
		}
		if d.data[j] != '\\' {
			// A control character: nothing written so far counts, as
			// d.strbuf keeps its length.
			return "", false
		}
		// A backslash before end escapes a byte before end too: the
		// index took the quote at end as unescaped.
		c, ok := unescapeByte(d.data[j+1])
		if !ok {
			return "", false
		}
		buf[w] = c
		w++
		r = j + 2
	}
	d.strbuf = b[:w]
	d.pos = end + 1
	if w == base {
		return "", true
	}
	return unsafe.String(&buf[base], w-base), true
}

// unescapeByte returns the byte that the two-byte escape \e stands for,
// or false for \u and invalid escapes.
func unescapeByte(e byte) (byte, bool) {
	switch e {
	case '"', '\\', '/':
		return e, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// strEscaped decodes a string with escapes into the document's string
// buffer, copying the plain runs between escapes whole. When the buffer
// grows, the strings handed out earlier keep the old array alive and stay
// valid.
func (d *Decoder) strEscaped(start, i int) (string, error) {
	if d.strbuf == nil {
		// Room for this string at least; strings handed out earlier keep
		// pointing at the old array if a later one makes b grow.
		d.strbuf = make([]byte, 0, max(d.lastStr, 2*(i-start)+64))
	}
	b := d.strbuf
	base := len(b)
	b = append(b, d.data[start:i]...)
	for i < len(d.data) {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			d.strbuf = b
			if len(b) == base {
				return "", nil
			}
			return unsafe.String(&b[base], len(b)-base), nil
		case c < 0x20:
			return "", &SyntaxError{i, fmt.Sprintf("invalid control character %s in string literal", quoteChar(c))}
		}
		// A backslash.
		if i+1 >= len(d.data) {
			break
		}
		e := d.data[i+1]
		i += 2
		if c, ok := unescapeByte(e); ok {
			b = append(b, c)
		} else if e == 'u' {
			r, ok := hex4(d.data, i)
			if !ok {
				return "", &SyntaxError{i - 2, `invalid \u escape in string literal`}
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if i+6 <= len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
					r2, ok2 = hex4(d.data, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		} else {
			return "", &SyntaxError{i - 1, fmt.Sprintf("invalid escape character %s in string literal", quoteChar(e))}
		}
		run := stringStop(d.data, i)
		b = append(b, d.data[i:run]...)
		i = run
	}
	return "", &SyntaxError{len(d.data), "unexpected end of JSON input in string literal"}
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number parses a JSON number: an integer that fits in int64 becomes
// KindInt, anything else KindFloat.
func (d *Decoder) number() (Value, error) {
	start := d.pos
	i := d.pos
	if d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	intStart := i
	if digits() == 0 {
		return Missing, &SyntaxError{i, "invalid number: expected a digit"}
	}
	if d.data[intStart] == '0' && i-intStart > 1 {
		return Missing, &SyntaxError{intStart + 1, "invalid number: leading zero"}
	}
	isFloat := false
	if i < len(d.data) && d.data[i] == '.' {
		i++
		isFloat = true
		if digits() == 0 {
			return Missing, &SyntaxError{i, "invalid number: expected a digit after the decimal point"}
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		isFloat = true
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return Missing, &SyntaxError{i, "invalid number: expected a digit in the exponent"}
		}
	}
	d.pos = i
	text := unsafe.String(&d.data[start], i-start)
	if !isFloat {
		if n, ok := parseInt(text); ok {
			return Int(n), nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return Missing, &SyntaxError{start, "invalid number " + strconv.Quote(text)}
	}
	return Float(f), nil
}

// parseInt parses an optionally negative run of digits into an int64,
// reporting false on overflow.
func parseInt(s string) (int64, bool) {
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) > 19 {
		return 0, false
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		u = u*10 + uint64(s[i]-'0')
	}
	if len(s) == 19 && (u > math.MaxInt64+1 || s > "9223372036854775808") {
		return 0, false
	}
	if neg {
		if u > math.MaxInt64+1 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

func (d *Decoder) skipSpace() {
	for d.pos < len(d.data) && isSpace(d.data[d.pos]) {
		d.pos++
	}
}

// isSpace reports whether c is JSON white space; the first test settles
// the usual case, a byte that is not.
func isSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// ---------------------------------------------------------------------------
// Encoding

// AppendJSON appends the JSON encoding of v to dst. Object fields keep their
// order; a missing value encodes as null.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.kind {
	case KindMissing, KindNull:
		return append(dst, "null"...)
	case KindBool:
		if v.num != 0 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case KindInt:
		return strconv.AppendInt(dst, int64(v.num), 10)
	case KindFloat:
		return appendFloat(dst, math.Float64frombits(v.num))
	case KindString:
		return AppendString(dst, v.str)
	case KindArray:
		dst = append(dst, '[')
		for i := range v.kids {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, v.kids[i].Value)
		}
		return append(dst, ']')
	case KindObject:
		dst = append(dst, '{')
		for i := range v.kids {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, v.kids[i].Key)
			dst = append(dst, ':')
			dst = AppendJSON(dst, v.kids[i].Value)
		}
		return append(dst, '}')
	}
	return append(dst, "null"...)
}

// MarshalJSON implements json.Marshaler.
func (v Value) MarshalJSON() ([]byte, error) { return AppendJSON(nil, v), nil }

// appendFloat formats like encoding/json: plain notation for moderate
// magnitudes, exponent notation otherwise; NaN and infinities become null.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does; HTML characters are not escaped.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// String returns the JSON encoding of v, for debugging and messages.
func (v Value) String() string { return string(AppendJSON(nil, v)) }
