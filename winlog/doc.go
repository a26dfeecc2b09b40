package winlog

import (
	"strings"
	"unsafe"

	"github.com/vigil-sec/vigil/event"
)

// The mapping works on a mutable document shaped like an ingest
// pipeline's ctx: nested objects whose keys keep their insertion order,
// with strings, integers, booleans, arrays and objects as values. It
// follows the pipeline processors closely (set, rename, remove, append
// and the scripts' reads), so a document is built, changed and read by
// dotted paths. To make that cheap:
//
//   - Field names the mapping uses are numbered once, at init (a sym), and
//     paths are parsed into syms when the package is initialised, so
//     finding a field compares small integers, and a filter of the syms
//     of an object's children answers most misses at once. Names the
//     mapping does not know (event data of other providers) have sym 0 and
//     are compared as strings.
//   - The nodes of a document live in one slice, which ToECS keeps on its
//     stack for the common case, and link to each other by index.
//   - Strings the mapping computes go to one byte buffer per document.
//   - At the end, every object and array of the document is laid out in
//     one slice of event.Field: a mapped event costs a few allocations
//     whatever its number of fields.

// A sym is a field name known to the mapping; 0 stands for any other name.
// No name contains a dot.
type sym uint16

// symNames and symIndex are the table of syms. They are filled while the
// package is initialised, by the path and key variables, and only read
// afterwards. Names are event's canonical copies where it has one, so that
// queries find the keys of mapped documents by address.
var symNames, symIndex = topLevelSyms()

// topLevelNames are the names of the top-level fields, which get the
// first syms: a document keeps its top-level fields in a table indexed by
// sym (doc.top), since every path starts there.
var topLevelNames = [...]string{"@timestamp", "event", "host", "log", "message", "winlog", "process",
	"file", "user", "related", "source", "destination", "network", "dns", "registry", "rule", "error",
	"sysmon", "powershell", "service", "group", "ecs", "data_stream", "_temp"}

func topLevelSyms() ([]string, map[string]sym) {
	names := []string{""}
	index := map[string]sym{}
	for _, name := range topLevelNames {
		index[name] = sym(len(names))
		names = append(names, event.Intern(name))
	}
	return names, index
}

// maxTop bounds the syms of doc.top.
const maxTop = 32

// intern returns the sym of name, numbering it if it is new. It is meant
// for package initialisation only.
func intern(name string) sym {
	if s, ok := symIndex[name]; ok {
		return s
	}
	if len(symNames) > 0xffff || name == "" || strings.IndexByte(name, '.') >= 0 {
		panic("winlog: bad field name " + name)
	}
	s := sym(len(symNames))
	symNames = append(symNames, event.Intern(name))
	symIndex[name] = s
	return s
}

// symOf returns the sym of name, or 0 if the mapping does not use it.
func symOf(name string) sym {
	for i := symHash(name) & (symTableSize - 1); ; i = (i + 1) & (symTableSize - 1) {
		if s := symTable[i]; s == 0 || symNames[s] == name {
			return s
		}
	}
}

// symTable is symIndex as an open-addressing table of syms, which symOf
// reads faster than the map: the names of every event's data are looked
// up. It is built by init, after every sym has been interned.
var symTable [symTableSize]sym

const symTableSize = 2048

func init() {
	if 2*len(symNames) > symTableSize {
		panic("winlog: symTable too small")
	}
	for s, name := range symNames[1:] {
		for i := symHash(name) & (symTableSize - 1); ; i = (i + 1) & (symTableSize - 1) {
			if symTable[i] == 0 {
				symTable[i] = sym(s + 1)
				break
			}
		}
	}
}

// symHash hashes a name from its length and its first and last eight
// bytes, which tell the names of the mapping apart well.
func symHash(s string) uint32 {
	var a, b uint64
	n := len(s)
	if n >= 8 {
		a = uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		t := s[n-8:]
		b = uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(s[i])
		}
	}
	h := (a ^ b*0x9e3779b97f4a7c15 ^ uint64(n)) * 0xff51afd7ed558ccd
	return uint32(h >> 40)
}

// maxPath is the most segments a path of the mapping has.
const maxPath = 5

// A path is a dotted field path parsed into syms.
type path struct {
	n int8
	s [maxPath]sym
}

