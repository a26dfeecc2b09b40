package vault

import (
	"encoding/hex"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The section titles of atomic test notes.
const (
	SectionPrerequisites = "Prerequisites"
	SectionCommands      = "Commands"
	SectionCleanup       = "Cleanup"
)

// TelemetryKind tells how a telemetry file came to be.
type TelemetryKind string

// The kinds of telemetry.
const (
	Authored TelemetryKind = "authored" // written by hand to look like what the test produces
	Recorded TelemetryKind = "recorded" // captured from a host that ran the test (or, for benign notes, normal activity)
)

// telemetryFormats are the formats a telemetry file may declare, as the
// ingest package names them.
var telemetryFormats = []string{"ndjson", "json", "xml", "evtx"}

// A TelemetryRef names a file of events in the vault.
type TelemetryRef struct {
	Path   string        // slash-separated, relative to the vault root
	Kind   TelemetryKind // authored or recorded
	Format string        // ndjson, json, xml or evtx; "" to tell by content
	SHA256 string        // hex SHA-256 of the file, or "" if not pinned
	Line   int           // line of the entry in the note
}

// A KnownGap is a rule that should detect a test but does not: a
// documented false negative.
type KnownGap struct {
	Rule   string // rule id
	Reason string // why the rule misses the test
	Fix    string // the rule change that would close the gap
	Line   int    // line of the entry in the note
}

// An AtomicTest is an atomic test note: how to run the test, the events it
// is expected to produce, the telemetry recorded from running it, and the
// rules that must fire or stay silent on that telemetry.
type AtomicTest struct {
	Note              *Note
	ID                string   // stable id, unique among tests
	Name              string   // human-readable name
	Techniques        []string // ATT&CK techniques from the technique tags, canonical, sorted
	Executor          string   // powershell, cmd or manual
	ElevationRequired bool     // whether the commands need an administrator
	AtomicGUID        string   // the Atomic Red Team auto_generated_guid the test follows, or ""
	Platforms         []string
	References        []string
	Prerequisites     string // markdown of the Prerequisites section
	Commands          string // the code of the Commands section (its text for manual tests)
	Cleanup           string // the code of the Cleanup section (or its text)
	Signals           []Signal
	Telemetry         []TelemetryRef
	Fire              []string   // rule ids that must fire on the telemetry
	Silent            []string   // rule ids that must not fire on it
	KnownGaps         []KnownGap // rules that should fire but do not, and why
}

// A Benign note is recorded normal activity on which rules must stay
// silent.
type Benign struct {
	Note        *Note
	ID          string // stable id, unique among benign notes
	Name        string
	Telemetry   []TelemetryRef
	Silent      []string    // rule ids that must not fire
	SilentQuery *QueryBlock // every rule this tag query finds must not fire either; nil if not given
}

// executorLangs are the code block languages accepted for each executor.
var executorLangs = map[string][]string{
	"powershell": {"powershell", "pwsh", "ps1", "ps"},
	"cmd":        {"cmd", "bat", "batch", "bat-cmd"},
}

// decodeAtomicTest reads the fields of an atomic test note.
func decodeAtomicTest(n *Note, p *problems) *AtomicTest {
	f := frontFields(n, p)
	t := &AtomicTest{Note: n}
	t.ID = readID(f)
	t.Name = f.str("name", true)
	t.Executor = f.oneOf("executor", true, "powershell", "cmd", "manual")
	t.ElevationRequired = f.boolean("elevation_required")
	t.AtomicGUID = f.str("atomic_guid", false)
	t.Platforms = f.strs("platforms", false)
	t.References = f.strs("references", false)
	t.Signals = decodeSignals(f)
	t.Telemetry = decodeTelemetry(f, true)
	t.Fire = f.strs("fire", false)
	t.Silent = f.strs("silent", false)
	t.KnownGaps = decodeKnownGaps(f)
	f.unknown()

	t.Techniques = techniqueTags(n)
	if len(t.Techniques) == 0 {
		p.addf(f.lineOf("tags"), "atomic test note: no ATT&CK technique tag such as T1559_001")
	}
	if len(t.Fire)+len(t.Silent)+len(t.KnownGaps) == 0 {
		p.addf(f.line, "atomic test note: names no rule; give fire, silent or known_gaps")
	}
	// A rule has one expectation per test.
	seen := map[string]string{}
	expect := func(list, id string, line int) {
		if prev, ok := seen[id]; ok {
			p.addf(line, "front matter: rule %q is in both %s and %s", id, prev, list)
			return
		}
		seen[id] = list
	}
	for _, id := range t.Fire {
		expect("fire", id, f.lineOf("fire"))
	}
	for _, id := range t.Silent {
		expect("silent", id, f.lineOf("silent"))
	}
	for _, g := range t.KnownGaps {
		expect("known_gaps", g.Rule, g.Line)
	}

	if n.Section(SectionDescription) == nil {
		p.addf(f.line, "atomic test note: missing the %q section", SectionDescription)
	}
	t.Prerequisites = n.Text(SectionPrerequisites)
	if s := n.Section(SectionCommands); s == nil {
		p.addf(f.line, "atomic test note: missing the %q section", SectionCommands)
	} else {
		t.Commands = sectionCode(s, t.Executor, false, p)
		if t.Commands == "" && len(s.CodeBlocks()) == 0 {
			if t.Executor == "manual" {
				p.addf(s.Line, "atomic test note: the %q section is empty", SectionCommands)
			} else {
				p.addf(s.Line, "atomic test note: the %q section has no code block for the %s executor", SectionCommands, t.Executor)
			}
		}
	}
	if s := n.Section(SectionCleanup); s != nil {
		t.Cleanup = sectionCode(s, t.Executor, true, p)
	}
	return t
}

// sectionCode returns the code of a Commands or Cleanup section: the
// contents of its code blocks, which must be in the executor's language.
// For manual tests it is the section's text, and so it is for a section
// without code blocks when textOK (cleanup steps done by hand).
func sectionCode(s *Section, executor string, textOK bool, p *problems) string {
	blocks := s.CodeBlocks()
	if executor == "manual" || len(blocks) == 0 {
		if executor == "manual" || textOK {
			return strings.TrimSpace(s.Text())
		}
		return ""
	}
	langs := executorLangs[executor]
	var code []string
	for _, b := range blocks {
		if langs != nil && !slices.Contains(langs, b.Lang()) {
			p.addf(b.Line, "atomic test note: code block of language %q in %q, but the executor is %s (use ```%s)", b.Lang(), s.Title, executor, langs[0])
			continue
		}
		code = append(code, b.Content)
	}
	return strings.Join(code, "")
}

// decodeTelemetry reads the telemetry key.
func decodeTelemetry(f *fields, required bool) []TelemetryRef {
	var out []TelemetryRef
	for _, tf := range f.list("telemetry", required, "telemetry", "each telemetry entry must be a mapping with path and kind") {
		r := TelemetryRef{Line: tf.line}
		r.Path = tf.str("path", true)
		if r.Path != "" {
			if c := path.Clean(r.Path); c != r.Path || strings.HasPrefix(r.Path, "/") || c == ".." || strings.HasPrefix(c, "../") || strings.Contains(r.Path, `\`) {
				f.p.addf(tf.lineOf("path"), "telemetry: path %q must be a clean, slash-separated path relative to the vault root, inside it", r.Path)
			}
		}
		r.Kind = TelemetryKind(tf.oneOf("kind", true, string(Authored), string(Recorded)))
		r.Format = tf.oneOf("format", false, telemetryFormats...)
		r.SHA256 = strings.ToLower(tf.str("sha256", false))
		if r.SHA256 != "" {
			if b, err := hex.DecodeString(r.SHA256); err != nil || len(b) != 32 {
				f.p.addf(tf.lineOf("sha256"), "telemetry: sha256 must be 64 hex digits")
				r.SHA256 = ""
			}
		}
		tf.unknown()
		out = append(out, r)
	}
	return out
}

// decodeKnownGaps reads the known_gaps key.
func decodeKnownGaps(f *fields) []KnownGap {
	var out []KnownGap
	for _, gf := range f.list("known_gaps", false, "known gap", "each known gap must be a mapping with rule, reason and fix") {
		g := KnownGap{Line: gf.line}
		g.Rule = gf.str("rule", true)
		g.Reason = gf.str("reason", true)
		g.Fix = gf.str("fix", true)
		gf.unknown()
		out = append(out, g)
	}
	return out
}

// decodeBenign reads the fields of a benign data note.
func decodeBenign(n *Note, p *problems) *Benign {
	f := frontFields(n, p)
	b := &Benign{Note: n}
	b.ID = readID(f)
	b.Name = f.str("name", true)
	b.Telemetry = decodeTelemetry(f, true)
	b.Silent = f.strs("silent", false)
	if v := f.get("silent_query"); v != nil {
		if v.Kind != yaml.ScalarNode {
			p.addf(v.Line, "front matter: silent_query must be a string such as \"tag:detection_rule\", found %s", nodeKindName(v))
		} else {
			q, qp := ParseQuery(v.Value, v.Line)
			for _, e := range qp {
				p.addf(e.Line, "front matter: silent_query: %s", e.Msg)
			}
			q.Line = v.Line
			b.SilentQuery = &q
		}
	}
	f.unknown()
	if len(b.Silent) == 0 && b.SilentQuery == nil {
		p.addf(f.line, "benign note: names no rule; give silent or silent_query")
	}
	return b
}
