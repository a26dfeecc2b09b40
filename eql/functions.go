package eql

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/event"
)

// funcSpec describes one function of the Elasticsearch EQL reference.
type funcSpec struct {
	name        string // canonical spelling
	minArgs     int
	maxArgs     int  // -1 for any number
	tilde       bool // has a case-insensitive name~ variant
	usage       string
	eval        func(args []event.Value, fold bool) event.Value
	nullOnNulls bool // any null argument gives null (checked before eval)
}

// functions maps lower-case names to specs; Elasticsearch resolves function
// names case-insensitively.
var functions = map[string]*funcSpec{}

// endgameOnly lists functions of the original EQL that Elasticsearch lacks.
var endgameOnly = map[string]string{
	"arraycontains": "use : or in against the multi-valued field itself: process.args : \"x\"",
	"arraycount":    "",
	"arraysearch":   "use : or in against the multi-valued field itself",
	"match":         "use regex: field regex \"...\"",
	"matchlite":     "use regex: field regex \"...\"",
	"safe":          "",
	"wildcard":      "use like or : with * and ?: field : (\"a*\", \"*b\")",
}

func init() {
	for _, f := range []*funcSpec{
		{name: "add", minArgs: 2, maxArgs: 2, usage: "add(x, y)", nullOnNulls: true,
			eval: func(a []event.Value, _ bool) event.Value { return arith(PLUS, a[0], a[1]) }},
		{name: "subtract", minArgs: 2, maxArgs: 2, usage: "subtract(x, y)", nullOnNulls: true,
			eval: func(a []event.Value, _ bool) event.Value { return arith(MINUS, a[0], a[1]) }},
		{name: "multiply", minArgs: 2, maxArgs: 2, usage: "multiply(x, y)", nullOnNulls: true,
			eval: func(a []event.Value, _ bool) event.Value { return arith(STAR, a[0], a[1]) }},
		{name: "divide", minArgs: 2, maxArgs: 2, usage: "divide(x, y)", nullOnNulls: true,
			eval: func(a []event.Value, _ bool) event.Value { return arith(SLASH, a[0], a[1]) }},
		{name: "modulo", minArgs: 2, maxArgs: 2, usage: "modulo(x, y)", nullOnNulls: true,
			eval: func(a []event.Value, _ bool) event.Value { return arith(PERCENT, a[0], a[1]) }},
		{name: "between", minArgs: 3, maxArgs: 4, tilde: true, usage: "between(source, left, right[, greedy])", eval: fnBetween},
		{name: "cidrMatch", minArgs: 2, maxArgs: -1, usage: "cidrMatch(ip, \"10.0.0.0/8\", ...)", eval: fnCIDRMatch},
		{name: "concat", minArgs: 1, maxArgs: -1, usage: "concat(a, b, ...)", nullOnNulls: true, eval: fnConcat},
		{name: "endsWith", minArgs: 2, maxArgs: 2, tilde: true, usage: "endsWith(source, suffix)", nullOnNulls: true, eval: fnEndsWith},
		{name: "startsWith", minArgs: 2, maxArgs: 2, tilde: true, usage: "startsWith(source, prefix)", nullOnNulls: true, eval: fnStartsWith},
		{name: "stringContains", minArgs: 2, maxArgs: 2, tilde: true, usage: "stringContains(source, substring)", nullOnNulls: true, eval: fnStringContains},
		{name: "indexOf", minArgs: 2, maxArgs: 3, tilde: true, usage: "indexOf(source, substring[, start])", eval: fnIndexOf},
		{name: "length", minArgs: 1, maxArgs: 1, usage: "length(source)", nullOnNulls: true, eval: fnLength},
		{name: "number", minArgs: 1, maxArgs: 2, usage: "number(string[, base])", eval: fnNumber},
		{name: "string", minArgs: 1, maxArgs: 1, usage: "string(value)", nullOnNulls: true, eval: fnString},
		{name: "substring", minArgs: 2, maxArgs: 3, usage: "substring(source, start[, end])", eval: fnSubstring},
	} {
		functions[strings.ToLower(f.name)] = f
	}
}

func functionNames() []string {
	names := make([]string, 0, len(functions))
	for _, f := range functions {
		names = append(names, f.name)
	}
	sort.Strings(names)
	return names
}

func text(v event.Value) (string, bool) {
	return scalar(v).Text()
}

func fnBetween(a []event.Value, fold bool) event.Value {
	src, ok1 := text(a[0])
	left, ok2 := text(a[1])
	right, ok3 := text(a[2])
	if !ok1 || !ok2 || !ok3 {
		return vNull
	}
	greedy := false
	if len(a) > 3 {
		g := scalar(a[3])
		if g.IsNull() {
			return vNull
		}
		greedy, _ = g.Bool()
	}
	hay := src
	if fold {
		hay, left, right = foldString(src), foldString(left), foldString(right)
		if len(hay) != len(src) { // folding changed byte offsets; fall back to rune-safe search
			return event.String(betweenRunes(src, left, right, greedy))
		}
	}
	start := strings.Index(hay, left)
	if start < 0 {
		return event.String("")
	}
	start += len(left)
	var end int
	if greedy {
		end = strings.LastIndex(hay, right)
	} else {
		end = strings.Index(hay[start:], right)
		if end >= 0 {
			end += start
		}
	}
	if end < start {
		return event.String("")
	}
	return event.String(src[start:end])
}

