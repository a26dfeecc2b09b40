package vault

import (
	"iter"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Note is one markdown file of the vault: optional YAML front matter and
// a body of sections. Raw holds the bytes the note was parsed from; the
// other fields are the parsed model, which may be edited and rendered back
// with [Note.Render].
type Note struct {
	Path     string       // slash-separated path in the vault, e.g. "Rules/com-script-host.md"
	Raw      []byte       // the text as read; edits do not change it
	Front    *FrontMatter // nil when the note has no front matter
	Root     *Section     // level 0: the text before the first heading, and the top-level sections
	Problems []Problem    // what was wrong with the text, by line
}

// A Section is a heading and the text under it, up to the next heading of
// the same or a higher level. The text before the first heading of a note
// is the root section, of level 0 and without a title.
type Section struct {
	Level    int        // 1–6 for "#" to "######"; 0 for the root
	Title    string     // heading text, without the #s
	Line     int        // line of the heading (of the first body line for the root); 0 if added by an edit
	Span     Span       // bytes of the heading, its body and its subsections in Note.Raw
	Parts    []Part     // body up to the first subsection: text and fenced code blocks
	Children []*Section // subsections, in order

	heading   string // the heading line as read, with its line ending
	origLevel int
	origTitle string
}

// A Part is a run of a section's body: markdown text, or a fenced code
// block when Code is not nil.
type Part struct {
	Text string     // raw markdown, line endings included (when Code is nil)
	Code *CodeBlock // a fenced code block
	Line int        // first line of the part; 0 if added by an edit
}

// A CodeBlock is a fenced code block (``` or ~~~).
type CodeBlock struct {
	Info    string // the info string after the opening fence, trimmed: "eql", "query", "powershell"
	Content string // the lines between the fences, line endings included, fence indentation removed
	Line    int    // line of the opening fence; 0 if added by an edit
	Span    Span   // bytes of the block, fences included, in Note.Raw
	Closed  bool   // whether a closing fence was found (an unclosed block runs to the end of the note)

	raw         string // the block as read
	fence       string // the opening fence characters, e.g. "```"
	indent      int    // spaces before the opening fence
	origInfo    string
	origContent string
}

// Lang returns the first word of the info string in lower case: the
// language of the block ("eql", "query", "powershell").
func (b *CodeBlock) Lang() string {
	f := strings.Fields(b.Info)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(f[0])
}

// ContentLine returns the line of the note holding the first line of the
// block's content, or 0 if the block was added by an edit.
func (b *CodeBlock) ContentLine() int {
	if b.Line == 0 {
		return 0
	}
	return b.Line + 1
}

// A FrontMatter is the YAML block between "---" lines at the start of a
// note. Line numbers in Node and its descendants are lines of the note.
type FrontMatter struct {
	Node *yaml.Node     // the mapping of keys to values; nil when the YAML does not parse
	Map  map[string]any // Node decoded when parsed; [FrontMatter.Set] keeps it current, edits to Node do not
	Line int            // line of the opening "---" (1); 0 for new front matter
	Span Span           // bytes of the front matter, delimiters included, in Note.Raw

	raw  string     // the front matter as read, delimiters included
	doc  *yaml.Node // the document node holding Node
	orig *yaml.Node // a copy of doc as parsed, to tell whether it was edited
}

// Kind is the kind of a note, given by its tags.
type Kind string

// The kinds of note.
const (
	KindNote      Kind = "note"      // a plain note
	KindTechnique Kind = "technique" // tag "techniques"
	KindRule      Kind = "rule"      // tag "detection_rule"
	KindTest      Kind = "test"      // tag "atomic_test"
	KindBenign    Kind = "benign"    // tag "benign"
)

// kindTags maps the normalised tags that give a note its kind.
var kindTags = map[string]Kind{
	"techniques":     KindTechnique,
	"technique":      KindTechnique,
	"detection_rule": KindRule,
	"atomic_test":    KindTest,
	"benign":         KindBenign,
}

// Tags returns the tags of the note's front matter as written, without a
// leading #. The tags key may hold a list or a string of tags separated by
// commas or spaces; "tag" is accepted as a synonym, as in Obsidian.
func (n *Note) Tags() []string {
	if n.Front == nil || n.Front.Node == nil {
		return nil
	}
	var tags []string
	for _, key := range []string{"tags", "tag"} {
		v := n.Front.Get(key)
		if v == nil {
			continue
		}
		switch v.Kind {
		case yaml.ScalarNode:
			tags = appendTagList(tags, v.Value)
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind == yaml.ScalarNode {
					tags = appendTagList(tags, item.Value)
				}
			}
		}
	}
	return tags
}

