package vault

import (
	"os"
	"strings"
	"testing"
)

// TestFormatExamples checks that the example notes of FORMAT.md are valid
// notes of their kind, so the specification and the code agree.
func TestFormatExamples(t *testing.T) {
	src, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := ParseNote("FORMAT.md", src)
	if len(doc.Problems) > 0 {
		t.Fatalf("FORMAT.md: %v", doc.Problems)
	}
	kinds := map[Kind]int{}
	for _, b := range doc.CodeBlocks() {
		if !strings.HasPrefix(b.Content, "---\n") {
			continue
		}
		n := ParseNote("example.md", []byte(b.Content))
		p := &problems{file: "example.md"}
		switch n.Kind() {
		case KindTechnique:
			decodeTechnique(n, p)
		case KindRule:
			decodeRule(n, p)
		case KindTest:
			decodeAtomicTest(n, p)
		case KindBenign:
			decodeBenign(n, p)
		}
		kinds[n.Kind()]++
		for _, pr := range append(n.Problems, p.list...) {
			t.Errorf("FORMAT.md example on line %d: %s", b.Line, pr)
		}
	}
	for _, k := range []Kind{KindTechnique, KindRule, KindTest, KindBenign} {
		if kinds[k] != 1 {
			t.Errorf("FORMAT.md has %d complete %s examples, want 1", kinds[k], k)
		}
	}
}
