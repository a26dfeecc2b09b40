package eql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldString lower-cases s for case-insensitive comparison, with an
// allocation-free fast path for strings that are already lower-case ASCII.
func foldString(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		if 'A' <= c && c <= 'Z' {
			return foldASCIIFrom(s, i)
		}
	}
	return s
}

func foldASCIIFrom(s string, i int) string {
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// wildcard is a compiled Elasticsearch wildcard pattern: '*' matches any
// run of characters and '?' exactly one; every other character, backslash
// included, stands for itself.
type wildcard struct {
	q     bool // '?' is a wildcard (it is literal in the original EQL's ==)
	kind  wildKind
	lit   string   // for exact, prefix, suffix, contains
	parts []string // for general: the pieces between '*', which may hold '?'
	fold  bool     // case-insensitive: lit/parts are folded, values must be folded before matching
}

type wildKind uint8

const (
	wildExact wildKind = iota
	wildPrefix
	wildSuffix
	wildContains
	wildAll // "*"
	wildGeneral
)

// compileWildcard compiles pattern; fold makes it case-insensitive.
func compileWildcard(pattern string, fold bool) *wildcard {
	return compileWildcardQ(pattern, fold, true)
}

// compileWildcardQ compiles pattern with '?' as a wildcard or not.
func compileWildcardQ(pattern string, fold, q bool) *wildcard {
	if fold {
		pattern = foldString(pattern)
	}
	w := &wildcard{fold: fold, q: q}
	meta := "*?"
	if !q {
		meta = "*"
	}
	if !strings.ContainsAny(pattern, meta) {
		w.kind, w.lit = wildExact, pattern
		return w
	}
	if strings.Trim(pattern, "*") == "" {
		w.kind = wildAll
		return w
	}
	if !q || !strings.Contains(pattern, "?") {
		inner := strings.Trim(pattern, "*")
		if !strings.Contains(inner, "*") {
			lead, trail := pattern[0] == '*', pattern[len(pattern)-1] == '*'
			w.lit = inner
			switch {
			case lead && trail:
				w.kind = wildContains
			case lead:
				w.kind = wildSuffix
			case trail:
				w.kind = wildPrefix
			}
			return w
		}
	}
	w.kind = wildGeneral
	w.parts = strings.Split(pattern, "*")
	return w
}

// matchFold reports whether s matches a case-insensitive pattern, folding
// s on the fly for ASCII values (no allocation) and by a lower-cased copy
// otherwise.
func (w *wildcard) matchFold(s string) bool {
	if !isASCII(s) {
		return w.match(foldString(s))
	}
	return w.matchFoldASCII(s)
}

// matchFoldASCII is matchFold for an ASCII s.
func (w *wildcard) matchFoldASCII(s string) bool {
	switch w.kind {
	case wildExact:
		return len(s) == len(w.lit) && equalFoldASCII(s, w.lit)
	case wildPrefix:
		return len(s) >= len(w.lit) && equalFoldASCII(s[:len(w.lit)], w.lit)
	case wildSuffix:
		return len(s) >= len(w.lit) && equalFoldASCII(s[len(s)-len(w.lit):], w.lit)
	case wildContains:
		return indexFoldASCII(s, w.lit) >= 0
	case wildGeneral:
		return matchPartsFoldASCII(w.parts, s, w.q)
	}
	return true // wildAll
}

// hasFolded reports whether set holds the folded form of s. A short
// ASCII s is folded into a stack buffer, and a map lookup keyed by
// string(bytes) does not allocate.
func hasFolded(set map[string]bool, s string) bool {
	var buf [64]byte
	if len(s) > len(buf) || !isASCII(s) {
		return set[foldString(s)]
	}
	b := buf[:len(s)]
	for i := range b {
		b[i] = lowerASCII(s[i])
	}
	return set[string(b)]
}

// isASCII reports whether s is all ASCII. It runs on every value a
// case-insensitive pattern tests, paths and command lines included, so it
// checks eight bytes at a time.
func isASCII(s string) bool {
	if len(s) >= 8 {
		// Whole words, then the last eight bytes (which may overlap
		// the last word checked).
		for i := 0; i+8 < len(s); i += 8 {
			if load64(s[i:])&highBits != 0 {
				return false
			}
		}
		return load64(s[len(s)-8:])&highBits == 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// highBits has the high bit of each of eight bytes set.
const highBits = 0x8080808080808080

// load64 returns the first eight bytes of s as a little-endian word (the
// compiler turns it into one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII compares an ASCII string with a lower-case pattern of the
// same length.
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		if lowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// indexFoldASCII finds a lower-case ASCII needle in an ASCII string,
// ignoring case.
func indexFoldASCII(s, lower string) int {
	if len(lower) == 0 {
		return 0
	}
	if a := caselessByte(lower); a >= 0 {
		// Candidates are where that byte is, which IndexByte finds many
		// bytes at a time; lower[a] is s[i].
		c, n := lower[a], len(lower)
		for i := a; i <= len(s)-n+a; i++ {
			j := strings.IndexByte(s[i:len(s)-n+a+1], c)
			if j < 0 {
				return -1
			}
			if i += j; equalFoldASCII(s[i-a:i-a+n], lower) {
				return i - a
			}
		}
		return -1
	}
	first := lower[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+len(lower) <= len(s); i++ {
		if c := s[i]; (c == first || c == upper) && equalFoldASCII(s[i:i+len(lower)], lower) {
			return i
		}
	}
	return -1
}

// caselessByte returns the index of the first byte of s that is not a
// letter (a path separator, a dot, a digit), which has one case only, or
// -1 if s is all letters.
func caselessByte(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return i
		}
	}
	return -1
}

// matchPartsFoldASCII is matchParts for an ASCII s and pieces that are
// already lower-case, comparing s case-insensitively instead of folding
// a copy of it. For an ASCII s one character is one byte, so it follows
// matchParts step for step with byte offsets; pieces holding non-ASCII
// characters simply never match.
func matchPartsFoldASCII(parts []string, s string, q bool) bool {
	first := parts[0]
	if !hasPrefixFoldQ(s, first, q) {
		return false
	}
	s = s[len(first):]
	if len(parts) == 1 {
		return s == ""
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" {
			continue
		}
		i := indexFoldQ(s, p, q)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	last := parts[len(parts)-1]
	return len(s) >= len(last) && hasPrefixFoldQ(s[len(s)-len(last):], last, q)
}

// hasPrefixFoldQ reports whether the ASCII string s starts with the
// lower-case piece p, ignoring case; with q, a '?' in p matches any byte.
func hasPrefixFoldQ(s, p string, q bool) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; lowerASCII(s[i]) != c && (!q || c != '?') {
			return false
		}
	}
	return true
}

