package eql

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

// FuzzMatchFold checks that the case-insensitive matchers that compare
// without folding a copy of the value agree with folding it first.
func FuzzMatchFold(f *testing.F) {
	for _, s := range [][2]string{
		{`C:\Users\*\AppData\Roaming\*\Startup\*`, `C:\USERS\a\appdata\Roaming\x\startup\y.lnk`},
		{`*mshtml*RunHTMLApplication*`, `rundll32 MSHTML,RunHTMLApplication`},
		{`a?c*d?`, `ABCxxDe`},
		{`*?b`, `ab`},
		{`?`, `é`},
		{`*k*`, "\u212a"},
		{"*\u212a*", "xkx"},
		{`x*?*y`, `XaY`},
	} {
		f.Add(s[0], s[1], true)
		f.Add(s[0], s[1], false)
	}
	f.Fuzz(func(t *testing.T, pattern, s string, q bool) {
		w := compileWildcardQ(pattern, true, q)
		if got, want := w.matchFold(s), w.match(foldString(s)); got != want {
			t.Errorf("pattern %q (q=%v) on %q: matchFold %v, folded match %v", pattern, q, s, got, want)
		}
		for _, contains := range []bool{false, true} {
			p := &prefixTest{s: foldString(pattern), fold: true, contains: contains}
			v := event.String(s)
			want := strings.HasPrefix(foldString(s), p.s)
			if contains {
				want = strings.Contains(foldString(s), p.s)
			}
			if got := p.test(&v); got != want {
				t.Errorf("prefixTest{%q, contains=%v} on %q: %v, want %v", p.s, contains, s, got, want)
			}
		}
		set := map[string]bool{foldString(pattern): true}
		if got, want := hasFolded(set, s), set[foldString(s)]; got != want {
			t.Errorf("hasFolded(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

// TestIsASCII checks the word-at-a-time ASCII test with a non-ASCII byte
// at every position of strings of every length up to three words.
func TestIsASCII(t *testing.T) {
	for n := 0; n <= 24; n++ {
		s := strings.Repeat("a", n)
		if !isASCII(s) {
			t.Errorf("isASCII(%q) = false", s)
		}
		for i := 0; i < n; i++ {
			b := []byte(s)
			b[i] = 0x80
			if isASCII(string(b)) {
				t.Errorf("isASCII(%q) = true", b)
			}
		}
	}
}

// TestIndexFoldASCII checks the case-insensitive search against
// strings.Index on lower-cased text, for needles all of letters and
// needles with a caseless byte at their start, middle and end, which
// the search anchors on, with false candidates before the match.
func TestIndexFoldASCII(t *testing.T) {
	haystacks := []string{
		"", "a", `C:\Windows\System32\cmd.exe`, `c:\windows\SYSTEM32\CMD.EXE /c x.exe`,
		`\\\\x\\ab\\AB\\abc`, "-e -en -enc -ENC", "a.b.c.d", "xxxxxxxxxx.", ".xxxxxxxxxx",
	}
	needles := []string{
		"", "a", "cmd", "system", `\`, `\system32\`, ".exe", "cmd.exe", "-enc", "en", `\ab\`,
		`\abc`, "ab\\", "x.", ".x", "d", "xxxxxxxxxxx", `c:\windows\system32\cmd.exe /c x.exe`,
	}
	for _, s := range haystacks {
		for _, n := range needles {
			if got, want := indexFoldASCII(s, n), strings.Index(strings.ToLower(s), n); got != want {
				t.Errorf("indexFoldASCII(%q, %q) = %d, want %d", s, n, got, want)
			}
		}
	}
}
