package evtx

import (
	"errors"
	"hash/maphash"
)

// sval is a substitution value of a template instance: its type and where
// its bytes are in the chunk.
type sval struct {
	typ  uint8
	pos  int32
	size int32
}

// sink receives a decoded event document as a stream of XML events.
// Values passed to attr and text are only valid during the call.
type sink interface {
	start(name string, id nameID)
	attr(name string, id nameID, v value)
	text(v value)
	end(empty bool)
}

// decoder decodes the binary XML of the records of one chunk at a time. It
// caches names and compiled templates per chunk and reuses its buffers
// across chunks, so decoding a record allocates nothing but the result.
type decoder struct {
	chunk     []byte
	names     map[uint32]xname
	templates map[uint32]*template
	in        interner
	scratch   []byte
	attrBuf   []byte
	vals      [maxNesting + 2][]sval   // substitution values, per nesting level
	streams   [maxNesting + 2]template // compiled plain (template-less) binary XML, per level
	budget    int
	elements  int // elements emitted for the current record
	arr       arrayCursor
	sink      sink

	// Compiled templates shared between chunks (see tmplcache.go).
	shared      map[uint64]*sharedTemplate
	sharedBytes int // their approximate size
	seed        maphash.Seed

	// Storage for the compiled templates of the current chunk, reused
	// from chunk to chunk.
	tmplPool   []*template
	tmplUsed   int
	opArena    []op
	pieceArena []op
	textArena  []byte
}

var errTooComplex = errors.New("record expands to too many elements (array or nesting bomb)")

func newDecoder() *decoder {
	return &decoder{
		names:     make(map[uint32]xname),
		templates: make(map[uint32]*template),
		shared:    make(map[uint64]*sharedTemplate),
		seed:      maphash.MakeSeed(),
	}
}

// setChunk makes data the chunk that offsets refer to and drops the caches
// of the previous chunk.
func (d *decoder) setChunk(data []byte) {
	d.chunk = data
	clear(d.names)
	clear(d.templates)
	d.tmplUsed = 0
	d.opArena = d.opArena[:0]
	d.pieceArena = d.pieceArena[:0]
	d.textArena = d.textArena[:0]
	for i := range d.streams {
		d.streams[i].reset()
	}
}

// decode decodes the binary XML in chunk[p:end] into s.
func (d *decoder) decode(p, end int, s sink) error {
	if p < 0 || end > len(d.chunk) || p > end {
		return errAt(p, "binary XML range [0x%x, 0x%x) outside chunk", p, end)
	}
	d.sink = s
	d.budget = recordBudget
	d.elements = 0
	d.arr = arrayCursor{}
	err := d.stream(p, end, 0)
	d.sink = nil
	if err == nil && d.elements == 0 {
		err = errAt(p, "binary XML holds no element")
	}
	return err
}

// stream decodes a binary XML document or fragment: fragment headers,
// template instances, plain elements and processing instructions, up to an
// end-of-file token or end.
func (d *decoder) stream(p, end, depth int) error {
	if depth > maxNesting {
		return errAt(p, "binary XML nested deeper than %d levels", maxNesting)
	}
	// Each decoding of a stretch of binary XML costs in proportion to its
	// size, so that a value referenced many times cannot multiply the work
	// beyond the record budget.
	if d.charge(1 + (end-p)/64) {
		return errTooComplex
	}
	data := d.chunk
	for p < end {
		switch tok := data[p]; tok {
		case tokEOF:
			return nil
		case tokFragment:
			p += 4
		case tokTemplate:
			np, err := d.instance(p, end, depth)
			if err != nil {
				return err
			}
			p = np
		case tokOpenStart, tokOpenStart | tokMore:
			t := &d.streams[depth]
			t.reset()
			c := compiler{d: d, t: t, end: end}
			np, err := c.element(p, 0)
			if err != nil {
				return err
			}
			if d.charge(len(t.ops)) {
				return errTooComplex
			}
			if err := d.walk(t, nil, 0, len(t.ops), -1, depth); err != nil {
				return err
			}
			p = np
		case tokPITarget:
			_, np, err := d.readName(p+1, end)
			if err != nil {
				return err
			}
			p = np
		case tokPIData:
			if p+3 > end {
				return errAt(p, "truncated PI data")
			}
			p += 3 + 2*int(u16(data, p+1))
		default:
			return errAt(p, "unexpected token 0x%02x", tok)
		}
	}
	return nil
}

