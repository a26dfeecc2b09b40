package eql

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// FieldType is the Elasticsearch mapping type of a field, which decides
// how its values compare.
type FieldType uint8

// The field types the engine distinguishes. Unknown fields are typed by the
// JSON value they hold, as Elasticsearch's dynamic mapping would.
const (
	TypeUnknown FieldType = iota
	TypeKeyword           // keyword, constant_keyword, wildcard
	TypeText              // text: only usable through its keyword sub-field
	TypeLong              // long, integer, short, byte, unsigned_long
	TypeDouble            // double, float, half_float, scaled_float
	TypeDate              // date, date_nanos
	TypeIP                // ip
	TypeBoolean           // boolean
	TypeVersion           // version (semantic version ordering)
)

var typeNames = map[string]FieldType{
	"keyword": TypeKeyword, "constant_keyword": TypeKeyword, "wildcard": TypeKeyword, "match_only_text": TypeText,
	"text": TypeText, "long": TypeLong, "integer": TypeLong, "short": TypeLong, "byte": TypeLong, "unsigned_long": TypeLong,
	"double": TypeDouble, "float": TypeDouble, "half_float": TypeDouble, "scaled_float": TypeDouble,
	"date": TypeDate, "date_nanos": TypeDate, "ip": TypeIP, "boolean": TypeBoolean, "version": TypeVersion,
}

// Schema describes the fields of an index: their types, aliases and
// null_value substitutes, as an Elasticsearch mapping does. A nil *Schema
// means dynamic typing.
type Schema struct {
	Types      map[string]FieldType   // full dotted name -> type
	Aliases    map[string]string      // alias -> target field
	NullValues map[string]event.Value // field -> value searched for an explicit null
}

// resolve follows an alias.
func (s *Schema) resolve(name string) string {
	if s == nil {
		return name
	}
	for i := 0; i < 8; i++ {
		t, ok := s.Aliases[name]
		if !ok {
			break
		}
		name = t
	}
	return name
}

func (s *Schema) typeOf(name string) (FieldType, bool) {
	if s == nil {
		return TypeUnknown, false
	}
	t, ok := s.Types[name]
	return t, ok
}

// ParseMapping reads an Elasticsearch index mapping ({"properties": ...},
// optionally wrapped in {"mappings": ...}) into a Schema. Lines starting
// with '#' are ignored, as in Elasticsearch's test mappings.
func ParseMapping(data []byte) (*Schema, error) {
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		lines = append(lines, l)
	}
	var root struct {
		Mappings   *mappingNode            `json:"mappings"`
		Properties map[string]*mappingNode `json:"properties"`
	}
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &root); err != nil {
		return nil, fmt.Errorf("parse mapping: %w", err)
	}
	props := root.Properties
	if root.Mappings != nil {
		props = root.Mappings.Properties
	}
	s := &Schema{Types: map[string]FieldType{}, Aliases: map[string]string{}, NullValues: map[string]event.Value{}}
	var walk func(prefix string, props map[string]*mappingNode) error
	walk = func(prefix string, props map[string]*mappingNode) error {
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			m := props[n]
			full := prefix + n
			switch {
			case m.Type == "alias":
				s.Aliases[full] = m.Path
			case m.Type == "object" || m.Type == "nested" || (m.Type == "" && m.Properties != nil):
				if err := walk(full+".", m.Properties); err != nil {
					return err
				}
			default:
				t, ok := typeNames[m.Type]
				if !ok {
					t = TypeKeyword
					if strings.HasPrefix(m.Type, "[runtime_random_keyword_type]") {
						t = TypeKeyword
					} else if m.Type == "" {
						continue
					}
				}
				s.Types[full] = t
				if len(m.NullValue) > 0 {
					var d event.Decoder
					v, err := d.Decode(append([]byte(nil), m.NullValue...))
					if err != nil {
						return fmt.Errorf("field %s: null_value: %w", full, err)
					}
					s.NullValues[full] = v
				}
				for sub, sm := range m.Fields {
					st, ok := typeNames[sm.Type]
					if !ok {
						st = TypeKeyword
					}
					s.Types[full+"."+sub] = st
				}
			}
		}
		return nil
	}
	if err := walk("", props); err != nil {
		return nil, err
	}
	return s, nil
}

type mappingNode struct {
	Type       string                  `json:"type"`
	Path       string                  `json:"path"`
	Properties map[string]*mappingNode `json:"properties"`
	Fields     map[string]*mappingNode `json:"fields"`
	NullValue  json.RawMessage         `json:"null_value"`
}

// ---------------------------------------------------------------------------
// Typed values

// coerce converts a raw document value to the form its field type compares
// in: numbers for numeric fields, strings for keywords, nanoseconds for
// dates. It returns Missing when the value cannot be represented (which
// Elasticsearch would have rejected or ignored at index time).
func coerce(v event.Value, t FieldType) event.Value {
	switch t {
	case TypeKeyword, TypeText, TypeVersion, TypeIP:
		if v.Kind() == event.KindString {
			return v
		}
		if s, ok := v.Text(); ok {
			return event.String(s)
		}
	case TypeLong:
		switch v.Kind() {
		case event.KindInt:
			return v
		case event.KindFloat:
			f, _ := v.Float()
			return event.Int(int64(f))
		case event.KindString:
			s, _ := v.Str()
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				return event.Int(n)
			}
			if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				return event.Int(int64(f))
			}
			return event.Missing
		}
	case TypeDouble:
		if f, ok := v.Float(); ok {
			return event.Float(f)
		}
		if s, ok := v.Str(); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				return event.Float(f)
			}
		}
		return event.Missing
	case TypeDate:
		if ns, ok := event.Time(v); ok {
			return event.Int(ns)
		}
		return event.Missing
	case TypeBoolean:
		switch v.Kind() {
		case event.KindBool:
			return v
		case event.KindString:
			s, _ := v.Str()
			switch s {
			case "true":
				return event.Bool(true)
			case "false", "":
				return event.Bool(false)
			}
			return event.Missing
		}
	}
	return v
}

// compareVersions orders semantic versions as Elasticsearch's version type
// does: numeric major.minor.patch, pre-releases before releases, and invalid
// versions after all valid ones, ordered as strings.
func compareVersions(a, b string) int {
	va, okA := parseSemver(a)
	vb, okB := parseSemver(b)
	switch {
	case okA && !okB:
		return -1
	case !okA && okB:
		return 1
	case !okA && !okB:
		return strings.Compare(a, b)
	}
	for i := 0; i < len(va.nums) || i < len(vb.nums); i++ {
		var x, y uint64
		if i < len(va.nums) {
			x = va.nums[i]
		}
		if i < len(vb.nums) {
			y = vb.nums[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case va.pre == vb.pre:
		return 0
	case va.pre == "":
		return 1
	case vb.pre == "":
		return -1
	}
	return strings.Compare(va.pre, vb.pre)
}

type semver struct {
	nums []uint64
	pre  string
}

func parseSemver(s string) (semver, bool) {
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	var v semver
	if i := strings.IndexByte(s, '-'); i >= 0 {
		v.pre = s[i+1:]
		s = s[:i]
		if v.pre == "" {
			return v, false
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return v, false
	}
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil || (len(p) > 1 && p[0] == '0') {
			return v, false
		}
		v.nums = append(v.nums, n)
	}
	return v, true
}

// parseIP parses an address as Elasticsearch's ip type accepts it.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
