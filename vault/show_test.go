package vault

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestShowTechnique(t *testing.T) {
	v := loadFixture(t, "testdata/vault")
	verdicts := NewVerdictFile()
	at := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	must(t, verdicts.Set(KindRule, "vigil-t1559-001-script-host-com", Verdict{Status: StatusPass, Time: at}))
	must(t, verdicts.Set(KindTest, "vigil-test-t1559-001-shellexecute", Verdict{Status: StatusFail, Time: at, Detail: "rule x\ndid not fire"}))

	for _, id := range []string{"T1559.001", "T1559_001", "t1559.001", "#t1559_001"} {
		var out bytes.Buffer
		if err := v.ShowTechnique(id, verdicts, &out); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		text := out.String()
		wantLines := []string{
			"T1559.001  Inter-Process Communication- Component Object Model",
			"Tactics:   Execution",
			"ATT&CK:    https://attack.mitre.org/techniques/T1559/001 (version 1.1, modified 2021-07-26)",
			"### Description",
			"  -  Process: Process Creation",
			"tag:detection_rule tag:T1559_001: 2 notes",
			"  - rule vigil-t1559-001-script-host-com [high] COM object instantiated from a script host — last verdict: pass at 2026-11-24T10:30:00Z",
			"  - rule vigil-t1559-001-dllhost-child [medium] Shell or utility started by the COM surrogate — no verdict",
			"tag:atomic_test tag:T1559_001: 2 notes",
			"  - test vigil-test-t1559-001-itaskservice [powershell] Scheduled task registered through the ITaskService COM interface (fires vigil-t1559-001-script-host-com; silent vigil-t1559-001-dllhost-child) — no verdict",
			"  - test vigil-test-t1559-001-shellexecute [powershell] Command run through Shell.Application ShellExecute (fires vigil-t1559-001-script-host-com; known gap vigil-t1559-001-dllhost-child) — last verdict: fail at 2026-11-24T10:30:00Z: rule x did not fire",
		}
		lines := strings.Split(text, "\n")
		for _, w := range wantLines {
			found := false
			for _, l := range lines {
				found = found || l == w
			}
			if !found {
				t.Errorf("%s: output lacks the line\n%s\noutput:\n%s", id, w, text)
			}
		}
		if strings.Contains(text, "```query") {
			t.Errorf("%s: query blocks were not replaced:\n%s", id, text)
		}
	}

	var out bytes.Buffer
	if err := v.ShowTechnique("T1559.001", nil, &out); err != nil || !strings.Contains(out.String(), "COM object instantiated from a script host — no verdict") {
		t.Errorf("without verdicts: %v\n%s", err, out.String())
	}
	for id, msg := range map[string]string{
		"T1559.002": "no technique note for T1559.002",
		"COM":       `"COM" is not an ATT&CK technique id`,
	} {
		if err := v.ShowTechnique(id, nil, &out); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ShowTechnique(%q) error %v, want %q", id, err, msg)
		}
	}
}
