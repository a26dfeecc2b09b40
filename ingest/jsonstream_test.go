package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// TestJSONStreamSplit reads documents that are not one per line (a
// pretty-printed array, documents one after the other, a compact array)
// and checks that each comes out whole, with its own text and number, in
// documents whose strings hold brackets, quotes, backslash runs and runs
// long enough to cross the reader's buffer; a malformed document in the
// middle is reported at its first line and the reading goes on.
func TestJSONStreamSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{`a`, `{`, `}`, `[`, `]`, `"`, `\`, `\\`, `\"`, `,`, `: `, `é`, "\t", `x y`}
	var docs []map[string]any
	for i := range 1500 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if i%97 == 0 {
			b.WriteString(strings.Repeat(`long \" run `, 900)) // over 10 KB
		}
		docs = append(docs, map[string]any{
			"@timestamp": fmt.Sprintf("2024-01-01T00:00:%02d.%03dZ", i/1000%60, i%1000),
			"event":      map[string]any{"code": fmt.Sprint(i), "tags": []any{"t", i, []any{b.String()}}},
			"s":          b.String(),
		})
	}
	const bad = "{\n  \"@timestamp\": \"2024-01-01T00:00:00Z\",\n  \"oops\": tru\n}"
	layouts := map[string]func() (text []byte, raws []string, badLine int){
		"pretty array": func() ([]byte, []string, int) {
			var out bytes.Buffer
			var raws []string
			badLine := 0
			out.WriteString("[\n")
			for i, d := range docs {
				if i == 700 {
					badLine = bytes.Count(out.Bytes(), []byte("\n")) + 1
					out.WriteString(bad + ",\n")
				}
				raw, _ := json.MarshalIndent(d, "", "  ")
				raws = append(raws, string(raw))
				out.Write(raw)
				if i < len(docs)-1 {
					out.WriteString(",")
				}
				out.WriteString("\n")
			}
			out.WriteString("]\n")
			return out.Bytes(), raws, badLine
		},
		"documents one after the other": func() ([]byte, []string, int) {
			var out bytes.Buffer
			var raws []string
			badLine := 0
			for i, d := range docs {
				if i == 300 {
					badLine = bytes.Count(out.Bytes(), []byte("\n")) + 1
					out.WriteString(bad + "\n")
				}
				raw, _ := json.MarshalIndent(d, "", "\t")
				raws = append(raws, string(raw))
				out.Write(raw)
				out.WriteString("\n")
			}
			return out.Bytes(), raws, badLine
		},
		"compact array": func() ([]byte, []string, int) {
			var out bytes.Buffer
			var raws []string
			out.WriteString("[")
			for i, d := range docs {
				raw, _ := json.Marshal(d)
				raws = append(raws, string(raw))
				if i > 0 {
					out.WriteString(", ")
				}
				out.Write(raw)
			}
			out.WriteString("]")
			return out.Bytes(), raws, 0
		},
	}
	for name, layout := range layouts {
		t.Run(name, func(t *testing.T) {
			text, raws, badLine := layout()
			for _, sel := range []*event.FieldSet{nil, event.NewFieldSet("event.code")} {
				evs, st := readAll(t, []string{"-"}, Options{Stdin: bytes.NewReader(text), Select: sel})
				if len(evs) != len(raws) {
					t.Fatalf("%d events, want %d; problems %v", len(evs), len(raws), st.Problems)
				}
				for i, ev := range evs {
					if string(ev.Raw) != raws[i] {
						t.Fatalf("event %d: raw text differs:\n%.200s\nwant\n%.200s", i, ev.Raw, raws[i])
					}
					if got := ev.Doc.GetString("event.code"); got != fmt.Sprint(i) {
						t.Fatalf("event %d: event.code %q", i, got)
					}
				}
				if badLine == 0 {
					if st.Skipped != 0 {
						t.Errorf("problems %v", st.Problems)
					}
					continue
				}
				if st.Skipped != 1 || st.Problems[0].Line != badLine || !strings.Contains(st.Problems[0].Msg, "malformed JSON") {
					t.Errorf("problems %v, want one malformed document at line %d", st.Problems, badLine)
				}
			}
		})
	}
}

// TestJSONStreamEnds checks the messages for input that ends inside a
// document or a string.
func TestJSONStreamEnds(t *testing.T) {
	for _, tt := range []struct{ text, msg string }{
		{"[{\"a\": {\"b\": 1}", "unexpected end of input inside a JSON document"},
		{"{\n\"a\": \"b\\\"", "unexpected end of input inside a JSON string"},
	} {
		evs, st := readAll(t, []string{"-"}, Options{Stdin: strings.NewReader(tt.text)})
		if len(evs) != 0 || st.Skipped != 1 || !strings.Contains(st.Problems[0].Msg, tt.msg) {
			t.Errorf("%q: %d events, problems %v; want %q", tt.text, len(evs), st.Problems, tt.msg)
		}
	}
}
