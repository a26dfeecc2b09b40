package vault

import (
	"regexp"
	"slices"
	"strings"
)

// The section titles of rule notes. Titles compare as [SameTitle] does, so
// "False Positives & Tuning" is accepted too.
const (
	SectionDescription    = "Description"
	SectionQuery          = "Query"
	SectionFalsePositives = "False Positives and Tuning"
	SectionPlaybook       = "Response Playbook"
	SectionInvestigation  = "Investigation Guide"
	SectionHunting        = "Hunting Queries"
)

// A Rule is a detection rule note: an EQL query and its metadata.
type Rule struct {
	Note         *Note
	ID           string   // stable id, unique among rules
	Name         string   // human-readable name
	Severity     string   // low, medium, high or critical
	Confidence   string   // low, medium or high
	RiskScore    int      // 0 to 100
	Status       string   // experimental, test, stable or deprecated; "" if not given
	Techniques   []string // ATT&CK techniques from the technique tags, canonical ("T1559.001"), sorted
	Tactics      []string // ATT&CK tactics, display names ("Execution")
	DataSources  []string // where the events come from: "Sysmon via Winlogbeat"
	Indexes      []string // index patterns the query needs: "logs-windows.*"
	References   []string // URLs
	Author       string
	Created      string
	LastModified string
	Query        string  // the EQL of the ```eql block of the Query section
	QueryLine    int     // line of the note holding the first line of Query
	Hunting      []Query // the ```eql blocks of the Hunting Queries section
}

// A Query is an EQL query embedded in a note.
type Query struct {
	Name   string // the title of its subsection of Hunting Queries, or ""
	Source string // the EQL
	Line   int    // line of the note holding the first line of Source
}

// Text returns the body of the first section titled title, without its
// subsections and trimmed of blank lines, or "".
func (n *Note) Text(title string) string {
	s := n.Section(title)
	if s == nil {
		return ""
	}
	return strings.TrimSpace(s.Text())
}

// idPattern is the syntax of rule, test and benign ids.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// readID reads the required id key.
func readID(f *fields) string {
	id := f.str("id", true)
	if id != "" && !idPattern.MatchString(id) {
		f.p.addf(f.lineOf("id"), "front matter: id %q must be letters, digits, '.', '_', ':' and '-', at most 128, starting with a letter or digit", id)
	}
	return id
}

// readTactics reads the tactics key, which must name ATT&CK tactics.
func readTactics(f *fields) []string {
	var out []string
	for _, s := range f.strs("tactics", false) {
		name, ok := TacticName(s)
		if !ok {
			f.p.addf(f.lineOf("tactics"), "front matter: unknown ATT&CK tactic %q", s)
			continue
		}
		out = append(out, name)
	}
	return out
}

// techniqueTags returns the canonical technique ids among the note's tags,
// sorted and without repeats.
func techniqueTags(n *Note) []string {
	var out []string
	for _, tag := range n.Tags() {
		if id, ok := TechniqueID(tag); ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// decodeRule reads the fields of a detection rule note.
func decodeRule(n *Note, p *problems) *Rule {
	f := frontFields(n, p)
	r := &Rule{Note: n}
	r.ID = readID(f)
	r.Name = f.str("name", true)
	r.Severity = f.oneOf("severity", true, "low", "medium", "high", "critical")
	r.Confidence = f.oneOf("confidence", true, "low", "medium", "high")
	if score, ok := f.integer("risk_score", true); ok {
		if score < 0 || score > 100 {
			p.addf(f.lineOf("risk_score"), "front matter: risk_score must be from 0 to 100, found %d", score)
		}
		r.RiskScore = score
	}
	r.Status = f.oneOf("status", false, "experimental", "test", "stable", "deprecated")
	r.Tactics = readTactics(f)
	r.DataSources = f.strs("data_sources", false)
	r.Indexes = f.strs("indexes", false)
	r.References = f.strs("references", false)
	r.Author = f.str("author", false)
	r.Created = f.str("created", false)
	r.LastModified = f.str("last_modified", false)
	f.unknown()

	r.Techniques = techniqueTags(n)
	if len(r.Techniques) == 0 {
		p.addf(f.lineOf("tags"), "rule note: no ATT&CK technique tag such as T1559_001")
	}
	if n.Section(SectionDescription) == nil {
		p.addf(f.line, "rule note: missing the %q section", SectionDescription)
	}

	q := n.Section(SectionQuery)
	if q == nil {
		p.addf(f.line, "rule note: missing the %q section with the rule's ```eql block", SectionQuery)
	} else {
		var blocks []*CodeBlock
		for _, b := range q.CodeBlocks() {
			if b.Lang() == "eql" {
				blocks = append(blocks, b)
			}
		}
		switch {
		case len(blocks) == 0:
			p.addf(q.Line, "rule note: the %q section has no ```eql block", SectionQuery)
		case len(blocks) > 1:
			p.addf(blocks[1].Line, "rule note: the %q section has %d ```eql blocks; a rule has one query (put others under %q)", SectionQuery, len(blocks), SectionHunting)
			fallthrough
		default:
			r.Query = blocks[0].Content
			r.QueryLine = blocks[0].ContentLine()
		}
	}

	if h := n.Section(SectionHunting); h != nil {
		h.eachBlock(func(s *Section, b *CodeBlock) {
			if b.Lang() != "eql" {
				return
			}
			name := ""
			if s != h {
				name = s.Title
			}
			r.Hunting = append(r.Hunting, Query{Name: name, Source: b.Content, Line: b.ContentLine()})
		})
	}
	return r
}
