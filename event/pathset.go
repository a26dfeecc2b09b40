package event

// PathSet looks many paths up in a document in one walk. The components
// the paths share are found once ("process" for process.name and
// process.parent.name), and the paths below a component the document
// lacks cost nothing more: where a rule library looks a hundred fields up
// in every event, most of them absent, that is most of the work. Like
// RefHint it remembers where each component was found, so documents of
// one source find theirs with a single comparison; a PathSet is therefore
// not safe for concurrent use.
type PathSet struct {
	paths []Path
	hints [][]uint16 // per path, for lookups that leave plain objects
	root  pathNode
}

// pathNode is a component of the set's paths.
type pathNode struct {
	part  string
	hint  uint16
	ends  []int // the paths that end here
	under []int // the paths that end below here
	kids  []pathNode
	// A node of many kids finds them in one pass over the object's keys,
	// by slots, rather than looking each up: a kid the object lacks would
	// cost a pass of its own.
	slots *[256]uint8
	vals  []*Value // the kids' values, found by that pass
}

// manyKids is the fewest kids a node finds in one pass over an object.
const manyKids = 4

// pathSlot returns the slot of a non-empty key among a node's kids.
func pathSlot(key string) int { return (len(key)*31 + int(key[0])*7 + int(key[len(key)-1])) & 255 }

// NewPathSet returns the set of paths. Refs reports path i at out[i]; a
// path given twice is looked up once and reported at both.
func NewPathSet(paths []Path) *PathSet {
	s := &PathSet{paths: paths, hints: make([][]uint16, len(paths))}
	for i, p := range paths {
		s.hints[i] = make([]uint16, p.Len())
		n := &s.root
		for _, part := range p.parts {
			n.under = append(n.under, i)
			k := 0
			for k < len(n.kids) && n.kids[k].part != part {
				k++
			}
			if k == len(n.kids) {
				n.kids = append(n.kids, pathNode{part: part})
			}
			n = &n.kids[k]
		}
		n.ends = append(n.ends, i)
	}
	s.root.index()
	return s
}

// index gives the nodes of many kids their slots.
func (n *pathNode) index() {
	for k := range n.kids {
		n.kids[k].index()
	}
	if len(n.kids) < manyKids {
		return
	}
	n.slots, n.vals = new([256]uint8), make([]*Value, len(n.kids))
	for k, c := range n.kids {
		if s := pathSlot(c.part); n.slots[s] == 0 && k+1 < slotShared {
			n.slots[s] = uint8(k + 1)
		} else {
			n.slots[s] = slotShared
		}
	}
}

// Len returns the number of paths in the set.
func (s *PathSet) Len() int { return len(s.paths) }

// Refs sets out[i], for each path i of the set, to what doc.RefHint
// returns for it: a pointer to its value in doc, which must not be
// modified, or nil when it is absent. out must hold Len values.
func (s *PathSet) Refs(doc *Value, out []*Value) {
	out = out[:len(s.paths)]
	clear(out)
	s.walk(&s.root, doc, doc, out)
}

// walk reports the paths at and below n, whose value in doc is cur.
func (s *PathSet) walk(n *pathNode, doc, cur *Value, out []*Value) {
	for _, i := range n.ends {
		out[i] = cur
	}
	if len(n.kids) == 0 {
		return
	}
	if cur.kind != KindObject || cur.num&dottedBit != 0 {
		// Under dotted keys or an array, or absent under a scalar: the
		// paths below take the general lookup, as RefHint's do.
		for _, i := range n.under {
			out[i] = doc.RefHint(&s.paths[i], s.hints[i])
		}
		return
	}
	if n.slots != nil {
		n.pass(cur)
	}
	for k := range n.kids {
		c := &n.kids[k]
		var v *Value
		if n.slots != nil {
			v = n.vals[k]
		} else if h := int(c.hint); h < len(cur.kids) && sameKey(cur.kids[h].Key, c.part) {
			v = &cur.kids[h].Value
		} else {
			v = cur.kidScan(c.part, &c.hint)
		}
		if v != nil {
			s.walk(c, doc, v, out)
		}
	}
}

// pass finds the values of n's kids in cur, a plain object, in one pass
// over its keys: the first of each, as Get finds it.
func (n *pathNode) pass(cur *Value) {
	vals := n.vals
	clear(vals)
	for k := range cur.kids {
		key := cur.kids[k].Key
		if key == "" {
			continue
		}
		j := int(n.slots[pathSlot(key)])
		switch j {
		case 0:
			continue
		case slotShared:
			j = 0
			for j < len(n.kids) && !sameKey(n.kids[j].part, key) {
				j++
			}
			if j == len(n.kids) {
				continue
			}
		default:
			if j--; !sameKey(n.kids[j].part, key) {
				continue
			}
		}
		if vals[j] == nil {
			vals[j] = &cur.kids[k].Value
		}
	}
}