// mkpath parses a dotted path at package initialisation.
func mkpath(p string) path {
	var out path
	for _, seg := range strings.Split(p, ".") {
		if int(out.n) == maxPath {
			panic("winlog: path too long: " + p)
		}
		out.s[out.n] = intern(seg)
		out.n++
	}
	return out
}

// leaf returns the last segment of p.
func (p path) leaf() sym { return p.s[p.n-1] }

// add returns p extended by the segments of the dotted path q.
func (p path) add(q string) path {
	r := mkpath(q)
	if int(p.n+r.n) > maxPath {
		panic("winlog: path too long")
	}
	copy(p.s[p.n:], r.s[:r.n])
	p.n += r.n
	return p
}

// node is one field of a document, or one element of an array. Children
// are linked: first and last child, next and previous sibling; 0 means
// none (node 0 is the root, which is nobody's child).
type node struct {
	key   string // field name, when sym is 0 (array elements have none)
	str   string // string value
	num   int64  // integer value, 1/0 for a boolean; for objects, see symBit
	first int32
	last  int32
	next  int32
	prev  int32
	kids  int32 // number of children
	sym   sym
	kind  event.Kind
	objs  bool // arrays: the elements are objects
}

// root is the index of the document's top-level object.
const root = 0

// doc is a document being mapped. ToECS keeps its first nodes on the
// stack; for the compiler to allow that, the only assignments to nodes
// are self-reslicing ones (d.nodes = d.nodes[:n]) and growth to a new
// slice, and the buffer of computed strings, which the mapped document
// points into, is behind a pointer of its own.
type doc struct {
	nodes []node
	sb    *strBuf
	top   [maxTop]int32 // the root's children by sym, for syms below maxTop
}

// strBuf holds the strings computed for a document. It is only ever
// appended to; see take.
type strBuf struct {
	b []byte
}

// symBit is the bit of sym s in an object's num: a filter of the syms of
// its children, which lets find answer most misses without a lookup. A
// child whose name has no sym sets bit 0.
func symBit(s sym) int64 { return 1 << (s & 63) }

// keyOf returns the field name of node n.
func (d *doc) keyOf(n int32) string {
	if s := d.nodes[n].sym; s != 0 {
		return symNames[s]
	}
	return d.nodes[n].key
}

// newNode adds a detached node of kind k and returns its index. Nodes
// past the length of d.nodes are always zero: they are only ever
// appended, and both the initial store and grown slices start zeroed.
func (d *doc) newNode(k event.Kind) int32 {
	n := len(d.nodes)
	if n == cap(d.nodes) {
		d.grow()
	}
	d.nodes = d.nodes[:n+1]
	d.nodes[n].kind = k
	return int32(n)
}

func (d *doc) grow() {
	nodes := make([]node, len(d.nodes), 2*cap(d.nodes))
	copy(nodes, d.nodes)
	d.nodes = nodes
}

// appendChild adds an empty node (kind missing) named key, whose sym is s,
// at the end of parent's children and returns it.
func (d *doc) appendChild(parent int32, s sym, key string) int32 {
	c := d.newNode(event.KindMissing)
	d.link(parent, s, c)
	if s == 0 && key != "" {
		d.nodes[c].key = key
	}
	return c
}

// unlink removes child c from parent.
func (d *doc) unlink(parent, c int32) {
	p, n := &d.nodes[parent], &d.nodes[c]
	if n.prev == 0 {
		p.first = n.next
	} else {
		d.nodes[n.prev].next = n.next
	}
	if n.next == 0 {
		p.last = n.prev
	} else {
		d.nodes[n.next].prev = n.prev
	}
	p.kids--
	n.next, n.prev = 0, 0
	if parent == root && n.sym < maxTop {
		d.top[n.sym] = 0
	}
}

// find returns the child of object obj whose key has sym s (not 0), or 0.
func (d *doc) find(obj int32, s sym) int32 {
	if obj == root && s < maxTop {
		return d.top[s]
	}
	o := &d.nodes[obj]
	if o.kind != event.KindObject || o.num&symBit(s) == 0 {
		return 0
	}
	for c := o.first; c != 0; c = d.nodes[c].next {
		if d.nodes[c].sym == s {
			return c
		}
	}
	return 0
}

// findKey returns the child of object obj named key, or 0.
func (d *doc) findKey(obj int32, key string) int32 {
	return d.findSym(obj, symOf(key), key)
}

