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
type Merger struct {
	srcs   []Source
	done   []bool
	errs   []error
	h      itemHeap
	window int
	ts     event.Path
	tb     *event.Path
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
	if o.TiebreakerField != "" {
		p := event.MustPath(o.TiebreakerField)
		m.tb = &p
	}
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
	it := &item{ev: ev, src: i, seq: m.seq}
	m.seq++
	ts, ok := event.Time(ev.Doc.Get(m.ts))
	if !ok {
		m.stats.NoTimestamp++
		ts = math.MinInt64
	}
	it.ts = ts
	if m.tb != nil {
		it.tb = ev.Doc.Get(*m.tb)
	}
	heap.Push(&m.h, it)
	return true
}

// Next returns the next event in order, or io.EOF when every source is
// exhausted. Errors of single sources are kept in Errors; the others go on.
func (m *Merger) Next() (*event.Event, error) {
	if !m.filled {
		m.filled = true
		for i := range m.srcs {
			for k := 0; k < m.window && m.pull(i); k++ {
			}
		}
	}
	if m.h.Len() == 0 {
		return nil, io.EOF
	}
	it := heap.Pop(&m.h).(*item)
	m.pull(it.src)
	if it.ts != math.MinInt64 {
		if m.began && it.ts < m.last {
			m.stats.Late++
		} else {
			m.last, m.began = it.ts, true
		}
	}
	return it.ev, nil
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

type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.ts != b.ts {
		return a.ts < b.ts
	}
	if c := compareTiebreakers(a.tb, b.tb); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)   { *h = append(*h, x.(*item)) }
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
