package conformance

import (
	"testing"
)

func TestElasticsearchSpecs(t *testing.T) {
	suites, err := LoadElasticsearch("testdata/elasticsearch-eql-qa", "testdata/endgameinc-eql")
	if err != nil {
		t.Fatal(err)
	}
	pass, total := 0, 0
	for _, s := range suites {
		for _, o := range Run(s) {
			total++
			if o.Pass {
				pass++
				continue
			}
			t.Log(o.Describe())
		}
	}
	t.Logf("%d/%d pass", pass, total)
}

func TestEndgameScratch(t *testing.T) {
	s, err := LoadEndgame("testdata/endgameinc-eql")
	if err != nil {
		t.Fatal(err)
	}
	pass, rej, fail := 0, 0, 0
	for _, o := range Run(s) {
		switch {
		case o.Pass:
			pass++
		case o.Rejected:
			rej++
			t.Log("REJ " + o.Describe())
		default:
			fail++
			t.Log(o.Describe())
		}
	}
	t.Logf("pass %d rejected %d fail %d", pass, rej, fail)
}
