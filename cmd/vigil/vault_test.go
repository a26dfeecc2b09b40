package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVaultCmd(t *testing.T) {
	good := filepath.Join("..", "..", "vault", "testdata", "vault")
	broken := filepath.Join("..", "..", "vault", "testdata", "broken")
	other := t.TempDir()
	verdicts := filepath.Join(other, "v.json")
	if err := os.WriteFile(verdicts, []byte(`{"version": 1, "rules": {"vigil-t1559-001-dllhost-child": {"status": "error", "detail": "no telemetry"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		out    []string // substrings of stdout
		errOut []string // substrings of stderr
	}{
		{"check a clean vault", []string{"vault", "check", good}, 0,
			[]string{"ok: 7 notes: 1 techniques, 2 rules, 2 tests, 1 benign"}, nil},
		{"check a broken vault", []string{"vault", "check", broken}, 1, nil,
			[]string{
				filepath.Join(broken, "Rules", "bad-eql.md") + ":21:33: eql: unexpected keyword 'and'",
				"      process.name == \"cmd.exe\" and and process.args : \"/c\"\n                                    ^^^",
				filepath.Join(broken, "Tests", "bad-test.md") + `:24: fire: no rule has id "no-such-rule"`,
				"33 problems in 8 files",
			}},
		{"check the built-in vault", []string{"vault", "check"}, 0, []string{"ok: "}, nil},
		{"check a missing folder", []string{"vault", "check", filepath.Join(other, "nope")}, 2, nil, []string{"no such file"}},
		{"check a file", []string{"vault", "check", verdicts}, 2, nil, []string{"is not a folder"}},
		{"show with the vault's verdicts", []string{"vault", "show", "t1559_001", good}, 0,
			[]string{
				"T1559.001  Inter-Process Communication- Component Object Model",
				"rule vigil-t1559-001-script-host-com [high] COM object instantiated from a script host — last verdict: pass at 2026-11-24T10:30:00Z",
				"— last verdict: fail at 2026-11-24T10:30:00Z: rule vigil-t1559-001-script-host-com did not fire",
			}, nil},
		{"show with other verdicts", []string{"vault", "show", "--verdicts", verdicts, "T1559.001", good}, 0,
			[]string{
				"rule vigil-t1559-001-dllhost-child [medium] Shell or utility started by the COM surrogate — last verdict: error: no telemetry",
				"COM object instantiated from a script host — no verdict",
			}, nil},
		{"show an unknown technique", []string{"vault", "show", "T1021.003", good}, 1, nil,
			[]string{"the vault has no technique note for T1021.003"}},
		{"show with a missing verdict file", []string{"vault", "show", "--verdicts", filepath.Join(other, "nope.json"), "T1559.001", good}, 2, nil,
			[]string{"verdicts: open"}},
		{"show without a technique", []string{"vault", "show"}, 2, nil, []string{"accepts between 1 and 2 arg(s)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, want := range tt.out {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			for _, want := range tt.errOut {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

func TestVaultEmbedded(t *testing.T) {
	// The built-in vault's verdicts live in the user's cache, where a run
	// of `vigil test` on this machine may have left some: use an empty one.
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	fsys := os.DirFS(filepath.Join("..", "..", "vault", "testdata", "vault"))
	embedded := func() (fs.FS, bool) { return fsys, true }

	var stdout, stderr bytes.Buffer
	check := newVaultCheckCmd(embedded)
	check.SetArgs(nil)
	check.SetOut(&stdout)
	check.SetErr(&stderr)
	if err := check.Execute(); err != nil || !strings.Contains(stdout.String(), "ok: 7 notes") {
		t.Errorf("check of the embedded vault: %v\n%s%s", err, stdout.String(), stderr.String())
	}

	stdout.Reset()
	show := newVaultShowCmd(embedded)
	show.SetArgs([]string{"T1559_001"})
	show.SetOut(&stdout)
	show.SetErr(&stderr)
	if err := show.Execute(); err != nil || !strings.Contains(stdout.String(), "COM object instantiated from a script host — no verdict") {
		t.Errorf("show from the embedded vault: %v\n%s%s", err, stdout.String(), stderr.String())
	}
}
