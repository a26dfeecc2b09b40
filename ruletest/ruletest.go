// Package ruletest proves a vault's detection rules against its atomic
// tests and benign recordings: for each test it checks that the expected
// signals are present in the test's telemetry, that every rule that must
// fire fires and every rule that must stay silent stays silent, and, when a
// rule misses, it shows the nearest events and the conditions they fail.
package ruletest

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/hunt"
	"github.com/vigil-sec/vigil/ingest"
	"github.com/vigil-sec/vigil/stream"
	"github.com/vigil-sec/vigil/vault"
)

// The outcomes of a test and of each expectation.
const (
	Pass     = "pass"
	Fail     = "fail"
	Error    = "error"
	KnownGap = "known-gap" // a rule misses the test, as the note says, with the reason
)

// Report is the outcome of testing a vault.
type Report struct {
	Tests  []*TestResult `json:"tests"`
	Rules  []RuleResult  `json:"rules"`
	Passed int           `json:"passed"`
	Failed int           `json:"failed"` // tests that failed or could not be run
}

// OK reports whether every test passed.
func (r *Report) OK() bool { return r.Failed == 0 }

// TestResult is the outcome of one atomic test or benign recording.
type TestResult struct {
	Kind         string         `json:"kind"` // "atomic" or "benign"
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Note         string         `json:"note"` // path of the note in the vault
	Telemetry    []string       `json:"telemetry"`
	Authored     bool           `json:"authored"` // the telemetry was written by hand, not recorded
	Events       int64          `json:"events"`
	Skipped      int64          `json:"skipped_records"`
	Problems     []string       `json:"problems,omitempty"`
	Signals      []SignalResult `json:"signals,omitempty"`
	Expectations []Expectation  `json:"expectations"`
	Status       string         `json:"status"` // pass, fail or error
	Detail       string         `json:"detail,omitempty"`
}

// SignalResult says whether an expected signal is in the telemetry.
type SignalResult struct {
	Signal   string `json:"signal"` // e.g. "Microsoft-Windows-Sysmon/Operational 1: CommandLine|contains Schedule.Service"
	Optional bool   `json:"optional,omitempty"`
	Matches  int    `json:"matches"`
	Note     string `json:"note,omitempty"`
}

// Expectation is what one rule had to do on a test, and what it did.
type Expectation struct {
	Rule     string    `json:"rule"`
	RuleName string    `json:"rule_name"`
	Want     string    `json:"want"` // "fire", "silent" or "known-gap"
	Alerts   int       `json:"alerts"`
	Matched  []string  `json:"matched,omitempty"` // sources of the events of the first alert
	Status   string    `json:"status"`            // pass, fail or known-gap
	Reason   string    `json:"reason,omitempty"`  // the note's reason for a known gap
	Fix      string    `json:"fix,omitempty"`     // the rule change that would close it
	NearMiss *NearMiss `json:"near_miss,omitempty"`
}

// NearMiss explains why a rule did not fire: for each term of its query,
// the events that came closest and the conditions they fail.
type NearMiss struct {
	Terms []TermMiss `json:"terms"`
	Note  string     `json:"note,omitempty"`
}

// TermMiss is the nearest events of one term.
type TermMiss struct {
	Term    int         `json:"term"`
	Missing bool        `json:"missing_event,omitempty"`
	Matched int         `json:"matched"` // events that satisfy the term
	Nearest []NearEvent `json:"nearest,omitempty"`
}

// NearEvent is one close event and the checks it fails.
type NearEvent struct {
	Source string  `json:"source"`
	Score  float64 `json:"score"`
	Failed []Check `json:"failed"`
}

// Check is one failed condition with the values the event has.
type Check struct {
	Condition string `json:"condition"`
	Values    string `json:"values"`
}

// RuleResult rolls up one rule over all tests.
type RuleResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"` // pass, fail, or "untested"
	Fired  int    `json:"fired_on"`
	Detail string `json:"detail,omitempty"`
}

