package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	seedPath   = "testdata/vault/Techniques/T1559.001 - Inter-Process Communication- Component Object Model.md"
	seedSHA256 = "9db6e5b1baa03f189910cc8bab1b4d747443a91d6f19f52f63ed2ac4c5a891cd" // shared/seeds/000_8be930fd5fa09dd6.txt
)

func TestSeedRoundTrip(t *testing.T) {
	src, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if got := hex.EncodeToString(sum[:]); got != seedSHA256 {
		t.Fatalf("the seed copy was changed: sha256 %s, want %s (see testdata/SOURCE.md)", got, seedSHA256)
	}
	n := ParseNote("seed.md", src)
	if len(n.Problems) > 0 {
		t.Errorf("problems: %v", n.Problems)
	}
	if got := n.Render(); !bytes.Equal(got, src) {
		t.Fatalf("Render differs from the seed:\n%s", firstDiff(got, src))
	}

	// The model is what the text says.
	if n.Kind() != KindTechnique {
		t.Errorf("kind %s, want technique", n.Kind())
	}
	if got, want := n.Tags(), []string{"T1559_001", "techniques", "Execution"}; !slices.Equal(got, want) {
		t.Errorf("tags %q, want %q", got, want)
	}
	if got := n.Front.Map["url"]; got != "https://attack.mitre.org/techniques/T1559/001" {
		t.Errorf("url %v", got)
	}
	if v := n.Front.Get("version"); v == nil || v.Value != "1.1" || v.Line != 4 {
		t.Errorf("version node %+v, want 1.1 on line 4", v)
	}
	type sec struct {
		level int
		title string
		line  int
	}
	var secs []sec
	for s := range n.Sections() {
		secs = append(secs, sec{s.Level, s.Title, s.Line})
	}
	wantSecs := []sec{
		{2, "Inter-Process Communication- Component Object Model", 11},
		{3, "Description", 13},
		{3, "Detection", 19},
		{3, "Defenses Bypassed", 25},
		{3, "Data Sources", 29},
		{3, "Detection Rule", 34},
		{3, "Rule Testing", 41},
	}
	if !slices.Equal(secs, wantSecs) {
		t.Errorf("sections\n%v, want\n%v", secs, wantSecs)
	}
	qs := n.Queries()
	if len(qs) != 2 || qs[0].String() != "tag:detection_rule tag:T1559_001" || qs[0].Line != 36 ||
		qs[1].String() != "tag:atomic_test tag:T1559_001" || qs[1].Line != 43 {
		t.Errorf("queries %v", qs)
	}
	if got := n.Section("data sources").Text(); got != "\n  - Module: Module Load\n  -  Process: Process Creation\n  -  Script: Script Execution\n" {
		t.Errorf("Data Sources text %q", got)
	}
	if got := n.Text("Defenses Bypassed"); got != "" {
		t.Errorf("Defenses Bypassed %q, want empty", got)
	}
}

// TestFixturesRoundTrip renders every note of the test data unchanged.
func TestFixturesRoundTrip(t *testing.T) {
	count := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		count++
		if got := ParseNote(p, src).Render(); !bytes.Equal(got, src) {
			t.Errorf("%s: Render differs:\n%s", p, firstDiff(got, src))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 10 {
		t.Fatalf("only %d notes in testdata", count)
	}
}

// firstDiff describes where two texts first differ.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-40)
	return fmt.Sprintf("at byte %d:\n got %q\nwant %q", i, got[lo:min(len(got), i+40)], want[lo:min(len(want), i+40)])
}

type wantSection struct {
	level int
	title string
	line  int
	parts int
}

type wantBlock struct {
	info, content string
	line          int
	closed        bool
}

type wantProblem struct {
	line int
	msg  string // substring
}

