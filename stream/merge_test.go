package stream

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
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

// TestMergeMatchesReference checks the run-and-heap merger against the
// plainest merger there is, a held list searched for its least event, on
// random streams: mostly in order, with late events, equal timestamps and
// events without one, through windows of many sizes.
func TestMergeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := 0; round < 300; round++ {
		n := rng.IntN(60)
		window := 1 + rng.IntN(12)
		var evs []*event.Event
		ts := 100
		for i := 0; i < n; i++ {
			switch r := rng.IntN(10); {
			case r < 6:
				ts += rng.IntN(3)
				evs = append(evs, raw(ts, 0, fmt.Sprint(i)))
			case r < 9:
				evs = append(evs, raw(ts-rng.IntN(20), 0, fmt.Sprint(i)))
			default:
				evs = append(evs, &event.Event{Raw: fmt.Appendf(nil, `{"id":"%d"}`, i)})
			}
		}
		got := order(t, NewMerger([]Source{&sliceSource{append([]*event.Event(nil), evs...)}}, Order{Window: window}))
		want := referenceOrder(t, evs, window)
		if got != want {
			t.Fatalf("window %d over %d events:\n got %s\nwant %s", window, n, got, want)
		}
	}
}

// order drains m and lists the ids of its events.
func order(t *testing.T, m *Merger) string {
	var out []string
	for {
		ev, err := m.Next()
		if err == io.EOF {
			return strings.Join(out, " ")
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, idOf(t, ev))
	}
}

func idOf(t *testing.T, ev *event.Event) string {
	var d event.Decoder
	doc, err := d.Decode(ev.Raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc.GetString("id")
}

// referenceOrder merges one source through a window of held events,
// releasing the least (by timestamp, events without one first, then
// arrival) each time one more arrives.
func referenceOrder(t *testing.T, evs []*event.Event, window int) string {
	type held struct {
		ts  int64
		seq int
		id  string
	}
	var hold []held
	var out []string
	next := 0
	pull := func() {
		var d event.Decoder
		doc, err := d.Decode(evs[next].Raw)
		if err != nil {
			t.Fatal(err)
		}
		ts, ok := event.Time(doc.Get(event.MustPath("@timestamp")))
		if !ok {
			ts = math.MinInt64
		}
		hold = append(hold, held{ts, next, doc.GetString("id")})
		next++
	}
	for next < len(evs) && len(hold) < window {
		pull()
	}
	for len(hold) > 0 {
		best := 0
		for i, h := range hold {
			if h.ts < hold[best].ts || (h.ts == hold[best].ts && h.seq < hold[best].seq) {
				best = i
			}
		}
		out = append(out, hold[best].id)
		hold = append(hold[:best], hold[best+1:]...)
		if next < len(evs) {
			pull()
		}
	}
	return strings.Join(out, " ")
}