// Runner tests the rules of a vault.
type Runner struct {
	v     *vault.Vault
	rules []*hunt.Rule
	byID  map[string]*hunt.Rule
	opts  eql.Options
	// Nearest is how many close events a near-miss report shows per term.
	Nearest int
}

// New compiles the vault's rules. A rule that does not compile is an error:
// `vigil vault check` reports it with its place.
func New(v *vault.Vault, opts eql.Options) (*Runner, error) {
	r := &Runner{v: v, byID: map[string]*hunt.Rule{}, opts: opts, Nearest: 2}
	for _, vr := range v.Rules {
		q, err := eql.Compile(vr.Query, opts)
		if err != nil {
			return nil, fmt.Errorf("rule %s (%s): %w", vr.ID, vr.Note.Path, err)
		}
		hr := &hunt.Rule{ID: vr.ID, Name: vr.Name, Severity: vr.Severity, RiskScore: vr.RiskScore, Techniques: vr.Techniques, Query: q}
		r.rules = append(r.rules, hr)
		r.byID[vr.ID] = hr
	}
	return r, nil
}

// Rules returns the compiled rules.
func (r *Runner) Rules() []*hunt.Rule { return r.rules }

// Run tests every atomic test and benign recording of the vault.
func (r *Runner) Run() *Report {
	rep := &Report{}
	for _, t := range r.v.Tests {
		rep.Tests = append(rep.Tests, r.runAtomic(t))
	}
	for _, b := range r.v.Benign {
		rep.Tests = append(rep.Tests, r.runBenign(b))
	}
	for _, t := range rep.Tests {
		if t.Status == Pass {
			rep.Passed++
		} else {
			rep.Failed++
		}
	}
	rep.Rules = r.rollUp(rep)
	return rep
}

// telemetryRun is what one pass over a test's telemetry found.
type telemetryRun struct {
	events   []*event.Event // every event, kept for signals and near misses
	alerts   map[string][]*hunt.Alert
	ingest   ingest.Stats
	problems []string
}

func (r *Runner) replay(refs []vault.TelemetryRef) (*telemetryRun, error) {
	var paths []string
	for _, t := range refs {
		if err := r.checkFormat(t); err != nil {
			return nil, err
		}
		paths = append(paths, t.Path)
	}
	st, err := stream.OpenFS(r.v.FS, paths, ingest.Options{}, stream.Order{TimestampField: r.opts.TimestampField})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	tr := &telemetryRun{alerts: map[string][]*hunt.Alert{}}
	h := hunt.New(r.rules, func(a *hunt.Alert) { tr.alerts[a.Rule.ID] = append(tr.alerts[a.Rule.ID], a) })
	for ev := range st.All {
		tr.events = append(tr.events, ev)
		h.Push(ev)
	}
	h.Close()
	tr.ingest = st.IngestStats()
	for _, p := range tr.ingest.Problems {
		tr.problems = append(tr.problems, p.String())
	}
	if late := st.Stats().Late; late > 0 {
		tr.problems = append(tr.problems, fmt.Sprintf("%d events out of time order beyond the merge window", late))
	}
	return tr, nil
}

// checkFormat verifies a telemetry file's declared format against what its
// content says it is (readers choose by content, so a wrong declaration
// would otherwise go unnoticed).
func (r *Runner) checkFormat(t vault.TelemetryRef) error {
	if t.Format == "" {
		return nil
	}
	f, err := r.v.FS.Open(t.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("%s: %w", t.Path, err)
	}
	got := ingest.Sniff(head[:n]).String()
	want := strings.ToLower(t.Format)
	if want == "json" && got == "ndjson" {
		got = "json" // one document per line is JSON too
	}
	if got != want {
		return fmt.Errorf("%s: declared format %s, but its content is %s", t.Path, t.Format, got)
	}
	return nil
}