// findSym returns the child of object obj named key, whose sym is s, or 0.
func (d *doc) findSym(obj int32, s sym, key string) int32 {
	if s != 0 {
		return d.find(obj, s)
	}
	o := &d.nodes[obj]
	if o.kind != event.KindObject || o.num&1 == 0 {
		return 0
	}
	for c := o.first; c != 0; c = d.nodes[c].next {
		if n := &d.nodes[c]; n.sym == 0 && n.key == key {
			return c
		}
	}
	return 0
}

// getIn returns the node at p under obj, or 0.
func (d *doc) getIn(obj int32, p path) int32 {
	for i := range p.n {
		if obj = d.find(obj, p.s[i]); obj == 0 {
			return 0
		}
	}
	return obj
}

// get returns the node at p, or 0.
func (d *doc) get(p path) int32 { return d.getIn(root, p) }

// has reports whether p holds a value.
func (d *doc) has(p path) bool { return d.get(p) != 0 }

// strAt returns the string held by node n, and whether it holds one.
func (d *doc) strAt(n int32) (string, bool) {
	if n == 0 || d.nodes[n].kind != event.KindString {
		return "", false
	}
	return d.nodes[n].str, true
}

// str returns the string at p, and whether there is one.
func (d *doc) str(p path) (string, bool) { return d.strAt(d.get(p)) }

// strIn returns the string of the child s of obj.
func (d *doc) strIn(obj int32, s sym) (string, bool) { return d.strAt(d.find(obj, s)) }

// intAt returns the integer held by node n, and whether it holds one.
func (d *doc) intAt(n int32) (int64, bool) {
	if n == 0 || d.nodes[n].kind != event.KindInt {
		return 0, false
	}
	return d.nodes[n].num, true
}

// isStrings reports whether node n is an array of strings (the []string
// of the pipeline's ctx; an empty array counts as one).
func (d *doc) isStrings(n int32) bool {
	return n != 0 && d.nodes[n].kind == event.KindArray && !d.nodes[n].objs
}

// slotIn returns the node at p under obj, creating it (kind missing) and
// the objects on the way, which replace any non-object value there, as
// the pipeline's set does.
func (d *doc) slotIn(obj int32, p path) int32 {
	for i := range p.n {
		if i > 0 && d.nodes[obj].kind != event.KindObject {
			d.clear(obj, event.KindObject)
		}
		c := d.find(obj, p.s[i])
		if c == 0 {
			c = d.appendChild(obj, p.s[i], "")
		}
		obj = c
	}
	return obj
}

// slotKey returns the child s of object obj, created if missing.
func (d *doc) slotKey(obj int32, s sym) int32 {
	c := d.find(obj, s)
	if c == 0 {
		c = d.appendChild(obj, s, "")
	}
	return c
}

// clear empties node n and gives it kind k, keeping its key and place.
func (d *doc) clear(n int32, k event.Kind) {
	x := &d.nodes[n]
	if x.str != "" {
		x.str = ""
	}
	x.kind, x.num, x.first, x.last, x.kids, x.objs = k, 0, 0, 0, 0, false
}

func (d *doc) setStrAt(n int32, s string) {
	x := &d.nodes[n]
	x.kind, x.str, x.num, x.first, x.last, x.kids, x.objs = event.KindString, s, 0, 0, 0, 0, false
}

func (d *doc) setIntAt(n int32, v int64) {
	d.clear(n, event.KindInt)
	d.nodes[n].num = v
}

func (d *doc) setBoolAt(n int32, b bool) {
	d.clear(n, event.KindBool)
	if b {
		d.nodes[n].num = 1
	}
}

// moveAt gives node n the value of the detached node src, which must not
// be used afterwards (unless it is n).
func (d *doc) moveAt(n, src int32) {
	if n == src {
		return
	}
	x, s := &d.nodes[n], &d.nodes[src]
	x.kind, x.str, x.num, x.first, x.last, x.kids, x.objs = s.kind, s.str, s.num, s.first, s.last, s.kids, s.objs
}

func (d *doc) setStr(p path, s string) { d.setStrAt(d.slotIn(root, p), s) }
func (d *doc) setInt(p path, v int64)  { d.setIntAt(d.slotIn(root, p), v) }
func (d *doc) setBool(p path, b bool)  { d.setBoolAt(d.slotIn(root, p), b) }

