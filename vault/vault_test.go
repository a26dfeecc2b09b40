package vault

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func loadFixture(t *testing.T, dir string) *Vault {
	t.Helper()
	v, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadFixtureVault(t *testing.T) {
	v := loadFixture(t, "testdata/vault")
	if ps := v.Check(); len(ps) > 0 {
		t.Fatalf("the fixture vault has problems:\n%s", problemList(ps))
	}
	var paths []string
	for _, n := range v.Notes {
		paths = append(paths, n.Path)
	}
	wantPaths := []string{
		"Benign/admin-logon-scripts.md",
		"Detection Rules.md",
		"Rules/com-script-host-instantiation.md",
		"Rules/dllhost-child-shell.md",
		"Techniques/T1559.001 - Inter-Process Communication- Component Object Model.md",
		"Tests/itaskservice-schedule.md",
		"Tests/shell-application-shellexecute.md",
	}
	if !slices.Equal(paths, wantPaths) {
		t.Errorf("notes %q, want %q (hidden folders skipped)", paths, wantPaths)
	}
	if slices.Contains(v.Files, ".obsidian/app.json") || !slices.Contains(v.Files, "telemetry/T1559.001/shellexecute.sysmon.ndjson") {
		t.Errorf("files %q", v.Files)
	}

	tech := v.TechniqueByID("t1559_001")
	if tech == nil {
		t.Fatal("no technique T1559.001")
	}
	if tech.ID != "T1559.001" || tech.Name != "Inter-Process Communication- Component Object Model" ||
		!slices.Equal(tech.Tactics, []string{"Execution"}) || !slices.Equal(tech.Platforms, []string{"Windows"}) ||
		tech.Version != "1.1" || tech.Created != "2020-02-12" || tech.LastModified != "2021-07-26" ||
		!slices.Equal(tech.DataSources, []string{"Module: Module Load", "Process: Process Creation", "Script: Script Execution"}) {
		t.Errorf("technique %+v", tech)
	}

	r := v.RuleByID("vigil-t1559-001-script-host-com")
	if r == nil {
		t.Fatal("no rule vigil-t1559-001-script-host-com")
	}
	if r.Name != "COM object instantiated from a script host" || r.Severity != "high" || r.Confidence != "medium" ||
		r.RiskScore != 73 || r.Status != "test" || !slices.Equal(r.Techniques, []string{"T1559.001"}) ||
		!slices.Equal(r.Tactics, []string{"Execution"}) || len(r.DataSources) != 2 ||
		!slices.Equal(r.Indexes, []string{"logs-windows.sysmon_operational-*", "logs-system.security-*"}) ||
		!slices.Equal(r.References, []string{"https://attack.mitre.org/techniques/T1559/001/"}) {
		t.Errorf("rule %+v", r)
	}
	if !strings.HasPrefix(r.Query, "process where event.type == \"start\" and\n") || r.QueryLine != 35 {
		t.Errorf("query on line %d: %q", r.QueryLine, r.Query)
	}
	if len(r.Hunting) != 1 || r.Hunting[0].Name != "Script hosts by COM class" || r.Hunting[0].Line != 64 ||
		!strings.HasSuffix(r.Hunting[0].Source, "| count process.command_line\n") {
		t.Errorf("hunting %+v", r.Hunting)
	}
	if got := r.Note.Text(SectionFalsePositives); !strings.HasPrefix(got, "- Administrative scripts") {
		t.Errorf("false positives %q", got)
	}
	if r2 := v.RuleByID("vigil-t1559-001-dllhost-child"); r2 == nil || !slices.Equal(r2.Tactics, []string{"Execution"}) ||
		!slices.Equal(r2.Techniques, []string{"T1559.001"}) {
		t.Errorf("dllhost rule %+v", r2)
	}

	at := v.TestByID("vigil-test-t1559-001-itaskservice")
	if at == nil {
		t.Fatal("no test vigil-test-t1559-001-itaskservice")
	}
	if at.Executor != "powershell" || at.ElevationRequired || !slices.Equal(at.Techniques, []string{"T1559.001"}) ||
		!strings.Contains(at.Commands, "RegisterTaskDefinition('vigil-com-test'") ||
		at.Cleanup != "schtasks.exe /delete /tn vigil-com-test /f\n" ||
		!slices.Equal(at.Fire, []string{"vigil-t1559-001-script-host-com"}) ||
		!slices.Equal(at.Silent, []string{"vigil-t1559-001-dllhost-child"}) {
		t.Errorf("test %+v", at)
	}
	if len(at.Signals) != 3 {
		t.Fatalf("signals %+v", at.Signals)
	}
	s0, s2 := at.Signals[0], at.Signals[2]
	if s0.Channel != "Microsoft-Windows-Sysmon/Operational" || s0.EventID != 1 || s0.Line != 9 || len(s0.Conditions) != 3 ||
		s0.Conditions[1].String() != `CommandLine|contains: ["Schedule.Service"]` {
		t.Errorf("signal 0 %+v", s0)
	}
	if s2.Provider != "Microsoft-Windows-Security-Auditing" || s2.EventID != 4698 || !s2.Optional ||
		!strings.Contains(s2.Note, "Other Object Access") || len(s2.Conditions) != 2 || !s2.Conditions[1].Not {
		t.Errorf("signal 2 %+v", s2)
	}
	wantTel := TelemetryRef{Path: "telemetry/T1559.001/itaskservice.sysmon.ndjson", Kind: Authored, Format: "ndjson",
		SHA256: "ceb8ac1eaa23f33bf04b637480e3e305f38d8df964e54807c4eae68d13bd18c4", Line: 27}
	if !slices.Equal(at.Telemetry, []TelemetryRef{wantTel}) {
		t.Errorf("telemetry %+v, want %+v", at.Telemetry, wantTel)
	}

	gapTest := v.TestByID("vigil-test-t1559-001-shellexecute")
	if gapTest == nil || len(gapTest.KnownGaps) != 1 || gapTest.KnownGaps[0].Rule != "vigil-t1559-001-dllhost-child" ||
		!strings.HasPrefix(gapTest.KnownGaps[0].Fix, "Add explorer.exe") || gapTest.Prerequisites != "An interactive session (Explorer must be running)." ||
		gapTest.Cleanup != "Close Calculator." {
		t.Errorf("shellexecute test %+v", gapTest)
	}

	b := v.BenignByID("vigil-benign-admin-logon-scripts")
	if b == nil || b.SilentQuery == nil || b.SilentQuery.String() != "tag:detection_rule tag:T1559_001" ||
		len(b.Telemetry) != 1 || b.Telemetry[0].Kind != Authored {
		t.Fatalf("benign %+v", b)
	}
	var silent []string
	for _, r := range v.SilentRules(b) {
		silent = append(silent, r.ID)
	}
	if !slices.Equal(silent, []string{"vigil-t1559-001-script-host-com", "vigil-t1559-001-dllhost-child"}) {
		t.Errorf("silent rules %q", silent)
	}

	var found []string
	for _, n := range v.Query(tech.Note.Queries()[1]) {
		found = append(found, n.Path)
	}
	if !slices.Equal(found, []string{"Tests/itaskservice-schedule.md", "Tests/shell-application-shellexecute.md"}) {
		t.Errorf("Rule Testing query finds %q", found)
	}
	if v.Note("Detection Rules.md") == nil || v.Note("Detection Rules.md").Kind() != KindNote {
		t.Error("plain note missing")
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(os.DirFS("testdata/no-such-vault")); err == nil {
		t.Error("Load of a missing folder succeeded")
	}
	fsys := fstest.MapFS{
		"big.md":         {Data: []byte(strings.Repeat("x", maxNoteSize+1))},
		".git/HEAD.md":   {Data: []byte("---\n[\n---\n")},
		"two-kinds.md":   {Data: []byte("---\ntags: [benign, detection_rule]\n---\n")},
		"sub/.hidden.md": {Data: []byte("---\n[\n---\n")},
	}
	v, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ps := v.Problems()
	if len(ps) < 2 || ps[0].File != "big.md" || !strings.Contains(ps[0].Msg, "more than") {
		t.Fatalf("problems:\n%s", problemList(ps))
	}
	var twoKinds bool
	for _, p := range ps {
		if strings.HasPrefix(p.File, ".git") || strings.Contains(p.File, ".hidden") {
			t.Errorf("hidden file read: %s", p)
		}
		if p.File == "two-kinds.md" && p.Line == 2 && strings.Contains(p.Msg, "2 kind tags (benign, detection_rule); it is read as a benign note") {
			twoKinds = true
		}
	}
	if !twoKinds {
		t.Errorf("no problem about two kind tags:\n%s", problemList(ps))
	}
}
