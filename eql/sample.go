package eql

import (
	"sort"

	"github.com/vigil-sec/vigil/event"
)

// samplePlan is a compiled sample: unordered groups of events, one per
// term, that share their join key values.
type samplePlan struct {
	terms []*seqStage
}

func (c *compiler) compileSample(q *Sample) *samplePlan {
	p := &samplePlan{}
	for i, t := range q.Terms {
		p.terms = append(p.terms, c.compileStage(t, q.By, i))
	}
	return p
}

type sampleGroup struct {
	key    joinKey
	events []*event.Event
	filled int
}

type sampleRun struct {
	plan    *samplePlan
	deliver func(*Result)
	groups  map[string]*sampleGroup
	done    []*sampleGroup
	keys    keyScratch
	keep    *keeper
	cap     int
}

func newSampleRun(p *samplePlan, deliver func(*Result)) *sampleRun {
	return &sampleRun{plan: p, deliver: deliver, groups: map[string]*sampleGroup{}, cap: DefaultMaxPartials}
}

// push offers an event to every term; an event fills at most one slot of
// a sample, and the first events (in time order) win.
func (r *sampleRun) push(ev *event.Event, ctx *evalCtx) {
	for ti, t := range r.plan.terms {
		if !t.filter.match(ctx) {
			continue
		}
		for _, k := range eventKeys(t.keys, ctx, &r.keys) {
			g := r.groups[string(k.id)]
			if g == nil {
				if len(r.groups) >= r.cap {
					continue
				}
				g = &sampleGroup{key: k.own(r.keep.transient), events: make([]*event.Event, len(r.plan.terms))}
				r.groups[g.key.id] = g
			}
			if g.filled == len(g.events) || g.events[ti] != nil || g.holds(ev) {
				continue
			}
			g.events[ti], _ = r.keep.hold(ev) // held for good
			g.filled++
			if g.filled == len(g.events) {
				r.done = append(r.done, g)
			}
		}
	}
}

func (g *sampleGroup) holds(ev *event.Event) bool {
	for _, e := range g.events {
		if e == ev {
			return true
		}
	}
	return false
}

// close emits the complete samples ordered by their join keys, as
// Elasticsearch returns them.
func (r *sampleRun) close() {
	sort.SliceStable(r.done, func(i, j int) bool {
		a, b := r.done[i].key.vals, r.done[j].key.vals
		for k := range a {
			if c := sortCompare(a[k], b[k], false); c != 0 {
				return c < 0
			}
		}
		return false
	})
	for _, g := range r.done {
		r.deliver(&Result{Events: g.events, JoinKeys: g.key.vals, Kind: ResultSample})
	}
}