// setNode moves the detached node src to p: src itself takes the place
// of a new field, or gives its value to an existing one.
func (d *doc) setNode(p path, src int32) {
	parent := int32(root)
	if p.n > 1 {
		q := p
		q.n--
		parent = d.slotIn(root, q)
		if d.nodes[parent].kind != event.KindObject {
			d.clear(parent, event.KindObject)
		}
	}
	s := p.leaf()
	if c := d.find(parent, s); c != 0 {
		d.moveAt(c, src)
		return
	}
	d.link(parent, s, src)
}

// link appends the detached node c to parent's children as its child s.
func (d *doc) link(parent int32, s sym, c int32) {
	n := &d.nodes[c]
	n.sym = s
	if n.key != "" {
		n.key = ""
	}
	p := &d.nodes[parent]
	if p.last == 0 {
		p.first = c
	} else {
		d.nodes[p.last].next = c
		n.prev = p.last
	}
	p.last = c
	p.kids++
	if p.kind == event.KindObject { // the filter of its children's syms
		p.num |= symBit(s)
	}
	if parent == root && s < maxTop {
		d.top[s] = c
	}
}

// setObj sets p to a new empty object and returns it.
func (d *doc) setObj(p path) int32 {
	n := d.slotIn(root, p)
	d.clear(n, event.KindObject)
	return n
}

// setArr sets p to a new empty array and returns it.
func (d *doc) setArr(p path) int32 {
	n := d.slotIn(root, p)
	d.clear(n, event.KindArray)
	return n
}

// setStrs sets p to an array of strings.
func (d *doc) setStrs(p path, ss ...string) {
	arr := d.setArr(p)
	for _, s := range ss {
		d.push(arr, s)
	}
}

// setStrIn sets the child s of obj to a string.
func (d *doc) setStrIn(obj int32, s sym, v string) { d.setStrAt(d.slotKey(obj, s), v) }

// setNodeIn moves the detached node src to the child s of obj.
func (d *doc) setNodeIn(obj int32, s sym, src int32) { d.moveAt(d.slotKey(obj, s), src) }

// addStr adds the child s of obj, which obj must not have, with the
// string v: set for a new object, with no lookup.
func (d *doc) addStr(obj int32, s sym, v string) { d.setStrAt(d.appendChild(obj, s, ""), v) }

// addInt is addStr for an integer.
func (d *doc) addInt(obj int32, s sym, v int64) { d.setIntAt(d.appendChild(obj, s, ""), v) }

// addObj adds the child s of obj, which obj must not have, as an empty
// object, and returns it.
func (d *doc) addObj(obj int32, s sym) int32 {
	c := d.appendChild(obj, s, "")
	d.nodes[c].kind = event.KindObject
	return c
}

// addArr adds the child s of obj, which obj must not have, as an empty
// array, and returns it.
func (d *doc) addArr(obj int32, s sym) int32 {
	c := d.appendChild(obj, s, "")
	d.nodes[c].kind = event.KindArray
	return c
}

// objIn returns the child s of obj as an object, as set does with the
// objects on its path: created if missing, replacing any other value.
func (d *doc) objIn(obj int32, s sym) int32 {
	c := d.slotKey(obj, s)
	if d.nodes[c].kind != event.KindObject {
		d.clear(c, event.KindObject)
	}
	return c
}

// push appends a string to the array arr.
func (d *doc) push(arr int32, s string) {
	d.setStrAt(d.appendChild(arr, 0, ""), s)
}

// pushObj appends an empty object to the array arr and returns it.
func (d *doc) pushObj(arr int32) int32 {
	d.nodes[arr].objs = true
	c := d.appendChild(arr, 0, "")
	d.nodes[c].kind = event.KindObject
	return c
}

// delIn removes the child s of obj and returns it detached, or 0.
func (d *doc) delIn(obj int32, s sym) int32 {
	c := d.find(obj, s)
	if c != 0 {
		d.unlink(obj, c)
	}
	return c
}

// del removes the value at p and returns it detached, or 0.
func (d *doc) del(p path) int32 {
	last := p.n - 1
	parent := int32(root)
	if last > 0 {
		q := p
		q.n = last
		if parent = d.get(q); parent == 0 {
			return 0
		}
	}
	return d.delIn(parent, p.s[last])
}

// rename moves the value at from to to, as the rename processor does, and
// reports whether there was one.
func (d *doc) rename(from, to path) bool {
	v := d.del(from)
	if v == 0 {
		return false
	}
	d.setNode(to, v)
	return true
}

