package evtx

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// Binary XML tokens. Tokens marked "more" may carry the 0x40 flag.
const (
	tokEOF           = 0x00
	tokOpenStart     = 0x01 // more: has attributes
	tokCloseStart    = 0x02
	tokCloseEmpty    = 0x03
	tokEndElement    = 0x04
	tokValue         = 0x05 // more
	tokAttribute     = 0x06 // more
	tokCDATA         = 0x07 // more
	tokCharRef       = 0x08 // more
	tokEntityRef     = 0x09 // more
	tokPITarget      = 0x0a
	tokPIData        = 0x0b
	tokTemplate      = 0x0c
	tokSubst         = 0x0d
	tokOptionalSubst = 0x0e
	tokFragment      = 0x0f
	tokMore          = 0x40
)

// Limits that keep decoding bounded on hostile input.
const (
	maxElementDepth = 64      // element nesting inside one fragment
	maxNesting      = 8       // nested binary XML values / template instances
	maxArrayItems   = 4096    // items expanded from one array value
	recordBudget    = 1 << 18 // units of work (elements, values, 64-byte blocks) for one record
)

// opKind is the kind of one compiled binary XML operation.
type opKind uint8

const (
	opStart    opKind = iota // element start; a = index of its opEnd
	opEnd                    // element end
	opAttr                   // attribute; pieces [b, c)
	opText                   // literal character data (text)
	opSubst                  // substitution of value idx
	opTemplate               // template instance at chunk offset a, stream end b
)

// Flags of an opStart.
const (
	flagEmpty = 1 << iota // closed with CloseEmptyElement
	flagSubst             // has substitutions in its attributes or direct content
)

// op is one compiled binary XML operation. Templates are compiled once per
// chunk into a flat slice of ops that is replayed for every record using
// the template.
type op struct {
	kind  opKind
	flags uint8
	opt   bool   // opSubst: optional substitution
	vtype uint8  // opSubst: declared value type
	idx   uint16 // opSubst: value index; opStart: dependency identifier
	id    nameID
	a, b  int32
	c     int32
	name  string // opStart, opAttr: name; opText attribute piece: interned text
	text  []byte // opText: UTF-8 text
}

// template is a compiled template definition (or a compiled stretch of
// plain binary XML, for fragments that do not use templates).
type template struct {
	ops    []op
	pieces []op   // attribute value pieces (opText and opSubst)
	text   []byte // decoded text of plain binary XML (definitions use the decoder's arena)
	guid   uint32
	err    error
}

func (t *template) reset() {
	t.ops = t.ops[:0]
	t.pieces = t.pieces[:0]
	t.text = t.text[:0]
	t.err = nil
}

// newTemplate returns an empty template whose ops and pieces are appended
// to the free ends of the decoder's arenas, so that compiling the
// templates of a chunk allocates nothing once the arenas have grown.
func (d *decoder) newTemplate() *template {
	if d.tmplUsed == len(d.tmplPool) {
		d.tmplPool = append(d.tmplPool, &template{})
	}
	t := d.tmplPool[d.tmplUsed]
	d.tmplUsed++
	n, m := len(d.opArena), len(d.pieceArena)
	*t = template{ops: d.opArena[n:n:cap(d.opArena)], pieces: d.pieceArena[m:m:cap(d.pieceArena)]}
	return t
}

// settle claims the arena space t used. A template that outgrew an arena
// keeps its own slice, and the arena is replaced by a larger one for the
// templates that follow.
func (d *decoder) settle(t *template) {
	d.opArena = claim(d.opArena, t.ops)
	d.pieceArena = claim(d.pieceArena, t.pieces)
}

func claim(arena, used []op) []op {
	n := len(arena)
	if len(used) == 0 {
		return arena
	}
	if cap(arena) > n && &arena[:n+1][n] == &used[0] {
		return arena[:n+len(used)]
	}
	return make([]op, 0, max(2*cap(arena), 4*len(used), 1024))
}

// decodeError is a binary XML decoding error at a chunk offset.
type decodeError struct {
	off int
	msg string
}

