package ruletest

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/vault"
)

const technique = `---
tags: [T1559_001, techniques, Execution]
---
## COM
### Detection Rule
` + "```query\ntag: detection_rule\ntag: T1559_001\n```\n" + `
### Rule Testing
` + "```query\ntag: atomic_test\ntag: T1559_001\n```\n"

func rule(id, query string) string {
	return `---
id: ` + id + `
name: Rule ` + id + `
tags: [detection_rule, T1559_001]
severity: high
confidence: high
risk_score: 73
---
## Rule ` + id + `
### Description
Test rule.
### Query
` + "```eql\n" + query + "\n```\n"
}

func test(id, telemetry, extra string) string {
	return `---
id: ` + id + `
name: Test ` + id + `
tags: [atomic_test, T1559_001]
executor: manual
telemetry:
  - path: ` + telemetry + `
    kind: authored
` + extra + `---
## Test ` + id + `
### Description
A test.
### Commands
Run it.
`
}

const (
	evCmd    = `{"@timestamp":"2026-01-01T00:00:00Z","winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1","event_data":{"Image":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd.exe /c whoami"}},"event":{"category":["process"],"type":["start"]},"process":{"name":"cmd.exe","command_line":"cmd.exe /c whoami","parent":{"name":"dllhost.exe"}}}`
	evBenign = `{"@timestamp":"2026-01-01T00:00:01Z","winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1"},"event":{"category":["process"],"type":["start"]},"process":{"name":"notepad.exe","parent":{"name":"explorer.exe"}}}`
)

func newVault(t *testing.T) *vault.Vault {
	fsys := fstest.MapFS{
		"Techniques/T1559.001.md": {Data: []byte(technique)},
		"Rules/dllhost.md":        {Data: []byte(rule("r-dllhost", `process where process.parent.name : "dllhost.exe" and process.name : "cmd.exe"`))},
		"Rules/never.md":          {Data: []byte(rule("r-never", `process where process.parent.name : "dllhost.exe" and process.name : "powershell.exe"`))},
		"Rules/noisy.md":          {Data: []byte(rule("r-noisy", `process where event.type == "start"`))},
		"Tests/pass.md": {Data: []byte(test("t-pass", "tel/cmd.ndjson", `signals:
  - channel: Microsoft-Windows-Sysmon/Operational
    event_id: 1
    where:
      CommandLine|contains: whoami
fire: [r-dllhost]
known_gaps:
  - rule: r-never
    reason: the test runs cmd.exe, not PowerShell
    fix: add cmd.exe to the rule
`))},
		"Tests/fail.md": {Data: []byte(test("t-fail", "tel/cmd.ndjson", `signals:
  - channel: Microsoft-Windows-Sysmon/Operational
    event_id: 1
    where:
      CommandLine|contains: Schedule.Service
fire: [r-never]
silent: [r-noisy]
known_gaps:
  - rule: r-dllhost
    reason: stale
    fix: none
`))},
		"Benign/quiet.md": {Data: []byte(`---
id: b-quiet
name: Quiet
tags: [benign]
telemetry:
  - path: tel/benign.ndjson
    kind: authored
silent: [r-dllhost, r-noisy]
---
## Quiet
`)},
		"tel/cmd.ndjson":    {Data: []byte(evCmd + "\n")},
		"tel/benign.ndjson": {Data: []byte(evBenign + "\n")},
	}
	v, err := vault.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if probs := v.Check(); len(probs) > 0 {
		t.Fatalf("test vault has problems: %v", probs)
	}
	return v
}

func TestRun(t *testing.T) {
	r, err := New(newVault(t), eql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Run()
	byID := map[string]*TestResult{}
	for _, tr := range rep.Tests {
		byID[tr.ID] = tr
	}
	pass, fail, quiet := byID["t-pass"], byID["t-fail"], byID["b-quiet"]
	if pass.Status != Pass || pass.Signals[0].Matches != 1 || pass.Events != 1 {
		t.Errorf("t-pass: %+v", pass)
	}
	if e := pass.Expectations[1]; e.Rule != "r-never" || e.Status != KnownGap || e.NearMiss == nil {
		t.Errorf("t-pass known gap: %+v", e)
	}
	if fail.Status != Fail {
		t.Fatalf("t-fail passed: %+v", fail)
	}
	for _, want := range []string{"expected signal missing", "rule r-never did not fire", "rule r-noisy fired 1 times", "rule r-dllhost fires although the note records a known gap"} {
		if !strings.Contains(fail.Detail, want) {
			t.Errorf("t-fail detail lacks %q: %s", want, fail.Detail)
		}
	}
	// The near miss names the failing condition and the event's value.
	nm := fail.Expectations[0].NearMiss
	if nm == nil || len(nm.Terms) != 1 || len(nm.Terms[0].Nearest) == 0 {
		t.Fatalf("near miss: %+v", nm)
	}
	failed := nm.Terms[0].Nearest[0].Failed
	if len(failed) != 1 || failed[0].Condition != `process.name : "powershell.exe"` || failed[0].Values != `process.name="cmd.exe"` {
		t.Errorf("near miss checks: %+v", failed)
	}
	if quiet.Kind != "benign" || quiet.Status != Fail || !strings.Contains(quiet.Detail, "rule r-noisy fired 1 times on benign activity") {
		t.Errorf("benign: %+v", quiet)
	}
	if rep.Passed != 1 || rep.Failed != 2 || rep.OK() {
		t.Errorf("report: %d passed %d failed", rep.Passed, rep.Failed)
	}
	rules := map[string]RuleResult{}
	for _, rr := range rep.Rules {
		rules[rr.ID] = rr
	}
	if rules["r-dllhost"].Status != Fail || rules["r-noisy"].Status != Fail || rules["r-never"].Status != Fail {
		t.Errorf("rule roll-up: %+v", rep.Rules)
	}

	var text, junit, js bytes.Buffer
	if err := rep.WriteText(&text, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fails: process.name : \"powershell.exe\"   [process.name=\"cmd.exe\"]", "known gap: Rule r-never (r-never) misses this test: the test runs cmd.exe, not PowerShell", "3 tests: 1 passed, 2 failed"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	if err := rep.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	var suites junitSuites
	if err := xml.Unmarshal(junit.Bytes(), &suites); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	if suites.Tests != 3 || suites.Failures != 2 {
		t.Errorf("JUnit: %d tests, %d failures", suites.Tests, suites.Failures)
	}
	if err := rep.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"near_miss"`) {
		t.Errorf("JSON: %v", err)
	}
	vf := vault.NewVerdictFile()
	if err := rep.Record(vf, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if v, ok := vf.Last(vault.KindTest, "t-fail"); !ok || v.Status != vault.StatusFail {
		t.Errorf("recorded verdict %+v", v)
	}
}
