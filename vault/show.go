package vault

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// ShowTechnique writes the technique note of id (T1559.001, T1559_001 or
// t1559.001) as text for a terminal: a header with its ATT&CK fields, then
// its body, with each ```query block replaced by the notes it finds: for
// rules their id, severity and name, for tests their id, executor, name
// and expectations, each with its last verdict when verdicts (which may be
// nil) knows it.
func (v *Vault) ShowTechnique(id string, verdicts Verdicts, w io.Writer) error {
	canon, ok := TechniqueID(id)
	if !ok {
		return fmt.Errorf("%q is not an ATT&CK technique id such as T1559.001", id)
	}
	t := v.TechniqueByID(canon)
	if t == nil {
		return fmt.Errorf("the vault has no technique note for %s", canon)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s  %s\n", t.ID, t.Name)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(bw, "%-10s %s\n", name+":", value)
		}
	}
	field("Tactics", strings.Join(t.Tactics, ", "))
	field("Platforms", strings.Join(t.Platforms, ", "))
	var attack []string
	if t.Version != "" {
		attack = append(attack, "version "+t.Version)
	}
	if t.LastModified != "" {
		attack = append(attack, "modified "+t.LastModified)
	}
	url := t.URL
	if len(attack) > 0 {
		url += " (" + strings.Join(attack, ", ") + ")"
	}
	field("ATT&CK", strings.TrimSpace(url))
	field("Note", t.Note.Path)

	s := &shower{v: v, verdicts: verdicts, w: bw}
	s.section(t.Note.Root)
	return bw.Flush()
}

type shower struct {
	v        *Vault
	verdicts Verdicts
	w        *bufio.Writer
	blank    bool // whether the last line written was blank
}

func (s *shower) write(text string) {
	if text == "" {
		return
	}
	s.w.WriteString(text)
	if !strings.HasSuffix(text, "\n") {
		s.w.WriteByte('\n')
	}
	s.blank = strings.HasSuffix(text, "\n\n") || text == "\n"
}

func (s *shower) section(sec *Section) {
	if sec.Level > 0 {
		if !s.blank {
			s.write("\n")
		}
		s.write(strings.Repeat("#", sec.Level) + " " + sec.Title + "\n")
	}
	for _, p := range sec.Parts {
		switch {
		case p.Code == nil:
			s.write(p.Text)
		case p.Code.Lang() == "query":
			s.query(p.Code)
		default:
			s.write(p.Code.render())
		}
	}
	for _, c := range sec.Children {
		s.section(c)
	}
}

func (s *shower) query(b *CodeBlock) {
	q, probs := ParseQuery(b.Content, b.ContentLine())
	if len(probs) > 0 {
		s.write(fmt.Sprintf("(query on line %d does not parse: %s)\n", b.Line, probs[0].Msg))
		return
	}
	notes := s.v.Query(q)
	var lines strings.Builder
	switch len(notes) {
	case 0:
		fmt.Fprintf(&lines, "%s: no note\n", q)
	case 1:
		fmt.Fprintf(&lines, "%s: 1 note\n", q)
	default:
		fmt.Fprintf(&lines, "%s: %d notes\n", q, len(notes))
	}
	for _, n := range notes {
		lines.WriteString("  - " + s.describe(n) + "\n")
	}
	s.write(lines.String())
}

// describe returns one line about a note a query found.
func (s *shower) describe(n *Note) string {
	switch n.Kind() {
	case KindRule:
		if r := s.ruleOf(n); r != nil {
			return fmt.Sprintf("rule %s [%s] %s — %s", r.ID, r.Severity, r.Name, s.verdict(KindRule, r.ID))
		}
	case KindTest:
		if t := s.testOf(n); t != nil {
			var exp []string
			if len(t.Fire) > 0 {
				exp = append(exp, "fires "+strings.Join(t.Fire, ", "))
			}
			if len(t.Silent) > 0 {
				exp = append(exp, "silent "+strings.Join(t.Silent, ", "))
			}
			for _, g := range t.KnownGaps {
				exp = append(exp, "known gap "+g.Rule)
			}
			return fmt.Sprintf("test %s [%s] %s (%s) — %s", t.ID, t.Executor, t.Name, strings.Join(exp, "; "), s.verdict(KindTest, t.ID))
		}
	case KindBenign:
		for _, b := range s.v.Benign {
			if b.Note == n {
				return fmt.Sprintf("benign %s %s — %s", b.ID, b.Name, s.verdict(KindBenign, b.ID))
			}
		}
	case KindTechnique:
		for _, t := range s.v.Techniques {
			if t.Note == n {
				return fmt.Sprintf("technique %s %s", t.ID, t.Name)
			}
		}
	}
	return "note " + n.Path
}

func (s *shower) ruleOf(n *Note) *Rule {
	for _, r := range s.v.Rules {
		if r.Note == n {
			return r
		}
	}
	return nil
}

func (s *shower) testOf(n *Note) *AtomicTest {
	for _, t := range s.v.Tests {
		if t.Note == n {
			return t
		}
	}
	return nil
}

func (s *shower) verdict(kind Kind, id string) string {
	if s.verdicts == nil {
		return "no verdict"
	}
	v, ok := s.verdicts.Last(kind, id)
	if !ok {
		return "no verdict"
	}
	out := "last verdict: " + v.Status
	if !v.Time.IsZero() {
		out += " at " + v.Time.UTC().Format(time.RFC3339)
	}
	if v.Detail != "" {
		out += ": " + strings.Join(strings.Fields(v.Detail), " ")
	}
	return out
}