// Error implements error.
func (e *decodeError) Error() string { return fmt.Sprintf("chunk offset 0x%x: %s", e.off, e.msg) }

func errAt(off int, format string, args ...any) error {
	return &decodeError{off: off, msg: fmt.Sprintf(format, args...)}
}

func u16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func u32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// name returns the name stored at chunk offset off: 4 bytes of next-name
// link, 2 bytes of hash, 2 bytes of character count, then UTF-16.
func (d *decoder) name(off uint32) (xname, error) {
	if n, ok := d.names[off]; ok {
		return n, nil
	}
	o := int(off)
	if off > uint32(len(d.chunk)) || o+8 > len(d.chunk) {
		return xname{}, errAt(o, "name offset 0x%x outside chunk", off)
	}
	n := int(u16(d.chunk, o+6))
	if o+8+2*n > len(d.chunk) {
		return xname{}, errAt(o, "name of %d characters runs past chunk end", n)
	}
	d.scratch = appendUTF16(d.scratch[:0], d.chunk[o+8:o+8+2*n])
	s := d.in.intern(d.scratch)
	x := xname{s: s, id: knownNames[s]}
	d.names[off] = x
	return x, nil
}

// readName reads a 4-byte name offset at p and returns the name and the
// position after it, skipping the name itself when it is stored inline.
func (d *decoder) readName(p, end int) (xname, int, error) {
	if p+4 > end {
		return xname{}, p, errAt(p, "truncated name offset")
	}
	off := u32(d.chunk, p)
	p += 4
	x, err := d.name(off)
	if err != nil {
		return x, p, err
	}
	if int64(off) == int64(p) {
		n := int(u16(d.chunk, p+6))
		p += 8 + 2*n + 2
		if p > end {
			return x, p, errAt(int(off), "inline name runs past end of data")
		}
	}
	return x, p, nil
}

// compiler turns binary XML into ops.
type compiler struct {
	d     *decoder
	t     *template
	end   int
	inDef bool // template definition: element starts carry a dependency id, substitutions allowed

	// For a template definition at [start, end): the names it takes
	// from elsewhere in the chunk, which a shared copy must check.
	start int
	refs  []nameRef
}

// nameRef is a name that a template definition refers to by offset
// outside the definition itself.
type nameRef struct {
	off  uint32
	name string
}

// readName is the decoder's readName, noting names outside a definition.
func (c *compiler) readName(p, end int) (xname, int, error) {
	x, np, err := c.d.readName(p, end)
	if err == nil && c.inDef {
		if off := u32(c.d.chunk, p); int64(off) < int64(c.start) || int64(off) >= int64(c.end) {
			c.refs = append(c.refs, nameRef{off, x.s})
		}
	}
	return x, np, err
}

// template returns the compiled template definition at chunk offset off,
// compiling it on first use. A definition that fails to compile is cached
// with its error.
func (d *decoder) template(off uint32) *template {
	if t, ok := d.templates[off]; ok {
		return t
	}
	def := d.definition(off)
	if t := d.sharedTemplate(off, def); t != nil {
		d.templates[off] = t
		return t
	}
	t := d.newTemplate()
	d.templates[off] = t
	defer d.settle(t)
	o := int(off)
	if off > uint32(len(d.chunk)) || o+24 > len(d.chunk) {
		t.err = errAt(o, "template definition offset 0x%x outside chunk", off)
		return t
	}
	t.guid = u32(d.chunk, o+4)
	size := int64(u32(d.chunk, o+20))
	start := o + 24
	if int64(start)+size > int64(len(d.chunk)) {
		t.err = errAt(o, "template definition of %d bytes runs past chunk end", size)
		return t
	}
	c := compiler{d: d, t: t, end: start + int(size), inDef: true, start: o}
	p := start
	for p+4 <= c.end && d.chunk[p] == tokFragment {
		p += 4
	}
	if p >= c.end {
		t.err = errAt(p, "empty template definition")
		return t
	}
	if tok := d.chunk[p]; tok&^tokMore != tokOpenStart {
		t.err = errAt(p, "template definition starts with token 0x%02x, want an element", tok)
		return t
	}
	// A definition holds one element; more are accepted, up to the
	// end-of-file token.
	for p < c.end && d.chunk[p]&^tokMore == tokOpenStart {
		np, err := c.element(p, 0)
		if err != nil {
			t.err = err
			return t
		}
		p = np
	}
	if def != nil {
		d.share(off, def, t, c.refs)
	}
	return t
}

