package winlog

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/event"
)

// The mapping parses event data by hand where the pipelines use regular
// expressions, strconv, time and strings. This file checks each parser
// against the expression or library call it stands for, on fixed inputs
// in TestParsers and on generated ones in FuzzParsers.

// refRegexps are the pipelines' regular expressions, as the mapping once
// used them. They are compiled when a test needs them, so that they do not
// weigh on the benchmarks of this package.
type refRegexps struct {
	qword, dword, v4Mapped, blanks, blank, detailOperation, detailClassic, parameterBinding,
	sdOwner, sdGroup, sdDacl, sdSacl, aceList, uidSuffix *regexp.Regexp
}

var refs = sync.OnceValue(func() *refRegexps {
	return &refRegexps{
		qword:            regexp.MustCompile(`(?i)^QWORD \(((0x[0-9A-F]{8})-(0x[0-9A-F]{8}))\)$`),
		dword:            regexp.MustCompile(`(?i)^DWORD \((0x[0-9A-F]{8})\)$`),
		v4Mapped:         regexp.MustCompile(`^\[?::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(?:\](?::[0-9]+)?)?$`),
		blanks:           regexp.MustCompile(`\s+`),
		blank:            regexp.MustCompile(`\s`),
		detailOperation:  regexp.MustCompile(`^(.+)\((.+)\):\s*(.+)?$`),
		detailClassic:    regexp.MustCompile(`^([^:(]+)\((.+)\):\s*(.+)?$`),
		parameterBinding: regexp.MustCompile(`^name=(.+);\s*value=(.+)$`),
		sdOwner:          regexp.MustCompile(`^O:[A-Z]{2}`),
		sdGroup:          regexp.MustCompile(`^G:[A-Z]{2}`),
		sdDacl:           regexp.MustCompile(`(D:([A-Z]*(\(.*\))*))`),
		sdSacl:           regexp.MustCompile(`(S:([A-Z]*(\(.*\))*))?$`),
		aceList:          regexp.MustCompile(`\([^*)]*\)`),
		uidSuffix:        regexp.MustCompile(`[0-9]{1,5}$`),
	}
})

// refJavaSplit is Java's String.split on a literal: trailing empty
// strings removed.
func refJavaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// refJavaSplitRegex is refJavaSplit with a regular-expression separator.
func refJavaSplitRegex(s string, re *regexp.Regexp) []string {
	parts := re.Split(s, -1)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// refRenderInsertions is renderInsertions as written with strconv.Atoi.
func refRenderInsertions(s string) string {
	if !strings.Contains(s, "%%") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "%%")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + 2
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		code, err := strconv.Atoi(s[i+2 : j])
		text, ok := msobjsRendered[code]
		if !ok {
			text, ok = msobjs[code]
		}
		b.WriteString(s[:i])
		if err == nil && ok {
			b.WriteString(text)
		} else {
			b.WriteString(s[i:j])
		}
		s = s[j:]
	}
}

// testDoc returns an empty document for the string helpers.
func testDoc() *doc {
	return &doc{nodes: make([]node, 1, 8), sb: &strBuf{}}
}

// strings of the array node arr.
func (d *doc) testStrings(arr int32) []string {
	out := []string{}
	for c := d.nodes[arr].first; c != 0; c = d.nodes[c].next {
		out = append(out, d.nodes[c].str)
	}
	return out
}