func (r *Runner) runAtomic(t *vault.AtomicTest) *TestResult {
	res := &TestResult{Kind: "atomic", ID: t.ID, Name: t.Name, Note: t.Note.Path}
	tr := r.replayFor(res, t.Telemetry)
	if tr == nil {
		return res
	}
	var failures []string
	for _, s := range t.Signals {
		sr := SignalResult{Signal: describeSignal(s), Optional: s.Optional, Note: s.Note}
		for _, ev := range tr.events {
			if signalMatches(s, ev) {
				sr.Matches++
			}
		}
		if sr.Matches == 0 && !s.Optional {
			failures = append(failures, "expected signal missing: "+sr.Signal)
		}
		res.Signals = append(res.Signals, sr)
	}
	for _, id := range t.Fire {
		e := r.expect(id, "fire", tr)
		if e.Status == Fail {
			failures = append(failures, fmt.Sprintf("rule %s did not fire", id))
		}
		res.Expectations = append(res.Expectations, e)
	}
	for _, id := range t.Silent {
		e := r.expect(id, "silent", tr)
		if e.Status == Fail {
			failures = append(failures, fmt.Sprintf("rule %s fired %d times but must stay silent", id, e.Alerts))
		}
		res.Expectations = append(res.Expectations, e)
	}
	for _, g := range t.KnownGaps {
		e := r.expect(g.Rule, "known-gap", tr)
		e.Reason, e.Fix = g.Reason, g.Fix
		if e.Status == Fail {
			failures = append(failures, fmt.Sprintf("rule %s fires although the note records a known gap: update the note", g.Rule))
		}
		res.Expectations = append(res.Expectations, e)
	}
	finish(res, failures)
	return res
}

func (r *Runner) runBenign(b *vault.Benign) *TestResult {
	res := &TestResult{Kind: "benign", ID: b.ID, Name: b.Name, Note: b.Note.Path}
	tr := r.replayFor(res, b.Telemetry)
	if tr == nil {
		return res
	}
	var failures []string
	for _, vr := range r.v.SilentRules(b) {
		e := r.expect(vr.ID, "silent", tr)
		if e.Status == Fail {
			failures = append(failures, fmt.Sprintf("rule %s fired %d times on benign activity", vr.ID, e.Alerts))
		}
		res.Expectations = append(res.Expectations, e)
	}
	if tr.ingest.Events == 0 {
		failures = append(failures, "the benign recording holds no events")
	}
	finish(res, failures)
	return res
}

// replayFor replays a test's telemetry and records what was read in res;
// it returns nil, with res marked as an error, if the telemetry could not
// be replayed.
func (r *Runner) replayFor(res *TestResult, refs []vault.TelemetryRef) *telemetryRun {
	for _, ref := range refs {
		res.Telemetry = append(res.Telemetry, ref.Path)
		if ref.Kind == vault.Authored {
			res.Authored = true
		}
	}
	tr, err := r.replay(refs)
	if err != nil {
		res.Status, res.Detail = Error, err.Error()
		return nil
	}
	res.Events, res.Skipped, res.Problems = tr.ingest.Events, tr.ingest.Skipped, tr.problems
	return tr
}

func finish(res *TestResult, failures []string) {
	res.Status = Pass
	if len(failures) > 0 {
		res.Status, res.Detail = Fail, strings.Join(failures, "; ")
	}
}

// expect checks one rule against what the telemetry produced.
func (r *Runner) expect(id, want string, tr *telemetryRun) Expectation {
	e := Expectation{Rule: id, Want: want}
	rule := r.byID[id]
	if rule == nil {
		e.Status = Fail
		e.Reason = "no rule with this id"
		return e
	}
	e.RuleName = rule.Name
	alerts := tr.alerts[id]
	e.Alerts = len(alerts)
	if len(alerts) > 0 {
		for _, ev := range alerts[0].Events {
			if ev != nil {
				e.Matched = append(e.Matched, ev.Src.String())
			}
		}
	}
	switch want {
	case "fire":
		e.Status = Pass
		if len(alerts) == 0 {
			e.Status = Fail
			e.NearMiss = r.nearMiss(rule.Query, tr.events)
		}
	case "silent":
		e.Status = Pass
		if len(alerts) > 0 {
			e.Status = Fail
		}
	case "known-gap":
		e.Status = KnownGap
		if len(alerts) > 0 {
			e.Status = Fail
		} else {
			e.NearMiss = r.nearMiss(rule.Query, tr.events)
		}
	}
	return e
}

