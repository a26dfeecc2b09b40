// Package jsoncompare compares Vigil's JSON decoding with Go JSON
// libraries on the synthetic telemetry of Vigil's end-to-end benchmark;
// see README.md.
package jsoncompare

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bytedance/sonic"
	"github.com/minio/simdjson-go"
	"github.com/valyala/fastjson"
	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// BenchmarkParsers runs each parser over the same 20,000 lines, one line
// per call.
func BenchmarkParsers(b *testing.B) {
	ls := benchgen.Lines(20000)
	var qs []*eql.Query
	for _, src := range benchgen.Rules {
		qs = append(qs, eql.MustCompile(src, eql.Options{}))
	}
	narrowed := eql.FieldSet(qs)
	var size int
	for _, l := range ls {
		size += len(l)
	}
	run := func(name string, f func(l []byte) bool) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size / len(ls)))
			i := 0
			for b.Loop() {
				if !f(ls[i]) {
					b.Fatal("failed")
				}
				if i++; i == len(ls) {
					i = 0
				}
			}
		})
	}
	run("vigil-scan", func(l []byte) bool { return event.Scan(l) == nil })
	full := event.Decoder{Reuse: true}
	run("vigil-decode-full", func(l []byte) bool { _, err := full.Decode(l); return err == nil })
	sel := event.Decoder{Reuse: true}
	sel.Select(narrowed)
	run("vigil-decode-rules", func(l []byte) bool { _, err := sel.Decode(l); return err == nil })
	run("encoding-json-valid", json.Valid)
	run("fastjson-validate", func(l []byte) bool { return fastjson.ValidateBytes(l) == nil })
	var p fastjson.Parser
	run("fastjson-parse", func(l []byte) bool { _, err := p.ParseBytes(l); return err == nil })
	run("sonic-valid", sonic.Valid)
	// Five of the rules' fields looked up on demand, without validating
	// what the lookups pass over.
	paths := [][]any{{"@timestamp"}, {"event", "category"}, {"host", "name"}, {"process", "name"}, {"process", "parent", "name"}}
	run("sonic-get-5-fields", func(l []byte) bool {
		for _, p := range paths {
			if _, err := sonic.Get(l, p...); err != nil && !strings.Contains(err.Error(), "not found") {
				return false
			}
		}
		return true
	})
	if simdjson.SupportedCPU() {
		var pj *simdjson.ParsedJson
		run("simdjson-go-parse", func(l []byte) bool {
			var err error
			pj, err = simdjson.Parse(l, pj)
			return err == nil
		})
	}
}
