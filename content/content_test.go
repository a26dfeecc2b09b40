package content_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/content"
	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/ingest"
	"github.com/vigil-sec/vigil/ruletest"
	"github.com/vigil-sec/vigil/vault"
	"github.com/vigil-sec/vigil/winlog"
)

func loadVault(t *testing.T) *vault.Vault {
	t.Helper()
	v, err := vault.Load(content.Vault())
	if err != nil {
		t.Fatalf("load the shipped vault: %v", err)
	}
	return v
}

// The shipped vault has no problem that `vigil vault check` would report.
func TestVaultCheck(t *testing.T) {
	v := loadVault(t)
	for _, p := range v.Check() {
		t.Errorf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Msg)
	}
	if len(v.Techniques) == 0 || len(v.Rules) == 0 || len(v.Tests) == 0 || len(v.Benign) == 0 {
		t.Errorf("vault has %d techniques, %d rules, %d tests, %d benign notes; want some of each",
			len(v.Techniques), len(v.Rules), len(v.Tests), len(v.Benign))
	}
}

// Every ECS file shipped next to authored event XML is exactly what
// `vigil convert` writes for that XML, read both through package winlog
// (the XML reader and the Winlogbeat mapping) and through package ingest
// (what the test runner replays).
func TestAuthoredECSMatchesXML(t *testing.T) {
	fsys := content.Vault()
	var ndjson []string
	err := fs.WalkDir(fsys, "telemetry", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".ndjson") {
			ndjson = append(ndjson, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ndjson) == 0 {
		t.Fatal("no .ndjson telemetry in the vault")
	}
	for _, p := range ndjson {
		t.Run(p, func(t *testing.T) {
			xmlPath := strings.TrimSuffix(p, ".ndjson") + ".xml"
			want, err := fs.ReadFile(fsys, p)
			if err != nil {
				t.Fatal(err)
			}
			src, err := fs.ReadFile(fsys, xmlPath)
			if err != nil {
				t.Fatalf("%s has no event XML next to it: %v", p, err)
			}

			// Package winlog: XML records mapped to ECS.
			var viaWinlog []byte
			r := winlog.NewXMLReader(bytes.NewReader(src), xmlPath)
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", xmlPath, err)
				}
				viaWinlog = append(event.AppendJSON(viaWinlog, winlog.ToECS(rec)), '\n')
			}
			compareLines(t, "winlog.ToECS of "+xmlPath, viaWinlog, want)

			// Package ingest, as `vigil convert` and the test runner read it.
			in, err := ingest.OpenFS(fsys, []string{xmlPath}, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var viaIngest []byte
			for ev := range in.All() {
				viaIngest = append(ev.AppendJSON(viaIngest), '\n')
			}
			if st := in.Stats(); st.Skipped > 0 || st.FilesSkipped > 0 {
				t.Errorf("ingest skipped %d records and %d inputs of %s: %v", st.Skipped, st.FilesSkipped, xmlPath, st.Problems)
			}
			compareLines(t, "ingest of "+xmlPath, viaIngest, want)
		})
	}
}

func compareLines(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	if len(g) != len(w) {
		t.Errorf("%s: %d lines, the shipped ECS has %d", what, len(g), len(w))
		return
	}
	for i := range g {
		if g[i] != w[i] {
			t.Errorf("%s: line %d differs from the shipped ECS:\n got: %s\nwant: %s", what, i+1, g[i], w[i])
			return
		}
	}
}

// outcomes pins, for every test and benign note, how many alerts each rule
// raised on its telemetry. A change here is a change of detection: review it
// with the notes' fire, silent and known_gaps expectations.
var outcomes = map[string]map[string]int{
	// Authored atomic tests of the vendor page.
	"vigil-test-t1559-001-itaskservice":        {"vigil-t1559-001-script-host-com": 2},
	"vigil-test-t1559-001-shellexecute":        {"vigil-t1559-001-script-host-com": 2},
	"vigil-test-t1559-001-wscript-shell-run":   {"vigil-t1559-001-script-host-com": 2},
	"vigil-test-t1559-001-hkcu-inprocserver32": {"vigil-t1559-001-hkcu-inprocserver32": 2},
	// Recorded samples.
	"vigil-rec-t1559-001-impacket-dcomexec-mmc20":   {},
	"vigil-rec-t1559-001-mmc20-powershell-4104":     {"vigil-t1559-001-script-host-com": 1},
	"vigil-rec-t1559-001-mmc20-security-4688":       {},
	"vigil-rec-t1559-001-shellwindows-dcom-network": {},
	"vigil-rec-t1559-001-maldoc-shellbrowserwindow": {},
	"vigil-rec-t1559-001-lethalhta":                 {},
	"vigil-rec-t1559-001-uacme-41":                  {"vigil-t1559-001-dllhost-child": 1},
	"vigil-rec-t1559-001-uacme-43":                  {"vigil-t1559-001-dllhost-child": 1},
	"vigil-rec-t1559-001-uacme-58":                  {"vigil-t1559-001-dllhost-child": 1},
	"vigil-rec-t1559-001-cmstp-ini-uac-bypass":      {"vigil-t1559-001-dllhost-child": 1},
	"vigil-rec-t1559-001-firefox-comhijack":         {"vigil-t1559-001-hkcu-inprocserver32": 1},
	"vigil-rec-t1559-001-turla-outlook-comhijack":   {"vigil-t1559-001-hkcu-inprocserver32": 1},
	"vigil-rec-t1559-001-treatas-sigmahq":           {},
	// Benign recordings: every rule silent.
	"vigil-benign-t1559-001-logon-scripts":           {},
	"vigil-benign-t1559-001-dllhost-thumbnail-crash": {},
	"vigil-benign-t1559-001-sccm-deployment-com":     {},
	"vigil-benign-t1559-001-onedrive-per-user-com":   {},
}

