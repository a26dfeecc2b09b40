package event

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// FuzzTime checks the fast path for the usual timestamp shape, alone and
// through a TimeCache, against the general parser.
func FuzzTime(f *testing.F) {
	for _, s := range []string{
		"2026-01-01T00:00:00.026Z", "2024-02-29T23:59:60Z", "2023-02-31T24:00:00.123456789Z",
		"1970-01-01T00:00:00Z", "2261-12-31T23:59:59.9Z", "2262-04-12T00:00:00Z", "1969-12-31T23:59:59Z",
		"2026-01-01T00:00:00.0000000001Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+01:00",
		"2026-13-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01t00:00:00Z", "1700000000000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := String(s)
		gotNS, gotOK := ParseTime(s)
		wantNS, wantOK := parseTimeGeneral(s)
		if gotNS != wantNS || gotOK != wantOK {
			t.Errorf("ParseTime(%q) = %d, %v; the general parser gives %d, %v", s, gotNS, gotOK, wantNS, wantOK)
		}
		// A cache primed with the minute of s, and one primed with
		// another minute, must agree too.
		for _, prime := range []string{s, "2026-01-01T00:00:00.026Z"} {
			var c TimeCache
			p := String(prime)
			c.Time(&p)
			if ns, ok := c.Time(&v); ns != wantNS || ok != wantOK {
				t.Errorf("TimeCache primed with %q: Time(%q) = %d, %v; the general parser gives %d, %v", prime, s, ns, ok, wantNS, wantOK)
			}
		}
	})
}

// TestTimeDates compares the fast path for the usual timestamp shape with
// the general parser
// over dates of every shape it takes, rollovers included.
func TestTimeDates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var c TimeCache // sees runs of timestamps in one minute
	prev := ""
	for i := 0; i < 200_000; i++ {
		year := 1960 + rng.IntN(320)
		if i%4 == 0 {
			year = rng.IntN(10000)
		}
		s := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", year, rng.IntN(14), rng.IntN(33), rng.IntN(26), rng.IntN(61), rng.IntN(62))
		if n := rng.IntN(12); n > 0 {
			s += "." + fmt.Sprint(rng.Int64())[:min(n-1, 10)]
		}
		s += "Z"
		got, gotOK := ParseTime(s)
		want, wantOK := parseTimeGeneral(s)
		if got != want || gotOK != wantOK {
			t.Fatalf("ParseTime(%q) = %d, %v; the general parser gives %d, %v", s, got, gotOK, want, wantOK)
		}
		if i%2 == 1 && len(s) > 17 {
			// The same minute as the previous timestamp.
			s = prev[:min(17, len(prev))] + s[17:]
			want, wantOK = parseTimeGeneral(s)
		}
		v := String(s)
		if got, gotOK := c.Time(&v); got != want || gotOK != wantOK {
			t.Fatalf("TimeCache.Time(%q) = %d, %v; the general parser gives %d, %v", s, got, gotOK, want, wantOK)
		}
		prev = s
	}
}