// element compiles the element starting at p and returns the position
// after it.
func (c *compiler) element(p, depth int) (int, error) {
	d, t, data, end := c.d, c.t, c.d.chunk, c.end
	if depth >= maxElementDepth {
		return p, errAt(p, "elements nested deeper than %d", maxElementDepth)
	}
	tok := data[p]
	p++
	dep := uint16(0xffff)
	if c.inDef {
		if p+2 > end {
			return p, errAt(p, "truncated element start")
		}
		dep = u16(data, p)
		p += 2
	}
	if p+4 > end {
		return p, errAt(p, "truncated element start")
	}
	p += 4 // element size; not needed
	name, p, err := c.readName(p, end)
	if err != nil {
		return p, err
	}
	start := len(t.ops)
	t.ops = append(t.ops, op{kind: opStart, name: name.s, id: name.id, idx: dep})
	var flags uint8
	if tok&tokMore != 0 {
		if p+4 > end {
			return p, errAt(p, "truncated attribute list")
		}
		p += 4 // attribute list size; not needed
		for p < end && data[p]&^tokMore == tokAttribute {
			aname, np, err := c.readName(p+1, end)
			if err != nil {
				return np, err
			}
			p = np
			first := len(t.pieces)
			for p < end {
				pc, np, ok, err := c.piece(p)
				if err != nil {
					return np, err
				}
				if !ok {
					break
				}
				if pc.kind == opSubst {
					flags |= flagSubst
				}
				if pc.kind == opText && c.inDef {
					// Attribute text of templates (Data/@Name) is
					// interned once, not for every record.
					pc.name = d.in.intern(pc.text)
				}
				t.pieces = append(t.pieces, pc)
				p = np
			}
			t.ops = append(t.ops, op{kind: opAttr, name: aname.s, id: aname.id, b: int32(first), c: int32(len(t.pieces))})
		}
	}
	if p >= end {
		return p, errAt(p, "truncated element %q", name.s)
	}
	switch data[p] {
	case tokCloseEmpty:
		p++
		flags |= flagEmpty
	case tokCloseStart:
		p++
	content:
		for {
			if p >= end {
				return p, errAt(p, "element %q not closed", name.s)
			}
			switch tok := data[p]; tok {
			case tokOpenStart, tokOpenStart | tokMore:
				if p, err = c.element(p, depth+1); err != nil {
					return p, err
				}
			case tokEndElement:
				p++
				break content
			case tokPITarget:
				if _, p, err = c.readName(p+1, end); err != nil {
					return p, err
				}
			case tokPIData:
				if p+3 > end {
					return p, errAt(p, "truncated PI data")
				}
				p += 3 + 2*int(u16(data, p+1))
				if p > end {
					return p, errAt(p, "PI data runs past end of data")
				}
			case tokTemplate:
				if c.inDef {
					return p, errAt(p, "template instance inside a template definition")
				}
				_, _, np, err := d.instanceBounds(p, end)
				if err != nil {
					return np, err
				}
				t.ops = append(t.ops, op{kind: opTemplate, a: int32(p), b: int32(end)})
				p = np
			default:
				pc, np, ok, err := c.piece(p)
				if err != nil {
					return np, err
				}
				if !ok {
					return p, errAt(p, "unexpected token 0x%02x in element %q", tok, name.s)
				}
				if pc.kind == opSubst {
					flags |= flagSubst
				}
				t.ops = append(t.ops, pc)
				p = np
			}
		}
	default:
		return p, errAt(p, "unexpected token 0x%02x after start of element %q", data[p], name.s)
	}
	t.ops = append(t.ops, op{kind: opEnd})
	t.ops[start].a = int32(len(t.ops) - 1)
	t.ops[start].flags = flags
	return p, nil
}

