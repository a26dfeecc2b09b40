package eql

import (
	"github.com/vigil-sec/vigil/event"
)

// Run is one execution of a query over a stream of events. Events must be
// pushed in order (by timestamp, then tiebreaker); [Sorter] puts a stream in
// order with bounded memory. A Run is not safe for concurrent use.
type Run struct {
	q      *Query
	out    stage
	done   bool
	ctx    evalCtx
	seq    *seqRun
	sample *sampleRun
	stats  RunStats
	tsPath event.Path
	keep   *keeper
	// retains is set when the pipeline keeps results after emit returns.
	retains bool
	results resultSlab
	// inEngine is set when an Engine drives the run and counts pushes
	// for the shared keeper itself.
	inEngine bool
	// sharesCat is set when the run reads the category field exactly as
	// its Engine does, which then hands it the value it looked up.
	sharesCat bool
	// catSure is set when the run is an event query that its Engine hands
	// only events of its category: the filter need not check it again.
	catSure bool
}

// RunStats counts what a run saw and did.
type RunStats struct {
	Events          int64 // events pushed (by an Engine: those its indexes let through)
	NoTimestamp     int64 // events skipped for lack of a valid timestamp
	Results         int64 // results emitted
	LivePartials    int   // partial sequences held now
	PeakPartials    int   // most partial sequences held at once
	DroppedPartials int64 // partial sequences dropped because the cap was reached
	Expired         int64 // partial sequences that outlived maxspan
}

// NewRun starts an execution of q that calls emit for each result, in
// Elasticsearch's order. Results may refer to pushed events.
func (q *Query) NewRun(emit func(*Result)) *Run {
	r := &Run{q: q, keep: &keeper{}, retains: retains(q.pipes)}
	r.out = buildPipeline(q.pipes, func(res *Result) {
		r.stats.Results++
		emit(res)
	})
	r.tsPath = event.MustPath(q.opts.Schema.resolve(q.opts.timestampField()))
	r.ctx.hints = newHints(q.depths)
	switch q.kind {
	case kindSequence:
		r.seq = newSeqRun(q.seq, q.opts.maxPartials(), &r.stats, r.deliver)
		r.seq.retains = r.retains
		r.seq.keep = r.keep
	case kindSample:
		r.sample = newSampleRun(q.sample, r.deliver)
		r.sample.keep = r.keep
	}
	return r
}

// SetTransient tells the run that pushed events are only valid during the
// call to Push, because the reader reuses its buffers (see
// ingest.Options.Transient). The run then copies the events it holds on
// to: those of partial sequences and samples, and results a buffering pipe
// keeps. Results handed to emit are valid until the next Push, and may
// hold the event being pushed itself (an event query's match, the last
// event of a sequence), which is valid only as long as the reader keeps it.
func (r *Run) SetTransient(t bool) { r.keep.transient = t }

// retains reports whether the pipeline keeps results after emit returns.
func retains(plans []*pipePlan) bool {
	for _, p := range plans {
		switch p.name {
		case "tail", "sort", "unique_count", "count":
			return true
		}
	}
	return false
}

// Timestamp returns the event's timestamp in nanoseconds as the query
// reads it (its timestamp field), and whether it has a valid one.
func (r *Run) Timestamp(ev *event.Event) (int64, bool) {
	return event.Time(ev.Doc.Get(r.tsPath))
}

// Done reports whether the run needs no more events (a head limit was
// reached).
func (r *Run) Done() bool { return r.done }

// Stats returns the run's counters.
func (r *Run) Stats() RunStats {
	s := r.stats
	if r.seq != nil {
		s.LivePartials = r.seq.live
	}
	return s
}

func (r *Run) deliver(res *Result) {
	if r.done {
		return
	}
	if !r.out.push(res) {
		r.done = true
	}
}

// Push feeds one event, reading its timestamp from the query's timestamp
// field. Events without a valid timestamp are counted and skipped.
func (r *Run) Push(ev *event.Event) {
	ts, ok := r.Timestamp(ev)
	if !ok {
		r.stats.Events++
		r.stats.NoTimestamp++
		return
	}
	r.PushAt(ev, ts)
}

// PushAt feeds one event whose timestamp (nanoseconds since the epoch) the
// caller already knows, which saves reading it once per query when many
// queries share a stream.
func (r *Run) PushAt(ev *event.Event, ts int64) {
	r.pushAt(ev, ts, nil, false, 0)
}

// pushAt is PushAt for a caller that may have looked up the event's
// category already (catKnown): cat is its value, nil when absent, and
// catMask the bits (see evalCtx.catBits) of the categories it holds.
func (r *Run) pushAt(ev *event.Event, ts int64, cat *event.Value, catKnown bool, catMask uint64) {
	if r.done {
		return
	}
	r.stats.Events++
	r.ctx.doc = &ev.Doc
	r.ctx.cat, r.ctx.catDone = cat, catKnown
	r.ctx.catMask = catMask // ctx.catBits is set once, by the Engine
	if !r.inEngine {
		r.keep.next()
	}
	switch r.q.kind {
	case kindEvent:
		var matched bool
		if r.catSure && catKnown {
			matched = r.q.filter.matchCond(&r.ctx)
		} else {
			matched = r.q.filter.match(&r.ctx)
		}
		if matched {
			if r.keep.transient && r.retains {
				ev, _ = r.keep.hold(ev) // held for good
			}
			res, evs := r.results.result(r.keep, r.retains, 1)
			evs[0] = ev
			*res = Result{Events: evs, Kind: ResultEvent}
			r.deliver(res)
		}
	case kindSequence:
		r.seq.push(ev, ts, &r.ctx)
	case kindSample:
		r.sample.push(ev, &r.ctx)
	}
}

// newHints allocates the lookup hints of a run in one block.
func newHints(depths []int) [][]uint16 {
	total := 0
	for _, d := range depths {
		total += d
	}
	block := make([]uint16, total)
	hints := make([][]uint16, len(depths))
	for i, d := range depths {
		hints[i], block = block[:d:d], block[d:]
	}
	return hints
}

// Matches reports whether a single event satisfies an event query's
// condition, without any pipe. It returns false for sequences and samples.
func (q *Query) Matches(ev *event.Event) bool {
	if q.kind != kindEvent {
		return false
	}
	ctx := evalCtx{doc: &ev.Doc}
	return q.filter.match(&ctx)
}

// Close flushes pending results: sequences waiting on a trailing missing
// event, samples, and buffering pipes such as tail.
func (r *Run) Close() {
	if r.seq != nil {
		r.seq.close()
	}
	if r.sample != nil {
		r.sample.close()
	}
	r.out.close()
}
