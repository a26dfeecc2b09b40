package event

import (
	"fmt"
	"strings"
	"unsafe"
)

// Path is a dotted field path such as "process.parent.name", split once so
// that lookups do not allocate. The zero Path names the document itself.
type Path struct {
	text  string
	parts []string // the components
	ends  []int    // ends[i] is the offset just past component i in text
}

// ParsePath splits a dotted path. Empty components ("a..b", ".a") are an
// error; Elasticsearch rejects such field names too.
func ParsePath(s string) (Path, error) {
	if s == "" {
		return Path{}, fmt.Errorf("empty field name")
	}
	p := Path{text: s}
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			start := 0
			if n := len(p.ends); n > 0 {
				start = p.ends[n-1] + 1
			}
			if i == start {
				return Path{}, fmt.Errorf("field name %q has an empty component", s)
			}
			p.ends = append(p.ends, i)
			p.parts = append(p.parts, intern(s[start:i]))
		}
	}
	return p, nil
}

// MustPath is ParsePath for paths known to be valid; it panics otherwise.
func MustPath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the dotted path.
func (p Path) String() string { return p.text }

// Len returns the number of components.
func (p Path) Len() int { return len(p.ends) }

// start returns the offset of component i.
func (p *Path) start(i int) int {
	if i == 0 {
		return 0
	}
	return p.ends[i-1] + 1
}

// match reports how far key consumes the path from component i: it returns
// the index of the next unconsumed component, or -1 if key does not match.
// A key matches one component ("process") or, when it contains dots, several
// ("process.name").
func (p *Path) match(i int, key string) int {
	s := p.start(i)
	e := p.ends[i]
	if len(key) == e-s {
		if key == p.text[s:e] {
			return i + 1
		}
		return -1
	}
	end := s + len(key)
	if len(key) < e-s || end > len(p.text) || (end < len(p.text) && p.text[end] != '.') || p.text[s:end] != key {
		return -1
	}
	for j := i + 1; j < len(p.ends); j++ {
		if p.ends[j] == end {
			return j + 1
		}
	}
	return -1
}

// Get returns the value at path p below v. Objects are entered by plain and
// dotted keys alike, so {"process": {"name": "x"}}, {"process.name": "x"}
// and mixtures of the two give the same result. Arrays of objects are
// flattened as Elasticsearch does: the result collects the values of every
// element, as an array. A path that is absent yields [Missing].
func (v Value) Get(p Path) Value {
	if len(p.parts) == 0 {
		return v
	}
	// Fast path: a chain of objects with exactly one matching key per
	// level. Keys are compared by length first, which rejects almost all
	// of them without touching their bytes.
	cur := &v
	i := 0
	for i < len(p.parts) && cur.kind == KindObject {
		part := p.parts[i]
		if cur.num&dottedBit == 0 {
			// No dotted keys here: at most one key can match.
			var found *Value
			for k := range cur.kids {
				if key := cur.kids[k].Key; len(key) == len(part) && key == part {
					found = &cur.kids[k].Value
					break
				}
			}
			if found == nil {
				return Missing
			}
			cur = found
			i++
			continue
		}
		var found *Value
		next := -1
		kids := cur.kids
		for k := range kids {
			key := kids[k].Key
			j := -1
			if len(key) == len(part) {
				if key == part {
					j = i + 1
				}
			} else if len(key) > len(part) && key[len(part)] == '.' && key[:len(part)] == part {
				j = p.match(i, key)
			}
			if j < 0 {
				continue
			}
			if found != nil {
				return v.getAll(p) // several keys lead on: merge them
			}
			found, next = &kids[k].Value, j
		}
		if found == nil {
			return Missing
		}
		cur, i = found, next
	}
	if i == len(p.parts) {
		return *cur
	}
	if cur.kind == KindArray {
		return v.getAll(p)
	}
	return Missing
}

// Ref is Get without copying: it returns a pointer to the value at p inside
// v, or nil when the path is absent. The value must not be modified. When
// the path runs through arrays of objects the gathered values are a new
// array, as with Get.
func (v *Value) Ref(p *Path) *Value {
	cur := v
	for _, part := range p.parts {
		if cur.kind != KindObject || cur.num&dottedBit != 0 {
			return v.refGeneral(p, cur)
		}
		k := findKey(cur.kids, part)
		if k < 0 {
			return nil
		}
		cur = &cur.kids[k].Value
	}
	return cur
}

// refGeneral finishes Ref and RefHint when the walk from v meets cur,
// not a plain object: under dotted keys or an array, the path takes the
// general lookup; under a scalar, it is absent.
func (v *Value) refGeneral(p *Path, cur *Value) *Value {
	if cur.kind != KindObject && cur.kind != KindArray {
		return nil
	}
	r := v.Get(*p)
	if r.kind == KindMissing {
		return nil
	}
	return &r
}

// findKey returns the index of the field with key part, or -1.
func findKey(kids []Field, part string) int {
	for k := range kids {
		if sameKey(kids[k].Key, part) {
			return k
		}
	}
	return -1
}

