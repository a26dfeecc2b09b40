package event

import (
	"fmt"
	"math/bits"
	"strings"
	"unsafe"
)

// FieldSet names the fields a [Decoder] keeps when it decodes selectively:
// everything else in a document is skipped without being decoded, which is
// what makes reading large ECS documents for a handful of rules fast. A
// path keeps the whole value below it ("process" keeps every process.*
// field). Paths match plain and dotted keys alike. A skipped value is
// still checked against the JSON grammar, so a fault in it is reported
// where full decoding reports it, except inside its strings, which are
// only followed to their end.
type FieldSet struct {
	root   fieldNode
	narrow *narrowing // see Narrow
}

type fieldNode struct {
	all      bool // keep the whole value
	narrows  bool // on the path of the set's narrowing field (see Narrow)
	children []fieldChild
	// firsts has bit c set when a child's key starts with byte c: a key
	// whose first byte is not in it, dotted or not, is not wanted, which
	// settles most unwanted keys with one test.
	firsts [4]uint64
	// slots finds a child by keySlot(key): its index plus one, 0 for
	// none, or slotShared when children share the slot.
	slots [64]uint8
}

// slotShared marks a slot of children that share it, found by a scan.
const slotShared = 255

// keySlot returns the slot of a non-empty key among a node's children.
func keySlot(key string) int { return (len(key)*7 + int(key[0])) & 63 }

func (n *fieldNode) mayWant(c byte) bool { return n.firsts[c>>6]&(1<<(c&63)) != 0 }

type fieldChild struct {
	key  string
	node *fieldNode
}

// NewFieldSet returns the set of the given dotted paths.
func NewFieldSet(paths ...string) *FieldSet {
	fs := &FieldSet{}
	for _, p := range paths {
		fs.Add(p)
	}
	return fs
}

// Add puts one dotted path in the set.
func (fs *FieldSet) Add(path string) {
	n := &fs.root
	for _, part := range strings.Split(path, ".") {
		if n.all {
			return
		}
		n = n.child(part, true)
	}
	n.all = true
	n.children, n.slots = nil, [64]uint8{}
}

// String lists the set's paths, separated by spaces, for tests and
// diagnostics.
func (fs *FieldSet) String() string { return strings.Join(fs.root.paths(), " ") }

func (n *fieldNode) child(key string, create bool) *fieldNode {
	for i := range n.children {
		if c := &n.children[i]; len(c.key) == len(key) && c.key == key {
			return c.node
		}
	}
	if !create {
		return nil
	}
	c := &fieldNode{}
	n.children = append(n.children, fieldChild{key: intern(key), node: c})
	if key != "" {
		n.firsts[key[0]>>6] |= 1 << (key[0] & 63)
		if s := keySlot(key); n.slots[s] == 0 && len(n.children) < slotShared {
			n.slots[s] = uint8(len(n.children))
		} else {
			n.slots[s] = slotShared
		}
	} else {
		// A dotted key starting with a dot may reach an empty component.
		n.firsts = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	}
	return c
}

// want finds the node for an object key, plain or dotted, and returns it
// with the key to keep (the node's own copy of a plain key, see intern)
// and whether that key holds a dot. A nil node means the key's value is
// not wanted.
func (n *fieldNode) want(key string) (node *fieldNode, keep string, dotted bool) {
	if key == "" {
		return n.child(key, false), key, false
	}
	if !n.mayWant(key[0]) {
		return nil, "", false
	}
	switch j := n.slots[keySlot(key)]; j {
	case 0:
	case slotShared:
		for i := range n.children {
			if c := &n.children[i]; len(c.key) == len(key) && c.key == key {
				return c.node, c.key, false
			}
		}
	default:
		if c := &n.children[j-1]; c.key == key {
			return c.node, c.key, false
		}
	}
	if strings.IndexByte(key, '.') < 0 {
		return nil, "", false
	}
	return n.lookup(key), key, true
}

// lookup finds the node for an object key, which may hold dots; nil means
// the key's value is not wanted.
func (n *fieldNode) lookup(key string) *fieldNode {
	if strings.IndexByte(key, '.') < 0 {
		return n.child(key, false)
	}
	cur := n
	for len(key) > 0 {
		part := key
		if i := strings.IndexByte(key, '.'); i >= 0 {
			part, key = key[:i], key[i+1:]
		} else {
			key = ""
		}
		if cur = cur.child(part, false); cur == nil {
			return nil
		}
		if cur.all {
			return cur
		}
	}
	return cur
}