// parseInstance parses the template instance at p: the template reference
// (with the definition inline when it is first used in the chunk), then the
// value descriptors and the values, which it appends to vals.
func (d *decoder) parseInstance(p, end int, vals []sval) (defOff, id uint32, _ []sval, next int, err error) {
	data := d.chunk
	if p+10 > end {
		return 0, 0, vals, p, errAt(p, "truncated template instance")
	}
	id = u32(data, p+2)
	defOff = u32(data, p+6)
	q := p + 10
	if int64(defOff) == int64(q) {
		if q+24 > end {
			return defOff, id, vals, p, errAt(q, "truncated template definition")
		}
		size := int64(u32(data, q+20))
		if int64(q)+24+size > int64(end) {
			return defOff, id, vals, p, errAt(q, "template definition of %d bytes runs past end of data", size)
		}
		q += 24 + int(size)
	}
	if q+4 > end {
		return defOff, id, vals, p, errAt(q, "truncated template values")
	}
	n := int64(u32(data, q))
	q += 4
	if n*4 > int64(end-q) {
		return defOff, id, vals, p, errAt(q-4, "%d template values do not fit in the data", n)
	}
	dp := q + 4*int(n)
	for i := 0; i < int(n); i++ {
		size := int(u16(data, q+4*i))
		if dp+size > end {
			return defOff, id, vals, p, errAt(q+4*i, "template value %d of %d bytes runs past end of data", i, size)
		}
		vals = append(vals, sval{typ: data[q+4*i+2], pos: int32(dp), size: int32(size)})
		dp += size
	}
	return defOff, id, vals, dp, nil
}

// instanceBounds returns the end of the template instance at p without
// instantiating it.
func (d *decoder) instanceBounds(p, end int) (uint32, uint32, int, error) {
	def, id, vals, next, err := d.parseInstance(p, end, d.vals[len(d.vals)-1][:0])
	d.vals[len(d.vals)-1] = vals
	return def, id, next, err
}

// instance instantiates the template instance at p into the sink and
// returns the position after it.
func (d *decoder) instance(p, end, depth int) (int, error) {
	if depth > maxNesting {
		return p, errAt(p, "template instances nested deeper than %d levels", maxNesting)
	}
	defOff, id, vals, next, err := d.parseInstance(p, end, d.vals[depth][:0])
	d.vals[depth] = vals
	if err != nil {
		return next, err
	}
	if d.charge(1 + len(vals)) {
		return next, errTooComplex
	}
	t := d.template(defOff)
	if t.err != nil {
		msg := t.err.Error()
		var de *decodeError
		if errors.As(t.err, &de) {
			msg = de.msg
		}
		return next, errAt(p, "template definition at chunk offset 0x%x: %s", defOff, msg)
	}
	if t.guid != id {
		return next, errAt(p, "template instance id %08x does not match the definition at 0x%x (%08x)", id, defOff, t.guid)
	}
	return next, d.walk(t, vals, 0, len(t.ops), -1, depth)
}

// walk replays ops [i, to) of t with the substitution values vals. k is
// the array item to substitute for array values, or -1.
func (d *decoder) walk(t *template, vals []sval, i, to, k, depth int) error {
	for i < to {
		o := &t.ops[i]
		switch o.kind {
		case opStart:
			next, err := d.element(t, vals, i, depth)
			if err != nil {
				return err
			}
			i = next
			continue
		case opText:
			d.budget--
			d.sink.text(value{typ: typeLiteral, data: o.text})
		case opSubst:
			if err := d.subst(o, vals, k, depth); err != nil {
				return err
			}
		case opTemplate:
			if _, err := d.instance(int(o.a), int(o.b), depth+1); err != nil {
				return err
			}
		}
		i++
	}
	if d.budget < 0 {
		return errTooComplex
	}
	return nil
}

// element emits the element whose opStart is ops[i] and returns the index
// after its opEnd. It applies the rendering rules for templates: an element
// whose dependency value or optional substitution is NULL is left out, and
// an element holding an array value is repeated once per array item.
func (d *decoder) element(t *template, vals []sval, i, depth int) (int, error) {
	o := &t.ops[i]
	end := int(o.a)
	next := end + 1
	if vals != nil && o.idx != 0xffff {
		if int(o.idx) >= len(vals) || vals[o.idx].typ == typeNull {
			return next, nil
		}
	}
	reps, arrays := 1, false
	if o.flags&flagSubst != 0 {
		for j := i + 1; j < end; {
			oj := &t.ops[j]
			switch oj.kind {
			case opAttr:
				for pi := oj.b; pi < oj.c; pi++ {
					pc := &t.pieces[pi]
					if pc.kind == opSubst && int(pc.idx) < len(vals) {
						if v := &vals[pc.idx]; v.typ&typeArray != 0 {
							arrays = true
							reps = max(reps, d.arrayLen(v))
						}
					}
				}
			case opSubst:
				if int(oj.idx) >= len(vals) {
					if oj.opt {
						return next, nil
					}
					break
				}
				v := &vals[oj.idx]
				if oj.opt && v.typ == typeNull {
					return next, nil
				}
				if v.typ&typeArray != 0 {
					arrays = true
					reps = max(reps, d.arrayLen(v))
				}
			case opStart:
				j = int(oj.a) + 1
				continue
			}
			j++
		}
	}
	if d.charge(reps) {
		return next, errTooComplex
	}
	d.elements += reps
	for r := 0; r < reps; r++ {
		k := -1
		if arrays {
			k = r
		}
		d.sink.start(o.name, o.id)
		j := i + 1
		for ; j < end && t.ops[j].kind == opAttr; j++ {
			d.attr(t, vals, &t.ops[j], k)
		}
		if err := d.walk(t, vals, j, end, k, depth); err != nil {
			return next, err
		}
		d.sink.end(o.flags&flagEmpty != 0)
	}
	return next, nil
}

