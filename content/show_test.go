package content_test

import (
	"strings"
	"testing"
)

// `vigil vault show T1559.001` resolves the technique note's query blocks
// to the pack: the three rules of the vendor page under "Detection Rule",
// and its four atomic tests under "Rule Testing".
func TestShowTechnique(t *testing.T) {
	v := loadVault(t)
	var out strings.Builder
	if err := v.ShowTechnique("T1559.001", nil, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	rules, tests, ok := strings.Cut(text, "### Rule Testing")
	if !ok {
		t.Fatalf("no Rule Testing section:\n%s", text)
	}
	_, rules, ok = strings.Cut(rules, "### Detection Rule")
	if !ok {
		t.Fatalf("no Detection Rule section:\n%s", text)
	}
	for _, id := range []string{
		"vigil-t1559-001-script-host-com",
		"vigil-t1559-001-dllhost-child",
		"vigil-t1559-001-hkcu-inprocserver32",
	} {
		if !strings.Contains(rules, "  - rule "+id+" ") {
			t.Errorf("Detection Rule does not list rule %s:\n%s", id, rules)
		}
	}
	if !strings.Contains(rules, ": 3 notes\n") {
		t.Errorf("Detection Rule should resolve to exactly the three rules:\n%s", rules)
	}
	for _, name := range []string{
		"Scheduled task registered through the ITaskService COM interface",
		"Command run through Shell.Application ShellExecute",
		"Command run through WScript.Shell Run",
		"COM server registered under HKCU CLSID InprocServer32",
	} {
		if !strings.Contains(tests, "] "+name+" (fires ") {
			t.Errorf("Rule Testing does not list the atomic test %q:\n%s", name, tests)
		}
	}
}