// The rules pass their tests: every authored test is detected by the rule
// meant for it, every recorded sample is detected or a documented known
// gap, every benign recording is silent; and the alerts are the pinned ones.
func TestRules(t *testing.T) {
	v := loadVault(t)
	runner, err := ruletest.New(v, eql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := runner.Run()
	for _, tr := range rep.Tests {
		if tr.Status != ruletest.Pass {
			t.Errorf("%s %s (%s): %s %s", tr.Kind, tr.ID, tr.Note, tr.Status, tr.Detail)
		}
	}
	if !rep.OK() {
		t.Errorf("report: %d passed, %d failed", rep.Passed, rep.Failed)
	}

	var ruleIDs []string
	for _, r := range v.Rules {
		ruleIDs = append(ruleIDs, r.ID)
	}
	seen := map[string]bool{}
	for _, tr := range rep.Tests {
		seen[tr.ID] = true
		want, ok := outcomes[tr.ID]
		if !ok {
			t.Errorf("%s %s is not pinned in outcomes", tr.Kind, tr.ID)
			continue
		}
		// Every test states an expectation for every rule, so the pins
		// cover each rule on each test.
		got := map[string]int{}
		var named []string
		for _, e := range tr.Expectations {
			named = append(named, e.Rule)
			if e.Alerts > 0 {
				got[e.Rule] = e.Alerts
			}
		}
		slices.Sort(named)
		if !slices.Equal(named, sorted(ruleIDs)) {
			t.Errorf("%s %s has expectations for %v, want one for each rule %v", tr.Kind, tr.ID, named, sorted(ruleIDs))
		}
		for _, id := range ruleIDs {
			if got[id] != want[id] {
				t.Errorf("%s %s: rule %s raised %d alerts, pinned %d", tr.Kind, tr.ID, id, got[id], want[id])
			}
		}
		for id := range want {
			if !slices.Contains(ruleIDs, id) {
				t.Errorf("outcomes of %s name rule %s, which the vault does not have", tr.ID, id)
			}
		}
	}
	for id := range outcomes {
		if !seen[id] {
			t.Errorf("outcomes pins %s, which the vault does not have", id)
		}
	}

	// The authored tests of the vendor page are there and detected.
	for _, id := range []string{"vigil-test-t1559-001-itaskservice", "vigil-test-t1559-001-shellexecute",
		"vigil-test-t1559-001-wscript-shell-run", "vigil-test-t1559-001-hkcu-inprocserver32"} {
		tst := v.TestByID(id)
		if tst == nil {
			t.Errorf("missing authored test %s", id)
			continue
		}
		if len(tst.Fire) == 0 {
			t.Errorf("test %s names no rule that must fire", id)
		}
		for _, ref := range tst.Telemetry {
			if ref.Kind != vault.Authored {
				t.Errorf("test %s: telemetry %s is %s, want authored", id, ref.Path, ref.Kind)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// The vault's note on the vendor query quotes it verbatim: the same text as
// the fixture eql/testdata/seed/vendor-t1559-001.eql, which the EQL
// package's tests pin; and it is invalid EQL.
func TestVendorQueryNote(t *testing.T) {
	v := loadVault(t)
	const notePath = "Notes/Vendor query T1559.001.md"
	n := v.Note(notePath)
	if n == nil {
		t.Fatalf("no note %s", notePath)
	}
	s := n.Section("The query as published")
	if s == nil || len(s.CodeBlocks()) == 0 {
		t.Fatalf("%s: no code block under \"The query as published\"", notePath)
	}
	quoted := s.CodeBlocks()[0].Content
	fixture, err := os.ReadFile(path.Join("..", "eql", "testdata", "seed", "vendor-t1559-001.eql"))
	if err != nil {
		t.Fatal(err)
	}
	if quoted != string(fixture) {
		t.Errorf("%s does not quote eql/testdata/seed/vendor-t1559-001.eql verbatim:\n%s", notePath, quoted)
	}
	if _, err := eql.Compile(quoted, eql.Options{}); err == nil {
		t.Errorf("the vendor query compiles; the note says it does not")
	}
}
