package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	xml := `<Events><Event><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><TimeCreated SystemTime='2019-03-18T16:57:52.4333673Z'/><EventRecordID>5</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS1</Computer></System><EventData><Data Name='Image'>C:\w\mshta.exe</Data><Data Name='CommandLine'>mshta.exe -Embedding</Data></EventData></Event></Events>`
	if err := os.WriteFile(filepath.Join(dir, "a.xml"), []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	ndjson := `{"@timestamp":"2024-01-01T00:00:00Z","event":{"code":"x"}}` + "\n{oops\n"
	pretty := "{\n  \"@timestamp\": \"2024-01-01T00:00:00Z\",\r\n  \"event\": {\"code\": \"a b\\t\\\" }\", \"category\": [ \"process\" ]}\n}\n{\n\t\"@timestamp\": \"2024-01-01T00:00:01Z\"\n}\n"
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		out      []string // substrings, one per output line
		errParts []string
	}{
		{"xml file", []string{"convert", filepath.Join(dir, "a.xml")}, "", 0,
			[]string{`"process":{"executable":"C:\\w\\mshta.exe","command_line":"mshta.exe -Embedding"`},
			[]string{"1 events from 1 inputs; 0 records and 0 inputs skipped"}},
		{"stdin with a bad line", []string{"convert", "-"}, ndjson, 0,
			[]string{`{"@timestamp":"2024-01-01T00:00:00Z","event":{"code":"x"}}`},
			[]string{"-:2:2: malformed JSON", "1 records and 0 inputs skipped"}},
		// Pretty-printed documents come out one per line, white space
		// inside strings kept.
		{"pretty-printed", []string{"convert", "-"}, pretty, 0,
			[]string{`{"@timestamp":"2024-01-01T00:00:00Z","event":{"code":"a b\t\" }","category":["process"]}}`, `{"@timestamp":"2024-01-01T00:00:01Z"}`},
			[]string{"2 events from 1 inputs"}},
		{"query over pretty-printed", []string{"query", "sequence [process where true] [any where true]", "-"}, pretty, 0,
			[]string{`{"join_keys":[],"events":[{"@timestamp":"2024-01-01T00:00:00Z","event":{"code":"a b\t\" }","category":["process"]}},{"@timestamp":"2024-01-01T00:00:01Z"}]}`},
			[]string{"1 results"}},
		{"strict", []string{"convert", "--strict", "-"}, ndjson, 1, nil, []string{"-:2:2"}},
		{"bad format", []string{"convert", "-o", "xml", "-"}, "", 2, nil, []string{"unknown output format"}},
		{"missing input", []string{"convert", filepath.Join(dir, "nope")}, "", 2, nil, []string{"no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
			if tt.out != nil && len(lines) != len(tt.out) {
				t.Errorf("%d output lines, want %d: %q", len(lines), len(tt.out), stdout.String())
			}
			if tt.out == nil && stdout.Len() > 0 && tt.code != 1 {
				t.Errorf("unexpected output %q", stdout.String())
			}
			for i, want := range tt.out {
				if i >= len(lines) || !strings.Contains(lines[i], want) {
					t.Errorf("line %d = %q, want it to contain %q", i+1, lines, want)
				}
			}
			for _, want := range tt.errParts {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q lacks %q", stderr.String(), want)
				}
			}
		})
	}
}
