package conformance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
)

// An Engine running all the Elasticsearch specs of a data set at once
// gives each query the results a separate run gives it.
func TestEngineMatchesSeparateRuns(t *testing.T) {
	suites, err := LoadElasticsearch("testdata/elasticsearch-eql-qa", "testdata/endgameinc-eql")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range suites {
		idPath := event.MustPath(s.idField)
		show := func(r *eql.Result) string {
			var ids []int64
			for _, e := range r.Events {
				id := int64(-1)
				if e != nil {
					id, _ = e.Doc.Get(idPath).Int()
				}
				ids = append(ids, id)
			}
			return fmt.Sprint(ids, r.JoinKeys)
		}
		var queries []*eql.Query
		var want [][]string
		for _, spec := range s.Specs {
			q, err := eql.Compile(spec.Query, s.Options)
			if err != nil {
				continue
			}
			var got []string
			run := q.NewRun(func(r *eql.Result) { got = append(got, show(r)) })
			for _, e := range s.Events {
				run.Push(e)
			}
			run.Close()
			queries = append(queries, q)
			want = append(want, got)
		}
		got := make([][]string, len(queries))
		eng := eql.NewEngine(queries, func(qi int, r *eql.Result) { got[qi] = append(got[qi], show(r)) })
		for _, e := range s.Events {
			eng.Push(e)
		}
		eng.Close()
		for i, q := range queries {
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("%s: %s\nengine   %v\nseparate %v", s.Name, q.Source(), got[i], want[i])
			}
		}
		t.Logf("%s: %d queries", s.Name, len(queries))
	}
}
