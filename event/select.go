package event

import (
	"bytes"
	"fmt"
	"strings"
)

// FieldSet names the fields a [Decoder] keeps when it decodes selectively:
// everything else in a document is skipped without being decoded, which is
// what makes reading large ECS documents for a handful of rules fast. A
// path keeps the whole value below it ("process" keeps every process.*
// field). Paths match plain and dotted keys alike.
type FieldSet struct {
	root fieldNode
}

type fieldNode struct {
	all      bool // keep the whole value
	children []fieldChild
}

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
	n.children = nil
}

// Paths is the number of top-level entries, for tests and diagnostics.
func (fs *FieldSet) String() string {
	var b strings.Builder
	var walk func(prefix string, n *fieldNode)
	walk = func(prefix string, n *fieldNode) {
		if n.all {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(prefix)
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
	walk("", &fs.root)
	return b.String()
}

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
	return c
}

// lookupKey finds the node for a plain object key and returns it with the
// node's own copy of the key (nil if the key is not wanted).
func (n *fieldNode) lookupKey(key string) (*fieldNode, string) {
	for i := range n.children {
		if c := &n.children[i]; len(c.key) == len(key) && c.key == key {
			return c.node, c.key
		}
	}
	return nil, ""
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

// Select makes the Decoder keep only the fields of fs (nil: keep all).
func (d *Decoder) Select(fs *FieldSet) {
	if fs == nil {
		d.sel = nil
		return
	}
	d.sel = &fs.root
}

// skipValue passes over one JSON value without building it, checking its
// structure (balanced brackets, terminated strings, valid literals).
func (d *Decoder) skipValue() error {
	stack := d.skipStack[:0]
	defer func() { d.skipStack = stack[:0] }()
	for {
		if d.pos >= len(d.data) {
			return &SyntaxError{len(d.data), "unexpected end of JSON input"}
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			if err := d.skipString(); err != nil {
				return err
			}
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return &SyntaxError{d.pos, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
			}
			stack = append(stack, c)
			d.pos++
		case c == '}' || c == ']':
			if len(stack) == 0 || (c == '}') != (stack[len(stack)-1] == '{') {
				return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s in skipped value", quoteChar(c))}
			}
			stack = stack[:len(stack)-1]
			d.pos++
		case c == ',' || c == ':' || isSpace(c):
			d.pos++
			continue
		case c == 't':
			if _, err := d.literal("true", Missing); err != nil {
				return err
			}
		case c == 'f':
			if _, err := d.literal("false", Missing); err != nil {
				return err
			}
		case c == 'n':
			if _, err := d.literal("null", Missing); err != nil {
				return err
			}
		case c == '-' || (c >= '0' && c <= '9'):
			start := d.pos
			for d.pos < len(d.data) && isNumberByte(d.data[d.pos]) {
				d.pos++
			}
			if d.pos == start+1 && c == '-' {
				return &SyntaxError{d.pos, "invalid number: expected a digit"}
			}
		default:
			return &SyntaxError{d.pos, fmt.Sprintf("invalid character %s looking for beginning of value", quoteChar(c))}
		}
		if len(stack) == 0 {
			return nil
		}
	}
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// skipString passes over a string starting at its opening quote.
func (d *Decoder) skipString() error {
	start := d.pos
	i := d.pos + 1
	for {
		j := bytes.IndexByte(d.data[i:], '"')
		if j < 0 {
			return &SyntaxError{len(d.data), fmt.Sprintf("unexpected end of JSON input in string opened at offset %d", start)}
		}
		i += j
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
func Scan(data []byte) error {
	var d Decoder
	d.data = data
	d.skipSpace()
	if err := d.skipValue(); err != nil {
		return err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return &SyntaxError{d.pos, "invalid character after top-level value"}
	}
	return nil
}
