package vault

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestVerdictFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".vigil", "verdicts.json")
	f := NewVerdictFile()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	must(t, f.Set(KindRule, "r1", Verdict{Status: StatusPass, Time: at}))
	must(t, f.Set(KindTest, "t1", Verdict{Status: StatusFail, Time: at, Detail: "r1 did not fire"}))
	must(t, f.Set(KindBenign, "b1", Verdict{Status: StatusSkip}))
	if err := f.Set(KindTechnique, "T1559", Verdict{Status: StatusPass}); err == nil {
		t.Error("Set accepted a technique verdict")
	}
	if err := f.Set(KindRule, "r1", Verdict{Status: "passed"}); err == nil {
		t.Error("Set accepted the status passed")
	}
	must(t, f.Write(path))
	must(t, f.Write(path)) // over an existing file
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 {
		t.Errorf("folder holds %v (%v), want only verdicts.json", entries, err)
	}

	g, err := LoadVerdicts(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind   Kind
		id     string
		want   Verdict
		wantOK bool
	}{
		{KindRule, "r1", Verdict{Status: StatusPass, Time: at}, true},
		{KindTest, "t1", Verdict{Status: StatusFail, Time: at, Detail: "r1 did not fire"}, true},
		{KindBenign, "b1", Verdict{Status: StatusSkip}, true},
		{KindTest, "r1", Verdict{}, false},
		{KindTechnique, "T1559", Verdict{}, false},
	}
	for _, tt := range tests {
		got, ok := g.Last(tt.kind, tt.id)
		if ok != tt.wantOK || !got.Time.Equal(tt.want.Time) || got.Status != tt.want.Status || got.Detail != tt.want.Detail {
			t.Errorf("Last(%s, %s) = %+v, %v; want %+v, %v", tt.kind, tt.id, got, ok, tt.want, tt.wantOK)
		}
	}
	var none *VerdictFile
	if _, ok := none.Last(KindRule, "r1"); ok {
		t.Error("a nil file has verdicts")
	}
}

func TestLoadVerdictsErrors(t *testing.T) {
	if _, err := LoadVerdicts(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	tests := []struct{ name, json, msg string }{
		{"syntax", "{\"version\": 1,\n\"rules\": {\n\"r\": {\"status\": \"pass\",}}}", "line 3: "},
		{"type", "{\"version\": 1,\n\"rules\": []}", "line 2: "},
		{"unknown key", `{"version": 1, "rule": {}}`, `unknown field "rule"`},
		{"version", `{"version": 2}`, "version 2, want 1"},
		{"no version", `{"rules": {}}`, "version 0, want 1"},
		{"status", `{"version": 1, "tests": {"t": {"status": "ok"}}}`, `test "t": status "ok"`},
		{"trailing", `{"version": 1} {}`, "text after the JSON object"},
	}
	for _, tt := range tests {
		if _, err := ParseVerdicts([]byte(tt.json)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.msg)
		}
	}
	if f, err := ParseVerdicts([]byte(`{"version": 1}`)); err != nil || f.Rules == nil || f.Tests == nil || f.Benign == nil {
		t.Errorf("minimal file: %+v, %v", f, err)
	}
}

func TestFixtureVerdicts(t *testing.T) {
	f, err := LoadVerdicts("testdata/vault/.vigil/verdicts.json")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Last(KindTest, "vigil-test-t1559-001-shellexecute"); !ok || v.Status != StatusFail || v.Detail == "" {
		t.Errorf("fixture verdict %+v, %v", v, ok)
	}
}