// subst emits the substitution value of o as character data. Binary XML
// values are decoded in place.
func (d *decoder) subst(o *op, vals []sval, k, depth int) error {
	if int(o.idx) >= len(vals) {
		return nil
	}
	v := &vals[o.idx]
	if d.charge(1 + int(v.size)/64) {
		return errTooComplex
	}
	switch {
	case v.typ == typeBinXML:
		if v.size == 0 {
			return nil
		}
		return d.stream(int(v.pos), int(v.pos+v.size), depth+1)
	case v.typ&typeArray != 0 && k >= 0:
		et, item, ok := d.arrayItem(v, k)
		if !ok {
			return nil
		}
		d.sink.text(value{typ: et, data: item})
	default:
		d.sink.text(value{typ: v.typ, pos: v.pos, data: d.bytes(v)})
	}
	return nil
}

// charge takes n units of work from the record budget and reports whether
// the budget is exhausted.
func (d *decoder) charge(n int) bool {
	d.budget -= n
	return d.budget < 0
}

// arrayLen returns the number of items of the array value v; counting the
// items of a variable-size array is charged to the budget.
func (d *decoder) arrayLen(v *sval) int {
	data := d.bytes(v)
	if itemSize(v.typ&^typeArray, data) == 0 {
		d.charge(len(data) / 64)
	}
	return arrayLen(v.typ, data)
}

// bytes returns the raw bytes of a substitution value.
func (d *decoder) bytes(v *sval) []byte {
	return d.chunk[v.pos : v.pos+v.size : v.pos+v.size]
}

// arrayCursor remembers where the last item looked up in an array of
// variable-size items ended, so that walking the items in order is linear.
type arrayCursor struct {
	pos  int32
	typ  uint8
	n    int
	k    int
	rest []byte
}

// arrayItem returns item k of the array value v.
func (d *decoder) arrayItem(v *sval, k int) (uint8, []byte, bool) {
	et := v.typ &^ typeArray
	data := d.bytes(v)
	if itemSize(et, data) > 0 {
		return arrayItem(v.typ, data, k)
	}
	c := &d.arr
	if c.pos != v.pos || c.typ != v.typ || c.n != len(data) || k < c.k || c.rest == nil {
		*c = arrayCursor{pos: v.pos, typ: v.typ, n: len(data), rest: data}
	}
	for c.k < k {
		_, rest, ok := nextItem(et, c.rest)
		if !ok {
			return et, nil, false
		}
		c.rest = rest
		c.k++
	}
	item, _, ok := nextItem(et, c.rest)
	return et, item, ok
}

// attr emits an attribute, unless an optional substitution in it is NULL or
// its value is empty.
func (d *decoder) attr(t *template, vals []sval, o *op, k int) {
	pieces := t.pieces[o.b:o.c]
	if len(pieces) == 1 {
		v, ok := d.resolve(&pieces[0], vals, k)
		if !ok || v.isEmpty() {
			return
		}
		d.sink.attr(o.name, o.id, v)
		return
	}
	buf := d.attrBuf[:0]
	for i := range pieces {
		v, ok := d.resolve(&pieces[i], vals, k)
		if !ok {
			return
		}
		buf = appendValue(buf, &v)
	}
	d.attrBuf = buf
	if len(buf) == 0 {
		return
	}
	d.sink.attr(o.name, o.id, value{typ: typeLiteral, data: buf})
}

// resolve returns the value of an attribute piece, and false when the
// piece is an optional substitution whose value is NULL.
func (d *decoder) resolve(pc *op, vals []sval, k int) (value, bool) {
	if pc.kind == opText {
		return value{typ: typeLiteral, data: pc.text, str: pc.name}, true
	}
	if int(pc.idx) >= len(vals) {
		return value{}, !pc.opt
	}
	v := &vals[pc.idx]
	switch {
	case v.typ == typeNull:
		return value{}, !pc.opt
	case v.typ == typeBinXML:
		// Binary XML cannot be rendered inside an attribute value.
		return value{}, true
	case v.typ&typeArray != 0 && k >= 0:
		if et, item, ok := d.arrayItem(v, k); ok {
			return value{typ: et, data: item}, true
		}
		return value{}, true
	}
	return value{typ: v.typ, pos: v.pos, data: d.bytes(v)}, true
}