// parserSeeds are inputs for the parsers: edge cases of each, and
// values from the golden documents.
var parserSeeds = []string{
	"", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "a", "-", "0", "00", "+5", "-5", "-0", "+0", "08", "0x", "0X1f",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"00000000000000000000009", "99999999999999999999", "1_000", "１２",
	"QWORD (0x00000001-0x00000002)", "qword (0X0000000a-0x0000000B)", "QWORD (0x00000001-0x0000002)",
	"QWORD (0x00000001-0x00000002) ", "DWORD (0x00000010)", "dWoRd (0xFFFFFFFF)", "DWORD (0x0000001)",
	"DWORD (0x0000001g)", "Binary Data",
	"::ffff:10.0.0.1", "[::ffff:1.2.3.4]:80", "::ffff:1.2.3.4]", "[::ffff:1.2.3.4", "[::ffff:1.2.3.4]:",
	"::ffff:1.2.3", "::ffff:1.2.3.4.5", "::FFFF:1.2.3.4", "::ffff:01.2.3.400]:0",
	"type: 5 a.example.com", "type:  5 foo bar", "type:5", " type: 5", "type: 28\tb;c", "a  b\t\tc ", " a", "a ",
	"SeDebugPrivilege\n\t\t\tSeTcbPrivilege", "x\u00a0y\u3000z\u2028w",
	`ParameterBinding(Out-Null): name="InputObject"; value="True"`, `ParameterBinding(Out-Null): name="a";value="b";  value=c`,
	`CommandInvocation(Get-Item): "Get-Item"`, "Foo(bar):", "a(b)c(d): e", "a:b(c): d", "(x): y", "a(): y", "a(b):",
	"a(b):  ", "a(b)):x", "a((b):c", "name=x;value=y", "name=;value=y", "name=x;value=", "name=a;b; value=c;value=d",
	"O:BAG:SYD:(A;;0x1;;;S-1-5-21-1-2-3-500)(A;;GA;;;BA)S:(AU;SA;0x10;;;WD)", "D:(A;;FA;;;SY)", "O:SYG:SY",
	"G:BAD:(A;;GA;;;BA)", "xD:(A;;x;;;y)(*)\n(z)", "D:PAI(A;;0x1200a9;;;BU)(A;;FA;;;SY)S:AI(AU;SAFA;DCLCRPCRSDWDWO;;;WD)",
	"S:", "S:(", "S:()", "S:AB(x)\n", "aS:(x)S:(y)", "D:(a*b)(c)", "D:ABC", "(a)(b", "((a))",
	"S-1-5-21-1-2-3-500", "S-1-5-21-1-2-3-1234567", "123456", "x12",
	"%%1833", "%%1537 %%1538", "%%", "%%99999", "%%2049", "%%0001833", "%%-1", "a%%18xyz%%",
	"%%99999999999999999999999", "100%%", "CN=x\\,y,OU=a,DC=b,DC=c", "cn=u,ou=x,dc=corp,dc=com", "CCN==",
	"DOM\\user", "\\user", "DOM\\", "a\\b\\c", "a\\b\\", "\\\\", "\\",
	`HKLM\Software\x\y`, `HKEY_USERS\S-1\z`, "HKCU", `HKLM\`, `HKLM\\a\\`, `\x`,
	`"C:\x y\z.exe" -a "b c" \"d\\"`, `a"b c"d e`, `"a""b" c`, `\\\"x`, "\"", `a\\"b c`,
	"www.sub.example.co.uk", "a.example.com", "example.com", "com",
	"2019-03-18 16:57:38.123", "2019-02-30 10:00:00.000", "2019-03-18 16:57:38,123", "2019-03-18 6:57:38.123",
	"2019-03-18 24:00:00.000", "2019-03-18 23:59:60.000", "0000-01-01 00:00:00.000", "9999-12-31 23:59:59.999",
	"2000-02-29 00:00:00.000", "1900-02-29 00:00:00.000", "2019-13-01 00:00:00.000", "2019-03-18 16:57:38.12x",
	"Host Name", "HostName", "\xff\xfe", "\xe2\x80", "İstanbul", "ǅ", "ß", "K",
}

func TestParsers(t *testing.T) {
	for _, s := range parserSeeds {
		checkParsers(t, s)
	}
	for _, a := range parserSeeds {
		for _, b := range []string{"", " ", "\n", ";", "=", ","} {
			checkParsers(t, a+b+a)
		}
	}
}

func FuzzParsers(f *testing.F) {
	for _, s := range parserSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParsers)
}