// appendTagList appends the tags in s, separated by commas or white space.
func appendTagList(tags []string, s string) []string {
	for _, t := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		t = strings.TrimPrefix(t, "#")
		if t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// HasTag reports whether the note has the tag, compared as [NormalizeTag]
// does.
func (n *Note) HasTag(tag string) bool {
	want := NormalizeTag(tag)
	for _, t := range n.Tags() {
		if NormalizeTag(t) == want {
			return true
		}
	}
	return false
}

// Kind returns the kind of the note, given by the first kind tag in its
// front matter (techniques, detection_rule, atomic_test, benign), or
// KindNote when it has none.
func (n *Note) Kind() Kind {
	k, _ := n.kind()
	return k
}

// kind returns the kind of the note and every kind tag it has.
func (n *Note) kind() (Kind, []string) {
	kind, found := KindNote, []string(nil)
	for _, t := range n.Tags() {
		if k, ok := kindTags[NormalizeTag(t)]; ok {
			if kind == KindNote {
				kind = k
			}
			found = append(found, t)
		}
	}
	return kind, found
}

// Title returns the text of the note's first heading when it is of level 1
// or 2, and "" otherwise.
func (n *Note) Title() string {
	for s := range n.Sections() {
		if s.Level <= 2 {
			return s.Title
		}
		break
	}
	return ""
}

// Sections returns the note's sections in document order, without the
// root.
func (n *Note) Sections() iter.Seq[*Section] {
	return func(yield func(*Section) bool) {
		if n.Root != nil {
			for _, c := range n.Root.Children {
				if !c.walk(yield) {
					return
				}
			}
		}
	}
}

func (s *Section) walk(yield func(*Section) bool) bool {
	if !yield(s) {
		return false
	}
	for _, c := range s.Children {
		if !c.walk(yield) {
			return false
		}
	}
	return true
}

// Section returns the first section whose title is title, compared as
// [SameTitle] does, or nil.
func (n *Note) Section(title string) *Section {
	if n.Root == nil {
		return nil
	}
	return n.Root.Section(title)
}

// Section returns the first subsection of s, at any depth, whose title is
// title, compared as [SameTitle] does, or nil.
func (s *Section) Section(title string) *Section {
	for _, c := range s.Children {
		var found *Section
		c.walk(func(x *Section) bool {
			if SameTitle(x.Title, title) {
				found = x
				return false
			}
			return true
		})
		if found != nil {
			return found
		}
	}
	return nil
}

// SameTitle reports whether two section titles are the same, ignoring case,
// runs of white space and the difference between "&" and "and".
func SameTitle(a, b string) bool {
	return normTitle(a) == normTitle(b)
}

func normTitle(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for i, w := range f {
		if w == "&" {
			f[i] = "and"
		}
	}
	return strings.Join(f, " ")
}

// CodeBlocks returns the fenced code blocks of the note in document order.
func (n *Note) CodeBlocks() []*CodeBlock {
	if n.Root == nil {
		return nil
	}
	return n.Root.CodeBlocks()
}

// CodeBlocks returns the fenced code blocks of s and its subsections, in
// document order.
func (s *Section) CodeBlocks() []*CodeBlock {
	var out []*CodeBlock
	s.eachBlock(func(_ *Section, b *CodeBlock) { out = append(out, b) })
	return out
}

// eachBlock calls f for every code block of s and its subsections, with the
// innermost section holding it.
func (s *Section) eachBlock(f func(*Section, *CodeBlock)) {
	for _, p := range s.Parts {
		if p.Code != nil {
			f(s, p.Code)
		}
	}
	for _, c := range s.Children {
		c.eachBlock(f)
	}
}

// Text returns the markdown of the section's body, without its heading and
// subsections.
func (s *Section) Text() string {
	var b strings.Builder
	for _, p := range s.Parts {
		if p.Code != nil {
			b.WriteString(p.Code.render())
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// Queries returns the note's ```query blocks, parsed. Problems with them
// are reported in Note.Problems when the note is parsed.
func (n *Note) Queries() []QueryBlock {
	var out []QueryBlock
	for _, b := range n.CodeBlocks() {
		if b.Lang() == "query" {
			q, _ := ParseQuery(b.Content, b.ContentLine())
			q.Block = b
			q.Line = b.Line
			out = append(out, q)
		}
	}
	return out
}
