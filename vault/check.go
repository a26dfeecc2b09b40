package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/vigil-sec/vigil/eql"
)

// Check returns every problem of the vault, sorted by file and line: those
// found while loading and those that span notes:
//
//   - ids are unique among techniques, rules, tests and benign notes;
//   - every query block (and every silent_query) finds at least one note;
//   - the technique tags of rules and tests name technique notes;
//   - the rule ids of tests (fire, silent, known_gaps) and of benign notes
//     name rules;
//   - every ```eql block of a rule note compiles, the rule's query without
//     the hunting pipes (as Elasticsearch requires), hunting queries with
//     them; errors are at the line and column of the note;
//   - telemetry files exist and match their pinned sha256;
//   - wiki links ([[Note]]) and relative markdown links name files of the
//     vault.
func (v *Vault) Check() []Problem {
	c := &checker{v: v, out: append([]Problem(nil), v.problems...)}
	c.duplicates()
	c.queries()
	c.techniqueTags()
	c.ruleRefs()
	c.compile()
	c.telemetry()
	c.links()
	sortProblems(c.out)
	return c.out
}

type checker struct {
	v   *Vault
	out []Problem
}

func (c *checker) addf(n *Note, line int, format string, args ...any) {
	c.out = append(c.out, Problem{File: n.Path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// keyLine returns the line of the front matter key of n, or 1.
func keyLine(n *Note, key string) int {
	if v := n.Front.Get(key); v != nil {
		return v.Line
	}
	return 1
}

// itemLine returns the line of the item s of the front matter list key,
// or of the key.
func itemLine(n *Note, key, s string) int {
	v := n.Front.Get(key)
	if v == nil {
		return 1
	}
	for _, item := range v.Content {
		if strings.TrimSpace(item.Value) == s {
			return item.Line
		}
	}
	return v.Line
}

func (c *checker) duplicates() {
	type entry struct {
		kind, id string
		n        *Note
		line     int
	}
	var all []entry
	for _, t := range c.v.Techniques {
		all = append(all, entry{"technique", t.ID, t.Note, 1})
	}
	for _, r := range c.v.Rules {
		all = append(all, entry{"rule", r.ID, r.Note, keyLine(r.Note, "id")})
	}
	for _, t := range c.v.Tests {
		all = append(all, entry{"test", t.ID, t.Note, keyLine(t.Note, "id")})
	}
	for _, b := range c.v.Benign {
		all = append(all, entry{"benign", b.ID, b.Note, keyLine(b.Note, "id")})
	}
	first := map[[2]string]*Note{}
	for _, e := range all {
		if e.id == "" {
			continue
		}
		k := [2]string{e.kind, e.id}
		if prev, ok := first[k]; ok {
			c.addf(e.n, e.line, "duplicate %s id %q: %s has it too", e.kind, e.id, prev.Path)
			continue
		}
		first[k] = e.n
	}
}

func (c *checker) queries() {
	for _, n := range c.v.Notes {
		for _, q := range n.Queries() {
			if len(q.Terms) > 0 && len(c.v.Query(q)) == 0 {
				c.addf(n, q.Line, "query finds no note: %s", q)
			}
		}
	}
	for _, b := range c.v.Benign {
		if q := b.SilentQuery; q != nil && len(q.Terms) > 0 && len(c.v.SilentRules(&Benign{SilentQuery: q})) == 0 {
			c.addf(b.Note, q.Line, "silent_query finds no rule: %s", q)
		}
	}
}

func (c *checker) techniqueTags() {
	check := func(n *Note, ids []string, what string) {
		for _, id := range ids {
			if c.v.TechniqueByID(id) == nil {
				c.addf(n, keyLine(n, "tags"), "%s tag %s names technique %s, which has no technique note", what, TechniqueTag(id), id)
			}
		}
	}
	for _, r := range c.v.Rules {
		check(r.Note, r.Techniques, "rule")
	}
	for _, t := range c.v.Tests {
		check(t.Note, t.Techniques, "test")
	}
}

func (c *checker) ruleRefs() {
	check := func(n *Note, key string, ids []string) {
		for _, id := range ids {
			if c.v.RuleByID(id) == nil {
				c.addf(n, itemLine(n, key, id), "%s: no rule has id %q", key, id)
			}
		}
	}
	for _, t := range c.v.Tests {
		check(t.Note, "fire", t.Fire)
		check(t.Note, "silent", t.Silent)
		for _, g := range t.KnownGaps {
			if g.Rule != "" && c.v.RuleByID(g.Rule) == nil {
				c.addf(t.Note, g.Line, "known_gaps: no rule has id %q", g.Rule)
			}
		}
	}
	for _, b := range c.v.Benign {
		check(b.Note, "silent", b.Silent)
	}
}

// compile compiles every ```eql block of the rule notes.
func (c *checker) compile() {
	// Field names are checked against the ECS and Windows fields that
	// rules use: a typo is an error that names the nearest known field.
	catalog := eql.ECSCatalog()
	for _, r := range c.v.Rules {
		for _, b := range r.Note.CodeBlocks() {
			if b.Lang() != "eql" {
				continue
			}
			opts := eql.Options{Extensions: b.ContentLine() != r.QueryLine, Catalog: catalog, StrictFields: true}
			c.compileBlock(r.Note, b, opts)
		}
	}
}

func (c *checker) compileBlock(n *Note, b *CodeBlock, opts eql.Options) {
	if strings.TrimSpace(b.Content) == "" {
		c.addf(n, b.Line, "eql: empty ```eql block")
		return
	}
	// Without the final line break, an error at the end of the query is
	// on its last line, not on the closing fence.
	src := strings.TrimSuffix(strings.TrimSuffix(b.Content, "\n"), "\r")
	err := safeCompile(src, opts)
	if err == nil {
		return
	}
	el, ok := err.(eql.ErrorList)
	if !ok {
		c.addf(n, b.ContentLine(), "eql: %v", err)
		return
	}
	for _, e := range el.Errors().Shifted(b.ContentLine() - 1) {
		msg := "eql: " + e.Msg
		ctx := e.Context("    ")
		if e.Hint != "" {
			ctx += "\n    hint: " + e.Hint
		}
		c.out = append(c.out, Problem{File: n.Path, Line: e.Line, Column: e.Column + b.indent, Msg: msg, Context: ctx})
	}
}

// safeCompile compiles src, turning a panic of the compiler into an error.
func safeCompile(src string, opts eql.Options) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error of the EQL compiler: %v", r)
		}
	}()
	_, err = eql.Compile(src, opts)
	return err
}

