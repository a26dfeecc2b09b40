package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/eql"
)

// Elastic detection rules in a folder run with vigil hunt --rules: the
// EQL ones with their metadata, the others counted, a broken one reported
// with its file and line.
func TestHuntElasticRules(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"windows/execution_cmd.toml": `[metadata]
maturity = "production"

[rule]
name = "Command shell started"
rule_id = "00000000-0000-0000-0000-000000000001"
severity = "high"
risk_score = 73
language = "eql"
type = "eql"
query = '''
process where event.type == "start" and process.name : "cmd.exe"
'''

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1059"
[[rule.threat.technique.subtechnique]]
id = "T1059.003"
[[rule.threat.technique]]
id = "T1106"
`,
		"windows/kql.toml": `[rule]
name = "A KQL rule"
rule_id = "00000000-0000-0000-0000-000000000002"
language = "kuery"
query = 'process.name: cmd.exe'
`,
		"linux/broken.toml": `[rule]
name = "A broken rule"
rule_id = "00000000-0000-0000-0000-000000000003"
language = "eql"
query = '''
process where
  process.name = "sh"
'''
`,
		"_deprecated/old.toml": `[metadata]
maturity = "deprecated"

[rule]
name = "An old rule"
rule_id = "00000000-0000-0000-0000-000000000004"
language = "eql"
query = 'process where true'
`,
		"notes.txt": "not a rule",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	events := `{"@timestamp":"2024-01-01T00:00:00Z","event":{"category":["process"],"type":["start"]},"host":{"name":"h1"},"process":{"name":"CMD.EXE"}}
{"@timestamp":"2024-01-01T00:00:01Z","event":{"category":["process"],"type":["start"]},"host":{"name":"h1"},"process":{"name":"sh"}}
`
	var out, errOut bytes.Buffer
	if code := run([]string{"hunt", "--rules", dir, "-o", "ndjson", "-"}, strings.NewReader(events), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var a struct {
		Rule struct {
			ID, Name, Severity string
			RiskScore          int `json:"risk_score"`
		} `json:"rule"`
		Threat struct {
			Technique struct{ ID []string } `json:"technique"`
		} `json:"threat"`
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d alerts, want 1:\n%s", len(lines), out.String())
	}
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if a.Rule.ID != "00000000-0000-0000-0000-000000000001" || a.Rule.Name != "Command shell started" || a.Rule.Severity != "high" || a.Rule.RiskScore != 73 ||
		strings.Join(a.Threat.Technique.ID, " ") != "T1059.003 T1106" {
		t.Errorf("alert %+v", a)
	}
	stderr := errOut.String()
	for _, want := range []string{
		"hunt: 1 Elastic EQL rules from " + dir + "; 1 rules of other languages and 1 deprecated ones left, 1 files that do not parse or compile skipped",
		filepath.Join(dir, "linux/broken.toml") + ":7:16: error: '=' is not an equality operator in EQL",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	// A folder with neither kind of rule is an error.
	empty := t.TempDir()
	errOut.Reset()
	if code := run([]string{"hunt", "--rules", empty, "-"}, strings.NewReader(events), &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "neither vault rules nor Elastic detection rules") {
		t.Errorf("empty rules folder: exit %d: %s", code, errOut.String())
	}
}

// The whole rules folder of Elastic's detection-rules repository, when the
// corpus is beside the checkout: every EQL rule loads and compiles.
func TestElasticRulesCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "elastic-detection-rules", "rules")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("rule corpus not found at %s; TestHuntElasticRules still tests the loader", root)
	}
	var problems bytes.Buffer
	rules, st, err := elasticRules(os.DirFS(root), root, eql.Options{}, &problems)
	if err != nil {
		t.Fatal(err)
	}
	// Every file that says it is EQL is one of the two.
	eqlFiles := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".toml" {
			return err
		}
		data, err := os.ReadFile(p)
		if bytes.Contains(data, []byte(`language = "eql"`)) {
			eqlFiles++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Broken != 0 || st.EQL != len(rules) || st.EQL+st.Deprecated != eqlFiles || st.Deprecated == 0 {
		t.Errorf("%+v, %d rules, %d EQL files:\n%s", st, len(rules), eqlFiles, problems.String())
	}
	t.Logf("%d EQL rules, %d of other languages, %d deprecated", st.EQL, st.OtherLanguage, st.Deprecated)
}
