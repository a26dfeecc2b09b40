package vault

import (
	"path"
	"regexp"
	"strings"
)

// A Technique is an ATT&CK technique note, in the format of the notes
// generated from the ATT&CK Excel export (see FORMAT.md).
type Technique struct {
	Note         *Note
	ID           string   // canonical: "T1559.001"
	Name         string   // the ## title: "Inter-Process Communication- Component Object Model"
	Tactics      []string // from the tactics key, as written: "Execution"
	Platforms    []string // from the platforms key: "Windows"
	URL          string   // "https://attack.mitre.org/techniques/T1559/001"
	Version      string   // the ATT&CK object version: "1.1"
	Created      string   // "2020-02-12"
	LastModified string   // "2021-07-26"
	DataSources  []string // the items of the Data Sources section: "Process: Process Creation"
}

// tactics are the ATT&CK Enterprise tactics by display name; a tactic may
// also be written in lower case with _ or - for spaces (its short name,
// "privilege-escalation").
var tactics = []string{
	"Reconnaissance", "Resource Development", "Initial Access", "Execution",
	"Persistence", "Privilege Escalation", "Defense Evasion", "Credential Access",
	"Discovery", "Lateral Movement", "Collection", "Command and Control",
	"Exfiltration", "Impact",
}

// TacticName returns the display name of an ATT&CK Enterprise tactic
// written as its name or short name, and reports whether it is one.
func TacticName(s string) (string, bool) {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return r == ' ' || r == '_' || r == '-' || r == '\t'
		}), " ")
	}
	want := norm(s)
	for _, t := range tactics {
		if norm(t) == want {
			return t, true
		}
	}
	return "", false
}

var attackURL = regexp.MustCompile(`attack\.mitre\.org/techniques/([Tt]\d{4})(?:/(\d{3}))?/?$`)

// techniqueFromURL returns the technique id of an ATT&CK technique URL.
func techniqueFromURL(u string) (string, bool) {
	m := attackURL.FindStringSubmatch(u)
	if m == nil {
		return "", false
	}
	if m[2] != "" {
		return TechniqueID(m[1] + "." + m[2])
	}
	return TechniqueID(m[1])
}

// decodeTechnique reads the fields of a technique note.
func decodeTechnique(n *Note, p *problems) *Technique {
	f := frontFields(n, p)
	t := &Technique{Note: n}
	t.URL = f.str("url", false)
	t.Created = f.str("created", false)
	t.LastModified = f.str("last_modified", false)
	t.Version = f.str("version", false)
	t.Tactics = f.strs("tactics", false)
	t.Platforms = f.strs("platforms", false)
	for _, tac := range t.Tactics {
		if _, ok := TacticName(tac); !ok {
			p.addf(f.lineOf("tactics"), "front matter: unknown ATT&CK tactic %q", tac)
		}
	}

	// The id comes from the id key, the url, the technique tag or the file
	// name, in that order; those given must agree.
	type source struct{ id, from string }
	var sources []source
	if s := f.str("id", false); s != "" {
		id, ok := TechniqueID(s)
		if !ok {
			p.addf(f.lineOf("id"), "front matter: id %q is not an ATT&CK technique id like T1559.001", s)
		}
		sources = append(sources, source{id, "id"})
	}
	if t.URL != "" {
		if id, ok := techniqueFromURL(t.URL); ok {
			sources = append(sources, source{id, "url"})
		} else {
			p.addf(f.lineOf("url"), "front matter: url %q is not an ATT&CK technique URL", t.URL)
		}
	}
	for _, tag := range n.Tags() {
		if id, ok := TechniqueID(tag); ok {
			sources = append(sources, source{id, "tag " + tag})
		}
	}
	base := path.Base(n.Path)
	if i := strings.IndexAny(base, " ."); i > 0 {
		word := base[:i]
		if strings.HasPrefix(base[i:], ".") && len(base) >= i+4 {
			word = base[:i+4] // "T1559.001 - Name.md"
		}
		if id, ok := TechniqueID(word); ok {
			sources = append(sources, source{id, "file name"})
		}
	}
	var from string
	for _, s := range sources {
		switch {
		case s.id == "":
		case t.ID == "":
			t.ID, from = s.id, s.from
		case s.id != t.ID:
			p.addf(f.line, "technique note: id %s from the %s disagrees with %s from the %s", s.id, s.from, t.ID, from)
		}
	}
	if t.ID == "" && len(sources) == 0 {
		p.addf(f.line, "technique note: cannot tell the technique id; give a url, a technique tag such as T1559_001, or an id")
	}

	t.Name = n.Title()
	if t.Name == "" {
		p.addf(n.Root.Line, "technique note: missing the ## title with the technique name")
	}
	if s := n.Section("Data Sources"); s != nil {
		t.DataSources = listItems(s.Text())
	}
	return t
}

// listItems returns the items of the markdown bullet list in md.
func listItems(md string) []string {
	var out []string
	for l := range strings.Lines(md) {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "- "); ok {
			l = rest
		} else if rest, ok := strings.CutPrefix(l, "* "); ok {
			l = rest
		} else {
			continue
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