func (c *checker) telemetry() {
	check := func(n *Note, refs []TelemetryRef) {
		for _, r := range refs {
			if r.Path == "" || !fs.ValidPath(r.Path) {
				continue // reported when loading
			}
			info, err := fs.Stat(c.v.FS, r.Path)
			switch {
			case err != nil:
				c.addf(n, r.Line, "telemetry file %s does not exist", r.Path)
				continue
			case info.IsDir():
				c.addf(n, r.Line, "telemetry file %s is a folder", r.Path)
				continue
			}
			if r.SHA256 == "" {
				continue
			}
			sum, err := fileSHA256(c.v.FS, r.Path)
			if err != nil {
				c.addf(n, r.Line, "telemetry file %s: %v", r.Path, err)
			} else if sum != r.SHA256 {
				c.addf(n, r.Line, "telemetry file %s has sha256 %s, not the %s the note pins", r.Path, sum, r.SHA256)
			}
		}
	}
	for _, t := range c.v.Tests {
		check(t.Note, t.Telemetry)
	}
	for _, b := range c.v.Benign {
		check(b.Note, b.Telemetry)
	}
}

func fileSHA256(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var (
	wikiLink = regexp.MustCompile(`!?\[\[([^\[\]\n]*)\]\]`)
	mdLink   = regexp.MustCompile(`!?\[[^\[\]\n]*\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+"[^"\n]*")?\s*\)`)
	codeSpan = regexp.MustCompile("`+[^`\n]*`+")
)

// links checks the wiki links and relative markdown links outside code.
func (c *checker) links() {
	exists := map[string]bool{}
	for _, f := range c.v.Files {
		lf := strings.ToLower(f)
		exists[lf] = true
		exists[path.Base(lf)] = true
		if strings.HasSuffix(lf, ".md") {
			exists[strings.TrimSuffix(lf, ".md")] = true
			exists[strings.TrimSuffix(path.Base(lf), ".md")] = true
		}
	}
	for _, n := range c.v.Notes {
		for s := range c.allSections(n) {
			for _, p := range s.Parts {
				if p.Code != nil {
					continue
				}
				c.linksIn(n, p, exists)
			}
		}
	}
}

func (c *checker) allSections(n *Note) func(func(*Section) bool) {
	return func(yield func(*Section) bool) {
		if !yield(n.Root) {
			return
		}
		for s := range n.Sections() {
			if !yield(s) {
				return
			}
		}
	}
}

func (c *checker) linksIn(n *Note, p Part, exists map[string]bool) {
	line := p.Line
	for l := range strings.Lines(p.Text) {
		l = codeSpan.ReplaceAllStringFunc(l, func(s string) string { return strings.Repeat(" ", len(s)) })
		for _, m := range wikiLink.FindAllStringSubmatch(l, -1) {
			target, _, _ := strings.Cut(m[1], "|")
			target, _, _ = strings.Cut(target, "#")
			target = strings.TrimSpace(target)
			if target != "" && !exists[strings.ToLower(target)] {
				c.addf(n, line, "link [[%s]] names no file in the vault", target)
			}
		}
		for _, m := range mdLink.FindAllStringSubmatch(l, -1) {
			target := strings.TrimSuffix(strings.TrimPrefix(m[1], "<"), ">")
			u, err := url.Parse(target)
			if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
				continue // a URL, an anchor in the note, or not a path
			}
			rel := u.Path
			fromNote := path.Join(path.Dir(n.Path), rel)
			fromRoot := path.Clean(strings.TrimPrefix(rel, "/"))
			if !c.fileExists(fromNote) && !c.fileExists(fromRoot) && !exists[strings.ToLower(fromRoot)] {
				c.addf(n, line, "link %s names no file in the vault", target)
			}
		}
		line++
	}
}

func (c *checker) fileExists(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	_, err := fs.Stat(c.v.FS, name)
	return err == nil
}
