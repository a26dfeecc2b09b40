package vault

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

const bom = "\xef\xbb\xbf"

// ParseNote parses src, the text of the note at path (slash-separated,
// relative to the vault root). It does not fail: what is wrong is recorded
// in Note.Problems with its line, and the rest of the note is still parsed.
// The note keeps a copy of src, which [Note.Render] gives back unchanged
// unless the model is edited.
//
// The body is split on ATX headings ("## Title") and fenced code blocks
// (``` or ~~~) as CommonMark reads them at the top level of the document;
// a heading inside a code block is not a heading.
func ParseNote(path string, src []byte) *Note {
	n := &Note{Path: path, Raw: bytes.Clone(src)}
	p := &problems{file: path}
	text := string(n.Raw)

	bodyStart, bodyLine := 0, 1
	if fm, ok := splitFrontMatter(text, p); ok {
		n.Front = fm
		bodyStart = fm.Span.End
		bodyLine = 1 + strings.Count(fm.raw, "\n")
		parseFrontMatterYAML(fm, text, p)
	}
	n.Root = parseBody(text, bodyStart, bodyLine, p)
	for _, b := range n.CodeBlocks() {
		if b.Lang() == "query" {
			_, qp := ParseQuery(b.Content, b.ContentLine())
			for _, e := range qp {
				e.File = path
				p.list = append(p.list, e)
			}
		}
	}
	n.Problems = p.list
	return n
}

// splitFrontMatter finds the front matter: a first line "---" (after an
// optional byte order mark) up to the next line "---". Trailing blanks on
// the delimiter lines are allowed.
func splitFrontMatter(text string, p *problems) (*FrontMatter, bool) {
	i := 0
	if strings.HasPrefix(text, bom) {
		i = len(bom)
	}
	first, next := lineAt(text, i)
	if strings.TrimRight(first, " \t\r") != "---" {
		return nil, false
	}
	for pos := next; pos < len(text); {
		l, after := lineAt(text, pos)
		if strings.TrimRight(l, " \t\r") == "---" {
			return &FrontMatter{
				Line: 1,
				Span: Span{0, after},
				raw:  text[:after],
			}, true
		}
		pos = after
	}
	p.addf(1, "front matter opened by --- on line 1 is never closed by a --- line")
	return nil, false
}

// lineAt returns the line starting at pos, without its "\n", and the
// offset of the next line.
func lineAt(text string, pos int) (string, int) {
	if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
		return text[pos : pos+i], pos + i + 1
	}
	return text[pos:], len(text)
}

// yamlLine matches the position prefix of go.yaml.in/yaml errors.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlParserErrors are the messages of go.yaml.in/yaml/v3's parser, whose
// line numbers count from 0 (those of its scanner count from 1).
var yamlParserErrors = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// parseFrontMatterYAML parses the YAML between the delimiters into
// fm.Node and fm.Map.
func parseFrontMatterYAML(fm *FrontMatter, text string, p *problems) {
	_, start := lineAt(text, strings.Index(fm.raw, "---"))
	end := strings.LastIndex(fm.raw[:len(fm.raw)-1], "\n") + 1 // start of the closing line
	if end < start {
		end = start
	}
	src := text[start:end]

	// YAML also breaks lines at a lone "\r", which the note's line count
	// does not; keep every line inside the front matter.
	lastLine := strings.Count(fm.raw, "\n")
	if !strings.HasSuffix(fm.raw, "\n") {
		lastLine++
	}
	var doc yaml.Node
	if err := safeYAML(func() error { return yaml.Unmarshal([]byte(src), &doc) }); err != nil {
		line, msg := yamlErrorLine(err.Error(), 1)
		if line != 0 && slices.Contains(yamlParserErrors, msg) {
			// The YAML parser (not its scanner) counts lines from 0.
			line++
		}
		if line == 0 {
			line = 2
		}
		p.addf(min(line, lastLine), "front matter: %s", msg)
		return
	}
	shiftLines(&doc, 1, lastLine)
	switch {
	case doc.Kind == 0 || len(doc.Content) == 0:
		// Empty front matter: an empty mapping.
		doc = yaml.Node{Kind: yaml.DocumentNode, Line: 2, Column: 1,
			Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map", Line: 2, Column: 1}}}
	case doc.Content[0].Kind != yaml.MappingNode:
		p.addf(doc.Content[0].Line, "front matter must be a mapping of keys to values, found %s", nodeKindName(doc.Content[0]))
		return
	}
	fm.doc = &doc
	fm.Node = doc.Content[0]
	fm.orig = cloneNode(&doc)
	var m map[string]any
	if err := safeYAML(func() error { return fm.Node.Decode(&m) }); err != nil {
		if te, ok := err.(*yaml.TypeError); ok {
			for _, e := range te.Errors {
				line, msg := yamlErrorLine(e, 0)
				p.addf(line, "front matter: %s", msg)
			}
		} else {
			p.addf(fm.Node.Line, "front matter: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
	}
	if m == nil {
		m = map[string]any{}
	}
	fm.Map = m
}

// safeYAML runs f, turning a panic of the YAML library into an error, so
// that no input can crash the caller.
func safeYAML(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error of the YAML library: %v", r)
		}
	}()
	return f()
}

// yamlErrorLine splits a YAML error message into its line (plus shift) and
// the rest of the message. The line is 0 when the message has none.
func yamlErrorLine(msg string, shift int) (int, string) {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil {
			return n + shift, msg[len(m[0]):]
		}
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// shiftLines adds n to the line of every node under doc, up to limit.
func shiftLines(doc *yaml.Node, n, limit int) {
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		x.Line = min(x.Line+n, limit)
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(doc)
}

func nodeKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

// cloneNode returns a deep copy of n for comparison by nodeEqual. Aliases
// are compared by name, so the copy does not follow them.
func cloneNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Alias = nil
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = cloneNode(x)
	}
	return &c
}

