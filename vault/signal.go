package vault

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-sec/vigil/internal/suggest"
)

// A Signal is an event an atomic test is expected to produce: an event of
// a channel or provider with an event id, whose fields satisfy every
// condition.
type Signal struct {
	Channel    string // event log channel: "Microsoft-Windows-Sysmon/Operational", "Security"
	Provider   string // event provider: "Microsoft-Windows-Sysmon"
	EventID    int
	Conditions []Condition // ANDed
	Optional   bool        // expected only under a configuration Note names (an audit policy, say)
	Note       string      // free text: why, or when, the event appears
	Line       int         // line of the signal in the note
}

// Op is the comparison of a condition.
type Op string

// The comparisons of a condition. All but OpRegexp ignore case.
const (
	OpEquals     Op = "equals"     // Field: value
	OpContains   Op = "contains"   // Field|contains: value
	OpStartsWith Op = "startswith" // Field|startswith: value
	OpEndsWith   Op = "endswith"   // Field|endswith: value
	OpRegexp     Op = "re"         // Field|re: RE2 expression, unanchored, case-sensitive unless (?i)
)

// A Condition tests one field of an event.
type Condition struct {
	Field  string   // as written: "CommandLine" or "process.command_line"; the consumer resolves it
	Op     Op       // the comparison
	Values []string // ORed: the condition holds when the field matches any value
	Not    bool     // the condition holds when the field matches no value (or is absent)
	Line   int      // line of the condition in the note

	res []*regexp.Regexp // Values compiled, for OpRegexp
}

// String returns the condition in the vault's syntax:
// `CommandLine|contains: ["Schedule.Service"]`.
func (c Condition) String() string {
	key := c.Field
	if c.Not {
		key += "|not"
	}
	if c.Op != OpEquals && c.Op != "" {
		key += "|" + string(c.Op)
	}
	quoted := make([]string, len(c.Values))
	for i, v := range c.Values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return key + ": [" + strings.Join(quoted, ", ") + "]"
}

// Matches reports whether the condition holds for a field with the given
// value; present is false when the event lacks the field, which fails a
// condition and satisfies a negated one.
func (c Condition) Matches(value string, present bool) bool {
	if !present {
		return c.Not
	}
	hit := false
	for i, v := range c.Values {
		switch c.Op {
		case OpEquals, "":
			hit = strings.EqualFold(value, v)
		case OpContains:
			hit = strings.Contains(strings.ToLower(value), strings.ToLower(v))
		case OpStartsWith:
			hit = len(value) >= len(v) && strings.EqualFold(value[:len(v)], v)
		case OpEndsWith:
			hit = len(value) >= len(v) && strings.EqualFold(value[len(value)-len(v):], v)
		case OpRegexp:
			var re *regexp.Regexp
			if i < len(c.res) {
				re = c.res[i]
			} else if r, err := regexp.Compile(v); err == nil {
				re = r
			}
			hit = re != nil && re.MatchString(value)
		}
		if hit {
			break
		}
	}
	return hit != c.Not
}

// Matches reports whether an event is the signal: its channel and provider
// are those of the signal where the signal gives them (ignoring case), its
// event id is EventID, and every condition holds for the value field
// returns for the condition's field.
func (s Signal) Matches(channel, provider string, eventID int, field func(name string) (value string, ok bool)) bool {
	if s.Channel != "" && !strings.EqualFold(s.Channel, channel) ||
		s.Provider != "" && !strings.EqualFold(s.Provider, provider) ||
		s.EventID != eventID {
		return false
	}
	for _, c := range s.Conditions {
		if !c.Matches(field(c.Field)) {
			return false
		}
	}
	return true
}

// decodeSignals reads the signals key.
func decodeSignals(f *fields) []Signal {
	var out []Signal
	for _, sf := range f.list("signals", true, "signal", "each signal must be a mapping") {
		s := Signal{Line: sf.line}
		s.Channel = sf.str("channel", false)
		s.Provider = sf.str("provider", false)
		if s.Channel == "" && s.Provider == "" {
			f.p.addf(sf.line, "signal: give a channel or a provider")
		}
		if id, ok := sf.integer("event_id", true); ok {
			if id < 0 || id > 65535 {
				f.p.addf(sf.lineOf("event_id"), "signal: event_id must be from 0 to 65535, found %d", id)
			}
			s.EventID = id
		}
		s.Optional = sf.boolean("optional")
		s.Note = sf.str("note", false)
		if w := sf.get("where"); w != nil {
			s.Conditions = decodeWhere(f.p, w)
		}
		sf.unknown()
		out = append(out, s)
	}
	return out
}

