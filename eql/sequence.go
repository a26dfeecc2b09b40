package eql

import (
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// ---------------------------------------------------------------------------
// Plan

type sequencePlan struct {
	stages   []*seqStage // runs expanded; missing stages included
	until    *seqStage
	maxSpan  int64 // nanoseconds; 0 for none
	firstPos int   // first positive stage
	lastPos  int   // last positive stage
	leading  []int // missing stages before firstPos
	trailing []int // missing stages after lastPos
	prevPos  []int // for each stage, the previous positive stage (-1)
}

type seqStage struct {
	index   int
	filter  *filterPlan
	keys    []*keyExpr
	missing bool
}

// keyExpr is one join key of a stage.
type keyExpr struct {
	val valueFn
	// field is set when the key is a field read as is (fieldRef.plain):
	// eventKeys then reads it in place rather than through val.
	field    *fieldRef
	fold     bool // compare string keys case-insensitively (Endgame)
	optional bool // written ?field: a null value is a valid key
	date     bool // a date field: keys render as dates
}

func (c *compiler) compileSequence(q *Sequence) *sequencePlan {
	p := &sequencePlan{maxSpan: int64(q.MaxSpan)}
	for _, t := range q.Terms {
		n := max(t.Runs, 1)
		for i := 0; i < n; i++ {
			p.stages = append(p.stages, c.compileStage(t, q.By, len(p.stages)))
		}
	}
	if q.Until != nil {
		p.until = c.compileStage(q.Until, q.By, -1)
	}
	p.firstPos, p.lastPos = -1, -1
	p.prevPos = make([]int, len(p.stages))
	prev := -1
	for i, s := range p.stages {
		p.prevPos[i] = prev
		if !s.missing {
			if p.firstPos < 0 {
				p.firstPos = i
			}
			p.lastPos = i
			prev = i
		}
	}
	for i, s := range p.stages {
		if s.missing && i < p.firstPos {
			p.leading = append(p.leading, i)
		}
		if s.missing && i > p.lastPos {
			p.trailing = append(p.trailing, i)
		}
	}
	return p
}

func (c *compiler) compileStage(t *Term, by []Expr, index int) *seqStage {
	s := &seqStage{index: index, missing: t.Missing, filter: c.compileFilter(t.Query)}
	for _, k := range append(append([]Expr{}, by...), t.By...) {
		ke := &keyExpr{val: c.value(c.nullUnmapped(k)), fold: c.opts.Endgame}
		if f, ok := unparen(k).(*Field); ok {
			ke.optional = f.Optional
			if !c.unmapped(f) {
				ref := c.field(f, false)
				ke.date = ref.typ == TypeDate
				if ref.plain {
					ke.field = ref
				}
			}
		}
		s.keys = append(s.keys, ke)
	}
	return s
}

// ---------------------------------------------------------------------------
// Join keys

// joinKey is one combination of key values, owned by a partial sequence
// or a sample group.
type joinKey struct {
	id   string        // type-tagged encoding, the map key
	vals []event.Value // for output
}

// keyView is one combination of key values of the event at hand. It points
// into a keyScratch and is valid until the scratch is reused; own copies
// it.
type keyView struct {
	id   []byte
	vals []event.Value
	offs []int // where the text of each value starts in id
}

// own copies the key for a partial or a group to keep. With transient
// input the values are copied too: they point into the event at hand.
func (k *keyView) own(transient bool) joinKey {
	key := joinKey{id: string(k.id), vals: append([]event.Value(nil), k.vals...)}
	if transient {
		for i, v := range key.vals {
			switch v.Kind() {
			case event.KindString:
				s, _ := v.Str()
				// The id usually holds the string itself, after its tag.
				if o := k.offs[i] + 1; o+len(s) <= len(key.id) && key.id[o:o+len(s)] == s {
					s = key.id[o : o+len(s)]
				} else {
					s = strings.Clone(s)
				}
				key.vals[i] = event.String(s)
			case event.KindArray, event.KindObject:
				key.vals[i] = v.Clone()
			}
		}
	}
	return key
}

// keyScratch holds the key combinations of one event without allocating
// per event.
type keyScratch struct {
	ids     []byte
	vals    []event.Value
	offs    []int
	views   []keyView
	raw     []event.Value
	choices [][]event.Value
	idx     []int
}

// eventKeys returns the key combinations of an event for a stage: one per
// element of the cartesian product of multi-valued keys. An event whose
// non-optional key is null has none.
func eventKeys(keys []*keyExpr, ctx *evalCtx, sc *keyScratch) []keyView {
	sc.ids, sc.vals, sc.offs, sc.views = sc.ids[:0], sc.vals[:0], sc.offs[:0], sc.views[:0]
	for _, k := range keys {
		var v event.Value // event.Missing
		if k.field != nil {
			if p := k.field.ref(ctx); p != nil {
				v = *p
			}
		} else {
			v = k.val(ctx)
		}
		if v.Kind() == event.KindArray {
			return expandKeys(keys, ctx, sc)
		}
		if v.IsNull() {
			if !k.optional {
				return sc.views
			}
			v = vNull
		}
		sc.offs = append(sc.offs, len(sc.ids))
		if s, ok := v.Str(); ok && !k.fold {
			// appendText, written out for the commonest key
			sc.ids = append(append(sc.ids, 's'), s...)
		} else {
			sc.ids = k.appendText(sc.ids, v)
		}
		sc.ids = append(sc.ids, 0x1f)
		if k.date {
			v = outputKey(v, k)
		}
		sc.vals = append(sc.vals, v)
	}
	sc.views = append(sc.views, keyView{id: sc.ids, vals: sc.vals, offs: sc.offs})
	return sc.views
}

// expandKeys is eventKeys for keys of which one at least is an array: it
// makes one combination per element of the cartesian product, dropping
// null and repeated elements. It is kept out of eventKeys, which runs for
// every event, so that the common case is compact code.
func expandKeys(keys []*keyExpr, ctx *evalCtx, sc *keyScratch) []keyView {
	sc.ids, sc.vals, sc.offs, sc.views = sc.ids[:0], sc.vals[:0], sc.offs[:0], sc.views[:0]
	sc.raw = sc.raw[:0]
	for _, k := range keys {
		sc.raw = append(sc.raw, k.val(ctx))
	}
	sc.choices = sc.choices[:0]
	for i, k := range keys {
		v := sc.raw[i]
		var opts []event.Value
		if v.Kind() == event.KindArray {
			seen := map[string]bool{}
			for j, n := 0, v.Len(); j < n; j++ {
				e := v.Index(j)
				if e.IsNull() {
					continue
				}
				if t := keyText(e); !seen[t] {
					seen[t] = true
					opts = append(opts, e)
				}
			}
		} else if !v.IsNull() {
			opts = []event.Value{v}
		}
		if len(opts) == 0 {
			if !k.optional {
				return sc.views
			}
			opts = []event.Value{vNull}
		}
		sc.choices = append(sc.choices, opts)
	}
	sc.idx = append(sc.idx[:0], make([]int, len(keys))...)
	type span struct{ id0, id1, v0, v1 int }
	var spans []span
	for {
		sp := span{id0: len(sc.ids), v0: len(sc.vals)}
		for i, k := range keys {
			v := sc.choices[i][sc.idx[i]]
			sc.vals = append(sc.vals, outputKey(v, k))
			sc.offs = append(sc.offs, len(sc.ids)-sp.id0)
			sc.ids = k.appendText(sc.ids, v)
			sc.ids = append(sc.ids, 0x1f)
		}
		sp.id1, sp.v1 = len(sc.ids), len(sc.vals)
		spans = append(spans, sp)
		if len(spans) >= 1024 { // bound the product of huge arrays
			break
		}
		i := len(sc.idx) - 1
		for i >= 0 {
			sc.idx[i]++
			if sc.idx[i] < len(sc.choices[i]) {
				break
			}
			sc.idx[i] = 0
			i--
		}
		if i < 0 {
			break
		}
	}
	// Views are cut only now: the buffers may have moved while growing.
	for _, sp := range spans {
		sc.views = append(sc.views, keyView{id: sc.ids[sp.id0:sp.id1], vals: sc.vals[sp.v0:sp.v1], offs: sc.offs[sp.v0:sp.v1]})
	}
	return sc.views
}

// appendText appends the encoding of a key value used for matching.
func (k *keyExpr) appendText(dst []byte, v event.Value) []byte {
	if s, ok := v.Str(); ok && k.fold {
		s = foldString(s)
		dst = append(dst, 's')
		return append(dst, s...)
	}
	return appendKeyText(dst, v)
}

// outputKey renders a key value as Elasticsearch returns it: dates as
// strings.
func outputKey(v event.Value, k *keyExpr) event.Value {
	if k.date {
		if ns, ok := event.Time(v); ok {
			return event.String(event.FormatTime(ns))
		}
	}
	return v
}

// ---------------------------------------------------------------------------
// Run

// partial is a sequence in progress.
type partial struct {
	events  []*event.Event
	kept    []*keptEvent // the copies behind events, for transient input
	ts      []int64
	start   int64
	key     joinKey
	stage   int // last filled positive stage
	leadTS  int64
	hasLead bool // a leading missing event was found before the start
	doomed  bool // a missing event fell in one of its gaps
	dead    bool
}

// newPartial allocates a partial and its per-stage arrays together.
func newPartial(stages int) *partial {
	type block struct {
		p    partial
		evs  [4]*event.Event
		kept [4]*keptEvent
		ts   [4]int64
	}
	if stages <= 4 {
		b := &block{}
		b.p.events, b.p.kept, b.p.ts = b.evs[:stages:stages], b.kept[:stages:stages], b.ts[:stages:stages]
		return &b.p
	}
	return &partial{events: make([]*event.Event, stages), kept: make([]*keptEvent, stages), ts: make([]int64, stages)}
}

// slots holds, for one join key, the newest partial at each stage.
type slots struct {
	key joinKey // shared by the partials of the key
	at  []*partial
	n   int // occupied slots
}

// Slots left empty stay in byKey for a while, so that a key that comes
// back (a host starting the next sequence) finds its slots and key ready;
// they are swept out once they outnumber both maxEmptySlots and the live
// partials, which keeps byKey proportional to the live partials.
const (
	maxEmptySlots = 1024
	maxFreeSlots  = 256
)

// missHist remembers, per join key, the last two distinct timestamps of
// events matching a missing stage: enough to answer "is there one strictly
// between a and b" and "the latest strictly before t" for in-order input.
type missHist struct {
	last, prev int64
	hasPrev    bool
}

type pendingSeq struct {
	p        *partial
	deadline int64 // accept once the stream passes this time
	resolved bool
	accept   bool
}

type seqRun struct {
	plan     *sequencePlan
	cap      int
	stats    *RunStats
	deliver  func(*Result)
	byKey    map[string]*slots
	emptied  int        // slots that became empty since the last sweep
	free     []*slots   // swept slots, for reuse
	fifo     []*partial // partials by creation, for expiry and the cap
	fifoHead int
	live     int
	miss     []map[string]*missHist // per stage (nil for positive stages)
	missFIFO []missEntry
	missHead int
	pending  []pendingSeq
	pendHead int
	keys     keyScratch
	keep     *keeper
	retains  bool // the pipeline keeps results: their events are held for good
	results  resultSlab
	atStage  []int // partials waiting in each stage's slots, to skip key work for stages nobody waits on
	now      int64
}

type missEntry struct {
	stage int
	key   string
	ts    int64
}

func newSeqRun(p *sequencePlan, maxPartials int, stats *RunStats, deliver func(*Result)) *seqRun {
	r := &seqRun{plan: p, cap: maxPartials, stats: stats, deliver: deliver, byKey: map[string]*slots{},
		atStage: make([]int, len(p.stages))}
	r.miss = make([]map[string]*missHist, len(p.stages))
	for i, s := range p.stages {
		if s.missing {
			r.miss[i] = map[string]*missHist{}
		}
	}
	return r
}

func (r *seqRun) push(ev *event.Event, ts int64, ctx *evalCtx) {
	r.now = ts
	r.expire(ts)
	plan := r.plan

	// Missing stages: remember when they matched, and resolve sequences
	// waiting on a trailing missing event.
	for _, s := range plan.stages {
		if !s.missing || !s.filter.match(ctx) {
			continue
		}
		for _, k := range eventKeys(s.keys, ctx, &r.keys) {
			r.recordMissing(s.index, string(k.id), ts)
			if isIn(plan.trailing, s.index) {
				r.resolveTrailing(k.id, ts)
			}
		}
	}

	// Positive stages, last first, so that one event cannot chain with
	// itself.
	for si := plan.lastPos; si >= plan.firstPos; si-- {
		s := plan.stages[si]
		if s.missing || (si > plan.firstPos && r.atStage[plan.prevPos[si]] == 0) || !s.filter.match(ctx) {
			continue
		}
		keys := eventKeys(s.keys, ctx, &r.keys)
		for ki := range keys {
			r.advance(si, &keys[ki], ev, ts)
		}
	}

	// until ends the partials of its key, including those this very event
	// just advanced: Elasticsearch rejects a partial at its next step when
	// an until event lies between its last event and that step, both ends
	// included. Sequences this event completed stand.
	if plan.until != nil && plan.until.filter.match(ctx) {
		for _, k := range eventKeys(plan.until.keys, ctx, &r.keys) {
			if sl := r.byKey[string(k.id)]; sl != nil {
				for i, p := range sl.at {
					if p != nil {
						r.drop(p)
						sl.at[i] = nil
						r.atStage[i]--
					}
				}
				delete(r.byKey, string(k.id))
				r.recycle(sl)
			}
		}
	}

	if r.pendHead < len(r.pending) {
		r.flushPending()
	}
}

func isIn(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

func (r *seqRun) advance(si int, k *keyView, ev *event.Event, ts int64) {
	plan := r.plan
	if si == plan.firstPos {
		p := newPartial(len(plan.stages))
		p.start, p.stage = ts, si
		if sl := r.byKey[string(k.id)]; sl != nil {
			p.key = sl.key
		} else {
			p.key = k.own(r.keep.transient)
		}
		p.events[si], p.kept[si] = r.hold(si, ev)
		p.ts[si] = ts
		for _, m := range plan.leading {
			if h := r.miss[m][string(k.id)]; h != nil {
				if t, ok := h.before(ts); ok && (!p.hasLead || t > p.leadTS) {
					p.leadTS, p.hasLead = t, true
				}
			}
		}
		if si == plan.lastPos {
			r.complete(p)
			return
		}
		r.place(si, p)
		r.track(p)
		return
	}
	prev := plan.prevPos[si]
	sl := r.byKey[string(k.id)]
	if sl == nil || sl.at[prev] == nil {
		return
	}
	p := sl.at[prev]
	sl.at[prev] = nil
	r.atStage[prev]--
	sl.n--
	if plan.maxSpan > 0 && ts-p.start > plan.maxSpan {
		r.drop(p)
		r.stats.Expired++
		r.dropIfEmpty(sl)
		return
	}
	// A missing event strictly inside the gap dooms the sequence (it still
	// advances, so that matching goes on exactly as without the check).
	for m := prev + 1; m < si; m++ {
		if h := r.miss[m][p.key.id]; h != nil && h.between(p.ts[prev], ts) {
			p.doomed = true
		}
	}
	p.events[si], p.kept[si] = r.hold(si, ev)
	p.ts[si], p.stage = ts, si
	if si == plan.lastPos {
		r.kill(p) // it leaves the slots
		r.dropIfEmpty(sl)
		r.complete(p)
		return
	}
	r.place(si, p)
}

// hold keeps ev for stage si of a partial. The event that completes a
// sequence emitted during this very push needs no copy: its result, like
// that of an event query, holds the pushed event itself.
func (r *seqRun) hold(si int, ev *event.Event) (*event.Event, *keptEvent) {
	if si == r.plan.lastPos && !r.retains && len(r.plan.trailing) == 0 && r.pendHead == len(r.pending) {
		return ev, nil
	}
	return r.keep.hold(ev)
}

// place puts p in its key's slot for stage si, replacing an older one.
func (r *seqRun) place(si int, p *partial) {
	sl := r.byKey[p.key.id]
	if sl == nil {
		sl = r.newSlots(p.key)
		r.byKey[p.key.id] = sl
	}
	if old := sl.at[si]; old != nil {
		r.drop(old)
		sl.n--
		r.atStage[si]--
	}
	sl.at[si] = p
	sl.n++
	r.atStage[si]++
}

// track registers a new partial as live, enforcing the cap.
func (r *seqRun) track(p *partial) {
	r.fifo = append(r.fifo, p)
	r.live++
	if r.live > r.cap {
		r.dropOldest()
	}
	if r.live > r.stats.PeakPartials {
		r.stats.PeakPartials = r.live
	}
}

func (r *seqRun) kill(p *partial) {
	if !p.dead {
		p.dead = true
		r.live--
	}
}

// drop kills p and lets go of its events.
func (r *seqRun) drop(p *partial) {
	r.kill(p)
	r.letGo(p)
}

// letGo releases the events p holds (once).
func (r *seqRun) letGo(p *partial) {
	for i, c := range p.kept {
		if c != nil {
			r.keep.release(c)
			p.kept[i] = nil
		}
	}
}

// newSlots returns empty slots for key, reusing swept ones if it can.
func (r *seqRun) newSlots(key joinKey) *slots {
	if n := len(r.free); n > 0 {
		sl := r.free[n-1]
		r.free[n-1] = nil
		r.free = r.free[:n-1]
		sl.key = key
		return sl
	}
	// Most sequences have a few stages: one allocation then holds both.
	type block struct {
		sl slots
		at [4]*partial
	}
	if n := len(r.plan.stages); n <= 4 {
		b := &block{}
		b.sl.key, b.sl.at = key, b.at[:n:n]
		return &b.sl
	}
	return &slots{key: key, at: make([]*partial, len(r.plan.stages))}
}

// recycle keeps slots removed from byKey for reuse.
func (r *seqRun) recycle(sl *slots) {
	if len(r.free) < maxFreeSlots {
		*sl = slots{at: sl.at}
		r.free = append(r.free, sl)
	}
}

// dropIfEmpty notes that sl may have become empty, and sweeps the empty
// slots out of byKey when there are too many.
func (r *seqRun) dropIfEmpty(sl *slots) {
	if sl.n > 0 {
		return
	}
	if r.emptied++; r.emptied <= max(maxEmptySlots, r.live) {
		return
	}
	for id, sl := range r.byKey {
		if sl.n <= 0 {
			delete(r.byKey, id)
			r.recycle(sl)
		}
	}
	r.emptied = 0
}

// dropOldest enforces the cap on live partials.
func (r *seqRun) dropOldest() {
	for r.live > r.cap && r.fifoHead < len(r.fifo) {
		p := r.fifo[r.fifoHead]
		r.fifo[r.fifoHead] = nil
		r.fifoHead++
		if p.dead {
			continue
		}
		r.removeFromSlots(p)
		r.drop(p)
		r.stats.DroppedPartials++
	}
	r.compactFIFO()
}

func (r *seqRun) removeFromSlots(p *partial) {
	if sl := r.byKey[p.key.id]; sl != nil && sl.at[p.stage] == p {
		sl.at[p.stage] = nil
		sl.n--
		r.atStage[p.stage]--
		r.dropIfEmpty(sl)
	}
}

// expire drops partials that can no longer complete within maxspan, and
// missing-event history that can no longer matter.
func (r *seqRun) expire(now int64) {
	span := r.plan.maxSpan
	if span <= 0 {
		return
	}
	for r.fifoHead < len(r.fifo) {
		p := r.fifo[r.fifoHead]
		if !p.dead && now-p.start <= span {
			break
		}
		r.fifo[r.fifoHead] = nil
		r.fifoHead++
		if !p.dead {
			r.removeFromSlots(p)
			r.drop(p)
			r.stats.Expired++
		}
	}
	if r.fifoHead > 1024 || len(r.fifo)-r.fifoHead > 4096 {
		r.compactFIFO()
	}
	for r.missHead < len(r.missFIFO) {
		e := r.missFIFO[r.missHead]
		if now-e.ts <= span {
			break
		}
		if h := r.miss[e.stage][e.key]; h != nil && h.last == e.ts {
			delete(r.miss[e.stage], e.key)
		}
		r.missHead++
	}
	if r.missHead > 1024 && r.missHead*2 > len(r.missFIFO) {
		r.missFIFO = append(r.missFIFO[:0], r.missFIFO[r.missHead:]...)
		r.missHead = 0
	}
	// Sequences waiting for a trailing missing event are accepted once no
	// future event could be close enough to reject them.
	for i := r.pendHead; i < len(r.pending); i++ {
		ps := &r.pending[i]
		if !ps.resolved && now > ps.deadline {
			ps.resolved, ps.accept = true, true
		}
	}
}

func (r *seqRun) compactFIFO() {
	if r.fifoHead > 1024 && r.fifoHead*2 > len(r.fifo) {
		r.fifo = append(r.fifo[:0], r.fifo[r.fifoHead:]...)
		r.fifoHead = 0
	}
	// Without maxspan dead partials pile up behind a live head; squeeze
	// them out when they outnumber the live ones.
	if n := len(r.fifo) - r.fifoHead; n > 4096 && n > 4*r.live {
		live := r.fifo[:0]
		for _, p := range r.fifo[r.fifoHead:] {
			if !p.dead {
				live = append(live, p)
			}
		}
		clear(r.fifo[len(live):])
		r.fifo = live
		r.fifoHead = 0
	}
}

func (r *seqRun) recordMissing(stage int, key string, ts int64) {
	m := r.miss[stage]
	h := m[key]
	if h == nil {
		h = &missHist{last: ts}
		m[key] = h
	} else if ts != h.last {
		h.prev, h.hasPrev, h.last = h.last, true, ts
	}
	r.missFIFO = append(r.missFIFO, missEntry{stage, key, ts})
}

// between reports whether a recorded time lies strictly between a and b.
func (h *missHist) between(a, b int64) bool {
	return (h.last > a && h.last < b) || (h.hasPrev && h.prev > a && h.prev < b)
}

// before returns the latest recorded time strictly before t.
func (h *missHist) before(t int64) (int64, bool) {
	if h.last < t {
		return h.last, true
	}
	if h.hasPrev && h.prev < t {
		return h.prev, true
	}
	return 0, false
}

// complete handles a sequence whose positive stages are all matched.
func (r *seqRun) complete(p *partial) {
	if p.doomed {
		r.letGo(p)
		return
	}
	plan := r.plan
	lastTS := p.ts[plan.lastPos]
	if len(plan.trailing) > 0 && (len(plan.leading) == 0 || p.hasLead) {
		from := p.start
		if len(plan.leading) > 0 {
			from = p.leadTS
		}
		r.pending = append(r.pending, pendingSeq{p: p, deadline: from + plan.maxSpan})
		return
	}
	if len(plan.leading) > 0 && p.hasLead && lastTS-p.leadTS <= plan.maxSpan {
		r.letGo(p)
		return
	}
	r.pending = append(r.pending, pendingSeq{p: p, resolved: true, accept: true})
}

// resolveTrailing settles the sequences of key that wait on a trailing
// missing event, now that one occurred at ts.
func (r *seqRun) resolveTrailing(key []byte, ts int64) {
	plan := r.plan
	for i := r.pendHead; i < len(r.pending); i++ {
		ps := &r.pending[i]
		if ps.resolved || ps.p.key.id != string(key) || ts <= ps.p.ts[plan.lastPos] {
			continue
		}
		ps.resolved = true
		from := ps.p.start
		if len(plan.leading) > 0 {
			from = ps.p.leadTS
		}
		ps.accept = ts-from > plan.maxSpan
	}
}

// flushPending emits resolved sequences in completion order.
func (r *seqRun) flushPending() {
	for r.pendHead < len(r.pending) {
		ps := r.pending[r.pendHead]
		if !ps.resolved {
			break
		}
		r.pending[r.pendHead] = pendingSeq{}
		r.pendHead++
		if ps.accept {
			r.emit(ps.p)
		} else {
			r.letGo(ps.p)
		}
	}
	if r.pendHead == len(r.pending) {
		r.pending = r.pending[:0]
		r.pendHead = 0
	}
}

// emit delivers a complete sequence. Its events stay valid until the next
// push, or for good when the pipeline keeps results.
func (r *seqRun) emit(p *partial) {
	res, _ := r.results.result(r.keep, r.retains, 0)
	*res = Result{Events: p.events, JoinKeys: p.key.vals, Kind: ResultSequence}
	r.deliver(res)
	if r.retains {
		return
	}
	for i, c := range p.kept {
		r.keep.releaseLater(c)
		p.kept[i] = nil
	}
}

func (r *seqRun) close() {
	for i := r.pendHead; i < len(r.pending); i++ {
		if ps := &r.pending[i]; !ps.resolved {
			ps.resolved, ps.accept = true, true
		}
	}
	r.flushPending()
}