func betweenRunes(src, left, right string, greedy bool) string {
	rs := []rune(src)
	folded := make([]string, len(rs))
	for i, r := range rs {
		folded[i] = foldString(string(r))
	}
	hay := strings.Join(folded, "")
	start := strings.Index(hay, left)
	if start < 0 {
		return ""
	}
	start += len(left)
	var end int
	if greedy {
		end = strings.LastIndex(hay, right)
	} else if end = strings.Index(hay[start:], right); end >= 0 {
		end += start
	}
	if end < start {
		return ""
	}
	// map folded byte offsets back to runes
	off, from, to := 0, -1, -1
	for i, f := range folded {
		if off == start {
			from = i
		}
		if off == end {
			to = i
		}
		off += len(f)
	}
	if off == end {
		to = len(rs)
	}
	if off == start && from < 0 {
		from = len(rs)
	}
	if from < 0 || to < from {
		return ""
	}
	return string(rs[from:to])
}

func fnCIDRMatch(a []event.Value, _ bool) event.Value {
	ipv := scalar(a[0])
	if ipv.IsNull() {
		return vNull
	}
	s, ok := ipv.Text()
	if !ok {
		return vNull
	}
	ip, ok := parseIP(s)
	if !ok {
		return vFalse
	}
	for _, c := range a[1:] {
		cs, ok := text(c)
		if !ok {
			continue
		}
		if p, ok := parseCIDR(cs); ok && p.Contains(ip) {
			return vTrue
		}
	}
	return vFalse
}

// parseCIDR parses "a.b.c.d/n" (host bits allowed, as Elasticsearch does)
// or a plain address.
func parseCIDR(s string) (netip.Prefix, bool) {
	if !strings.Contains(s, "/") {
		a, ok := parseIP(s)
		if !ok {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

func fnConcat(a []event.Value, _ bool) event.Value {
	var b strings.Builder
	for _, v := range a {
		s, ok := text(v)
		if !ok {
			return vNull
		}
		b.WriteString(s)
	}
	return event.String(b.String())
}

func twoStrings(a []event.Value, fold bool) (string, string, bool) {
	x, ok1 := text(a[0])
	y, ok2 := text(a[1])
	if !ok1 || !ok2 {
		return "", "", false
	}
	if fold {
		x, y = foldString(x), foldString(y)
	}
	return x, y, true
}

func fnEndsWith(a []event.Value, fold bool) event.Value {
	x, y, ok := twoStrings(a, fold)
	if !ok {
		return vNull
	}
	return boolValue(strings.HasSuffix(x, y))
}

func fnStartsWith(a []event.Value, fold bool) event.Value {
	x, y, ok := twoStrings(a, fold)
	if !ok {
		return vNull
	}
	return boolValue(strings.HasPrefix(x, y))
}

func fnStringContains(a []event.Value, fold bool) event.Value {
	x, y, ok := twoStrings(a, fold)
	if !ok {
		return vNull
	}
	return boolValue(strings.Contains(x, y))
}

func fnIndexOf(a []event.Value, fold bool) event.Value {
	if a[0].IsNull() || a[1].IsNull() {
		return vNull
	}
	x, y, ok := twoStrings(a, fold)
	if !ok {
		return vNull
	}
	start := 0
	if len(a) > 2 && !a[2].IsNull() {
		n, _, isInt, ok := numeric(a[2])
		if !ok || !isInt {
			return vNull
		}
		start = int(max(n, 0))
	}
	// indexes count characters
	rs := []rune(x)
	if start > len(rs) {
		return vNull
	}
	i := strings.Index(string(rs[start:]), y)
	if i < 0 {
		return vNull
	}
	return event.Int(int64(start + utf8.RuneCountInString(string(rs[start:])[:i])))
}

func fnLength(a []event.Value, _ bool) event.Value {
	s, ok := text(a[0])
	if !ok {
		return vNull
	}
	return event.Int(int64(utf8.RuneCountInString(s)))
}

func fnNumber(a []event.Value, _ bool) event.Value {
	v := scalar(a[0])
	if v.IsNull() {
		return vNull
	}
	base := 10
	if len(a) > 1 && !a[1].IsNull() {
		n, _, isInt, ok := numeric(a[1])
		if !ok || !isInt || n < 2 || n > 36 {
			return vNull
		}
		base = int(n)
	}
	if v.Kind() == event.KindInt || v.Kind() == event.KindFloat {
		return v
	}
	s, ok := v.Str()
	if !ok {
		return vNull
	}
	s = strings.TrimSpace(s)
	if base == 16 {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	}
	if n, err := strconv.ParseInt(s, base, 64); err == nil {
		return event.Int(n)
	}
	if base == 10 {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return event.Float(f)
		}
	}
	return vNull
}

func fnString(a []event.Value, _ bool) event.Value {
	s, ok := text(a[0])
	if !ok {
		return vNull
	}
	return event.String(s)
}

// fnSubstring takes characters [start, end) with Python-style negative
// offsets counted from the end.
func fnSubstring(a []event.Value, _ bool) event.Value {
	s, ok := text(a[0])
	if !ok || a[1].IsNull() {
		return vNull
	}
	rs := []rune(s)
	n := len(rs)
	start, _, isInt, ok := numeric(a[1])
	if !ok || !isInt {
		return vNull
	}
	end := int64(n)
	if len(a) > 2 && !a[2].IsNull() {
		e, _, isInt, ok := numeric(a[2])
		if !ok || !isInt {
			return vNull
		}
		end = e
	}
	norm := func(i int64) int {
		if i < 0 {
			i += int64(n)
		}
		return int(min(max(i, 0), int64(n)))
	}
	from, to := norm(start), norm(end)
	if from >= to {
		return event.String("")
	}
	return event.String(string(rs[from:to]))
}