// RefHint is Ref with a per-caller memory of where each path component was
// found last time: hint holds one index per component and is updated as
// the lookup goes. Documents of one source mostly share their key order, so
// after the first event each component is found with a single comparison.
// A wrong hint only costs the usual scan.
func (v *Value) RefHint(p *Path, hint []uint16) *Value {
	parts := p.parts
	hint = hint[:len(parts)]
	cur := v
	for i, part := range parts {
		if cur.kind != KindObject || cur.num&dottedBit != 0 {
			return v.refGeneral(p, cur)
		}
		if h := int(hint[i]); h < len(cur.kids) && sameKey(cur.kids[h].Key, part) {
			cur = &cur.kids[h].Value
		} else if cur = cur.kidScan(part, &hint[i]); cur == nil {
			return nil
		}
	}
	return cur
}

// kidScan returns the value of key part in o, a plain object, or nil if
// it has none, and sets *hint to where it found it: RefHint's lookup when
// the hint is wrong.
func (o *Value) kidScan(part string, hint *uint16) *Value {
	kids := o.kids
	k := findKey(kids, part)
	if k < 0 {
		return nil
	}
	if k <= 0xffff {
		*hint = uint16(k)
	}
	return &kids[k].Value
}

// sameKey compares a document key with a path component. Both are most
// often the same interned string (see intern), which settles it without
// a call to compare bytes.
func sameKey(key, part string) bool {
	return len(key) == len(part) && (unsafe.StringData(key) == unsafe.StringData(part) || key == part)
}

// getAll is the general lookup: it follows every matching key and every
// array element and gathers the results.
func (v Value) getAll(p Path) Value {
	var c collector
	c.walk(v, &p, 0)
	return c.result()
}

type collector struct {
	vals []Value
}

func (c *collector) walk(v Value, p *Path, i int) {
	if i == len(p.ends) {
		c.add(v)
		return
	}
	switch v.kind {
	case KindObject:
		for k := range v.kids {
			if j := p.match(i, v.kids[k].Key); j >= 0 {
				c.walk(v.kids[k].Value, p, j)
			}
		}
	case KindArray:
		for k := range v.kids {
			c.walk(v.kids[k].Value, p, i)
		}
	}
}

// add appends a found value, flattening nested arrays.
func (c *collector) add(v Value) {
	if v.kind == KindArray {
		for k := range v.kids {
			c.add(v.kids[k].Value)
		}
		return
	}
	if v.kind != KindMissing {
		c.vals = append(c.vals, v)
	}
}

func (c *collector) result() Value {
	switch len(c.vals) {
	case 0:
		return Missing
	case 1:
		return c.vals[0]
	}
	return Array(c.vals...)
}

// GetString is a convenience for Get(MustPath(path)) on code paths that are
// not hot; it returns the string at path, or "" if it is not a string.
func (v Value) GetString(path string) string {
	s, _ := v.Get(MustPath(path)).Str()
	return s
}

// Set stores val at the dotted path, creating intermediate objects as needed
// and replacing whatever was there. v must be an object (or the zero Value,
// which becomes an empty object). Keys are created nested, never dotted.
func (v *Value) Set(path string, val Value) {
	if v.kind == KindMissing {
		*v = Object()
	}
	cur := v
	for {
		dot := strings.IndexByte(path, '.')
		key := path
		if dot >= 0 {
			key = path[:dot]
		}
		idx := -1
		for k := range cur.kids {
			if cur.kids[k].Key == key {
				idx = k
				break
			}
		}
		if dot < 0 {
			if idx >= 0 {
				cur.kids[idx].Value = val
			} else {
				cur.kids = append(cur.kids, Field{Key: key, Value: val})
			}
			return
		}
		if idx < 0 {
			cur.kids = append(cur.kids, Field{Key: key, Value: Object()})
			idx = len(cur.kids) - 1
		} else if cur.kids[idx].Value.kind != KindObject {
			cur.kids[idx].Value = Object()
		}
		cur = &cur.kids[idx].Value
		path = path[dot+1:]
	}
}

// Delete removes the field at the dotted path (nested keys only) and reports
// whether it was there. Objects left empty are kept.
func (v *Value) Delete(path string) bool {
	cur := v
	for cur.kind == KindObject {
		dot := strings.IndexByte(path, '.')
		key := path
		if dot >= 0 {
			key = path[:dot]
		}
		idx := -1
		for k := range cur.kids {
			if cur.kids[k].Key == key {
				idx = k
				break
			}
		}
		if idx < 0 {
			return false
		}
		if dot < 0 {
			cur.kids = append(cur.kids[:idx], cur.kids[idx+1:]...)
			return true
		}
		cur = &cur.kids[idx].Value
		path = path[dot+1:]
	}
	return false
}

// Elem returns a pointer to element i of an array (or the value of field
// i of an object) without copying it.
func (v *Value) Elem(i int) *Value { return &v.kids[i].Value }