// piece decodes one piece of character data at p: value text, CDATA, a
// character or entity reference, or a substitution. ok is false when the
// token at p is not one of these.
func (c *compiler) piece(p int) (pc op, next int, ok bool, err error) {
	data, end := c.d.chunk, c.end
	tok := data[p]
	switch tok &^ tokMore {
	case tokValue:
		return c.valueText(p)
	case tokCDATA:
		if p+3 > end {
			return pc, p, false, errAt(p, "truncated CDATA section")
		}
		n := int(u16(data, p+1))
		if p+3+2*n > end {
			return pc, p, false, errAt(p, "CDATA section runs past end of data")
		}
		return op{kind: opText, text: c.keepText(appendUTF16(c.arena(), data[p+3:p+3+2*n]))}, p + 3 + 2*n, true, nil
	case tokCharRef:
		if p+3 > end {
			return pc, p, false, errAt(p, "truncated character reference")
		}
		r := rune(u16(data, p+1))
		return op{kind: opText, text: c.keepText(utf8.AppendRune(c.arena(), r))}, p + 3, true, nil
	case tokEntityRef:
		x, np, err := c.readName(p+1, end)
		if err != nil {
			return pc, np, false, err
		}
		return op{kind: opText, text: c.keepText(appendEntity(c.arena(), x.s))}, np, true, nil
	}
	switch tok {
	case tokSubst, tokOptionalSubst:
		if !c.inDef {
			return pc, p, false, errAt(p, "substitution outside a template")
		}
		if p+4 > end {
			return pc, p, false, errAt(p, "truncated substitution")
		}
		return op{kind: opSubst, idx: u16(data, p+1), vtype: data[p+3], opt: tok == tokOptionalSubst}, p + 4, true, nil
	}
	return pc, p, false, nil
}

// valueText decodes a value text token: a value type (normally string)
// followed by the value.
func (c *compiler) valueText(p int) (op, int, bool, error) {
	data, end := c.d.chunk, c.end
	if p+2 > end {
		return op{}, p, false, errAt(p, "truncated value text")
	}
	t := data[p+1]
	q := p + 2
	switch t {
	case typeString:
		if q+2 > end {
			return op{}, p, false, errAt(p, "truncated value text")
		}
		n := int(u16(data, q))
		q += 2
		if q+2*n > end {
			return op{}, p, false, errAt(p, "value text runs past end of data")
		}
		return op{kind: opText, text: c.keepText(appendUTF16(c.arena(), data[q:q+2*n]))}, q + 2*n, true, nil
	case typeNull:
		return op{kind: opText}, q, true, nil
	}
	size := fixedSize(t)
	if size == 0 {
		return op{}, p, false, errAt(p, "value text of unsupported type 0x%02x", t)
	}
	if q+size > end {
		return op{}, p, false, errAt(p, "value text runs past end of data")
	}
	return op{kind: opText, text: c.keepText(appendTyped(c.arena(), t, data[q:q+size]))}, q + size, true, nil
}

// appendEntity appends the character an XML entity reference stands for.
func appendEntity(dst []byte, name string) []byte {
	switch name {
	case "lt":
		return append(dst, '<')
	case "gt":
		return append(dst, '>')
	case "amp":
		return append(dst, '&')
	case "quot":
		return append(dst, '"')
	case "apos":
		return append(dst, '\'')
	}
	dst = append(dst, '&')
	dst = append(dst, name...)
	return append(dst, ';')
}

// arena returns the buffer that decoded text goes to: the decoder's text
// arena for template definitions, which live as long as the chunk, and the
// template's own buffer for plain binary XML, which is compiled again for
// every record and must not accumulate.
func (c *compiler) arena() []byte {
	if c.inDef {
		return c.d.textArena
	}
	return c.t.text
}

// keepText takes the text just appended to the arena (buf is the arena
// with it appended) and returns it. Text in an arena is never overwritten
// while the ops referring to it are in use.
func (c *compiler) keepText(buf []byte) []byte {
	var n int
	if c.inDef {
		n = len(c.d.textArena)
		c.d.textArena = buf
	} else {
		n = len(c.t.text)
		c.t.text = buf
	}
	return buf[n:len(buf):len(buf)]
}
