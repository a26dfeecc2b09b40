package eql

import (
	"testing"
)

func TestExplain(t *testing.T) {
	q := MustCompile(`sequence by host.name with maxspan=5m
		[process where process.name : ("powershell.exe", "wscript.exe") and process.args : "*CreateObject(*"]
		[process where process.parent.name : "dllhost.exe" and not process.name : "werfault.exe"]`, Options{})
	ev := doc(t, `{"event":{"category":"process"},"host":{"name":"h"},"process":{"name":"powershell.exe","args":["powershell","-c","New-Object -ComObject x"],"parent":{"name":"explorer.exe"}}}`)
	ex := q.Explain(ev)
	if len(ex) != 2 {
		t.Fatalf("%d terms, want 2", len(ex))
	}
	first := ex[0]
	if first.Matched || !first.CategoryOK || len(first.Checks) != 2 || !first.Checks[0].Pass || first.Checks[1].Pass {
		t.Errorf("term 0: %+v", first)
	}
	if first.Checks[1].Text != `process.args : "*CreateObject(*"` || first.Checks[1].Fields[0].Name != "process.args" {
		t.Errorf("term 0 check 1: %+v", first.Checks[1])
	}
	if s := first.Score(); s <= 0.4 || s >= 1 {
		t.Errorf("score %v", s)
	}
	second := ex[1]
	if len(second.Checks) != 2 || second.Checks[0].Pass || !second.Checks[1].Pass || second.Checks[1].Text != `not process.name : "werfault.exe"` {
		t.Errorf("term 1: %+v", second)
	}
	if got := second.Checks[0].Fields[0].Value.String(); got != `"explorer.exe"` {
		t.Errorf("field value shown %s", got)
	}
}