// nearMiss ranks the events of the telemetry by how close they come to
// each term of the query.
func (r *Runner) nearMiss(q *eql.Query, events []*event.Event) *NearMiss {
	type scored struct {
		ev *event.Event
		ex eql.TermExplanation
	}
	var perTerm [][]scored
	for _, ev := range events {
		for _, te := range q.Explain(ev) {
			for len(perTerm) <= te.Term {
				perTerm = append(perTerm, nil)
			}
			perTerm[te.Term] = append(perTerm[te.Term], scored{ev, te})
		}
	}
	nm := &NearMiss{}
	allMatched := len(perTerm) > 0
	for i, list := range perTerm {
		tm := TermMiss{Term: i}
		for _, s := range list {
			tm.Missing = s.ex.Missing
			if s.ex.Matched {
				tm.Matched++
			}
		}
		if tm.Matched == 0 && !tm.Missing {
			allMatched = false
		}
		slices.SortStableFunc(list, func(a, b scored) int { return cmp.Compare(b.ex.Score(), a.ex.Score()) })
		for _, s := range list {
			if len(tm.Nearest) >= r.Nearest || s.ex.Matched {
				if s.ex.Matched {
					continue
				}
				break
			}
			ne := NearEvent{Source: s.ev.Src.String(), Score: s.ex.Score()}
			if !s.ex.CategoryOK {
				ne.Failed = append(ne.Failed, Check{Condition: "category " + strconv.Quote(s.ex.Category), Values: "event.category"})
			}
			for _, c := range s.ex.Checks {
				if !c.Pass {
					ne.Failed = append(ne.Failed, Check{Condition: c.Text, Values: fieldValues(c.Fields)})
				}
			}
			tm.Nearest = append(tm.Nearest, ne)
		}
		nm.Terms = append(nm.Terms, tm)
	}
	if allMatched && q.IsSequence() {
		nm.Note = "every term matches some event, but no sequence formed: check the order of the events, their join keys and maxspan"
	}
	return nm
}

func fieldValues(fs []eql.FieldValue) string {
	var parts []string
	for _, f := range fs {
		v := "missing"
		if f.Value.Exists() {
			v = f.Value.String()
			if len(v) > 120 {
				v = v[:117] + "..."
			}
		}
		parts = append(parts, f.Name+"="+v)
	}
	return strings.Join(parts, ", ")
}

// rollUp gives each rule a verdict over all tests: pass when it fires on
// every test that expects it and never where it must stay silent.
func (r *Runner) rollUp(rep *Report) []RuleResult {
	var out []RuleResult
	for _, rule := range r.rules {
		rr := RuleResult{ID: rule.ID, Name: rule.Name, Status: "untested"}
		var fails []string
		for _, t := range rep.Tests {
			for _, e := range t.Expectations {
				if e.Rule != rule.ID {
					continue
				}
				if rr.Status == "untested" {
					rr.Status = Pass
				}
				if e.Alerts > 0 {
					rr.Fired++
				}
				if e.Status == Fail {
					fails = append(fails, fmt.Sprintf("%s (%s)", t.ID, e.Want))
				}
			}
		}
		if len(fails) > 0 {
			rr.Status, rr.Detail = Fail, "failed on "+strings.Join(fails, ", ")
		}
		out = append(out, rr)
	}
	return out
}

// ---------------------------------------------------------------------------
// Signals

