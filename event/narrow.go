package event

import (
	"errors"
	"strings"
)

// A narrowing makes a FieldSet depend on one field of the document, such
// as event.category: detection rules ask for different fields of events
// of different categories, and a document needs only those of its own.
type narrowing struct {
	path  Path
	cases map[string]*FieldSet
	other *FieldSet
}

// Narrow makes the set depend on the value of field (a dotted path, as
// event.category): once a Decoder has decoded the top-level member that
// holds it, it keeps of the top-level members after that one only what
// cases[v] wants, for the value v of field, or what other wants for a
// value with no case. For an array of strings it keeps what the sets of
// all its values want. Members before that one are kept as the whole set
// wants them. A document whose field is missing, or is neither a string
// nor an array of strings, keeps the whole set, as does one where a later
// top-level member could add to the field (a second "event" object): the
// Decoder then decodes the document again without narrowing.
//
// Each case should hold the fields that whoever reads an event of its
// category needs, the field itself included: fields outside its case are
// missing from a narrowed document. Narrow must be called before the set
// is used.
func (fs *FieldSet) Narrow(field string, cases map[string]*FieldSet, other *FieldSet) {
	fs.narrow = &narrowing{path: MustPath(field), cases: cases, other: other}
	fs.markNarrowing(field)
	for _, c := range cases {
		if c != nil {
			c.markNarrowing(field)
		}
	}
	if other != nil {
		other.markNarrowing(field)
	}
}

// markNarrowing adds field to the set and marks the nodes on its path:
// a top-level member whose key finds a marked node may hold the field.
func (fs *FieldSet) markNarrowing(field string) {
	fs.Add(field)
	n := &fs.root
	for _, part := range strings.Split(field, ".") {
		if n = n.child(part, false); n == nil {
			return
		}
		n.narrows = true
		if n.all {
			return
		}
	}
}

// maxUnions bounds the joined sets a Decoder keeps for field values that
// are arrays of several strings; beyond it, such documents keep the whole
// set.
const maxUnions = 64

// errWiden ends a narrowed decoding that met a second member holding the
// narrowing field: the document is decoded again without narrowing.
var errWiden = errors.New("event: narrowed document holds its narrowing field twice")

// narrowTo returns the root of the set a document whose narrowing field
// has value v keeps after that field, or nil to keep the whole set.
func (d *Decoder) narrowTo(v Value) *fieldNode {
	nw := d.narrow
	switch v.kind {
	case KindString:
		return nw.caseRoot(v.str)
	case KindArray:
		if len(v.kids) == 0 {
			return nil
		}
		if e := &v.kids[0].Value; len(v.kids) == 1 {
			if e.kind != KindString {
				return nil
			}
			return nw.caseRoot(e.str)
		}
		key := d.unionKey[:0]
		for i := range v.kids {
			e := &v.kids[i].Value
			if e.kind != KindString {
				return nil
			}
			key = append(append(key, e.str...), 0)
		}
		d.unionKey = key
		if n, ok := d.unions[string(key)]; ok {
			return n
		}
		if len(d.unions) >= maxUnions {
			return nil
		}
		union := NewFieldSet()
		for i := range v.kids {
			root := nw.caseRoot(v.kids[i].Value.str)
			if root == nil {
				return nil
			}
			for _, p := range root.paths() {
				union.Add(p)
			}
		}
		union.markNarrowing(nw.path.text)
		if d.unions == nil {
			d.unions = map[string]*fieldNode{}
		}
		d.unions[string(key)] = &union.root
		return &union.root
	}
	return nil
}

// caseRoot returns the root of the set for one value of the field, nil
// when there is none.
func (nw *narrowing) caseRoot(v string) *fieldNode {
	if fs, ok := nw.cases[v]; ok && fs != nil {
		return &fs.root
	}
	if nw.other != nil {
		return &nw.other.root
	}
	return nil
}

// paths returns the dotted paths of the set below n, as Add takes them.
func (n *fieldNode) paths() []string {
	var out []string
	var walk func(prefix string, n *fieldNode)
	walk = func(prefix string, n *fieldNode) {
		if n.all {
			out = append(out, prefix)
			return
		}
		for _, c := range n.children {
			p := c.key
			if prefix != "" {
				p = prefix + "." + c.key
			}
			walk(p, c.node)
		}
	}
	walk("", n)
	return out
}
