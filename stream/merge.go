// Package stream puts the events of many inputs into one ordered stream
// (by timestamp, then tiebreaker), as the EQL engine needs them, with
// bounded memory.
package stream

import (
	"container/heap"
	"errors"
	"io"
	"math"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// DefaultWindow is the default reorder window per input: how far (in
// events) an input may be out of order and still be merged exactly.
const DefaultWindow = 1 << 16

// Source yields events, roughly in time order, until io.EOF.
type Source interface {
	Next() (*event.Event, error)
}

// Order configures a Merger.
type Order struct {
	TimestampField  string // default "@timestamp"
	TiebreakerField string // optional
	// Window is the number of events held per input before the earliest
	// is released (DefaultWindow if 0). Events more out of order than
	// that are passed on at once and counted as late.
	Window int
}

// MergeStats counts ordering problems.
type MergeStats struct {
	Late        int64 // events older than one already released
	NoTimestamp int64 // events without a valid timestamp (released first)
}

// Merger merges sources into one ordered stream. Memory is bounded by
// Window events per source.
//
// Events that arrive in order, as most do, queue in a first-in first-out
// run; only those that arrive out of order go to a heap. An event whose
// document is not decoded yet but whose Raw is JSON text (see
// ingest.Options.Deferred) is ordered by its timestamp and tiebreaker
// read from Raw.
type Merger struct {
	srcs   []Source
	done   []bool
	errs   []error
	run    []item // in order; run[head:] are held
	head   int
	h      itemHeap
	spare  []*item // heap items to reuse: boxing an item for container/heap would allocate
	window int
	ts     event.Path
	tb     *event.Path
	peek   event.Decoder // reads the order fields of undecoded events
	times  event.TimeCache
	seq    uint64
	last   int64
	began  bool
	stats  MergeStats
	filled bool
}

type item struct {
	ev  *event.Event
	ts  int64
	tb  event.Value
	src int
	seq uint64
}

// before reports whether a goes before b: by timestamp, then tiebreaker,
// then arrival.
func (a *item) before(b *item) bool {
	if a.ts != b.ts {
		return a.ts < b.ts
	}
	if c := compareTiebreakers(a.tb, b.tb); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// NewMerger returns a Merger over srcs.
func NewMerger(srcs []Source, o Order) *Merger {
	m := &Merger{srcs: srcs, done: make([]bool, len(srcs)), errs: make([]error, len(srcs)), window: o.Window}
	if m.window <= 0 {
		m.window = DefaultWindow
	}
	tsName := o.TimestampField
	if tsName == "" {
		tsName = "@timestamp"
	}
	m.ts = event.MustPath(tsName)
	order := event.NewFieldSet(tsName)
	if o.TiebreakerField != "" {
		p := event.MustPath(o.TiebreakerField)
		m.tb = &p
		order.Add(o.TiebreakerField)
	}
	m.peek.Reuse = true
	m.peek.Select(order)
	return m
}

// pull reads one event of source i into the heap; it reports false when
// the source is exhausted.
func (m *Merger) pull(i int) bool {
	if m.done[i] {
		return false
	}
	ev, err := m.srcs[i].Next()
	if err != nil {
		m.done[i] = true
		if !errors.Is(err, io.EOF) {
			m.errs[i] = err
		}
		return false
	}
	it := item{ev: ev, src: i, seq: m.seq}
	m.seq++
	doc, readable := ev.Doc, true
	peeked := !doc.Exists() && ev.Raw != nil
	if peeked {
		// An undecoded event: its reader reports the JSON if it is
		// broken, when the event is decoded; until then it goes first,
		// like an event without a timestamp, but is not counted as one.
		var err error
		doc, err = m.peek.Peek(ev.Raw)
		readable = err == nil
	}
	it.ts = math.MinInt64
	if readable {
		v := doc.Get(m.ts)
		if ts, ok := m.times.Time(&v); ok {
			it.ts = ts
		} else {
			m.stats.NoTimestamp++
		}
		if m.tb != nil {
			if it.tb = doc.Get(*m.tb); peeked {
				it.tb = it.tb.Clone() // peek's buffers are reused
			}
		}
	}
	if n := len(m.run); n == m.head || !it.before(&m.run[n-1]) {
		m.run = append(m.run, it)
	} else {
		var p *item
		if n := len(m.spare); n > 0 {
			p, m.spare = m.spare[n-1], m.spare[:n-1]
		} else {
			p = new(item)
		}
		*p = it
		heap.Push(&m.h, p)
	}
	return true
}

// Next returns the next event in order, or io.EOF when every source is
// exhausted. Errors of single sources are kept in Errors; the others go on.
func (m *Merger) Next() (*event.Event, error) {
	ev, _, err := m.next()
	return ev, err
}

// next is Next that also says which source the event came from.
func (m *Merger) next() (*event.Event, int, error) {
	if !m.filled {
		m.filled = true
		for i := range m.srcs {
			for k := 0; k < m.window && m.pull(i); k++ {
			}
		}
	}
	var it item
	switch {
	case m.head < len(m.run) && (m.h.Len() == 0 || !m.h[0].before(&m.run[m.head])):
		it = m.run[m.head]
		m.run[m.head] = item{}
		m.head++
		if m.head == len(m.run) {
			m.run, m.head = m.run[:0], 0
		} else if m.head >= 1024 && m.head > len(m.run)/2 {
			// Slide the held run down rather than let it grow.
			n := copy(m.run, m.run[m.head:])
			clear(m.run[n:])
			m.run, m.head = m.run[:n], 0
		}
	case m.h.Len() > 0:
		p := heap.Pop(&m.h).(*item)
		it, *p = *p, item{}
		m.spare = append(m.spare, p)
	default:
		return nil, 0, io.EOF
	}
	m.pull(it.src)
	if it.ts != math.MinInt64 {
		if m.began && it.ts < m.last {
			m.stats.Late++
		} else {
			m.last, m.began = it.ts, true
		}
	}
	return it.ev, it.src, nil
}

// Stats returns the ordering counters.
func (m *Merger) Stats() MergeStats { return m.stats }

// Errors returns the errors that ended sources early.
func (m *Merger) Errors() []error {
	var out []error
	for _, e := range m.errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// itemHeap holds the events that arrived out of order.
type itemHeap []*item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return h[i].before(h[j]) }
func (h itemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)        { *h = append(*h, x.(*item)) }
func (h *itemHeap) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return it
}

// compareTiebreakers orders tiebreaker values: numbers numerically,
// strings by bytes, missing values last (as Elasticsearch sorts them).
func compareTiebreakers(a, b event.Value) int {
	am, bm := a.IsNull(), b.IsNull()
	switch {
	case am && bm:
		return 0
	case am:
		return 1
	case bm:
		return -1
	}
	if x, ok := a.Float(); ok {
		if y, ok := b.Float(); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	s, _ := a.Text()
	t, _ := b.Text()
	return strings.Compare(s, t)
}