var (
	pChannel  = event.MustPath("winlog.channel")
	pProvider = event.MustPath("winlog.provider_name")
	pEventID  = event.MustPath("winlog.event_id")
	pCode     = event.MustPath("event.code")
	pEvProv   = event.MustPath("event.provider")
)

// signalMatches checks an expected signal against an event. Field names
// with a dot are ECS paths; others are the raw names of the event's data
// (winlog.event_data.<Name>), or the System fields EventID, Channel,
// Provider and Computer.
func signalMatches(s vault.Signal, ev *event.Event) bool {
	doc := &ev.Doc
	channel, _ := doc.Get(pChannel).Text()
	provider, _ := doc.Get(pProvider).Text()
	if provider == "" {
		provider, _ = doc.Get(pEvProv).Text()
	}
	idText, _ := doc.Get(pEventID).Text()
	if idText == "" {
		idText, _ = doc.Get(pCode).Text()
	}
	id, _ := strconv.Atoi(idText)
	return s.Matches(channel, provider, id, func(name string) (string, bool) {
		var v event.Value
		switch {
		case strings.Contains(name, "."):
			v = doc.Get(event.MustPath(name))
		case name == "EventID":
			return idText, idText != ""
		case name == "Channel":
			return channel, channel != ""
		case name == "Provider":
			return provider, provider != ""
		case name == "Computer":
			v = doc.Get(event.MustPath("winlog.computer_name"))
		default:
			p, err := event.ParsePath("winlog.event_data." + name)
			if err != nil {
				return "", false
			}
			v = doc.Get(p)
			if !v.Exists() {
				// ECS-only telemetry (Elastic Defend, or Winlogbeat set to
				// drop the raw data): read the ECS field the raw one maps to.
				if ecs, ok := rawToECS[name]; ok {
					v = doc.Get(ecs)
				}
			}
		}
		return valueText(v)
	})
}

// rawToECS maps raw Windows event-data names to the ECS fields Winlogbeat
// fills from them, for signals over telemetry that has only ECS fields.
var rawToECS = map[string]event.Path{
	"Image":             event.MustPath("process.executable"),
	"NewProcessName":    event.MustPath("process.executable"),
	"CommandLine":       event.MustPath("process.command_line"),
	"ProcessId":         event.MustPath("process.pid"),
	"ParentImage":       event.MustPath("process.parent.executable"),
	"ParentProcessName": event.MustPath("process.parent.executable"),
	"ParentCommandLine": event.MustPath("process.parent.command_line"),
	"ParentProcessId":   event.MustPath("process.parent.pid"),
	"TargetFilename":    event.MustPath("file.path"),
	"ImageLoaded":       event.MustPath("file.path"),
	"TargetObject":      event.MustPath("registry.path"),
	"Details":           event.MustPath("registry.data.strings"),
	"ScriptBlockText":   event.MustPath("powershell.file.script_block_text"),
	"DestinationIp":     event.MustPath("destination.ip"),
	"DestinationPort":   event.MustPath("destination.port"),
	"SourceIp":          event.MustPath("source.ip"),
	"SourcePort":        event.MustPath("source.port"),
	"QueryName":         event.MustPath("dns.question.name"),
}

// valueText renders a field for signal conditions; arrays join with spaces.
func valueText(v event.Value) (string, bool) {
	if v.Kind() == event.KindArray {
		var parts []string
		for i := 0; i < v.Len(); i++ {
			if t, ok := v.Index(i).Text(); ok {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, " "), len(parts) > 0
	}
	return v.Text()
}

func describeSignal(s vault.Signal) string {
	src := s.Channel
	if src == "" {
		src = s.Provider
	}
	var conds []string
	for _, c := range s.Conditions {
		conds = append(conds, c.String())
	}
	d := fmt.Sprintf("%s %d", src, s.EventID)
	if len(conds) > 0 {
		d += ": " + strings.Join(conds, ", ")
	}
	return d
}
