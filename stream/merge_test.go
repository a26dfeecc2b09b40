package stream

import (
	"fmt"
	"io"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

type sliceSource struct{ evs []*event.Event }

func (s *sliceSource) Next() (*event.Event, error) {
	if len(s.evs) == 0 {
		return nil, io.EOF
	}
	e := s.evs[0]
	s.evs = s.evs[1:]
	return e, nil
}

func mk(t *testing.T, ts, tb int, id string) *event.Event {
	var d event.Decoder
	v, err := d.Decode([]byte(fmt.Sprintf(`{"@timestamp":%d,"seq":%d,"id":%q}`, ts, tb, id)))
	if err != nil {
		t.Fatal(err)
	}
	return &event.Event{Doc: v}
}

func ids(t *testing.T, m *Merger) string {
	var out string
	for {
		ev, err := m.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out += ev.Doc.GetString("id")
	}
}

func TestMergeOrdersAcrossSources(t *testing.T) {
	a := &sliceSource{[]*event.Event{mk(t, 1, 0, "a"), mk(t, 4, 0, "d"), mk(t, 6, 0, "f")}}
	b := &sliceSource{[]*event.Event{mk(t, 2, 0, "b"), mk(t, 3, 0, "c"), mk(t, 5, 0, "e")}}
	m := NewMerger([]Source{a, b}, Order{Window: 1})
	if got := ids(t, m); got != "abcdef" {
		t.Errorf("merged %q, want abcdef", got)
	}
}

func TestMergeReordersWithinWindow(t *testing.T) {
	src := &sliceSource{[]*event.Event{mk(t, 3, 0, "c"), mk(t, 1, 0, "a"), mk(t, 2, 0, "b"), mk(t, 5, 0, "e"), mk(t, 4, 0, "d")}}
	m := NewMerger([]Source{src}, Order{Window: 3})
	if got := ids(t, m); got != "abcde" || m.Stats().Late != 0 {
		t.Errorf("window 3: %q late %d", got, m.Stats().Late)
	}
	src = &sliceSource{[]*event.Event{mk(t, 3, 0, "c"), mk(t, 4, 0, "d"), mk(t, 1, 0, "a")}}
	m = NewMerger([]Source{src}, Order{Window: 1})
	if got := ids(t, m); got != "cda" || m.Stats().Late != 1 {
		t.Errorf("window 1: %q late %d, want cda and 1 late", got, m.Stats().Late)
	}
}

func TestMergeTiebreaker(t *testing.T) {
	src := &sliceSource{[]*event.Event{mk(t, 1, 3, "c"), mk(t, 1, 1, "a"), mk(t, 1, 2, "b")}}
	m := NewMerger([]Source{src}, Order{Window: 4, TiebreakerField: "seq"})
	if got := ids(t, m); got != "abc" {
		t.Errorf("tiebreaker order %q, want abc", got)
	}
}

// raw returns an event that is not decoded yet: only its JSON text.
func raw(ts, tb int, id string) *event.Event {
	return &event.Event{Raw: fmt.Appendf(nil, `{"@timestamp":%d,"id":%q,"seq":%d}`, ts, id, tb)}
}

// TestMergeRunAndHeap mixes events in order, which queue in the run, with
// events out of order, which go to the heap, and undecoded events, which
// are ordered by the fields peeked from their text.
func TestMergeRunAndHeap(t *testing.T) {
	src := &sliceSource{[]*event.Event{
		mk(t, 2, 0, "b"), raw(4, 0, "d"), mk(t, 1, 0, "a"), raw(5, 0, "e"), mk(t, 3, 0, "c"),
		raw(9, 0, "i"), raw(6, 0, "f"), mk(t, 7, 0, "g"), raw(8, 0, "h"), raw(10, 2, "k"), raw(10, 1, "j"),
	}}
	m := NewMerger([]Source{src}, Order{Window: 4, TiebreakerField: "seq"})
	var got string
	for {
		ev, err := m.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		doc := ev.Doc
		if !doc.Exists() {
			var d event.Decoder
			if doc, err = d.Decode(ev.Raw); err != nil {
				t.Fatal(err)
			}
		}
		got += doc.GetString("id")
	}
	if got != "abcdefghijk" || m.Stats().Late != 0 || m.Stats().NoTimestamp != 0 {
		t.Errorf("merged %q (late %d, no timestamp %d), want abcdefghijk in order", got, m.Stats().Late, m.Stats().NoTimestamp)
	}
}
