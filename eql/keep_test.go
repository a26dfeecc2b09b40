package eql

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/internal/benchgen"
)

// TestCopyDoc checks that the keeper's copies equal event.Value.Clone's.
func TestCopyDoc(t *testing.T) {
	docs := []string{
		`{}`,
		`{"a":[],"b":{},"c":null,"d":true,"e":false,"f":-12,"g":1.5e300,"h":"","i":"x\"y\u00e9"}`,
		`{"process.name":"cmd.exe","x":{"y.z":[1,"two",{"three":[null,3.25]}]}}`,
		`{"a":[[["deep"]]],"b":"` + strings.Repeat("long ", 200) + `"}`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20; i++ {
		docs = append(docs, string(benchgen.Doc(rng, i)))
	}
	var k keeper
	k.transient = true
	var d event.Decoder
	for _, src := range docs {
		v, err := d.Decode([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		ev := &event.Event{Doc: v, Raw: []byte(src), Src: event.Source{Name: "f", Index: 3}}
		k.next()
		got, c := k.hold(ev)
		want := ev.Clone()
		if !event.Equal(got.Doc, want.Doc) || !bytes.Equal(got.Raw, want.Raw) || got.Src != want.Src {
			t.Errorf("copy of %s:\n got %s\nwant %s", src, got.Doc, want.Doc)
		}
		k.release(c) // recycled for the next document
	}
}

// TestTransientRuleSet runs sequences, samples and buffering pipes over
// events decoded into one reused buffer, and compares what emit sees (and
// what tail hands out at the end) with a run over owned events.
func TestTransientRuleSet(t *testing.T) {
	srcs := append(append([]string{}, benchgen.Rules...),
		`sequence by host.name with maxspan=1m [process where process.name : "cmd.exe"] [file where true] | tail 3`,
		`sequence by host.name, process.name [process where true] [process where true] until [network where destination.port == 443]`,
		`sequence by host.name with maxspan=30s [process where true] ![file where true] [network where true]`,
		`sequence with maxspan=10ms [process where true] [network where true] ![file where true]`,
		`sample by host.name [process where true] [network where true]`,
		`process where process.name == "cmd.exe" | tail 2`,
	)
	var queries []*Query
	for _, s := range srcs {
		queries = append(queries, MustCompile(s, Options{MaxPartials: 50}))
	}
	const n = 3000
	data := benchgen.NDJSON(n)
	run := func(transient bool) []string {
		var out []string
		show := func(qi int, r *Result) string {
			var b []byte
			b = fmt.Appendf(b, "%d:", qi)
			for _, e := range r.Events {
				if e == nil {
					b = append(b, "-;"...)
					continue
				}
				b = append(e.AppendJSON(b), ';')
			}
			b = event.AppendJSON(b, event.Array(r.JoinKeys...))
			return string(b)
		}
		var tails []func() string
		eng := NewEngine(queries, func(qi int, r *Result) {
			out = append(out, show(qi, r))
			if strings.Contains(srcs[qi], "tail") {
				tails = append(tails, func() string { return "kept " + show(qi, r) })
			}
		})
		eng.SetTransient(transient)
		d := event.Decoder{Reuse: transient}
		buf := make([]byte, 0, 2048)
		ev := &event.Event{}
		rest := data
		for len(rest) > 0 {
			i := bytes.IndexByte(rest, '\n')
			line := rest[:i]
			rest = rest[i+1:]
			if transient {
				buf = append(buf[:0], line...) // the same buffer for every line
			} else {
				buf = append([]byte(nil), line...)
			}
			v, err := d.Decode(buf)
			if err != nil {
				t.Fatal(err)
			}
			if transient {
				*ev = event.Event{Doc: v, Raw: buf}
			} else {
				ev = &event.Event{Doc: v, Raw: buf}
			}
			eng.Push(ev)
		}
		eng.Close()
		for _, f := range tails {
			out = append(out, f())
		}
		return out
	}
	want, got := run(false), run(true)
	if len(want) < 100 {
		t.Fatalf("only %d results", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("transient: %d results, owned: %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("result %d:\ntransient %s\n    owned %s", i, got[i], want[i])
		}
	}
}
