package vault

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzParseNote parses arbitrary notes: nothing may panic, an unedited
// note renders to its input, positions stay inside the input, every kind
// of note decodes and checks, and an edited note renders to text that
// parses back to the same structure.
func FuzzParseNote(f *testing.F) {
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		f.Add(data)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"", "---", "---\n", "---\n---", "\xef\xbb\xbf---\r\na: 1\r\n---\r\n# x\r\n",
		"```", "~~~~\n~~~\n", "  ```eql\n   x\n", "# a #\n####### b\n", "---\na: &x [*x]\n---\n",
		"---\ntags: [atomic_test, T1559_001]\nsignals: [{where: {'A|re': '('}}]\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			return
		}
		n := ParseNote("n.md", src)
		if got := n.Render(); !bytes.Equal(got, src) {
			t.Fatalf("Render = %q, want the input %q", got, src)
		}
		lines := 1 + bytes.Count(src, []byte("\n"))
		for _, p := range n.Problems {
			if p.Line < 0 || p.Line > lines+1 || p.File != "n.md" {
				t.Errorf("problem %s outside the %d lines", p, lines)
			}
		}
		sections, blocks := 0, 0
		for s := range n.Sections() {
			sections++
			if s.Span.Start < 0 || s.Span.Start > s.Span.End || s.Span.End > len(src) || s.Line < 1 || s.Line > lines {
				t.Fatalf("section %q: span %v, line %d, in %d bytes, %d lines", s.Title, s.Span, s.Line, len(src), lines)
			}
		}
		for _, b := range n.CodeBlocks() {
			blocks++
			if b.Span.Start < 0 || b.Span.Start > b.Span.End || b.Span.End > len(src) || string(src[b.Span.Start:b.Span.End]) != b.raw {
				t.Fatalf("block span %v does not hold the block", b.Span)
			}
		}

		// Every decoder accepts every note, and a vault of it checks.
		p := &problems{file: n.Path}
		decodeTechnique(n, p)
		decodeRule(n, p)
		decodeAtomicTest(n, p)
		decodeBenign(n, p)
		v, err := Load(fstest.MapFS{"n.md": {Data: src}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(p.list, v.Check()...) {
			if strings.Contains(p.Msg, "internal error") {
				t.Errorf("%s", p)
			}
		}

		// Edit every title and block; the rendering reads back alike.
		for s := range n.Sections() {
			s.Title = "T"
		}
		var contents []string
		for _, b := range n.CodeBlocks() {
			b.Content = "x\n"
			if b.origContent == b.Content {
				b.Content = "y\n" // an edit, so the block is written anew
			}
			contents = append(contents, b.Content)
		}
		again := ParseNote("n.md", n.Render())
		sections2, blocks2 := 0, 0
		for s := range again.Sections() {
			sections2++
			if s.Title != "T" {
				t.Fatalf("edited title reads back as %q from %q", s.Title, n.Render())
			}
		}
		for i, b := range again.CodeBlocks() {
			blocks2++
			if i >= len(contents) || b.Content != contents[i] || !b.Closed {
				t.Fatalf("edited block reads back as %q from %q", b.Content, n.Render())
			}
		}
		if sections2 != sections || blocks2 != blocks {
			t.Fatalf("edited note has %d sections and %d blocks, was %d and %d:\n%q", sections2, blocks2, sections, blocks, n.Render())
		}
	})
}
