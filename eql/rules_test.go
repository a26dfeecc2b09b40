package eql

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

type ruleQuery struct {
	Path   string `json:"path"`
	RuleID string `json:"rule_id"`
	Name   string `json:"name"`
	Query  string `json:"query"`
}

func loadRuleQueries(t testing.TB) []ruleQuery {
	f, err := os.Open("testdata/elastic-rules/queries.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []ruleQuery
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r ruleQuery
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every EQL rule of Elastic's detection-rules repository must parse and
// compile.
func TestElasticRulesCompile(t *testing.T) {
	rules := loadRuleQueries(t)
	if len(rules) != 1081 {
		t.Fatalf("%d rule queries in testdata, want 1081", len(rules))
	}
	failed := 0
	for _, r := range rules {
		if _, err := Compile(r.Query, Options{}); err != nil {
			failed++
			msg := err.Error()
			if el, ok := err.(ErrorList); ok {
				msg = el.Format(r.Path)
			}
			t.Errorf("%s (%s):\n%s", r.Path, r.Name, msg)
		}
	}
	t.Logf("%d of %d Elastic EQL rules compile", len(rules)-failed, len(rules))
}

// The extract in testdata must match the rule corpus, when the corpus is
// beside the checkout.
func TestElasticRulesExtractIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpus", "elastic-detection-rules")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("rule corpus not found at %s; the extract in testdata is still tested", root)
	}
	want := map[string]string{}
	for _, r := range loadRuleQueries(t) {
		want[r.Path] = r.Query
	}
	found := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc struct {
			Rule struct {
				Language string `toml:"language"`
				Query    string `toml:"query"`
			} `toml:"rule"`
		}
		if err := toml.Unmarshal(data, &doc); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if doc.Rule.Language != "eql" {
			return nil
		}
		found++
		rel, _ := filepath.Rel(root, path)
		if q, ok := want[filepath.ToSlash(rel)]; !ok || q != doc.Rule.Query {
			t.Errorf("%s: missing or different in testdata/elastic-rules/queries.jsonl", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != len(want) {
		t.Errorf("corpus has %d EQL rules, extract %d", found, len(want))
	}
}
