// Package hunt runs a set of detection rules over telemetry in one ordered
// pass and turns their results into alerts.
package hunt

import (
	"sort"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
)

// Rule is a compiled detection rule with the metadata alerts carry.
type Rule struct {
	ID         string
	Name       string
	Severity   string
	RiskScore  int
	Techniques []string // ATT&CK ids, e.g. T1559.001
	Query      *eql.Query
}

// Alert is one detection: a rule's result with the rule's metadata.
type Alert struct {
	Timestamp int64  // nanoseconds: the time of the last event of the result
	Rule      *Rule  // the rule that fired
	HostName  string // host.name of the first event
	Events    []*event.Event
	JoinKeys  []event.Value
	Sequence  bool
}

// Hunter runs rules over a stream of ordered events.
type Hunter struct {
	rules     []*Rule
	engine    *eql.Engine
	emit      func(*Alert)
	counts    []int
	transient bool
}

// New prepares a hunt; emit receives alerts as they are found, in time
// order per rule.
func New(rules []*Rule, emit func(*Alert)) *Hunter {
	h := &Hunter{rules: rules, emit: emit, counts: make([]int, len(rules))}
	h.engine = eql.NewEngine(Queries(rules), h.alert)
	return h
}

// Queries returns the queries of rules, in order.
func Queries(rules []*Rule) []*eql.Query {
	queries := make([]*eql.Query, len(rules))
	for i, r := range rules {
		queries[i] = r.Query
	}
	return queries
}

var (
	tsPath   = event.MustPath("@timestamp")
	hostPath = event.MustPath("host.name")
)

// SetTransient tells the hunt that pushed events are only valid during
// the call to Push (see eql.Engine.SetTransient); alerts then hold copies
// of their events.
func (h *Hunter) SetTransient(t bool) {
	h.transient = t
	h.engine.SetTransient(t)
}

func (h *Hunter) alert(qi int, r *eql.Result) {
	h.counts[qi]++
	a := &Alert{Rule: h.rules[qi], Events: r.Events, JoinKeys: r.JoinKeys, Sequence: r.Kind == eql.ResultSequence}
	if h.transient {
		// The result is valid only until the next push; an alert may be
		// kept longer (the table output sorts them all at the end).
		a.Events = make([]*event.Event, len(r.Events))
		for i, e := range r.Events {
			if e != nil {
				a.Events[i] = e.Clone()
			}
		}
		a.JoinKeys = make([]event.Value, len(r.JoinKeys))
		for i, k := range r.JoinKeys {
			a.JoinKeys[i] = k.Clone()
		}
	}
	for _, e := range r.Events {
		if e == nil {
			continue
		}
		if a.HostName == "" {
			a.HostName, _ = e.Doc.Get(hostPath).Str()
		}
		if ts, ok := event.Time(e.Doc.Get(tsPath)); ok && ts > a.Timestamp {
			a.Timestamp = ts
		}
	}
	h.emit(a)
}

// Push feeds one event.
func (h *Hunter) Push(ev *event.Event) { h.engine.Push(ev) }

// Close flushes pending results.
func (h *Hunter) Close() { h.engine.Close() }

// Engine exposes the underlying engine's counters.
func (h *Hunter) Engine() *eql.Engine { return h.engine }

// Summary is the count of alerts by technique and by rule.
type Summary struct {
	Total       int
	ByRule      []RuleCount
	ByTechnique []TechniqueCount
}

// RuleCount is the number of alerts of one rule.
type RuleCount struct {
	Rule  *Rule
	Count int
	// DroppedPartials counts the rule's partial sequences dropped at
	// its cap (eql.Options.MaxPartials): when it is not zero, alerts may
	// be missing.
	DroppedPartials int64
}

// TechniqueCount is the number of alerts of the rules of one technique.
type TechniqueCount struct {
	Technique string
	Count     int
	Rules     int // rules of the technique that fired
}

// Summary counts the alerts so far. Rules that did not fire are listed
// with zero, so a report shows what was looked for.
func (h *Hunter) Summary() Summary {
	var s Summary
	byTech := map[string]*TechniqueCount{}
	for i, r := range h.rules {
		s.Total += h.counts[i]
		s.ByRule = append(s.ByRule, RuleCount{Rule: r, Count: h.counts[i],
			DroppedPartials: h.engine.RunStats(i).DroppedPartials})
		for _, t := range r.Techniques {
			tc := byTech[t]
			if tc == nil {
				tc = &TechniqueCount{Technique: t}
				byTech[t] = tc
			}
			tc.Count += h.counts[i]
			if h.counts[i] > 0 {
				tc.Rules++
			}
		}
	}
	sort.SliceStable(s.ByRule, func(i, j int) bool { return s.ByRule[i].Count > s.ByRule[j].Count })
	for _, tc := range byTech {
		s.ByTechnique = append(s.ByTechnique, *tc)
	}
	sort.Slice(s.ByTechnique, func(i, j int) bool { return s.ByTechnique[i].Technique < s.ByTechnique[j].Technique })
	return s
}

// AppendJSON appends the alert as one ECS-style JSON object:
// @timestamp, event.kind "alert", rule.{id,name,severity,risk_score},
// threat.technique.id, host.name, the join keys of a sequence and every
// matched event (null for a missing-event slot).
func (a *Alert) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"@timestamp":`...)
	dst = event.AppendString(dst, event.FormatTime(a.Timestamp))
	dst = append(dst, `,"event":{"kind":"alert"},"rule":{"id":`...)
	dst = event.AppendString(dst, a.Rule.ID)
	dst = append(dst, `,"name":`...)
	dst = event.AppendString(dst, a.Rule.Name)
	dst = append(dst, `,"severity":`...)
	dst = event.AppendString(dst, a.Rule.Severity)
	if a.Rule.RiskScore > 0 {
		dst = append(dst, `,"risk_score":`...)
		dst = event.AppendJSON(dst, event.Int(int64(a.Rule.RiskScore)))
	}
	dst = append(dst, `},"threat":{"technique":{"id":`...)
	dst = event.AppendJSON(dst, event.Strings(a.Rule.Techniques...))
	dst = append(dst, `}},"host":{"name":`...)
	dst = event.AppendString(dst, a.HostName)
	dst = append(dst, '}')
	if a.Sequence {
		dst = append(dst, `,"join_keys":`...)
		keys := a.JoinKeys
		if keys == nil {
			keys = []event.Value{}
		}
		dst = event.AppendJSON(dst, event.Array(keys...))
	}
	dst = append(dst, `,"events":[`...)
	for i, e := range a.Events {
		if i > 0 {
			dst = append(dst, ',')
		}
		if e == nil {
			dst = append(dst, "null"...)
			continue
		}
		dst = e.AppendJSON(dst)
	}
	return append(dst, "]}"...)
}
