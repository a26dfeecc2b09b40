package winlog

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

func TestSplitCommandLine(t *testing.T) {
	// Vectors of ecs-mapping.md §3.5.2 (from Elastic's windows_test.go and
	// the ECS 8.17 golden).
	tests := []struct {
		in   string
		want []string
	}{
		{``, nil},
		{` `, nil},
		{"\t", nil},
		{`test a b c`, []string{`test`, `a`, `b`, `c`}},
		{`test "`, []string{`test`, ``}},
		{`test ""`, []string{`test`, ``}},
		{`test """`, []string{`test`, `"`}},
		{`test "" a`, []string{`test`, ``, `a`}},
		{`test "123"`, []string{`test`, `123`}},
		{`test \"123\"`, []string{`test`, `"123"`}},
		{`test \"123 456\"`, []string{`test`, `"123`, `456"`}},
		{`test \\"`, []string{`test`, `\`}},
		{`test \\\"`, []string{`test`, `\"`}},
		{`test \\\\\"`, []string{`test`, `\\"`}},
		{`test \\\"x`, []string{`test`, `\"x`}},
		{`test """"\""\\\"`, []string{`test`, `""\"`}},
		{`"cmd line" abc`, []string{`cmd line`, `abc`}},
		{`test \\\\\""x"""y z`, []string{`test`, `\\"x"y z`}},
		{"test\tb\t\"x\ty\"", []string{"test", "b", "x\ty"}},
		{`"C:\Windows\system32\notepad.exe" `, []string{`C:\Windows\system32\notepad.exe`}},
		{`C:\a\b.exe /Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}`, []string{`C:\a\b.exe`, `/Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}`}},
	}
	for _, tt := range tests {
		if got := SplitCommandLine(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitCommandLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitCommandLineNaive(t *testing.T) {
	// The Security 4688 splitter keeps quotes and makes empty arguments
	// of repeated and trailing blanks (ecs-mapping.md §4.2).
	tests := []struct {
		in   string
		want []string
	}{
		{``, nil},
		{`"C:\Windows\system32\wevtutil.exe" cl Security`, []string{`"C:\Windows\system32\wevtutil.exe"`, `cl`, `Security`}},
		{`a  b`, []string{`a`, ``, `b`}},
		{`a `, []string{`a`, ``}},
		{`"a b" "c`, []string{`"a b"`, `"c`}},
		{"a\u00a0b\u2003c", []string{"a\u00a0b", "c"}},
	}
	for _, tt := range tests {
		if got := SplitCommandLineNaive(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitCommandLineNaive(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRegistryFields(t *testing.T) {
	// Worked examples of ecs-mapping.md §3.6.
	tests := []struct {
		target, details                string
		hive, key, value, strings, typ string
	}{
		{`HKU\S-1\Software\Key 1`, `DWORD (0x00000004)`, "HKU", `S-1\Software\Key 1`, "Key 1", `["4"]`, "SZ_DWORD"},
		{`HKU\S-1\Software\Key 2`, `QWORD (0x00000001-0x00000005)`, "HKU", `S-1\Software\Key 2`, "Key 2", `["261"]`, "SZ_QWORD"},
		{`HKU\S-1_Classes\CLSID\{B5F8}\InprocServer32\(Default)`, `C:\evil.dll`, "HKU", `S-1_Classes\CLSID\{B5F8}\InprocServer32\(Default)`, "(Default)", `["C:\\evil.dll"]`, "REG_SZ"},
		{`HKLM\SOFTWARE\Classes\AppID\{X}\RunAs`, `Interactive User`, "HKLM", `SOFTWARE\Classes\AppID\{X}\RunAs`, "RunAs", `["Interactive User"]`, "REG_SZ"},
		{`HKLM\SYSTEM\x`, `Binary Data`, "HKLM", `SYSTEM\x`, "x", `["Binary Data"]`, "REG_BINARY"},
		{`HKU\S-1\Software\Classes\CLSID\{Y}\InprocServer32`, ``, "HKU", `S-1\Software\Classes\CLSID\{Y}\InprocServer32`, "InprocServer32", ``, ""},
		{`\REGISTRY\MACHINE\x`, `1`, "", "", "x", `["1"]`, "REG_SZ"},
	}
	for _, tt := range tests {
		r := &Record{EventID: 13, Provider: providerSysmon, Channel: channelSysmon,
			EventData: []Data{{Name: "TargetObject", Value: tt.target}, {Name: "Details", Value: tt.details}}}
		doc := ToECS(r)
		if got := doc.GetString("registry.path"); got != tt.target {
			t.Errorf("%s: path %q", tt.target, got)
		}
		for path, want := range map[string]string{"registry.hive": tt.hive, "registry.key": tt.key, "registry.value": tt.value, "registry.data.type": tt.typ} {
			if got := doc.GetString(path); got != want {
				t.Errorf("%s: %s = %q, want %q", tt.target, path, got, want)
			}
		}
		got := ""
		if v := doc.GetString("registry.data.type"); v != "" {
			got = doc.Get(event.MustPath("registry.data.strings")).String()
		}
		if got != tt.strings {
			t.Errorf("%s: data.strings %s, want %s", tt.target, got, tt.strings)
		}
	}
}