// decodeWhere reads the conditions of a signal: a mapping of
// "Field|modifier...: value or list", or a list of such mappings (to test
// one field twice).
func decodeWhere(p *problems, w *yaml.Node) []Condition {
	var maps []*yaml.Node
	switch w.Kind {
	case yaml.MappingNode:
		maps = []*yaml.Node{w}
	case yaml.SequenceNode:
		for _, item := range w.Content {
			if item.Kind != yaml.MappingNode {
				p.addf(item.Line, "signal: items of where must be mappings of field to value, found %s", nodeKindName(item))
				continue
			}
			maps = append(maps, item)
		}
	default:
		p.addf(w.Line, "signal: where must be a mapping of field to value, found %s", nodeKindName(w))
		return nil
	}
	var out []Condition
	for _, m := range maps {
		for i := 0; i+1 < len(m.Content); i += 2 {
			out = append(out, decodeCondition(p, m.Content[i], m.Content[i+1])...)
		}
	}
	return out
}

var modifiers = []string{"contains", "startswith", "endswith", "re", "all", "not"}

// decodeCondition reads one "Field|modifiers: values" entry; the all
// modifier gives one condition per value.
func decodeCondition(p *problems, k, v *yaml.Node) []Condition {
	if k.Kind != yaml.ScalarNode {
		p.addf(k.Line, "signal: a field name must be a string, found %s", nodeKindName(k))
		return nil
	}
	parts := strings.Split(k.Value, "|")
	c := Condition{Field: strings.TrimSpace(parts[0]), Op: OpEquals, Line: k.Line}
	if c.Field == "" {
		p.addf(k.Line, "signal: condition %q has no field name", k.Value)
		return nil
	}
	all := false
	for _, m := range parts[1:] {
		m = strings.ToLower(strings.TrimSpace(m))
		switch m {
		case "contains", "startswith", "endswith", "re":
			if c.Op != OpEquals {
				p.addf(k.Line, "signal: condition %q has two comparisons, %s and %s", k.Value, c.Op, m)
				return nil
			}
			c.Op = Op(m)
		case "all":
			all = true
		case "not":
			c.Not = true
		default:
			msg := fmt.Sprintf("signal: unknown modifier %q in %q (known: %s)", m, k.Value, strings.Join(modifiers, ", "))
			if s := suggest.Nearest(m, modifiers); s != "" {
				msg = fmt.Sprintf("signal: unknown modifier %q in %q (did you mean %q?)", m, k.Value, s)
			}
			p.addf(k.Line, "%s", msg)
			return nil
		}
	}
	if all && c.Not {
		p.addf(k.Line, "signal: condition %q: not and all cannot be combined; not with a list already means none of the values", k.Value)
		return nil
	}
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	var items []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{v}
	case yaml.SequenceNode:
		items = v.Content
	}
	for _, item := range items {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			p.addf(item.Line, "signal: values of %s must be strings or numbers, found %s", k.Value, nodeKindName(item))
			return nil
		}
		c.Values = append(c.Values, item.Value)
		if c.Op == OpRegexp {
			re, err := regexp.Compile(item.Value)
			if err != nil {
				p.addf(item.Line, "signal: %s: bad regular expression: %v", k.Value, err)
				return nil
			}
			c.res = append(c.res, re)
		}
	}
	if len(c.Values) == 0 {
		p.addf(v.Line, "signal: %s needs a value or a list of values, found %s", k.Value, nodeKindName(v))
		return nil
	}
	if !all {
		return []Condition{c}
	}
	out := make([]Condition, len(c.Values))
	for i := range c.Values {
		out[i] = c
		out[i].Values = []string{c.Values[i]}
		if c.res != nil {
			out[i].res = []*regexp.Regexp{c.res[i]}
		}
	}
	return slices.Clip(out)
}