// indexFoldQ finds the first position where the lower-case piece p
// matches in the ASCII string s, ignoring case ('?' as in hasPrefixFoldQ).
func indexFoldQ(s, p string, q bool) int {
	if !q || strings.IndexByte(p, '?') < 0 {
		return indexFoldASCII(s, p)
	}
	for i := 0; i+len(p) <= len(s); i++ {
		if hasPrefixFoldQ(s[i:], p, q) {
			return i
		}
	}
	return -1
}

// match reports whether s matches; s must already be folded when w.fold.
func (w *wildcard) match(s string) bool {
	switch w.kind {
	case wildExact:
		return s == w.lit
	case wildPrefix:
		return strings.HasPrefix(s, w.lit)
	case wildSuffix:
		return strings.HasSuffix(s, w.lit)
	case wildContains:
		return strings.Contains(s, w.lit)
	case wildAll:
		return true
	}
	return matchParts(w.parts, s, w.q)
}

// matchParts matches pieces separated by '*' (each may hold '?').
func matchParts(parts []string, s string, q bool) bool {
	// First piece is anchored at the start, last at the end.
	first := parts[0]
	n, ok := matchAt(first, s, q)
	if !ok {
		return false
	}
	s = s[n:]
	if len(parts) == 1 {
		return s == ""
	}
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" {
			continue
		}
		i := indexQ(s, p, q)
		if i < 0 {
			return false
		}
		m, _ := matchAt(p, s[i:], q)
		s = s[i+m:]
	}
	if last == "" {
		return true
	}
	// The last piece must match a suffix; try the shortest tails first.
	lastRunes := runeLen(last)
	if !q || !strings.Contains(last, "?") {
		return strings.HasSuffix(s, last)
	}
	// Walk back lastRunes characters from the end.
	i := len(s)
	for k := 0; k < lastRunes; k++ {
		if i == 0 {
			return false
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	m, ok := matchAt(last, s[i:], q)
	return ok && i+m == len(s)
}

func runeLen(p string) int { return utf8.RuneCountInString(p) }

// matchAt matches piece p (with '?' for one character) at the start of s,
// returning the number of bytes consumed.
func matchAt(p, s string, q bool) (int, bool) {
	i := 0
	for _, pr := range p {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (pr != '?' || !q) && pr != r {
			return 0, false
		}
		i += size
	}
	return i, true
}

// indexQ finds the first position where piece p matches in s.
func indexQ(s, p string, q bool) int {
	if !q || !strings.Contains(p, "?") {
		return strings.Index(s, p)
	}
	// Anchor on the longest literal run of the piece, then verify.
	for i := 0; i < len(s); {
		if _, ok := matchAt(p, s[i:], q); ok {
			return i
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return -1
}

// ---------------------------------------------------------------------------
// Lucene regular expressions

// compileLuceneRegexp translates a pattern in Lucene's RegExp syntax, which
// Elasticsearch's regex and regex~ operators use, into an anchored Go
// regular expression. Lucene regexps always match the whole value, '.'
// matches any character, "..." quotes a literal string, '\' escapes any
// character, @ is any string, # the empty language, and <n-m> a numeric
// interval. Intersection (&) and complement (~) have no RE2 equivalent and
// are rejected.
func compileLuceneRegexp(pattern string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	if fold {
		b.WriteString(`(?i)`)
	}
	depth := 0
	for i := 0; i < len(pattern); {
		r, size := utf8.DecodeRuneInString(pattern[i:])
		switch r {
		case '\\':
			if i+size >= len(pattern) {
				return nil, fmt.Errorf("trailing backslash at offset %d", i)
			}
			e, esize := utf8.DecodeRuneInString(pattern[i+size:])
			switch e {
			case 'd', 'D', 's', 'S', 'w', 'W':
				b.WriteRune('\\')
				b.WriteRune(e)
			default:
				b.WriteString(regexp.QuoteMeta(string(e)))
			}
			i += size + esize
			continue
		case '"':
			end := strings.IndexByte(pattern[i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quoted string at offset %d", i)
			}
			b.WriteString(regexp.QuoteMeta(pattern[i+1 : i+1+end]))
			i += end + 2
			continue
		case '[':
			end, class, err := luceneClass(pattern, i)
			if err != nil {
				return nil, err
			}
			b.WriteString(class)
			i = end
			continue
		case '@':
			b.WriteString(`.*`)
		case '#':
			b.WriteString(`[^\x00-\x{10FFFF}]`) // matches nothing
		case '<':
			end := strings.IndexByte(pattern[i:], '>')
			if end < 0 {
				return nil, fmt.Errorf("unterminated numeric interval at offset %d", i)
			}
			alt, err := numericInterval(pattern[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			b.WriteString(alt)
			i += end + 1
			continue
		case '&', '~':
			return nil, fmt.Errorf("operator %q at offset %d is not supported", r, i)
		case '(':
			depth++
			b.WriteString(`(?:`)
		case ')':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("unbalanced ')' at offset %d", i)
			}
			b.WriteByte(')')
		case '.', '?', '+', '*', '|', '{', '}':
			b.WriteRune(r)
		case '^', '$':
			b.WriteString(regexp.QuoteMeta(string(r)))
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		i += size
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced '('")
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("%v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return re, nil
}

// luceneClass translates a character class starting at pattern[i] == '['.
func luceneClass(pattern string, i int) (int, string, error) {
	var b strings.Builder
	b.WriteByte('[')
	j := i + 1
	if j < len(pattern) && pattern[j] == '^' {
		b.WriteByte('^')
		j++
	}
	first := true
	for j < len(pattern) {
		r, size := utf8.DecodeRuneInString(pattern[j:])
		if r == ']' && !first {
			b.WriteByte(']')
			return j + size, b.String(), nil
		}
		first = false
		switch r {
		case '\\':
			if j+size >= len(pattern) {
				return 0, "", fmt.Errorf("trailing backslash in class at offset %d", j)
			}
			e, esize := utf8.DecodeRuneInString(pattern[j+size:])
			b.WriteString(classEscape(e))
			j += size + esize
			continue
		case '-':
			b.WriteByte('-')
		default:
			b.WriteString(classEscape(r))
		}
		j += size
	}
	return 0, "", fmt.Errorf("unterminated character class at offset %d", i)
}

func classEscape(r rune) string {
	switch r {
	case '\\', ']', '[', '^', '-':
		return `\` + string(r)
	}
	if r < 0x20 || r == unicode.ReplacementChar {
		return fmt.Sprintf(`\x{%x}`, r)
	}
	return string(r)
}

// numericInterval turns Lucene's <n-m> into an alternation of the decimal
// numbers in the range (bounded to keep the expression small).
func numericInterval(s string) (string, error) {
	parts := strings.SplitN(s, "-", 2)
	if len(parts) != 2 {
		return "", fmt.Errorf("invalid numeric interval <%s>", s)
	}
	lo, err1 := strconv.Atoi(parts[0])
	hi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || lo > hi {
		return "", fmt.Errorf("invalid numeric interval <%s>", s)
	}
	if hi-lo > 10000 {
		return "", fmt.Errorf("numeric interval <%s> is too wide", s)
	}
	var b strings.Builder
	b.WriteString(`0*(?:`)
	for n := lo; n <= hi; n++ {
		if n > lo {
			b.WriteByte('|')
		}
		b.WriteString(strconv.Itoa(n))
	}
	b.WriteByte(')')
	return b.String(), nil
}
