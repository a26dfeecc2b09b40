package conformance

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// knownFailures reads the checked-in list of Elasticsearch specs that are
// allowed to fail: "name: reason" lines, # comments.
func knownFailures(t *testing.T) map[string]string {
	f, err := os.Open("testdata/known_failures.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("known_failures.txt: %q has no reason", line)
		}
		out[strings.TrimSpace(name)] = strings.TrimSpace(reason)
	}
	return out
}

// At least 98% of Elasticsearch's EQL QA specs pass, and every spec that
// does not is listed with its reason.
func TestElasticsearchSpecs(t *testing.T) {
	suites, err := LoadElasticsearch("testdata/elasticsearch-eql-qa", "testdata/endgameinc-eql")
	if err != nil {
		t.Fatal(err)
	}
	known := knownFailures(t)
	pass, total := 0, 0
	for _, s := range suites {
		for _, o := range Run(s) {
			total++
			name := s.Name + "/" + o.Spec.Name
			switch _, listed := known[name]; {
			case o.Pass && listed:
				t.Errorf("%s passes but is listed in known_failures.txt; remove it", name)
			case o.Pass:
			case listed:
				t.Logf("known failure %s: %s", name, known[name])
			default:
				t.Errorf("%s", o.Describe())
			}
			if o.Pass {
				pass++
			}
		}
	}
	if total != 264 {
		t.Errorf("%d specs loaded, want 264", total)
	}
	if pass*100 < total*98 {
		t.Errorf("%d/%d specs pass, below 98%%", pass, total)
	}
	t.Logf("%d/%d Elasticsearch EQL specs pass", pass, total)
}

// The original EQL suite: every query that is valid Elasticsearch EQL (or
// uses only the hunting pipes) gives the expected events, and every other
// is rejected with a located error.
func TestEndgameSuite(t *testing.T) {
	s, err := LoadEndgame("testdata/endgameinc-eql")
	if err != nil {
		t.Fatal(err)
	}
	r := Classify(Run(s))
	for _, o := range r.Failed {
		t.Errorf("%s", o.Describe())
	}
	for _, o := range r.Rejected {
		msg := o.Err.Error()
		if !strings.Contains(msg, ":") || strings.HasPrefix(msg, "0:") {
			t.Errorf("%s: rejection without a position: %s", o.Spec.Name, msg)
		}
	}
	// Pin the split so that a change in what is accepted is noticed.
	if r.Total != 241 || len(r.Passed) != 117 || len(r.Rejected) != 124 {
		t.Errorf("endgame suite: %d queries, %d pass, %d fail, %d rejected; want 241, 117, 0, 124",
			r.Total, len(r.Passed), len(r.Failed), len(r.Rejected))
	}
	t.Logf("endgame: %d pass, %d rejected as Elasticsearch rejects them", len(r.Passed), len(r.Rejected))
}
