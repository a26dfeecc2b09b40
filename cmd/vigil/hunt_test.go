package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/content"
	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/hunt"
	"github.com/vigil-sec/vigil/vault"
)

// vigil hunt with the built-in rules over the shared corpus of COM-related
// EVTX files and recorded attack telemetry: the alerts and the summary are
// pinned, so a change in the rules, the mapping or the readers shows.
func TestHuntCorpus(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	inputs := []string{filepath.Join(corpus, "evtx"), filepath.Join(corpus, "recorded")}
	for _, in := range inputs {
		if _, err := os.Stat(in); err != nil {
			t.Skipf("corpus not found at %s (the shared folder beside the checkout); the hunt counts are not checked", in)
		}
	}
	v, err := vault.Load(content.Vault())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := huntRules(v, eql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := runHunt(rules, inputs, huntOptions{output: "ndjson"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	perRule := map[string]int{}
	hosts := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var a struct {
			Rule   struct{ ID string }   `json:"rule"`
			Host   struct{ Name string } `json:"host"`
			Events []json.RawMessage     `json:"events"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("alert is not JSON: %v\n%s", err, line)
		}
		if len(a.Events) == 0 {
			t.Errorf("alert without events: %s", line)
		}
		perRule[a.Rule.ID]++
		hosts[a.Host.Name]++
	}
	want := map[string]int{
		"vigil-t1559-001-dllhost-child":       5, // UACMe 41, 43, 58, CMSTP, wwlib side-loading UAC bypass
		"vigil-t1559-001-hkcu-inprocserver32": 2, // Firefox and Turla COM hijacks
		"vigil-t1559-001-script-host-com":     1, // MMC20 from PowerShell (4104)
	}
	for id, n := range want {
		if perRule[id] != n {
			t.Errorf("%s: %d alerts, want %d", id, perRule[id], n)
		}
	}
	if len(perRule) != len(want) {
		t.Errorf("alerts by rule %v, want %v", perRule, want)
	}
	summary := errOut.String()
	for _, s := range []string{"8 alerts from 91670 events in 48 inputs", "T1559.001  8       3"} {
		if !strings.Contains(summary, s) {
			t.Errorf("summary lacks %q:\n%s", s, summary)
		}
	}
	if strings.Contains(summary, "out of time order") {
		t.Errorf("events out of order beyond the window:\n%s", summary)
	}
}

// A hunt whose sequence state overflows its cap says so, naming the rule:
// its alerts may be incomplete.
func TestHuntReportsDroppedPartials(t *testing.T) {
	var in strings.Builder
	for i := range 5 {
		fmt.Fprintf(&in, `{"@timestamp":"2024-01-01T00:00:0%dZ","event":{"category":["process"]},"host":{"name":"h%d"}}`+"\n", i, i)
	}
	q, err := eql.Compile(`sequence by host.name [process where true] [network where true]`, eql.Options{MaxPartials: 2})
	if err != nil {
		t.Fatal(err)
	}
	rules := []*hunt.Rule{{ID: "seq", Name: "seq", Severity: "low", Query: q}}
	var out, errOut bytes.Buffer
	if err := runHunt(rules, []string{"-"}, huntOptions{output: "ndjson"}, strings.NewReader(in.String()), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if want := "rule seq: 3 partial sequences dropped at the --max-partials cap"; !strings.Contains(errOut.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, errOut.String())
	}
}

// The summary of a hunt with a rule library lists only the rules and
// techniques that fired, and counts the others.
func TestHuntSummaryOfManyRules(t *testing.T) {
	var rules []*hunt.Rule
	for i := range maxListedRules + 10 {
		q := eql.MustCompile(fmt.Sprintf(`process where process.name : "p%d.exe"`, i), eql.Options{})
		rules = append(rules, &hunt.Rule{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("rule %d", i), Severity: "low",
			Techniques: []string{fmt.Sprintf("T%d", 1000+i%7)}, Query: q})
	}
	events := `{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":"process"},"process":{"name":"P3.EXE"}}` + "\n"
	var out, errOut bytes.Buffer
	if err := runHunt(rules, []string{"-"}, huntOptions{output: "ndjson"}, strings.NewReader(events), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	summary := errOut.String()
	if !strings.Contains(summary, "rule 3 (r3)") || strings.Contains(summary, "(r4)") || strings.Contains(summary, "T1004") {
		t.Errorf("summary lists what did not fire, or not what did:\n%s", summary)
	}
	if want := fmt.Sprintf("%d more rules, of 6 more techniques, did not fire", maxListedRules+9); !strings.Contains(summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
}