// nodeEqual reports whether two nodes encode to the same YAML.
func nodeEqual(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || a.HeadComment != b.HeadComment ||
		a.LineComment != b.LineComment || a.FootComment != b.FootComment ||
		len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !nodeEqual(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// parseBody splits text[start:] into sections; line is the line number of
// text[start].
func parseBody(text string, start, line int, p *problems) *Section {
	root := &Section{Line: line, Span: Span{start, len(text)}}
	stack := []*Section{root}
	cur := root
	textStart, textLine := start, line
	flush := func(upto int) {
		if upto > textStart {
			cur.Parts = append(cur.Parts, Part{Text: text[textStart:upto], Line: textLine})
		}
	}

	var (
		block        *CodeBlock // the open code block
		contentStart int
		fenceChar    byte
		fenceLen     int
	)
	ln := line
	for pos := start; pos < len(text); ln++ {
		l, next := lineAt(text, pos)
		l = strings.TrimSuffix(l, "\r")
		if block != nil {
			if isClosingFence(l, fenceChar, fenceLen) {
				block.Content = dedent(text[contentStart:pos], block.indent)
				block.raw = text[block.Span.Start:next]
				block.Span.End = next
				block.Closed = true
				block.origContent = block.Content
				block = nil
				textStart, textLine = next, ln+1
			}
			pos = next
			continue
		}
		if level, title, ok := atxHeading(l); ok {
			flush(pos)
			for len(stack) > 1 && stack[len(stack)-1].Level >= level {
				stack[len(stack)-1].Span.End = pos
				stack = stack[:len(stack)-1]
			}
			s := &Section{
				Level: level, Title: title, Line: ln, Span: Span{pos, len(text)},
				heading: text[pos:next], origLevel: level, origTitle: title,
			}
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, s)
			stack = append(stack, s)
			cur = s
			textStart, textLine = next, ln+1
		} else if ch, n, indent, info, ok := openingFence(l); ok {
			flush(pos)
			block = &CodeBlock{
				Info: info, Line: ln, Span: Span{pos, len(text)},
				fence: l[indent : indent+n], indent: indent, origInfo: info,
			}
			fenceChar, fenceLen = ch, n
			contentStart = next
			cur.Parts = append(cur.Parts, Part{Code: block, Line: ln})
		}
		pos = next
	}
	if block != nil {
		p.addf(block.Line, "code block opened by %s on line %d is never closed", block.fence, block.Line)
		block.Content = dedent(text[min(contentStart, len(text)):], block.indent)
		block.raw = text[block.Span.Start:]
		block.origContent = block.Content
	} else {
		flush(len(text))
	}
	return root
}

// atxHeading reports whether l is an ATX heading, and returns its level
// and text.
func atxHeading(l string) (level int, title string, ok bool) {
	i := 0
	for i < len(l) && i < 4 && l[i] == ' ' {
		i++
	}
	if i > 3 {
		return 0, "", false
	}
	j := i
	for j < len(l) && l[j] == '#' {
		j++
	}
	level = j - i
	if level < 1 || level > 6 || (j < len(l) && l[j] != ' ' && l[j] != '\t') {
		return 0, "", false
	}
	rest := strings.Trim(l[j:], " \t")
	// An optional closing sequence of #s, preceded by a blank.
	k := len(rest)
	for k > 0 && rest[k-1] == '#' {
		k--
	}
	switch {
	case k == 0:
		rest = ""
	case k < len(rest) && (rest[k-1] == ' ' || rest[k-1] == '\t'):
		rest = strings.TrimRight(rest[:k], " \t")
	}
	return level, rest, true
}

// openingFence reports whether l opens a fenced code block.
func openingFence(l string) (ch byte, n, indent int, info string, ok bool) {
	for indent < len(l) && indent < 4 && l[indent] == ' ' {
		indent++
	}
	if indent > 3 || indent >= len(l) {
		return 0, 0, 0, "", false
	}
	ch = l[indent]
	if ch != '`' && ch != '~' {
		return 0, 0, 0, "", false
	}
	for indent+n < len(l) && l[indent+n] == ch {
		n++
	}
	if n < 3 {
		return 0, 0, 0, "", false
	}
	info = strings.Trim(l[indent+n:], " \t")
	if ch == '`' && strings.Contains(info, "`") {
		return 0, 0, 0, "", false
	}
	return ch, n, indent, info, true
}

// isClosingFence reports whether l closes a block opened by n fence
// characters ch.
func isClosingFence(l string, ch byte, n int) bool {
	i := 0
	for i < len(l) && i < 4 && l[i] == ' ' {
		i++
	}
	if i > 3 {
		return false
	}
	j := i
	for j < len(l) && l[j] == ch {
		j++
	}
	return j-i >= n && strings.Trim(l[j:], " \t") == ""
}

// dedent removes up to n leading spaces from every line of s, as CommonMark
// does for the content of an indented fence.
func dedent(s string, n int) string {
	if n == 0 {
		return s
	}
	var b strings.Builder
	for pos := 0; pos < len(s); {
		l, next := lineAt(s, pos)
		i := 0
		for i < n && i < len(l) && l[i] == ' ' {
			i++
		}
		b.WriteString(s[pos+i : next])
		pos = next
	}
	return b.String()
}
