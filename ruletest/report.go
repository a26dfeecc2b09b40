package ruletest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigil-sec/vigil/vault"
)

// WriteText renders the report as a table for people, followed by the
// details of every failure (with its near misses) and known gap; verbose
// adds the near misses of known gaps.
func (rep *Report) WriteText(w io.Writer, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tKIND\tTEST\tEVENTS\tSIGNALS\tRULES\t")
	for _, t := range rep.Tests {
		found, total, optional := 0, 0, 0
		for _, s := range t.Signals {
			if s.Optional {
				if s.Matches > 0 {
					optional++
				}
				continue
			}
			total++
			if s.Matches > 0 {
				found++
			}
		}
		signals := "-"
		if total > 0 {
			signals = fmt.Sprintf("%d/%d", found, total)
		}
		if optional > 0 {
			signals += fmt.Sprintf(" +%d optional", optional)
		}
		name := t.Name
		if t.Authored {
			name += " (authored)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t\n", strings.ToUpper(t.Status), t.Kind, name, t.Events, signals, expectationSummary(t))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range rep.Tests {
		writeDetails(w, t, verbose)
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSTATUS\tFIRED ON\t")
	for _, r := range rep.Rules {
		fmt.Fprintf(tw, "%s (%s)\t%s\t%d tests\t%s\n", r.Name, r.ID, r.Status, r.Fired, r.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d tests: %d passed, %d failed\n", len(rep.Tests), rep.Passed, rep.Failed)
	return err
}

func expectationSummary(t *TestResult) string {
	var parts []string
	for _, e := range t.Expectations {
		switch {
		case e.Status == KnownGap:
			parts = append(parts, e.Rule+" known gap")
		case e.Want == "fire":
			parts = append(parts, fmt.Sprintf("%s fired %d", e.Rule, e.Alerts))
		case e.Alerts > 0:
			parts = append(parts, fmt.Sprintf("%s FIRED %d", e.Rule, e.Alerts))
		}
	}
	silent := 0
	for _, e := range t.Expectations {
		if e.Want == "silent" && e.Alerts == 0 {
			silent++
		}
	}
	if silent > 0 {
		parts = append(parts, fmt.Sprintf("%d silent", silent))
	}
	return strings.Join(parts, ", ")
}

func writeDetails(w io.Writer, t *TestResult, verbose bool) {
	interesting := t.Status != Pass || len(t.Problems) > 0
	for _, e := range t.Expectations {
		if e.Status == KnownGap || (e.NearMiss != nil && e.Status == Fail) {
			interesting = true
		}
	}
	if !interesting {
		return
	}
	fmt.Fprintf(w, "\n%s %s %q (%s)\n", strings.ToUpper(t.Status), t.Kind, t.Name, t.Note)
	if t.Detail != "" {
		fmt.Fprintf(w, "  %s\n", t.Detail)
	}
	for _, p := range t.Problems {
		fmt.Fprintf(w, "  telemetry problem: %s\n", p)
	}
	for _, s := range t.Signals {
		if s.Matches == 0 {
			kind := "missing"
			if s.Optional {
				kind = "absent (optional)"
			}
			fmt.Fprintf(w, "  signal %s: %s\n", kind, s.Signal)
		}
	}
	for _, e := range t.Expectations {
		switch {
		case e.Status == KnownGap:
			fmt.Fprintf(w, "  known gap: %s (%s) misses this test: %s\n", e.RuleName, e.Rule, e.Reason)
			if e.Fix != "" {
				fmt.Fprintf(w, "    fix: %s\n", e.Fix)
			}
		case e.Status == Fail && e.Want == "silent":
			fmt.Fprintf(w, "  %s (%s) fired %d times but must stay silent; first on %s\n", e.RuleName, e.Rule, e.Alerts, strings.Join(e.Matched, ", "))
		case e.Status == Fail && e.Reason != "":
			fmt.Fprintf(w, "  %s: %s\n", e.Rule, e.Reason)
		case e.Status == Fail:
			fmt.Fprintf(w, "  %s (%s) did not fire\n", e.RuleName, e.Rule)
		}
		if e.NearMiss != nil && (e.Status == Fail || verbose) {
			writeNearMiss(w, e.NearMiss)
		}
	}
}

func writeNearMiss(w io.Writer, nm *NearMiss) {
	for _, tm := range nm.Terms {
		label := fmt.Sprintf("term %d", tm.Term+1)
		if tm.Missing {
			label += " (missing event)"
		}
		fmt.Fprintf(w, "    %s: %d matching events\n", label, tm.Matched)
		if tm.Matched > 0 {
			continue
		}
		for _, ne := range tm.Nearest {
			fmt.Fprintf(w, "      nearest: %s (%.0f%% of conditions hold)\n", ne.Source, 100*min(ne.Score/0.99, 1))
			for _, c := range ne.Failed {
				fmt.Fprintf(w, "        fails: %s   [%s]\n", c.Condition, c.Values)
			}
		}
	}
	if nm.Note != "" {
		fmt.Fprintf(w, "    %s\n", nm.Note)
	}
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one suite per kind (atomic,
// benign), one case per test.
func (rep *Report) WriteJUnit(w io.Writer) error {
	suites := map[string]*junitSuite{}
	var order []string
	all := junitSuites{}
	for _, t := range rep.Tests {
		s := suites[t.Kind]
		if s == nil {
			s = &junitSuite{Name: "vigil." + t.Kind}
			suites[t.Kind] = s
			order = append(order, t.Kind)
		}
		var details strings.Builder
		writeDetails(&details, t, true)
		c := junitCase{Name: t.Name + " [" + t.ID + "]", ClassName: s.Name, SystemOut: details.String()}
		switch t.Status {
		case Fail:
			c.Failure = &junitMessage{Message: t.Detail, Body: details.String()}
			s.Failures++
		case Error:
			c.Error = &junitMessage{Message: t.Detail}
			s.Errors++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	for _, k := range order {
		s := suites[k]
		all.Suites = append(all.Suites, *s)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Record stores the verdicts of the report in f, as `vigil vault show`
// displays them.
func (rep *Report) Record(f *vault.VerdictFile, now time.Time) error {
	for _, t := range rep.Tests {
		kind := vault.KindTest
		if t.Kind == "benign" {
			kind = vault.KindBenign
		}
		status := vault.StatusPass
		switch t.Status {
		case Fail:
			status = vault.StatusFail
		case Error:
			status = vault.StatusError
		}
		if err := f.Set(kind, t.ID, vault.Verdict{Status: status, Time: now, Detail: t.Detail}); err != nil {
			return err
		}
	}
	for _, r := range rep.Rules {
		status := vault.StatusPass
		switch r.Status {
		case Fail:
			status = vault.StatusFail
		case "untested":
			status = vault.StatusSkip
		}
		if err := f.Set(vault.KindRule, r.ID, vault.Verdict{Status: status, Time: now, Detail: r.Detail}); err != nil {
			return err
		}
	}
	return nil
}
