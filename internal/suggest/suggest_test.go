package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"maxspan", "maxspan", 0},
		{"maxspn", "maxspan", 1},  // insertion
		{"maxsapn", "maxspan", 1}, // transposition
		{"kitten", "sitting", 3},
		{"abc", "acb", 1},
		{"lenght", "length", 1},
		{"", "ab", 2},
		{"ca", "abc", 3}, // OSA: no edit of a transposed pair
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"length", "startsWith", "endsWith", "wildcard"}
	tests := []struct {
		s, want string
	}{
		{"lenght", "length"},
		{"STARTSWITH", "startsWith"},
		{"startswit", "startsWith"},
		{"wildcrad", "wildcard"},
		{"ln", ""},        // two edits, but only two bytes
		{"substring", ""}, // too far from everything
		{"endsWithh", "endsWith"},
	}
	for _, tt := range tests {
		if got := Nearest(tt.s, names); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
