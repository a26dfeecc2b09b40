package evtx

import (
	"bytes"
	"hash/maphash"
	"unsafe"
)

// Compiled templates are shared between chunks. A chunk refers to the
// template definitions it uses by offset, and stores each inline where it
// first uses it, so chunks of one log, and logs from the same system,
// often hold the same definition at the same offset. The first template
// of every chunk, right after the first record's header, is the common
// case. Compiling a definition costs more than decoding a record that
// uses it, which matters for chunks that hold few records.
//
// A shared template is found by the definition's offset and bytes, and
// used only if both are the same and every name the definition refers to
// outside itself is the same in the current chunk: the names inside the
// definition, and its layout, are then the same too, so compiling it
// again would give the same template.

// maxShared and maxSharedBytes bound the shared templates a decoder keeps
// (a few KiB each, the 111 test files hold 89 in 0.4 MB): when adding one
// would go past either, they are all dropped.
const (
	maxShared      = 256
	maxSharedBytes = 4 << 20
)

// sharedTemplate is a compiled template definition kept across chunks.
type sharedTemplate struct {
	off  uint32
	def  []byte    // the definition: header and binary XML
	refs []nameRef // the names it takes from elsewhere in its chunk
	t    *template // owns its ops and text
}

// definition returns the bytes of the template definition at off, or nil
// if they do not fit in the chunk.
func (d *decoder) definition(off uint32) []byte {
	o := int(off)
	if off > uint32(len(d.chunk)) || o+24 > len(d.chunk) {
		return nil
	}
	end := int64(o) + 24 + int64(u32(d.chunk, o+20))
	if end > int64(len(d.chunk)) {
		return nil
	}
	return d.chunk[o:end]
}

func (d *decoder) sharedKey(off uint32, def []byte) uint64 {
	return maphash.Bytes(d.seed, def) ^ uint64(off)*0x9e3779b97f4a7c15
}

// sharedTemplate returns the shared compiled template for the definition
// def at off in the current chunk, or nil.
func (d *decoder) sharedTemplate(off uint32, def []byte) *template {
	if def == nil {
		return nil
	}
	st := d.shared[d.sharedKey(off, def)]
	if st == nil || st.off != off || !bytes.Equal(st.def, def) {
		return nil
	}
	for _, r := range st.refs {
		if x, err := d.name(r.off); err != nil || x.s != r.name {
			return nil
		}
	}
	return st.t
}

// share keeps a copy of t, compiled from the definition def at off, for
// later chunks.
func (d *decoder) share(off uint32, def []byte, t *template, refs []nameRef) {
	size := len(def) + (len(t.ops)+len(t.pieces))*int(unsafe.Sizeof(op{}))
	for _, ops := range [][]op{t.ops, t.pieces} {
		for i := range ops {
			size += len(ops[i].text)
		}
	}
	if len(d.shared) >= maxShared || d.sharedBytes+size > maxSharedBytes {
		clear(d.shared)
		d.sharedBytes = 0
	}
	if size > maxSharedBytes {
		return
	}
	d.sharedBytes += size
	d.shared[d.sharedKey(off, def)] = &sharedTemplate{
		off:  off,
		def:  bytes.Clone(def),
		refs: refs,
		t:    t.clone(),
	}
}

// clone returns a copy of t that owns its memory, where t may use the
// decoder's arenas, which the next chunk reuses.
func (t *template) clone() *template {
	c := &template{
		ops:    append([]op(nil), t.ops...),
		pieces: append([]op(nil), t.pieces...),
		guid:   t.guid,
		err:    t.err,
	}
	n := 0
	for i := range c.ops {
		n += len(c.ops[i].text)
	}
	for i := range c.pieces {
		n += len(c.pieces[i].text)
	}
	text := make([]byte, 0, n)
	for _, ops := range [][]op{c.ops, c.pieces} {
		for i := range ops {
			if len(ops[i].text) > 0 {
				start := len(text)
				text = append(text, ops[i].text...)
				ops[i].text = text[start:len(text):len(text)]
			}
		}
	}
	return c
}
