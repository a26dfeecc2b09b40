package vault

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestCheckBroken checks that every problem planted in testdata/broken is
// reported at its file and line, and nothing else.
func TestCheckBroken(t *testing.T) {
	v := loadFixture(t, "testdata/broken")
	type want struct {
		file string
		line int
		msg  string
	}
	const (
		tech    = "Techniques/T1059.001 - PowerShell.md"
		badEQL  = "Rules/bad-eql.md"
		noQuery = "Rules/no-query.md"
		test    = "Tests/bad-test.md"
		benign  = "Benign/bad-benign.md"
	)
	wants := []want{
		{benign, 8, `silent: no rule has id "ghost-rule"`},
		{benign, 9, "silent_query finds no rule: tag:nothing_has_this"},
		{"Index.md", 3, "query finds no note: tag:nothing_here"},
		{"Index.md", 8, `unsupported search term "path:Rules"`},
		{"Index.md", 11, "link [[Missing Note]] names no file"},
		{"Index.md", 11, "link missing/file.md names no file"},
		{"Index.md", 14, "code block opened by ``` on line 14 is never closed"},
		{badEQL, 1, "front matter: missing confidence"},
		{badEQL, 4, "rule tag T1559_002 names technique T1559.002, which has no technique note"},
		{badEQL, 5, `severity must be one of low, medium, high, critical, found "urgent"`},
		{badEQL, 6, `unknown key "confidnce" (did you mean "confidence"?)`},
		{badEQL, 7, "risk_score must be from 0 to 100, found 150"},
		{badEQL, 8, `unknown ATT&CK tactic "Exfiltrate"`},
		{badEQL, 21, "eql: unexpected keyword 'and'"},
		{noQuery, 1, `missing the "Query" section`},
		{noQuery, 2, `duplicate rule id "broken-rule": Rules/bad-eql.md has it too`},
		{tech, 1, "id T1059.002 from the tag T1059_002 disagrees with T1059.001 from the url"},
		{tech, 5, `unknown ATT&CK tactic "Exekution"`},
		{test, 10, `unknown modifier "contians"`},
		{test, 14, "bad regular expression"},
		{test, 15, `event_id must be an integer, found "one"`},
		{test, 15, "give a channel or a provider"},
		{test, 17, "telemetry file telemetry/missing.ndjson does not exist"},
		{test, 19, `path "../outside.ndjson" must be a clean, slash-separated path`},
		{test, 21, "has sha256 7c852492415b8bef4b52e1e3aa86a61aca9ddb5e44413100f13cf02062a94b1e, not the 0000"},
		{test, 22, `kind must be one of authored, recorded, found "taped"`},
		{test, 24, `fire: no rule has id "no-such-rule"`},
		{test, 25, `rule "broken-rule" is in both fire and silent`},
		{test, 27, `rule "broken-rule" is in both fire and known_gaps`},
		{test, 27, "known gap: missing fix"},
		{test, 39, `code block of language "bash" in "Commands", but the executor is powershell`},
		{"bad-yaml.md", 3, "front matter: did not find expected ',' or ']'"},
		{"unclosed.md", 1, "front matter opened by --- on line 1 is never closed"},
	}
	got := v.Check()
	if len(got) != len(wants) {
		t.Errorf("%d problems, want %d:\n%s", len(got), len(wants), problemList(got))
	}
	for i := range min(len(got), len(wants)) {
		g, w := got[i], wants[i]
		if g.File != w.file || g.Line != w.line || !strings.Contains(g.Msg, w.msg) {
			t.Errorf("problem %d:\n got %s\nwant %s:%d: ...%s...", i, g, w.file, w.line, w.msg)
		}
	}
	for _, p := range got {
		if p.File == badEQL && p.Line == 21 {
			if p.Column != 33 || !strings.Contains(p.Context, "and and process.args") || !strings.Contains(p.Context, "^^^") {
				t.Errorf("EQL problem at column %d with context\n%s", p.Column, p.Context)
			}
			if p.String() != badEQL+":21:33: eql: unexpected keyword 'and' where a value or field was expected" {
				t.Errorf("String() = %q", p.String())
			}
		}
	}
}

func TestCheckRules(t *testing.T) {
	technique := "---\ntags: [T1559_001, techniques]\nurl: https://attack.mitre.org/techniques/T1559/001\n---\n## COM\n"
	rule := func(query, hunting string) string {
		return "---\nid: r\nname: R\ntags: [detection_rule, T1559_001]\nseverity: low\nconfidence: low\nrisk_score: 1\n---\n" +
			"## R\n### Description\nx\n### Query\n\n  ```eql\n" + query + "  ```\n### Hunting Queries\n```eql\n" + hunting + "```\n"
	}
	tests := []struct {
		name string
		note string
		want []string // problems, as String() gives them
	}{
		{"valid", rule("  process where true\n", "process where true | count\n"), nil},
		{"hunting pipes are errors in the rule's query",
			rule("  process where true\n  | count\n", "process where true\n"),
			[]string{"r.md:16:5: eql: "}},
		{"an indented fence's column counts the indentation",
			rule("  process where process.name ==\n", "process where true\n"),
			[]string{"r.md:15:32: eql: unexpected end of query"}},
		{"an empty hunting query",
			rule("  process where true\n", ""),
			[]string{"r.md:18: eql: empty ```eql block"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Load(fstest.MapFS{"t.md": {Data: []byte(technique)}, "r.md": {Data: []byte(tt.note)}})
			if err != nil {
				t.Fatal(err)
			}
			got := v.Check()
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %q", problemList(got), tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].String(), w) {
					t.Errorf("problem %s, want it to start with %s", got[i], w)
				}
			}
		})
	}
}