func TestParseNote(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		front    bool
		sections []wantSection
		blocks   []wantBlock
		problems []wantProblem
	}{
		{
			name:     "no front matter",
			src:      "# Title\n\nText.\n## Sub\nmore\n",
			sections: []wantSection{{1, "Title", 1, 1}, {2, "Sub", 4, 1}},
		},
		{
			name:     "front matter",
			src:      "---\na: 1\n---\n## T\n",
			front:    true,
			sections: []wantSection{{2, "T", 4, 0}},
		},
		{
			name:     "byte order mark and CRLF",
			src:      "\xef\xbb\xbf---\r\na: 1\r\n---\r\n## T\r\n```eql\r\nx\r\n```\r\n",
			front:    true,
			sections: []wantSection{{2, "T", 4, 1}},
			blocks:   []wantBlock{{"eql", "x\r\n", 5, true}},
		},
		{
			name:     "blanks after the delimiters",
			src:      "--- \na: 1\n---\t\nbody\n",
			front:    true,
			sections: nil,
		},
		{
			name:  "closing delimiter at the end without a newline",
			src:   "---\na: 1\n---",
			front: true,
		},
		{
			name:  "front matter not at the start is text",
			src:   "\n---\na: 1\n---\n",
			front: false,
		},
		{
			name:     "unclosed front matter",
			src:      "---\na: 1\n# H\n",
			sections: []wantSection{{1, "H", 3, 0}},
			problems: []wantProblem{{1, "never closed"}},
		},
		{
			name:     "front matter that is not a mapping",
			src:      "---\n- a\n- b\n---\n",
			front:    true,
			problems: []wantProblem{{2, "must be a mapping of keys to values, found a list"}},
		},
		{
			name:     "YAML syntax error at its line",
			src:      "---\na: 1\nb: [x\nc: 2\n---\n",
			front:    true,
			problems: []wantProblem{{3, "front matter: did not find expected ',' or ']'"}},
		},
		{
			name:     "YAML scanner error at its line",
			src:      "---\na: 1\nb: 2\nc 2\nd: 3\n---\n",
			front:    true,
			problems: []wantProblem{{4, "front matter: could not find expected ':'"}},
		},
		{
			// The parser reports the end of the YAML, where it gave up.
			name:     "YAML error found at the end",
			src:      "---\n[a\n---\n",
			front:    true,
			problems: []wantProblem{{3, "front matter: did not find expected ',' or ']'"}},
		},
		{
			name:     "duplicate key",
			src:      "---\na: 1\nb: 2\na: 3\n---\n",
			front:    true,
			problems: []wantProblem{{4, `mapping key "a" already defined at line 2`}},
		},
		{
			name:  "empty front matter",
			src:   "---\n---\ntext\n",
			front: true,
		},
		{
			name:     "headings inside a code block are code",
			src:      "## A\n```\n# not a heading\n```\n### B\n",
			sections: []wantSection{{2, "A", 1, 1}, {3, "B", 5, 0}},
			blocks:   []wantBlock{{"", "# not a heading\n", 2, true}},
		},
		{
			name:   "tilde fence, longer fences and inner backticks",
			src:    "~~~~ text extra\n```\n~~~\n~~~~~\n````eql\n```\n````\n",
			blocks: []wantBlock{{"text extra", "```\n~~~\n", 1, true}, {"eql", "```\n", 5, true}},
		},
		{
			name:     "unclosed code block runs to the end",
			src:      "## A\n```eql\nprocess where\n## B\n",
			sections: []wantSection{{2, "A", 1, 1}},
			blocks:   []wantBlock{{"eql", "process where\n## B\n", 2, false}},
			problems: []wantProblem{{2, "code block opened by ``` on line 2 is never closed"}},
		},
		{
			name:   "indented fence removes its indentation from the content",
			src:    "  ```eql\n    a\n  b\n c\n  ```\n",
			blocks: []wantBlock{{"eql", "  a\nb\nc\n", 1, true}},
		},
		{
			name:     "not headings: tags, four spaces, seven #s",
			src:      "#tag\n    # code\n####### seven\n#\tTab\n",
			sections: []wantSection{{1, "Tab", 4, 0}},
		},
		{
			name:     "closing #s and empty headings",
			src:      "## Title ##\n### # ###\n#\n## C#\n",
			sections: []wantSection{{2, "Title", 1, 0}, {3, "#", 2, 0}, {1, "", 3, 0}, {2, "C#", 4, 0}},
		},
		{
			name:     "a backtick fence's info may not hold a backtick",
			src:      "``` a`b\n## H\n",
			sections: []wantSection{{2, "H", 2, 0}},
		},
		{
			name:     "query problems are note problems",
			src:      "```query\ntag: a\npath:x\n```\n",
			blocks:   []wantBlock{{"query", "tag: a\npath:x\n", 1, true}},
			problems: []wantProblem{{3, `unsupported search term "path:x"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ParseNote("n.md", []byte(tt.src))
			if got := string(n.Render()); got != tt.src {
				t.Errorf("Render = %q, want the input", got)
			}
			if (n.Front != nil) != tt.front {
				t.Errorf("front matter %v, want %v", n.Front != nil, tt.front)
			}
			var secs []wantSection
			for s := range n.Sections() {
				secs = append(secs, wantSection{s.Level, s.Title, s.Line, len(s.Parts)})
			}
			if !slices.Equal(secs, tt.sections) {
				t.Errorf("sections %v, want %v", secs, tt.sections)
			}
			var blocks []wantBlock
			for _, b := range n.CodeBlocks() {
				blocks = append(blocks, wantBlock{b.Info, b.Content, b.Line, b.Closed})
				if got := tt.src[b.Span.Start:b.Span.End]; got != b.raw {
					t.Errorf("block span %v holds %q, not the block", b.Span, got)
				}
			}
			if !slices.Equal(blocks, tt.blocks) {
				t.Errorf("blocks %+v, want %+v", blocks, tt.blocks)
			}
			checkProblems(t, n.Problems, tt.problems)
		})
	}
}

// checkProblems checks that got holds exactly the wanted problems, in
// order.
func checkProblems(t *testing.T, got []Problem, want []wantProblem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(got), len(want), problemList(got))
		return
	}
	for i, w := range want {
		if got[i].Line != w.line || !strings.Contains(got[i].Msg, w.msg) {
			t.Errorf("problem %d = %s, want line %d and %q", i, got[i], w.line, w.msg)
		}
	}
}

func problemList(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}

func TestSectionSpans(t *testing.T) {
	src := "intro\n# A\na\n## B\nb\n# C\nc"
	n := ParseNote("n.md", []byte(src))
	want := map[string]string{
		"A": "# A\na\n## B\nb\n",
		"B": "## B\nb\n",
		"C": "# C\nc",
	}
	for s := range n.Sections() {
		if got := src[s.Span.Start:s.Span.End]; got != want[s.Title] {
			t.Errorf("section %s spans %q, want %q", s.Title, got, want[s.Title])
		}
	}
	if got := n.Root.Parts[0].Text; got != "intro\n" {
		t.Errorf("root text %q", got)
	}
}
