package vault

import (
	"slices"
	"testing"
)

func TestTechniqueID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"T1559.001", "T1559.001", true},
		{"T1559_001", "T1559.001", true},
		{"t1559.001", "T1559.001", true},
		{"#t1559_001", "T1559.001", true},
		{" T1559 ", "T1559", true},
		{"T1559.01", "", false},
		{"T155", "", false},
		{"T1559-001", "", false},
		{"X1559.001", "", false},
		{"T1559.001a", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := TechniqueID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("TechniqueID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeTag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"T1559_001", "t1559_001"},
		{"#t1559.001", "t1559_001"},
		{"Detection_Rule", "detection_rule"},
		{"car.2013-05-004", "car.2013-05-004"}, // only technique ids fold . into _
		{"_Privilege_Escalation", "_privilege_escalation"},
	}
	for _, tt := range tests {
		if got := NormalizeTag(tt.in); got != tt.want {
			t.Errorf("NormalizeTag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		terms    []QueryTerm
		problems []wantProblem
	}{
		{"seed form", "tag: detection_rule\ntag: T1559_001\n",
			[]QueryTerm{{"detection_rule", false, 10}, {"T1559_001", false, 11}}, nil},
		{"no space, #, one line", "tag:#atomic_test TAG:t1559.001",
			[]QueryTerm{{"atomic_test", false, 10}, {"t1559.001", false, 10}}, nil},
		{"negation and quotes", "tag:detection_rule -tag:\"deprecated\"",
			[]QueryTerm{{"detection_rule", false, 10}, {"deprecated", true, 10}}, nil},
		{"blank lines", "\n\n  tag: a  \n\n",
			[]QueryTerm{{"a", false, 12}}, nil},
		{"other operators", "tag:a OR path:Rules\n",
			[]QueryTerm{{"a", false, 10}},
			[]wantProblem{{10, `unsupported search term "OR"`}, {10, `unsupported search term "path:Rules"`}}},
		{"tag: at the end of a line", "tag:a\ntag:\ntag: b",
			[]QueryTerm{{"a", false, 10}, {"b", false, 12}},
			[]wantProblem{{11, `"tag:" without a tag`}}},
		{"malformed", "tag: #\ntag:a#b",
			nil,
			[]wantProblem{{10, `malformed tag in query term "tag: #"`}, {11, `malformed tag in query term "tag:a#b"`}}},
		{"only negations", "-tag:a",
			[]QueryTerm{{"a", true, 10}},
			[]wantProblem{{10, "no tag: term to search for"}}},
		{"empty", "", nil, []wantProblem{{10, "no tag: term to search for"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, probs := ParseQuery(tt.src, 10)
			if !slices.Equal(q.Terms, tt.terms) {
				t.Errorf("terms %+v, want %+v", q.Terms, tt.terms)
			}
			checkProblems(t, probs, tt.problems)
		})
	}
}

func TestQueryMatches(t *testing.T) {
	q, _ := ParseQuery("tag: detection_rule\ntag: T1559_001\n-tag:deprecated", 1)
	tests := []struct {
		tags []string
		want bool
	}{
		{[]string{"detection_rule", "t1559_001"}, true},
		{[]string{"#Detection_Rule", "T1559.001", "execution"}, true},
		{[]string{"detection_rule"}, false},
		{[]string{"detection_rule", "T1559_001", "Deprecated"}, false},
		{[]string{"detection_rule", "T1559"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := q.Matches(tt.tags); got != tt.want {
			t.Errorf("%s matches %q = %v, want %v", q, tt.tags, got, tt.want)
		}
	}
	if (QueryBlock{}).Matches([]string{"a"}) {
		t.Error("an empty query matches a note")
	}
}

func TestNoteTags(t *testing.T) {
	tests := []struct {
		front string
		want  []string
		kind  Kind
	}{
		{"tags: [T1548, techniques, Defense_Evasion,_Privilege_Escalation]",
			[]string{"T1548", "techniques", "Defense_Evasion", "_Privilege_Escalation"}, KindTechnique},
		{"tags: detection_rule, t1559_001", []string{"detection_rule", "t1559_001"}, KindRule},
		{"tags:\n  - '#atomic_test'\n  - T1559.001", []string{"atomic_test", "T1559.001"}, KindTest},
		{"tag: benign", []string{"benign"}, KindBenign},
		{"title: x", nil, KindNote},
		{"tags: [Benign, detection_rule]", []string{"Benign", "detection_rule"}, KindBenign},
	}
	for _, tt := range tests {
		n := ParseNote("n.md", []byte("---\n"+tt.front+"\n---\n"))
		if got := n.Tags(); !slices.Equal(got, tt.want) {
			t.Errorf("%q: tags %q, want %q", tt.front, got, tt.want)
		}
		if got := n.Kind(); got != tt.kind {
			t.Errorf("%q: kind %s, want %s", tt.front, got, tt.kind)
		}
	}
}
