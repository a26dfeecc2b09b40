package vault

import (
	"strings"
	"testing"
)

const editSrc = "---\n" +
	"# who wrote it\n" +
	"id: r1\n" +
	"tags: [detection_rule, T1559_001]\n" +
	"created: 2026-01-02\n" +
	"risk_score: 5 # low\n" +
	"---\n" +
	"\n" +
	"## Name\n" +
	"\n" +
	"### Query\n" +
	"\n" +
	"```eql\n" +
	"process where true\n" +
	"```\n" +
	"\n" +
	"### Notes\n" +
	"last line without newline"

func TestRenderEdits(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, n *Note)
		want string // the rendering; "" for an error test
	}{
		{
			name: "set existing keys keeps order, comments and date style",
			edit: func(t *testing.T, n *Note) {
				must(t, n.Front.Set("created", "2026-02-03"))
				must(t, n.Front.Set("risk_score", 9))
			},
			want: strings.Replace(strings.Replace(editSrc,
				"created: 2026-01-02", "created: 2026-02-03", 1),
				"risk_score: 5 # low", "risk_score: 9 # low", 1),
		},
		{
			name: "a string that is not a date is quoted",
			edit: func(t *testing.T, n *Note) { must(t, n.Front.Set("created", "2026-02-03 or so")) },
			want: strings.Replace(editSrc, "created: 2026-01-02", "created: 2026-02-03 or so", 1),
		},
		{
			name: "new key at the end, lists in block style",
			edit: func(t *testing.T, n *Note) { must(t, n.Front.Set("indexes", []string{"logs-*", "winlog-*"})) },
			want: strings.Replace(editSrc, "risk_score: 5 # low\n", "risk_score: 5 # low\nindexes:\n  - logs-*\n  - winlog-*\n", 1),
		},
		{
			name: "delete a key",
			edit: func(t *testing.T, n *Note) {
				if !n.Front.Delete("created") {
					t.Error("Delete found no key")
				}
			},
			want: strings.Replace(editSrc, "created: 2026-01-02\n", "", 1),
		},
		{
			name: "edit the node directly",
			edit: func(t *testing.T, n *Note) { n.Front.Get("id").Value = "r2" },
			want: strings.Replace(editSrc, "id: r1", "id: r2", 1),
		},
		{
			name: "retitle and relevel a section",
			edit: func(t *testing.T, n *Note) {
				s := n.Section("query")
				s.Title = "The  Query"
				s.Level = 4
			},
			want: strings.Replace(editSrc, "### Query\n", "#### The Query\n", 1),
		},
		{
			name: "change a code block",
			edit: func(t *testing.T, n *Note) {
				n.CodeBlocks()[0].Content = "process where\n  process.name == \"x\""
			},
			want: strings.Replace(editSrc, "process where true\n", "process where\n  process.name == \"x\"\n", 1),
		},
		{
			name: "a block holding a fence gets a longer one",
			edit: func(t *testing.T, n *Note) {
				b := n.CodeBlocks()[0]
				b.Info = "markdown"
				b.Content = "```eql\nx\n```\n"
			},
			want: strings.Replace(editSrc, "```eql\nprocess where true\n```\n", "````markdown\n```eql\nx\n```\n````\n", 1),
		},
		{
			name: "replace a section's text",
			edit: func(t *testing.T, n *Note) {
				must(t, n.Section("Query").SetText("\n```eql\nany where true\n```\n\n"))
			},
			want: strings.Replace(editSrc, "process where true", "any where true", 1),
		},
		{
			name: "add a section after a last line without newline",
			edit: func(t *testing.T, n *Note) {
				_, err := n.Section("Name").AddSection(3, "Response Playbook", "\n1. Isolate the host.\n")
				must(t, err)
			},
			want: editSrc + "\n### Response Playbook\n\n1. Isolate the host.\n",
		},
		{
			name: "text may not hold a heading",
			edit: func(t *testing.T, n *Note) {
				if err := n.Section("Notes").SetText("a\n## B\n"); err == nil || !strings.Contains(err.Error(), "heading on line 2") {
					t.Errorf("SetText error %v, want one about the heading on line 2", err)
				}
				if _, err := n.Section("Notes").AddSection(3, "Same level", ""); err == nil {
					t.Error("AddSection accepted a level 3 section under a level 3 one")
				}
			},
			want: editSrc,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ParseNote("r.md", []byte(editSrc))
			if len(n.Problems) > 0 {
				t.Fatal(n.Problems)
			}
			tt.edit(t, n)
			got := string(n.Render())
			if got != tt.want {
				t.Errorf("Render:\n%s\nwant:\n%s", got, tt.want)
			}
			// The rendering parses back without problems.
			if again := ParseNote("r.md", []byte(got)); len(again.Problems) > 0 {
				t.Errorf("rendering does not parse: %v", again.Problems)
			}
		})
	}
}

func TestNewNote(t *testing.T) {
	n := NewNote("Rules/new.md")
	must(t, n.Front.Set("id", "new-rule"))
	must(t, n.Front.Set("tags", []string{"detection_rule", "T1559_001"}))
	title, err := n.Root.AddSection(2, "A new rule", "\n")
	must(t, err)
	_, err = title.AddSection(3, "Query", "\n```eql\nprocess where true\n```\n")
	must(t, err)
	want := "---\nid: new-rule\ntags:\n  - detection_rule\n  - T1559_001\n---\n## A new rule\n\n### Query\n\n```eql\nprocess where true\n```\n"
	if got := string(n.Render()); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	again := ParseNote(n.Path, n.Render())
	if again.Kind() != KindRule || again.Section("Query") == nil || len(again.Problems) > 0 {
		t.Errorf("rendered note reads back as kind %s, problems %v", again.Kind(), again.Problems)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
