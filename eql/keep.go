package eql

import (
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// keeper copies the events a run holds on to when the input reuses its
// buffers (transient events); one keeper serves all the runs of an
// Engine, so an event is copied at most once.
//
// Copies are counted: a partial sequence that dies lets go of its events,
// and a copy nobody holds any more lends its storage to a later copy, so
// that partials replaced by newer ones (the usual fate of a partial) cost
// no allocation but the text of the copy's strings. Holders that keep
// events for good (samples, results of a pipeline that buffers them)
// simply never let go.
type keeper struct {
	transient bool
	gen       uint64 // push counter
	keptGen   uint64
	kept      *keptEvent   // the copy of the event of push keptGen
	later     []*keptEvent // let go of at the next push: results may show them until then
	free      []*keptEvent // copies nobody holds, for reuse
	copier    docCopier
}

// keptEvent is a counted copy of a transient event.
type keptEvent struct {
	ev     event.Event
	refs   int
	fields []event.Field // storage of ev.Doc's objects and arrays
	raw    []byte        // storage of ev.Raw
}

// Bounds on what the keeper keeps for reuse: a burst of held events, or
// one huge event, must not pin memory once it has passed.
const (
	maxFreeKept   = 256
	maxKeptFields = 4096
	maxKeptRaw    = 64 << 10
)

// next starts a new push: results emitted during the previous one are no
// longer valid, so the events they alone held can be reused.
func (k *keeper) next() {
	k.gen++
	if len(k.later) > 0 {
		k.releaseAll()
	}
}

// releaseAll releases the copies of k.later.
func (k *keeper) releaseAll() {
	for i, c := range k.later {
		k.release(c)
		k.later[i] = nil
	}
	k.later = k.later[:0]
}

// hold returns ev itself, or for transient input a copy made once per
// push, counting one more holder of the copy. The copy (nil for
// non-transient input) is what the holder passes to release.
func (k *keeper) hold(ev *event.Event) (*event.Event, *keptEvent) {
	if !k.transient {
		return ev, nil
	}
	if k.keptGen != k.gen || k.kept == nil {
		k.kept, k.keptGen = k.copy(ev), k.gen
	}
	k.kept.refs++
	return &k.kept.ev, k.kept
}

// copy returns a copy of ev with no holder, in recycled storage if there
// is some.
func (k *keeper) copy(ev *event.Event) *keptEvent {
	var c *keptEvent
	if n := len(k.free); n > 0 {
		c, k.free[n-1] = k.free[n-1], nil
		k.free = k.free[:n-1]
	} else {
		c = &keptEvent{}
	}
	c.ev = event.Event{Src: ev.Src}
	if len(ev.Raw) > 0 {
		c.raw = append(c.raw[:0], ev.Raw...)
		c.ev.Raw = c.raw
	}
	c.ev.Doc, c.fields = k.copier.copy(ev.Doc, c.fields)
	return c
}

// release counts one holder less of c, and recycles c when none is left.
func (k *keeper) release(c *keptEvent) {
	if c == nil {
		return
	}
	if c.refs--; c.refs > 0 {
		return
	}
	if c == k.kept {
		k.kept = nil // a later hold in this push must not revive it
	}
	if len(k.free) >= maxFreeKept || cap(c.fields) > maxKeptFields || cap(c.raw) > maxKeptRaw {
		return
	}
	c.ev = event.Event{}
	k.free = append(k.free, c)
}

// releaseLater releases c at the next push.
func (k *keeper) releaseLater(c *keptEvent) {
	if c != nil {
		k.later = append(k.later, c)
	}
}

// docCopier copies documents. Its strings come from a single new string per
// document, so that they share no memory with the input and need no
// unsafe code; objects and arrays go in a caller's reusable slice.
type docCopier struct {
	text  []byte // the strings of the document being copied, in walk order
	blob  string // text as a string
	off   int    // next string of blob to hand out
	slab  []event.Field
	used  int
	alien bool // the document holds a kind this copier does not know
}

// copy returns a deep copy of v that shares no memory with it, storing
// its objects and arrays in slab (grown if needed), and the slab.
func (c *docCopier) copy(v event.Value, slab []event.Field) (event.Value, []event.Field) {
	c.text, c.alien = c.text[:0], false
	n := c.measure(&v)
	if c.alien {
		return v.Clone(), slab
	}
	if cap(slab) < n {
		slab = make([]event.Field, n)
	}
	c.slab, c.used = slab[:cap(slab)], 0
	c.blob, c.off = string(c.text), 0
	var out event.Value
	c.value(&out, &v)
	clear(slab[c.used:cap(slab)]) // drop what a previous copy left there
	c.slab, c.blob = nil, ""
	return out, slab
}

// measure appends the strings of v to c.text and returns the number of
// members of its objects and arrays.
func (c *docCopier) measure(v *event.Value) int {
	switch v.Kind() {
	case event.KindString:
		s, _ := v.Str()
		c.text = append(c.text, s...)
		return 0
	case event.KindArray, event.KindObject:
		kids := v.Fields()
		n := len(kids)
		for i := range kids {
			c.text = append(c.text, kids[i].Key...)
			n += c.measure(&kids[i].Value)
		}
		return n
	case event.KindMissing, event.KindNull, event.KindBool, event.KindInt, event.KindFloat:
		return 0
	}
	c.alien = true
	return 0
}

// str returns the next n bytes of the copied text.
func (c *docCopier) str(n int) string {
	s := c.blob[c.off : c.off+n]
	c.off += n
	return s
}

// value copies v into dst, in the order measure walked it. It writes in
// place rather than returning values: a document is mostly small structs,
// and copying them through return values costs more than their content.
func (c *docCopier) value(dst, v *event.Value) {
	switch v.Kind() {
	case event.KindString:
		s, _ := v.Str()
		*dst = event.String(c.str(len(s)))
	case event.KindBool:
		b, _ := v.Bool()
		*dst = event.Bool(b)
	case event.KindInt:
		i, _ := v.Int()
		*dst = event.Int(i)
	case event.KindFloat:
		f, _ := v.Float()
		*dst = event.Float(f)
	case event.KindNull:
		*dst = event.Null()
	case event.KindArray, event.KindObject:
		kids := v.Fields()
		out := c.slab[c.used : c.used+len(kids) : c.used+len(kids)]
		c.used += len(kids)
		dotted := false
		for i := range kids {
			f := &out[i]
			f.Key = c.str(len(kids[i].Key))
			dotted = dotted || strings.IndexByte(f.Key, '.') >= 0
			c.value(&f.Value, &kids[i].Value)
		}
		if v.Kind() == event.KindArray {
			*dst = event.ArrayOf(out)
		} else {
			*dst = event.ObjectOf(out, dotted)
		}
	default:
		*dst = event.Missing
	}
}

// resultSlab holds the results of one push when they need not outlive it
// (transient input, a pipeline that keeps no result): they are valid until
// the next push, and their storage is reused then.
type resultSlab struct {
	gen    uint64
	res    []Result
	events []*event.Event
}

// result returns a result to fill, and room for n events in it.
func (s *resultSlab) result(k *keeper, retains bool, n int) (*Result, []*event.Event) {
	if !k.transient || retains {
		return &Result{}, make([]*event.Event, n)
	}
	if s.gen != k.gen {
		// Earlier slices stay as they are: a result handed out before
		// the slab grew still points into them.
		s.gen, s.res, s.events = k.gen, s.res[:0], s.events[:0]
	}
	s.res = append(s.res, Result{})
	s.events = append(s.events, make([]*event.Event, n)...)
	return &s.res[len(s.res)-1], s.events[len(s.events)-n : len(s.events) : len(s.events)]
}