// appendUnique appends s to the list of strings at p unless it is already
// there (the append processor with allow_duplicates: false). A value
// that is not a list of strings is replaced by one.
func (d *doc) appendUnique(p path, s string) {
	n := d.get(p)
	if !d.isStrings(n) {
		d.push(d.setArr(p), s)
		return
	}
	for c := d.nodes[n].first; c != 0; c = d.nodes[c].next {
		if d.nodes[c].str == s {
			return
		}
	}
	d.push(n, s)
}

// getDyn returns the node at the dotted path name under obj, or 0; name
// is data (an event data name), not a path of the mapping.
func (d *doc) getDyn(obj int32, name string) int32 {
	for {
		key, rest, more := strings.Cut(name, ".")
		if obj = d.findKey(obj, key); obj == 0 || !more {
			return obj
		}
		name = rest
	}
}

// slotDyn is slotIn for the dotted path name.
func (d *doc) slotDyn(obj int32, name string) int32 {
	first := true
	for {
		key, rest, more := strings.Cut(name, ".")
		if !first && d.nodes[obj].kind != event.KindObject {
			d.clear(obj, event.KindObject)
		}
		first = false
		s := symOf(key)
		c := d.findSym(obj, s, key)
		if c == 0 {
			c = d.appendChild(obj, s, key)
		}
		obj = c
		if !more {
			return obj
		}
		name = rest
	}
}

// mark returns the position in the string buffer from which take will
// return what is appended next.
func (d *doc) mark() int { return len(d.sb.b) }

// take returns the bytes appended to the string buffer since start as a
// string sharing the buffer's memory. That is safe because the buffer is
// only ever appended to: bytes below its length are never written again,
// and when append moves the buffer, the strings keep the old array alive.
func (d *doc) take(start int) string {
	b := d.sb.b
	if start == len(b) {
		return ""
	}
	return unsafe.String(&b[start], len(b)-start)
}

// concat returns a+b, from the document's buffer.
func (d *doc) concat(a, b string) string {
	start := d.mark()
	d.sb.b = append(append(d.sb.b, a...), b...)
	return d.take(start)
}

// value lays the document out as an event.Value in fields, reallocated if
// it is too small, and returns them: one slice holds the fields of every
// object and the elements of every array, breadth first.
// No key of a document contains a dot: syms have none, and names from
// the data are split on dots (slotDyn) or kept only without one.
func (d *doc) value(fields []event.Field) (event.Value, []event.Field) {
	total := d.size(root)
	if cap(fields) < total {
		fields = make([]event.Field, total, max(total, 2*cap(fields)))
	}
	fields = fields[:total]
	var store [64]pending
	q := store[:0] // objects and arrays whose fields are still to lay out
	next, q := d.layout(root, fields, 0, q)
	doc := event.ObjectOf(fields[:next:next], false)
	for i := 0; i < len(q); i++ {
		p := q[i]
		k := next
		next, q = d.layout(p.node, fields, next, q)
		if d.nodes[p.node].kind == event.KindArray {
			fields[p.field].Value = event.ArrayOf(fields[k:next:next])
		} else {
			fields[p.field].Value = event.ObjectOf(fields[k:next:next], false)
		}
	}
	return doc, fields
}

// pending is an object or array laid out as fields[field] whose own
// fields are not laid out yet.
type pending struct {
	field int
	node  int32
}

// layout places the children of node n at fields[next:], with their keys
// and scalar values, appends the others to q, and returns the new end.
func (d *doc) layout(n int32, fields []event.Field, next int, q []pending) (int, []pending) {
	for c := d.nodes[n].first; c != 0; c = d.nodes[c].next {
		x := &d.nodes[c]
		f := &fields[next]
		if x.sym != 0 {
			f.Key = symNames[x.sym]
		} else {
			f.Key = x.key // "" for array elements
		}
		switch x.kind {
		case event.KindString:
			f.Value = event.String(x.str)
		case event.KindInt:
			f.Value = event.Int(x.num)
		case event.KindBool:
			f.Value = event.Bool(x.num != 0)
		case event.KindObject, event.KindArray:
			q = append(q, pending{next, c})
		default:
			f.Value = event.Null()
		}
		next++
	}
	return next, q
}

// size returns the number of nodes under n.
func (d *doc) size(n int32) int {
	total := int(d.nodes[n].kids)
	for c := d.nodes[n].first; c != 0; c = d.nodes[c].next {
		if d.nodes[c].kids > 0 {
			total += d.size(c)
		}
	}
	return total
}
