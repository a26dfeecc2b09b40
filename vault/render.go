package vault

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// NewNote returns an empty note at path, with empty front matter, for
// building a note from scratch.
func NewNote(path string) *Note {
	return &Note{Path: path, Front: NewFrontMatter(), Root: &Section{}}
}

// NewFrontMatter returns empty front matter, to give to a note that has
// none.
func NewFrontMatter() *FrontMatter {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	return &FrontMatter{
		Node: m,
		Map:  map[string]any{},
		doc:  &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}},
	}
}

// Render returns the text of the note. A note that was not edited renders
// to exactly the bytes it was parsed from. Edited parts are rendered anew
// and the rest is kept as read: front matter whose Node changed is encoded
// again (two-space indentation; comments and styles kept by the YAML
// encoder), a heading whose Level or Title changed is written as
// "## Title", and a code block whose Info or Content changed is written
// with fences long enough for its content.
func (n *Note) Render() []byte {
	var b bytes.Buffer
	if n.Front != nil {
		b.WriteString(n.Front.render())
	}
	if n.Root != nil {
		n.Root.render(&b)
	}
	return b.Bytes()
}

// writeElem writes s, first ending the current line if an edit left it
// open. Every element of a parsed note but the last ends with a line
// ending, so this never changes an unedited note.
func writeElem(b *bytes.Buffer, s string) {
	if s == "" {
		return
	}
	if b.Len() > 0 && b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(s)
}

func (s *Section) render(b *bytes.Buffer) {
	if s.Level > 0 {
		writeElem(b, s.headingLine())
	}
	for _, p := range s.Parts {
		if p.Code != nil {
			writeElem(b, p.Code.render())
		} else {
			writeElem(b, p.Text)
		}
	}
	for _, c := range s.Children {
		c.render(b)
	}
}

// headingLine returns the heading as read if it was not edited, and a new
// ATX heading otherwise.
func (s *Section) headingLine() string {
	if s.heading != "" && s.Level == s.origLevel && s.Title == s.origTitle {
		return s.heading
	}
	level := min(max(s.Level, 1), 6)
	title := strings.Join(strings.Fields(s.Title), " ")
	if title == "" {
		return strings.Repeat("#", level) + "\n"
	}
	return strings.Repeat("#", level) + " " + title + "\n"
}

// render returns the block as read if it was not edited, and a new fenced
// block otherwise.
func (c *CodeBlock) render() string {
	if c.raw != "" && c.Info == c.origInfo && c.Content == c.origContent {
		return c.raw
	}
	info := strings.Join(strings.Fields(c.Info), " ")
	ch := byte('`')
	if strings.HasPrefix(c.fence, "~") || strings.Contains(info, "`") {
		ch = '~'
	}
	// The fence must be longer than any run of its character that could
	// close it inside the content.
	n := max(3, len(c.fence))
	for pos := 0; pos < len(c.Content); {
		l, next := lineAt(c.Content, pos)
		t := strings.TrimLeft(l, " ")
		k := 0
		for k < len(t) && t[k] == ch {
			k++
		}
		if k >= n {
			n = k + 1
		}
		pos = next
	}
	fence := strings.Repeat(string(ch), n)
	indent := strings.Repeat(" ", c.indent)
	var b strings.Builder
	if strings.HasPrefix(info, string(ch)) {
		info = " " + info // so the info does not lengthen the fence
	}
	b.WriteString(indent + fence + info + "\n")
	for pos := 0; pos < len(c.Content); {
		l, next := lineAt(c.Content, pos)
		if strings.TrimRight(l, "\r") != "" {
			b.WriteString(indent)
		}
		b.WriteString(l + "\n")
		pos = next
	}
	b.WriteString(indent + fence + "\n")
	return b.String()
}

// render returns the front matter as read if it was not edited, and encodes
// it again otherwise.
func (f *FrontMatter) render() string {
	if f.doc == nil || (f.raw != "" && nodeEqual(f.doc, f.orig)) {
		return f.raw
	}
	text, err := encodeYAML(f.doc)
	if err != nil {
		// Set validates what it stores; only a Node broken by hand gets
		// here, and the note is better kept as it was read.
		return f.raw
	}
	if len(f.Node.Content) == 0 {
		text = ""
	}
	return "---\n" + text + "---\n"
}

func encodeYAML(doc *yaml.Node) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := safeYAML(func() error { return enc.Encode(doc) }); err != nil {
		return "", err
	}
	if err := safeYAML(enc.Close); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Get returns the value node of key, or nil.
