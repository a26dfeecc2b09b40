package vault

import (
	"fmt"
	"strings"
)

// NormalizeTag returns the form in which tags are compared: without a
// leading #, in lower case, and for an ATT&CK technique id with _ between
// the technique and the sub-technique ("t1559_001").
func NormalizeTag(tag string) string {
	tag = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
	if isTechniqueID(tag) {
		return strings.ReplaceAll(tag, ".", "_")
	}
	return tag
}

// TechniqueID returns the canonical form of an ATT&CK technique or
// sub-technique id ("T1559" or "T1559.001") written in any of the forms
// the vault accepts: T1559.001, T1559_001, t1559.001, #t1559_001. It
// reports false if s is not a technique id.
func TechniqueID(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if !isTechniqueID(s) {
		return "", false
	}
	id := "T" + s[1:5]
	if len(s) > 5 {
		id += "." + s[6:]
	}
	return id, true
}

// TechniqueTag returns the tag form of a technique id: "T1559_001".
func TechniqueTag(id string) string {
	return strings.ReplaceAll(id, ".", "_")
}

// isTechniqueID reports whether s is T or t, four digits and optionally
// . or _ and three digits.
func isTechniqueID(s string) bool {
	if (len(s) != 5 && len(s) != 9) || (s[0] != 'T' && s[0] != 't') || !allDigits(s[1:5]) {
		return false
	}
	return len(s) == 5 || ((s[5] == '.' || s[5] == '_') && allDigits(s[6:]))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// A QueryBlock is a tag search, as in the ```query blocks that Obsidian's
// search plugin renders: notes having every tag of its positive terms and
// none of its negated ones.
type QueryBlock struct {
	Terms []QueryTerm
	Line  int        // line of the opening fence (of the front matter key for a query in front matter)
	Block *CodeBlock // the code block, or nil
}

// A QueryTerm is one "tag:" term of a query.
type QueryTerm struct {
	Tag  string // as written, without "tag:" and "#"
	Not  bool   // written "-tag:": the note must not have the tag
	Line int    // line of the term in the note
}

// String returns the query in the vault's syntax, one line:
// "tag:detection_rule tag:T1559_001".
func (q QueryBlock) String() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Not {
			b.WriteByte('-')
		}
		b.WriteString("tag:" + t.Tag)
	}
	return b.String()
}

// Matches reports whether a note with the given tags is found by the
// query. A query without a positive term finds nothing.
func (q QueryBlock) Matches(tags []string) bool {
	return q.matchSet(tagSet(tags))
}

// tagSet returns the normalised tags as a set.
func tagSet(tags []string) map[string]bool {
	have := make(map[string]bool, len(tags))
	for _, t := range tags {
		have[NormalizeTag(t)] = true
	}
	return have
}

// matchSet is Matches for a set of normalised tags.
func (q QueryBlock) matchSet(have map[string]bool) bool {
	return q.compile()(have)
}

// compile returns a matcher for sets of normalised tags, normalising the
// query's tags once.
func (q QueryBlock) compile() func(have map[string]bool) bool {
	type term struct {
		tag string
		not bool
	}
	terms := make([]term, len(q.Terms))
	positive := false
	for i, t := range q.Terms {
		terms[i] = term{NormalizeTag(t.Tag), t.Not}
		positive = positive || !t.Not
	}
	return func(have map[string]bool) bool {
		if !positive {
			return false
		}
		for _, t := range terms {
			if have[t.tag] == t.not {
				return false
			}
		}
		return true
	}
}

// ParseQuery parses the text of a query block whose first line is line
// firstLine of the note. Terms are separated by white space and line
// breaks and are ANDed. Each term is "tag:" followed, with or without a
// space, by a tag with an optional #; "-tag:" negates it. Any other search
// operator of Obsidian is reported as a problem (with File empty). The
// query is returned with the terms that did parse.
func ParseQuery(src string, firstLine int) (QueryBlock, []Problem) {
	var (
		q     QueryBlock
		probs []Problem
	)
	bad := func(line int, format string, args ...any) {
		probs = append(probs, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	line := firstLine
	for pos := 0; pos < len(src); line++ {
		l, next := lineAt(src, pos)
		pos = next
		words := strings.Fields(l)
		for i := 0; i < len(words); i++ {
			w := words[i]
			not := strings.HasPrefix(w, "-")
			body := strings.TrimPrefix(w, "-")
			if len(body) < 4 || !strings.EqualFold(body[:4], "tag:") {
				bad(line, "unsupported search term %q in query: only tag: terms, ANDed, are supported", w)
				continue
			}
			term, tag := w, body[4:]
			if tag == "" {
				if i+1 >= len(words) {
					bad(line, "%q without a tag", w)
					continue
				}
				i++
				term, tag = w+" "+words[i], words[i]
			}
			tag = strings.TrimPrefix(strings.Trim(tag, `"`), "#")
			if tag == "" || strings.ContainsAny(tag, `#"`) {
				bad(line, "malformed tag in query term %q", term)
				continue
			}
			q.Terms = append(q.Terms, QueryTerm{Tag: tag, Not: not, Line: line})
		}
	}
	positive := false
	for _, t := range q.Terms {
		positive = positive || !t.Not
	}
	if !positive && len(probs) == 0 {
		bad(firstLine, "query has no tag: term to search for")
	}
	return q, probs
}