func checkParsers(t *testing.T, s string) {
	t.Helper()
	checkNumbers(t, s)
	checkText(t, s)
	checkSplits(t, s)
	checkPatterns(t, s)
	checkTimes(t, s)
}

func checkNumbers(t *testing.T, s string) {
	t.Helper()
	n, ok := parseInt(s)
	wn, err := strconv.ParseInt(s, 10, 64)
	if ok != (err == nil) || ok && n != wn {
		t.Errorf("parseInt(%q) = %d, %v; strconv gives %d, %v", s, n, ok, wn, err)
	}
	if digitsOnly(s) {
		a, ok := atoiDigits(s)
		wa, err := strconv.Atoi(s)
		if ok != (err == nil) || ok && a != wa {
			t.Errorf("atoiDigits(%q) = %d, %v; strconv gives %d, %v", s, a, ok, wa, err)
		}
	}
	if s == "" || s[0] != '-' && s[0] != '+' {
		for _, base := range []int{8, 10, 16} {
			u, ok := parseUnsigned(s, base)
			wu, err := strconv.ParseInt(s, base, 64)
			if ok != (err == nil) || ok && u != wu {
				t.Errorf("parseUnsigned(%q, %d) = %d, %v; strconv gives %d, %v", s, base, u, ok, wu, err)
			}
		}
	}
	msg, ok := lookupMessage(s)
	wantMsg, wantOK := "", false
	if c, err := strconv.Atoi(s); err == nil && strconv.Itoa(c) == s {
		wantMsg, wantOK = msobjs[c]
	}
	if msg != wantMsg || ok != wantOK {
		t.Errorf("lookupMessage(%q) = %q, %v; want %q, %v", s, msg, ok, wantMsg, wantOK)
	}
	if s == "" {
		return
	}
	hi, lo, ok := parseQword(s)
	if m := refs().qword.FindStringSubmatch(s); m != nil {
		whi, _ := strconv.ParseInt(m[2][2:], 16, 64)
		wlo, _ := strconv.ParseInt(m[3][2:], 16, 64)
		if !ok || hi != whi || lo != wlo {
			t.Errorf("parseQword(%q) = %d, %d, %v; want %d, %d", s, hi, lo, ok, whi, wlo)
		}
	} else if ok {
		t.Errorf("parseQword(%q) matched", s)
	}
	v, ok := parseDword(s)
	if m := refs().dword.FindStringSubmatch(s); m != nil {
		wv, _ := strconv.ParseInt(m[1][2:], 16, 64)
		if !ok || v != wv {
			t.Errorf("parseDword(%q) = %d, %v; want %d", s, v, ok, wv)
		}
	} else if ok {
		t.Errorf("parseDword(%q) matched", s)
	}
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkText(t *testing.T, s string) {
	t.Helper()
	d := testDoc()
	if got, want := d.lower(s), strings.ToLower(s); got != want {
		t.Errorf("lower(%q) = %q, want %q", s, got, want)
	}
	if got, want := d.upper(s), strings.ToUpper(s); got != want {
		t.Errorf("upper(%q) = %q, want %q", s, got, want)
	}
	for _, old := range []string{"\r\n", "%%", "{", "ab"} {
		if got, want := d.replace(s, old, "<>"), strings.ReplaceAll(s, old, "<>"); got != want {
			t.Errorf("replace(%q, %q) = %q, want %q", s, old, got, want)
		}
	}
	for _, render := range []bool{false, true} {
		want := strings.ReplaceAll(s, "\r\n", "\n")
		if render {
			want = refRenderInsertions(want)
		}
		if got := d.eventText(s, render); got != want {
			t.Errorf("eventText(%q, %v) = %q, want %q", s, render, got, want)
		}
	}
	if got, want := d.removeEither(s, "CN=", "cn="), strings.NewReplacer("CN=", "", "cn=", "").Replace(s); got != want {
		t.Errorf("removeEither(%q) = %q, want %q", s, got, want)
	}
	if got, want := d.removeBlanks(s), refs().blank.ReplaceAllString(s, ""); got != want {
		t.Errorf("removeBlanks(%q) = %q, want %q", s, got, want)
	}
	if got, want := symOf(s), symIndex[s]; got != want {
		t.Errorf("symOf(%q) = %d, want %d", s, got, want)
	}
	if got, want := ridSuffix(s), refs().uidSuffix.FindString(s); got != want {
		t.Errorf("ridSuffix(%q) = %q, want %q", s, got, want)
	}
	if got, want := unmapV4(s), s; true {
		if m := refs().v4Mapped.FindStringSubmatch(s); m != nil {
			want = m[1]
		}
		if got != want {
			t.Errorf("unmapV4(%q) = %q, want %q", s, got, want)
		}
	}
}

func checkSplits(t *testing.T, s string) {
	t.Helper()
	d := testDoc()
	ref := refJavaSplitRegex(s, refs().blanks)
	second, third, n := blankFields(s)
	if (n >= 2) != (len(ref) >= 2) || (n == 3) != (len(ref) == 3) ||
		len(ref) >= 2 && second != ref[1] || len(ref) >= 3 && third != ref[2] {
		t.Errorf("blankFields(%q) = %q, %q, %d; split gives %q", s, second, third, n, ref)
	}
	arr := d.newNode(event.KindArray)
	d.pushBlankSplit(arr, s)
	if got := d.testStrings(arr); !slices.Equal(got, append([]string{}, ref...)) {
		t.Errorf("pushBlankSplit(%q) = %q, want %q", s, got, ref)
	}
	if got, want := painlessSplit(s, nil), painlessSplitRunes(s); !slices.Equal(got, want) {
		t.Errorf("painlessSplit(%q) = %q, want %q", s, got, want)
	}
	arr = d.newNode(event.KindArray)
	n = d.pushNaiveArgs(arr, s)
	if got, want := d.testStrings(arr), SplitCommandLineNaive(s); n != len(want) || !slices.Equal(got, append([]string{}, want...)) {
		t.Errorf("pushNaiveArgs(%q) = %q (%d), want %q", s, got, n, want)
	}
	var args []string
	for cmd := s; cmd != ""; {
		if cmd[0] == ' ' || cmd[0] == '\t' {
			cmd = cmd[1:]
			continue
		}
		var arg string
		arg, cmd = d.nextArg(cmd)
		args = append(args, arg)
	}
	if want := SplitCommandLine(s); !slices.Equal(args, want) {
		t.Errorf("nextArg splits %q into %q, want %q", s, args, want)
	}
	domain, name, ok := splitDomainUser(s)
	if parts := refJavaSplit(s, `\`); ok != (len(parts) == 2) || ok && (domain != parts[0] || name != parts[1]) {
		t.Errorf("splitDomainUser(%q) = %q, %q, %v; split gives %q", s, domain, name, ok, parts)
	}
	first, fourth, count := splitMemberName(s)
	if parts := refSplitMemberName(s); first != parts[0] || count != len(parts) || count >= 4 && fourth != parts[3] {
		t.Errorf("splitMemberName(%q) = %q, %q, %d; want %q", s, first, fourth, count, parts)
	}
	// The registry key parts, from a split on backslashes.
	tokens := refJavaSplit(s, `\`)
	if len(tokens) == 0 {
		tokens = []string{""}
	}
	tt := strings.TrimRight(s, `\`)
	hive, rest, more := strings.Cut(tt, `\`)
	value := tt[strings.LastIndexByte(tt, '\\')+1:]
	if hive != tokens[0] || more != (len(tokens) > 1) || more && rest != strings.Join(tokens[1:], `\`) ||
		value != tokens[len(tokens)-1] {
		t.Errorf("registry parts of %q: %q, %q, %v, %q; split gives %q", s, hive, rest, more, value, tokens)
	}
}

// refSplitMemberName is splitMemberName as it was written, returning
// every part.
func refSplitMemberName(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && (i == 0 || s[i-1] != '\\') {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func checkPatterns(t *testing.T, s string) {
	t.Helper()
	if !strings.Contains(s, "\n") { // the invocation lines are split on newlines first
		for _, c := range []struct {
			name  string
			parse func(string) (string, string, string, bool)
			re    *regexp.Regexp
		}{
			{"invocationOperation", invocationOperation, refs().detailOperation},
			{"invocationClassic", invocationClassic, refs().detailClassic},
		} {
			typ, cmd, rest, ok := c.parse(s)
			m := c.re.FindStringSubmatch(s)
			if ok != (m != nil) || ok && (typ != m[1] || cmd != m[2] || rest != m[3]) {
				t.Errorf("%s(%q) = %q, %q, %q, %v; regexp gives %q", c.name, s, typ, cmd, rest, ok, m)
			}
		}
		name, value, ok := parameterBinding(s)
		m := refs().parameterBinding.FindStringSubmatch(s)
		if ok != (m != nil) || ok && (name != m[1] || value != m[2]) {
			t.Errorf("parameterBinding(%q) = %q, %q, %v; regexp gives %q", s, name, value, ok, m)
		}
	}
	if got, want := sdAlias(s, 'O'), refs().sdOwner.FindString(s); got != want {
		t.Errorf("sdAlias(%q, O) = %q, want %q", s, got, want)
	}
	if got, want := sdAlias(s, 'G'), refs().sdGroup.FindString(s); got != want {
		t.Errorf("sdAlias(%q, G) = %q, want %q", s, got, want)
	}
	dacl, ok := sdDACL(s)
	if m := refs().sdDacl.FindStringSubmatch(s); ok != (m != nil) || ok && dacl != m[1] {
		t.Errorf("sdDACL(%q) = %q, %v; regexp gives %q", s, dacl, ok, m)
	}
	if got, want := sdSACL(s), refs().sdSacl.FindString(s); got != want {
		t.Errorf("sdSACL(%q) = %q, want %q", s, got, want)
	}
	if got, want := aceEntries(s, nil), refs().aceList.FindAllString(s, -1); !slices.Equal(got, want) {
		t.Errorf("aceEntries(%q) = %q, want %q", s, got, want)
	}
}

func checkTimes(t *testing.T, s string) {
	t.Helper()
	ns, ok := parseUtcTime(s)
	tm, err := time.Parse("2006-01-02 15:04:05.000", s)
	if ok != (err == nil) || ok && ns != tm.UnixNano() {
		t.Errorf("parseUtcTime(%q) = %d, %v; time.Parse gives %v, %v", s, ns, ok, tm, err)
	}
	// Times from the bytes of s, and around the ends of the range.
	var v int64
	for i := 0; i < len(s) && i < 8; i++ {
		v = v<<8 | int64(s[i])
	}
	d := testDoc()
	for _, ns := range []int64{v, -v, v / 1000, v % (1 << 40) * 977, math.MaxInt64, math.MinInt64, 0, 1, -1,
		math.MaxInt64 / 2, math.MinInt64 / 2, -1e9, -1e9 - 1, -86400e9, -86400e9 + 1, 951782400e9 - 1,
		951782400e9, 951868800e9, 4107542400e9 + 123456789, -2208988800e9 + 999} {
		if got, want := d.timeNanos(ns), event.FormatTimeNanos(ns); got != want {
			t.Errorf("timeNanos(%d) = %q, want %q", ns, got, want)
		}
		if got, want := d.millis(ns), event.FormatTime(ns); got != want {
			t.Errorf("millis(%d) = %q, want %q", ns, got, want)
		}
	}
}

// TestJavaHashOrderOf checks the allocation-free hash order of Sysmon's
// hash names against javaHashOrder.
func TestJavaHashOrderOf(t *testing.T) {
	names := []string{"SHA1", "MD5", "SHA256", "IMPHASH", "SHA384", "a", "b", "MD5 ", "x.y", "Ω", "sha1"}
	for n := 0; n <= len(names); n++ {
		for start := 0; start+n <= len(names); start++ {
			keys := names[start : start+n]
			var pairs []hashPair
			for _, k := range keys {
				pairs = append(pairs, hashPair{k: k})
			}
			var got []string
			for _, i := range javaHashOrderOf(pairs, nil) {
				got = append(got, keys[i])
			}
			if want := javaHashOrder(keys); !slices.Equal(got, want) && len(keys) > 0 {
				t.Errorf("javaHashOrderOf(%q) = %q, want %q", keys, got, want)
			}
		}
	}
	// More names than fit a HashMap's 16 buckets.
	var keys []string
	var pairs []hashPair
	for i := range 20 {
		keys = append(keys, "K"+strconv.Itoa(i))
		pairs = append(pairs, hashPair{k: keys[i]})
	}
	var got []string
	for _, i := range javaHashOrderOf(pairs, nil) {
		got = append(got, keys[i])
	}
	if want := javaHashOrder(keys); !slices.Equal(got, want) {
		t.Errorf("javaHashOrderOf(20 keys) = %q, want %q", got, want)
	}
}

// TestParsersLinear runs the parsers, and the mapping, on large inputs
// made to defeat naive scanning: they must take time in proportion to
// their input, as the expressions they replace do (a quadratic parser
// would not finish in the test's time). Names the mapping does not know
// are still found by a scan of their object, as before: the Hashes case
// has few names.
func TestParsersLinear(t *testing.T) {
	const n = 1 << 19
	inputs := []string{
		strings.Repeat("S:(", n/3) + "\n",
		strings.Repeat("(", n),
		strings.Repeat("S:A", n/3),
		"name=" + strings.Repeat("; ", n/2),
		strings.Repeat("a(", n/2) + "):",
		strings.Repeat(".a", n/2),
		strings.Repeat(" ", n),
		strings.Repeat(`"\`, n/2),
		strings.Repeat("%%", n/2),
		strings.Repeat("CN=", n/3),
	}
	for _, s := range inputs {
		d := testDoc()
		sdSACL(s)
		sdDACL(s)
		aceEntries(s, nil)
		invocationOperation(s)
		invocationClassic(s)
		parameterBinding(s)
		blankFields(s)
		painlessSplit(s, nil)
		d.pushBlankSplit(d.newNode(event.KindArray), s)
		d.pushNaiveArgs(d.newNode(event.KindArray), s)
		d.renderInsertions(s)
		d.removeEither(s, "CN=", "cn=")
		for cmd := s; cmd != ""; {
			if cmd[0] == ' ' || cmd[0] == '\t' {
				cmd = cmd[1:]
				continue
			}
			_, cmd = d.nextArg(cmd)
		}
	}
	// Whole events with such values.
	var hashes strings.Builder
	for i := range n / 4 {
		hashes.WriteString("H" + strconv.Itoa(i%100) + "=1,")
	}
	for _, r := range []*Record{
		{Channel: channelSysmon, Provider: providerSysmon, EventID: 1,
			EventData: []Data{{Name: "Hashes", Value: hashes.String()}, {Name: "CommandLine", Value: inputs[7]}}},
		{Channel: channelSysmon, Provider: providerSysmon, EventID: 22,
			EventData: []Data{{Name: "QueryName", Value: inputs[5][1:]}, {Name: "QueryResults", Value: strings.Repeat("type: 5 a;", n/10)}}},
		{Channel: channelSecurity, Provider: providerSecurity, EventID: 4670,
			EventData: []Data{{Name: "OldSd", Value: inputs[0]}, {Name: "NewSd", Value: "D:" + inputs[1]}, {Name: "AccessMask", Value: inputs[8]}}},
		{Channel: channelPowerShellOp, Provider: providerPowerShell, EventID: 4103,
			EventData: []Data{{Name: "Payload", Value: inputs[3]}, {Name: "ContextInfo", Value: strings.Repeat("a = b\n", n/6)}}},
	} {
		if doc := ToECS(r); doc.Kind() != event.KindObject {
			t.Errorf("event %d: mapped to %s", r.EventID, doc.Kind())
		}
	}
}