func (f *FrontMatter) Get(key string) *yaml.Node {
	if f == nil || f.Node == nil {
		return nil
	}
	for i := 0; i+1 < len(f.Node.Content); i += 2 {
		if f.Node.Content[i].Value == key {
			return f.Node.Content[i+1]
		}
	}
	return nil
}

// Set sets key to value, which is encoded as yaml.Marshal would (a
// *yaml.Node is used as it is). An existing key keeps its place and its
// comments; a new key is added at the end.
func (f *FrontMatter) Set(key string, value any) error {
	if f.Node == nil {
		return errors.New("front matter: cannot set " + key + ": the front matter does not parse")
	}
	var v yaml.Node
	if err := safeYAML(func() error { return v.Encode(value) }); err != nil {
		return fmt.Errorf("front matter: cannot set %s: %w", key, err)
	}
	// Check that the whole still encodes, so that Render never fails.
	var decoded any
	if err := safeYAML(func() error { return v.Decode(&decoded) }); err != nil {
		return fmt.Errorf("front matter: cannot set %s: %w", key, err)
	}
	done := false
	for i := 0; i+1 < len(f.Node.Content); i += 2 {
		if f.Node.Content[i].Value == key {
			old := f.Node.Content[i+1]
			v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
			switch {
			case v.Kind == old.Kind && v.Kind != yaml.ScalarNode:
				v.Style = old.Style
			case v.Kind == yaml.ScalarNode && old.Kind == yaml.ScalarNode && old.Style == 0 &&
				v.ShortTag() == "!!str" && old.ShortTag() != "!!str" && plainTag(v.Value) == old.ShortTag():
				// A string that reads as the old value's type when
				// written plain (a date for a date) is written plain.
				v.Tag, v.Style = old.Tag, 0
			}
			f.Node.Content[i+1] = &v
			done = true
			break
		}
	}
	if !done {
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
		f.Node.Content = append(f.Node.Content, k, &v)
	}
	if _, err := encodeYAML(f.doc); err != nil {
		return fmt.Errorf("front matter: cannot set %s: %w", key, err)
	}
	if f.Map == nil {
		f.Map = map[string]any{}
	}
	f.Map[key] = decoded
	return nil
}

// plainTag returns the tag YAML gives s written as a plain scalar, or "".
func plainTag(s string) string {
	if strings.ContainsAny(s, "\n\r") {
		return ""
	}
	var doc yaml.Node
	if err := safeYAML(func() error { return yaml.Unmarshal([]byte(s), &doc) }); err != nil ||
		len(doc.Content) != 1 || doc.Content[0].Kind != yaml.ScalarNode ||
		doc.Content[0].Style != 0 || doc.Content[0].Value != s {
		return ""
	}
	return doc.Content[0].ShortTag()
}

// Delete removes key and reports whether it was there.
func (f *FrontMatter) Delete(key string) bool {
	if f.Node == nil {
		return false
	}
	for i := 0; i+1 < len(f.Node.Content); i += 2 {
		if f.Node.Content[i].Value == key {
			f.Node.Content = append(f.Node.Content[:i], f.Node.Content[i+2:]...)
			delete(f.Map, key)
			return true
		}
	}
	return false
}

// SetText replaces the body of s (up to its first subsection) with the
// markdown md, which is written verbatim after the heading line. Code
// blocks in md become code blocks of s. md may not contain a heading or an
// unclosed code block.
func (s *Section) SetText(md string) error {
	p := &problems{}
	root := parseBody(md, 0, 1, p)
	if len(root.Children) > 0 {
		return fmt.Errorf("section %q: text has a heading on line %d; add a section instead", s.Title, root.Children[0].Line)
	}
	if len(p.list) > 0 {
		return fmt.Errorf("section %q: text line %d: %s", s.Title, p.list[0].Line, p.list[0].Msg)
	}
	for i := range root.Parts {
		root.Parts[i].Line = 0
		if c := root.Parts[i].Code; c != nil {
			c.Line = 0
			c.Span = Span{}
		}
	}
	s.Parts = root.Parts
	return nil
}

// AddSection appends a subsection to s with the given heading level (deeper
// than s, at most 6), title and body markdown (see [Section.SetText]).
func (s *Section) AddSection(level int, title, md string) (*Section, error) {
	if level <= s.Level || level > 6 {
		return nil, fmt.Errorf("section %q: cannot add a level %d section under a level %d one", title, level, s.Level)
	}
	if strings.ContainsAny(title, "\r\n") {
		return nil, fmt.Errorf("section %q: a title must be one line", title)
	}
	c := &Section{Level: level, Title: title}
	if err := c.SetText(md); err != nil {
		return nil, err
	}
	s.Children = append(s.Children, c)
	return c, nil
}