// selObject decodes an object into d.scratch[p], keeping only the members
// sel wants: it skips the others without building them, decodes wanted
// ones whole, and descends into those sel only wants part of. The usual
// key (read as keyIndexed reads it) and the usual skipped string are
// read with the text, position and string index in locals.
func (d *Decoder) selObject(p int, sel *fieldNode) error {
	open := d.pos
	d.depth++
	if d.depth > maxDepth {
		return &SyntaxError{d.pos, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	d.pos++
	start := d.enter()
	dotted := false
	d.skipSpace()
	data, pos := d.data, d.pos
	if pos < len(data) && data[pos] == '}' {
		d.pos = pos + 1
		d.close(p, KindObject, start, false)
		return nil
	}
	blocks := d.blocks()
	for {
		if pos >= len(data) {
			return d.eof(open, KindObject)
		}
		var err error
		var key string
		if e := plainEndIn(blocks, pos+1); e >= 0 && data[pos] == '"' && e+2 < len(data) && data[e+1] == ':' && data[e+2] > ' ' {
			key = unsafe.String(&data[pos+1], e-pos-1)
			pos = e + 2
		} else {
			d.pos = pos
			if key, err = d.keySlow(open); err != nil {
				return err
			}
			pos = d.pos
		}
		node, key, keyDotted := sel.want(key)
		if node == nil {
			switch c := data[pos]; c {
			case '"':
				if e := quoteIn(blocks, pos+1); e >= 0 {
					pos = e + 1
					break
				}
				d.pos = pos
				err = d.skipString()
				pos = d.pos
			case '{', '[':
				d.pos = pos
				err = d.skipComposite(c)
				pos = d.pos
			default:
				d.pos = pos
				err = d.skipValue()
				pos = d.pos
			}
		} else {
			if node.all {
				d.sel = nil
			} else {
				d.sel = node
			}
			d.pos = pos
			err = d.valueAt(d.push(key))
			pos = d.pos
			d.sel = sel
			dotted = dotted || keyDotted
			if node.narrows && d.depth == 1 && err == nil && d.narrow != nil && d.peekLeft == 0 && !d.wide {
				// The member may hold the narrowing field: narrow the
				// rest of the document to the set of its value.
				if d.narrowed {
					return errWiden
				}
				if n := d.narrowTo(ObjectOf(d.scratch[start:], dotted).Get(d.narrow.path)); n != nil {
					sel, d.narrowed = n, true
				}
			}
			// Peek: stop once every top-level field was found ("a.b" is
			// kept with "a" but is not "a" itself).
			if d.peekLeft != 0 && d.depth == 1 && !keyDotted && err == nil {
				if d.peekLeft &^= sel.childBit(node); d.peekLeft == 0 {
					break
				}
			}
		}
		if err != nil {
			return err
		}
		if pos+1 < len(data) && data[pos] == ',' && data[pos+1] > ' ' {
			pos++
			continue
		}
		if pos < len(data) && data[pos] == '}' {
			d.pos = pos + 1
			break
		}
		d.pos = pos
		end, err := d.afterMember(open, KindObject, '}')
		if err != nil {
			return err
		}
		if end {
			break
		}
		pos = d.pos
	}
	d.close(p, KindObject, start, dotted)
	return nil
}

// keyIndexed reads the usual object key with the string index: a string
// with no escape or control character that ends in the block it starts
// in, followed at once by a colon and the value. It leaves d.pos at the
// value and reports true, or leaves everything as it was and reports
// false, for keySlow to read the key.
func (d *Decoder) keyIndexed() (string, bool) {
	if d.data[d.pos] != '"' {
		return "", false
	}
	start := d.pos + 1
	end := plainEndIn(d.blocks(), start)
	if end < 0 || end+2 >= len(d.data) || d.data[end+1] != ':' || d.data[end+2] <= ' ' {
		return "", false
	}
	d.pos = end + 2
	return unsafe.String(&d.data[start], end-start), true
}

// childBit returns the bit of child node c among n's first 64 children.
func (n *fieldNode) childBit(c *fieldNode) uint64 {
	for i := range min(len(n.children), 64) {
		if n.children[i].node == c {
			return 1 << i
		}
	}
	return 0
}

// Peek decodes the fields of the Decoder's selection from data, as a
// selective Decode does, but when they are all top-level fields it stops
// reading as soon as it has found each of them: the rest of data is
// neither decoded nor checked, so a fault there goes unnoticed. Where a
// field occurs twice, the first occurrence is the one a document's Get
// returns, so the result agrees with Decode's on those fields. It is for
// reading a timestamp to order events by, before decoding them in full.
func (d *Decoder) Peek(data []byte) (Value, error) {
	d.peekLeft = 0
	if sel := d.sel; sel != nil && len(sel.children) <= 64 {
		for i, c := range sel.children {
			if !c.node.all {
				d.peekLeft = 0
				break
			}
			d.peekLeft |= 1 << i
		}
	}
	if d.peekLeft == 0 {
		return d.Decode(data)
	}
	if v, ok := d.peekFirst(data); ok {
		d.peekLeft = 0
		return v, nil
	}
	v, n, err := d.DecodePrefix(data)
	found := d.peekLeft == 0 // each found field cleared its bit
	d.peekLeft = 0
	if err == nil && !found {
		// Not all were there, so all was read: check the end as Decode
		// does.
		err = trailing(data, n)
	}
	if err != nil {
		return Missing, err
	}
	return v, nil
}

// peekFirst is Peek's fast path for the usual order field: a selection
// of one top-level field that data names first, written as
// {"field":"text" with no white space and a string free of escapes and
// control characters. It reports false, having done nothing, for
// anything else.
func (d *Decoder) peekFirst(data []byte) (Value, bool) {
	if len(d.sel.children) != 1 {
		return Missing, false
	}
	key := d.sel.children[0].key
	n := len(key)
	if len(data) < n+5 || data[0] != '{' || data[1] != '"' || string(data[2:2+n]) != key || data[2+n] != '"' || data[3+n] != ':' || data[4+n] != '"' {
		return Missing, false
	}
	start := n + 5
	end := stringStop(data, start)
	if end == len(data) || data[end] != '"' {
		return Missing, false
	}
	f := Field{Key: key, Value: String(unsafe.String(&data[start], end-start))}
	var kids []Field
	if d.Reuse {
		d.one = append(d.one[:0], f)
		kids = d.one[:1:1]
	} else {
		kids = []Field{f}
	}
	return ObjectOf(kids, false), true
}

// Select makes the Decoder keep only the fields of fs (nil: keep all).
func (d *Decoder) Select(fs *FieldSet) {
	if fs == nil {
		d.sel, d.narrow, d.unions = nil, nil, nil
		return
	}
	d.sel = &fs.root
	if d.narrow != fs.narrow {
		d.narrow, d.unions = fs.narrow, nil // the unions are of the old cases
	}
}

// skipValue passes over one JSON value without building it, checking its
// grammar as decoding would (strings are checked for their end only).
// It follows the grammar rather than looping over tokens, so each member
// of a skipped object costs a few byte tests beyond its two strings.
func (d *Decoder) skipValue() error {
	switch c := d.data[d.pos]; c {
	case '"':
		if e := d.closingQuote(); e >= 0 {
			d.pos = e + 1
			return nil
		}
		return d.skipString()
	case '{', '[':
		return d.skipComposite(c)
	case 't':
		return d.literal(-1, "true", Missing)
	case 'f':
		return d.literal(-1, "false", Missing)
	case 'n':
		return d.literal(-1, "null", Missing)
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			start := d.pos
			for d.pos++; d.pos < len(d.data) && isNumberByte(d.data[d.pos]); d.pos++ {
			}
			if d.pos == start+1 && c == '-' {
				return &SyntaxError{d.pos, "invalid number: expected a digit"}
			}
			return nil
		}
		return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s looking for beginning of value", quoteChar(c))}
	}
}

// skipComposite passes over the object or array opened at d.pos. The
// usual member (a plain key that ends in its block, a colon right after
// it, a plain string value, a comma right after that) is read with the
// text, position and string index in locals; anything else goes through
// d.pos and the general helpers.
func (d *Decoder) skipComposite(opener byte) error {
	open := d.pos
	kind, closer := KindArray, byte(']')
	if opener == '{' {
		kind, closer = KindObject, '}'
	}
	d.depth++
	if d.depth > maxDepth {
		return &SyntaxError{d.pos, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	d.pos++
	d.skipSpace()
	data := d.data
	pos := d.pos
	if pos < len(data) && data[pos] == closer {
		d.pos = pos + 1
		d.depth--
		return nil
	}
	blocks := d.blocks()
	for {
		if pos >= len(data) {
			return d.eof(open, kind)
		}
		if kind == KindObject {
			if data[pos] != '"' {
				d.pos = pos
				return d.keyError()
			}
			if e := quoteIn(blocks, pos+1); e >= 0 {
				pos = e + 1
			} else {
				d.pos = pos
				if err := d.skipString(); err != nil {
					return err
				}
				pos = d.pos
			}
			if pos+1 < len(data) && data[pos] == ':' && data[pos+1] > ' ' {
				pos++
			} else {
				d.pos = pos
				if err := d.afterKey(open); err != nil {
					return err
				}
				pos = d.pos
			}
		}
		switch c := data[pos]; c {
		case '"':
			if e := quoteIn(blocks, pos+1); e >= 0 {
				pos = e + 1
				break
			}
			d.pos = pos
			if err := d.skipString(); err != nil {
				return err
			}
			pos = d.pos
		case '{', '[':
			d.pos = pos
			if err := d.skipComposite(c); err != nil {
				return err
			}
			pos = d.pos
		default:
			d.pos = pos
			if err := d.skipValue(); err != nil {
				return err
			}
			pos = d.pos
		}
		if pos+1 < len(data) && data[pos] == ',' && data[pos+1] > ' ' {
			pos++
			continue
		}
		if pos < len(data) && data[pos] == closer {
			d.pos = pos + 1
			d.depth--
			return nil
		}
		d.pos = pos
		end, err := d.afterMember(open, kind, closer)
		if err != nil {
			return err
		}
		if end {
			d.depth--
			return nil
		}
		pos = d.pos
	}
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// closingQuote returns the index of the closing quote of the string that
// opens at d.pos when the string index shows it in the block the string
// starts in, or -1. Callers test it inline before calling skipString.
func (d *Decoder) closingQuote() int { return quoteIn(d.blocks(), d.pos+1) }

// quoteIn returns the index of the first unescaped quote at or after i
// when blocks shows it in i's block, or -1.
func quoteIn(blocks []blockMasks, i int) int {
	if i>>6 < len(blocks) {
		if w := blocks[i>>6].quote >> (uint(i) & 63); w != 0 {
			return i + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// skipString passes over a string starting at its opening quote.
func (d *Decoder) skipString() error {
	start := d.pos
	i := d.pos + 1
	if d.indexed {
		if i = d.ix.nextQuote(i); i == len(d.data) {
			return &SyntaxError{len(d.data), fmt.Sprintf("unexpected end of JSON input in string opened at offset %d", start)}
		}
		d.pos = i + 1
		return nil
	}
	for {
		i = nextQuote(d.data, i)
		if i == len(d.data) {
			return &SyntaxError{len(d.data), fmt.Sprintf("unexpected end of JSON input in string opened at offset %d", start)}
		}
		// An odd run of backslashes before the quote escapes it.
		k := i - 1
		for k > start && d.data[k] == '\\' {
			k--
		}
		if (i-1-k)%2 == 0 {
			d.pos = i + 1
			return nil
		}
		i++
	}
}

// Scan checks that data holds one JSON value (and only white space
// around it) by tokenising it without building anything: the cheapest
// pass over JSON text there is, used as the ceiling in benchmarks.
func Scan(data []byte) error { return scan(data, indexAuto) }

// scan is Scan with the string index built as mode says; the index of a
// line of up to 2 KB lives on the stack.
func scan(data []byte, mode indexMode) error {
	d := Decoder{data: data, indexing: mode}
	var blocks [32]blockMasks
	d.ix.blocks = blocks[:0]
	d.index(data)
	d.skipSpace()
	if d.pos >= len(d.data) {
		return &SyntaxError{d.pos, "unexpected end of JSON input"}
	}
	if err := d.skipValue(); err != nil {
		return err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return &SyntaxError{d.pos, "invalid character after top-level value"}
	}
	return nil
}
