package vault

import (
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decodeWhereText decodes the YAML of a where value.
func decodeWhereText(t *testing.T, text string) ([]Condition, []Problem) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	p := &problems{file: "t.md"}
	return decodeWhere(p, doc.Content[0]), p.list
}

func TestDecodeWhere(t *testing.T) {
	type cond struct {
		field  string
		op     Op
		values []string
		not    bool
		line   int
	}
	tests := []struct {
		name     string
		yaml     string
		want     []cond
		problems []wantProblem
	}{
		{"sigma-like keys",
			"Image|endswith: \\powershell.exe\nCommandLine|contains: [Schedule.Service, ITaskService]\nEventType: 4",
			[]cond{
				{"Image", OpEndsWith, []string{`\powershell.exe`}, false, 1},
				{"CommandLine", OpContains, []string{"Schedule.Service", "ITaskService"}, false, 2},
				{"EventType", OpEquals, []string{"4"}, false, 3},
			}, nil},
		{"all splits the values into conditions",
			"CommandLine|contains|all: [a, b]",
			[]cond{{"CommandLine", OpContains, []string{"a"}, false, 1}, {"CommandLine", OpContains, []string{"b"}, false, 1}}, nil},
		{"a list of mappings tests a field twice; not negates",
			"- process.command_line|startswith: x\n- process.command_line|not|re: '(?i)y$'",
			[]cond{{"process.command_line", OpStartsWith, []string{"x"}, false, 1}, {"process.command_line", OpRegexp, []string{"(?i)y$"}, true, 2}}, nil},
		{"unknown modifier", "A|contians: x", nil, []wantProblem{{1, `did you mean "contains"`}}},
		{"two comparisons", "A|contains|endswith: x", nil, []wantProblem{{1, "two comparisons"}}},
		{"not with all", "A|not|contains|all: [x, y]", nil, []wantProblem{{1, "not and all cannot be combined"}}},
		{"bad regexp", "A|re: '('", nil, []wantProblem{{1, "bad regular expression"}}},
		{"no field", "'|contains': x", nil, []wantProblem{{1, "has no field name"}}},
		{"null value", "A: null", nil, []wantProblem{{1, "must be strings or numbers"}}},
		{"empty list", "A: []", nil, []wantProblem{{1, "needs a value"}}},
		{"nested value", "A: {b: c}", nil, []wantProblem{{1, "needs a value or a list of values, found a mapping"}}},
		{"not a mapping", "just text", nil, []wantProblem{{1, "where must be a mapping"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, probs := decodeWhereText(t, tt.yaml)
			var got []cond
			for _, c := range cs {
				got = append(got, cond{c.Field, c.Op, c.Values, c.Not, c.Line})
			}
			if !slices.EqualFunc(got, tt.want, func(a, b cond) bool {
				return a.field == b.field && a.op == b.op && slices.Equal(a.values, b.values) && a.not == b.not && a.line == b.line
			}) {
				t.Errorf("conditions %+v, want %+v", got, tt.want)
			}
			checkProblems(t, probs, tt.problems)
		})
	}
}

func TestConditionMatches(t *testing.T) {
	tests := []struct {
		where   string
		value   string
		present bool
		want    bool
	}{
		{"A: powershell.exe", "PowerShell.EXE", true, true},
		{"A: powershell.exe", "powershell.exe ", true, false},
		{"A|contains: schedule.service", "x New-Object -ComObject Schedule.Service y", true, true},
		{"A|contains: [nope, ITASK]", "ITaskService", true, true},
		{"A|startswith: c:\\windows", "C:\\Windows\\System32\\cmd.exe", true, true},
		{"A|startswith: c:\\windows\\system32\\cmd.exe!", "C:\\Windows\\System32\\cmd.exe", true, false},
		{"A|endswith: \\CMD.exe", "C:\\Windows\\System32\\cmd.exe", true, true},
		{"A|endswith: cmd.exe", "exe", true, false},
		{"A|re: '^cmd\\.exe$'", "cmd.exe", true, true},
		{"A|re: '^cmd\\.exe$'", "CMD.exe", true, false}, // re is case-sensitive
		{"A|re: '(?i)^cmd\\.exe$'", "CMD.exe", true, true},
		{"A: x", "", false, false},
		{"A|not|endswith: \\powershell.exe", "", false, true},
		{"A|not|endswith: [\\powershell.exe, \\pwsh.exe]", "C:\\x\\pwsh.exe", true, false},
		{"A|not|endswith: [\\powershell.exe, \\pwsh.exe]", "C:\\x\\wscript.exe", true, true},
	}
	for _, tt := range tests {
		cs, probs := decodeWhereText(t, tt.where)
		if len(probs) > 0 || len(cs) != 1 {
			t.Fatalf("%s: %v", tt.where, probs)
		}
		if got := cs[0].Matches(tt.value, tt.present); got != tt.want {
			t.Errorf("%s matches %q (present %v) = %v, want %v", tt.where, tt.value, tt.present, got, tt.want)
		}
	}
}

func TestSignalMatches(t *testing.T) {
	cs, _ := decodeWhereText(t, "Image|endswith: \\powershell.exe\nCommandLine|contains|all: [Schedule.Service, Register]")
	s := Signal{Channel: "Microsoft-Windows-Sysmon/Operational", EventID: 1, Conditions: cs}
	fields := func(m map[string]string) func(string) (string, bool) {
		return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
	}
	good := map[string]string{
		"Image":       `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`,
		"CommandLine": "powershell -c $s = New-Object -ComObject Schedule.Service; $s.RegisterTaskDefinition()",
	}
	tests := []struct {
		name    string
		channel string
		id      int
		fields  map[string]string
		want    bool
	}{
		{"all hold", "microsoft-windows-sysmon/operational", 1, good, true},
		{"other event id", "Microsoft-Windows-Sysmon/Operational", 3, good, false},
		{"other channel", "Security", 1, good, false},
		{"one value of all missing", "Microsoft-Windows-Sysmon/Operational", 1,
			map[string]string{"Image": good["Image"], "CommandLine": "New-Object -ComObject Schedule.Service"}, false},
		{"field absent", "Microsoft-Windows-Sysmon/Operational", 1, map[string]string{"Image": good["Image"]}, false},
	}
	for _, tt := range tests {
		if got := s.Matches(tt.channel, "", tt.id, fields(tt.fields)); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}
