package benchgen_test

import (
	"bytes"
	"testing"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

func TestQueriesCompileAndMatch(t *testing.T) {
	evs := benchgen.Events(20000)
	all := append([]string{}, benchgen.Rules...)
	for _, q := range benchgen.Queries {
		all = append(all, q.EQL)
	}
	for _, src := range all {
		q, err := eql.Compile(src, eql.Options{})
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		_ = q
	}
	if len(benchgen.Rules) != 10 {
		t.Errorf("%d rules, want 10", len(benchgen.Rules))
	}
	// The synthetic data must exercise the sequences.
	for _, q := range benchgen.Queries[1:] {
		n := 0
		r := eql.MustCompile(q.EQL, eql.Options{}).NewRun(func(*eql.Result) { n++ })
		for _, e := range evs {
			r.Push(e)
		}
		r.Close()
		if n == 0 {
			t.Errorf("%s: no results on the synthetic data", q.Name)
		}
	}
}

func TestNDJSON(t *testing.T) {
	data := benchgen.NDJSON(100)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != 100 {
		t.Fatalf("%d lines", len(lines))
	}
	var d event.Decoder
	for _, l := range lines {
		if _, err := d.Decode(l); err != nil {
			t.Fatal(err)
		}
	}
}
