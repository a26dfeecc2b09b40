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
	// layout writes the documents, in an array or not, indented or not,
	// with the malformed one before document badAt (none when negative),
	// and returns the text, each document's text and the malformed one's
	// first line.
	layout := func(array bool, indent string, badAt int) (text []byte, raws []string, badLine int) {
		var out bytes.Buffer
		sep := "\n"
		if array {
			out.WriteString("[\n")
			sep = ",\n"
		}
		for i, d := range docs {
			if i == badAt {
				badLine = bytes.Count(out.Bytes(), []byte("\n")) + 1
				out.WriteString(bad + sep)
			}
			raw, _ := json.Marshal(d)
			if indent != "" {
				raw, _ = json.MarshalIndent(d, "", indent)
			}
			raws = append(raws, string(raw))
			out.Write(raw)
			if i < len(docs)-1 {
				out.WriteString(sep)
			}
		}
		if array {
			out.WriteString("]")
		}
		return out.Bytes(), raws, badLine
	}
	layouts := map[string]func() ([]byte, []string, int){
		"pretty array":                  func() ([]byte, []string, int) { return layout(true, "  ", 700) },
		"documents one after the other": func() ([]byte, []string, int) { return layout(false, "\t", 300) },
		"compact array":                 func() ([]byte, []string, int) { return layout(true, "", -1) },
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
