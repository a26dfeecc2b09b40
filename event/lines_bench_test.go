package event_test

import (
	"testing"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// BenchmarkLines decodes the synthetic end-to-end telemetry line by line,
// in full, with the 10-rule field set and with that set narrowed by
// category (eql.FieldSet), with the string index and without it.
func BenchmarkLines(b *testing.B) {
	lines := benchgen.Lines(20000)
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	fields := event.NewFieldSet()
	var queries []*eql.Query
	for _, src := range benchgen.Rules {
		q, err := eql.Compile(src, eql.Options{})
		if err != nil {
			b.Fatal(err)
		}
		queries = append(queries, q)
		for _, f := range q.Needs() {
			fields.Add(f)
		}
	}
	narrowed := eql.FieldSet(queries)
	for _, index := range []bool{false, true} {
		name := "scan"
		if index {
			name = "indexed"
		}
		for _, sel := range []*event.FieldSet{nil, fields, narrowed} {
			sub := name + "/full"
			switch sel {
			case fields:
				sub = name + "/selective"
			case narrowed:
				sub = name + "/narrowed"
			}
			b.Run(sub, func(b *testing.B) {
				d := event.Decoder{Reuse: true}
				d.SetIndexing(index)
				d.Select(sel)
				b.SetBytes(int64(size / len(lines)))
				i := 0
				for b.Loop() {
					if _, err := d.Decode(lines[i]); err != nil {
						b.Fatal(err)
					}
					if i++; i == len(lines) {
						i = 0
					}
				}
			})
		}
	}
}

// BenchmarkScanLines is the tokenising ceiling over the same lines.
func BenchmarkScanLines(b *testing.B) {
	lines := benchgen.Lines(20000)
	for _, index := range []bool{false, true} {
		name := "plain"
		if index {
			name = "indexed"
		}
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if err := event.ScanIndexed(lines[i], index); err != nil {
					b.Fatal(err)
				}
				if i++; i == len(lines) {
					i = 0
				}
			}
		})
	}
}
