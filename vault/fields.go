package vault

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-sec/vigil/internal/suggest"
)

// obsidianKeys are front matter properties of Obsidian itself, allowed in
// every note.
var obsidianKeys = []string{"tags", "tag", "aliases", "alias", "cssclasses", "cssclass", "publish", "permalink"}

// fields reads typed values from a YAML mapping, reporting problems at the
// lines of the values.
type fields struct {
	p    *problems
	m    *yaml.Node // the mapping; nil reads as empty
	line int        // line for problems about missing keys
	what string     // what the mapping is, for messages: "front matter", "signal"
	used map[string]bool
}

func newFields(p *problems, m *yaml.Node, line int, what string) *fields {
	if m != nil && m.Kind != yaml.MappingNode {
		m = nil
	}
	return &fields{p: p, m: m, line: line, what: what, used: map[string]bool{}}
}

// frontFields reads the front matter of n.
func frontFields(n *Note, p *problems) *fields {
	var m *yaml.Node
	line := 1
	if n.Front != nil {
		m = n.Front.Node
		line = n.Front.Line
	}
	return newFields(p, m, line, "front matter")
}

// get returns the value of key, or nil when it is missing or null.
func (f *fields) get(key string) *yaml.Node {
	f.used[key] = true
	if f.m == nil {
		return nil
	}
	for i := 0; i+1 < len(f.m.Content); i += 2 {
		if f.m.Content[i].Value == key {
			v := f.m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				return nil
			}
			return v
		}
	}
	return nil
}

// list reads key as a list of mappings and returns the fields of each
// entry, which messages call what. A value that is not a list, and entries
// that are not mappings, are reported (entry describes the mapping wanted,
// as "each signal must be a mapping"). An empty list counts as missing.
func (f *fields) list(key string, required bool, what, entry string) []*fields {
	v := f.get(key)
	if v == nil {
		f.missing(key, required)
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		f.p.addf(v.Line, "%s: %s must be a list, found %s", f.what, key, nodeKindName(v))
		return nil
	}
	if len(v.Content) == 0 {
		f.missing(key, required)
	}
	var out []*fields
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			f.p.addf(item.Line, "%s: %s, found %s", f.what, entry, nodeKindName(item))
			continue
		}
		out = append(out, newFields(f.p, item, item.Line, what))
	}
	return out
}

func (f *fields) missing(key string, required bool) {
	if required {
		f.p.addf(f.line, "%s: missing %s", f.what, key)
	}
}

// str returns the string value of key.
func (f *fields) str(key string, required bool) string {
	v := f.get(key)
	if v == nil {
		f.missing(key, required)
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		f.p.addf(v.Line, "%s: %s must be a string, found %s", f.what, key, nodeKindName(v))
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if s == "" {
		f.missing(key, required)
	}
	return s
}

// strs returns the list of strings of key: a YAML list of strings, or one
// string whose items are separated by commas.
func (f *fields) strs(key string, required bool) []string {
	v := f.get(key)
	if v == nil {
		f.missing(key, required)
		return nil
	}
	var out []string
	switch v.Kind {
	case yaml.ScalarNode:
		for _, s := range strings.Split(v.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case yaml.SequenceNode:
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
				f.p.addf(item.Line, "%s: items of %s must be strings, found %s", f.what, key, nodeKindName(item))
				continue
			}
			if s := strings.TrimSpace(item.Value); s != "" {
				out = append(out, s)
			}
		}
	default:
		f.p.addf(v.Line, "%s: %s must be a list of strings, found %s", f.what, key, nodeKindName(v))
		return nil
	}
	if len(out) == 0 {
		f.missing(key, required)
	}
	return out
}

// integer returns the integer value of key and whether it has one.
func (f *fields) integer(key string, required bool) (int, bool) {
	v := f.get(key)
	if v == nil {
		f.missing(key, required)
		return 0, false
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int" {
		if n, err := strconv.ParseInt(v.Value, 0, 32); err == nil {
			return int(n), true
		}
	}
	f.p.addf(v.Line, "%s: %s must be an integer, found %s", f.what, key, nodeKindName(v))
	return 0, false
}

// boolean returns the boolean value of key, false when missing.
func (f *fields) boolean(key string) bool {
	v := f.get(key)
	if v == nil {
		return false
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" {
		b, err := strconv.ParseBool(strings.ToLower(v.Value))
		if err == nil {
			return b
		}
	}
	f.p.addf(v.Line, "%s: %s must be true or false, found %s", f.what, key, nodeKindName(v))
	return false
}

// oneOf returns the value of key in lower case, which must be one of
// allowed.
func (f *fields) oneOf(key string, required bool, allowed ...string) string {
	s := strings.ToLower(f.str(key, required))
	if s != "" && !slices.Contains(allowed, s) {
		f.p.addf(f.lineOf(key), "%s: %s must be one of %s, found %q", f.what, key, strings.Join(allowed, ", "), s)
		return ""
	}
	return s
}

// lineOf returns the line of key's value, or the line for missing keys.
func (f *fields) lineOf(key string) int {
	if f.m != nil {
		for i := 0; i+1 < len(f.m.Content); i += 2 {
			if f.m.Content[i].Value == key {
				return f.m.Content[i+1].Line
			}
		}
	}
	return f.line
}

// unknown reports the keys that were not read, other than Obsidian's own
// properties, suggesting a known key for a likely typo.
func (f *fields) unknown() {
	if f.m == nil {
		return
	}
	var known []string
	for k := range f.used {
		known = append(known, k)
	}
	slices.Sort(known)
	for i := 0; i+1 < len(f.m.Content); i += 2 {
		k := f.m.Content[i]
		if f.used[k.Value] || (f.what == "front matter" && slices.Contains(obsidianKeys, k.Value)) {
			continue
		}
		if s := suggest.Nearest(k.Value, known); s != "" {
			f.p.addf(k.Line, "%s: unknown key %q (did you mean %q?)", f.what, k.Value, s)
		} else {
			f.p.addf(k.Line, "%s: unknown key %q (known keys: %s)", f.what, k.Value, strings.Join(known, ", "))
		}
	}
}
