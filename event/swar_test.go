package event

import (
	"math/rand/v2"
	"testing"
)

// TestStringStop checks the word-at-a-time scanners against byte loops on
// random text rich in the bytes they stop at and their neighbours (0x1f,
// 0x20, 0x21, 0x5b, 0x5d, 0x80, 0xff), at every start offset.
func TestStringStop(t *testing.T) {
	alphabet := []byte{'a', '"', '\\', 0x00, 0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 2000; n++ {
		data := make([]byte, rng.IntN(40))
		for i := range data {
			if rng.IntN(4) == 0 {
				data[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				data[i] = 'a' + byte(rng.IntN(26))
			}
		}
		for start := 0; start <= len(data); start++ {
			want := start
			for want < len(data) && data[want] != '"' && data[want] != '\\' && data[want] >= 0x20 {
				want++
			}
			if got := stringStop(data, start); got != want {
				t.Fatalf("stringStop(%q, %d) = %d, want %d", data, start, got, want)
			}
			quote := start
			for quote < len(data) && data[quote] != '"' {
				quote++
			}
			if got := nextQuote(data, start); got != quote {
				t.Fatalf("nextQuote(%q, %d) = %d, want %d", data, start, got, quote)
			}
		}
	}
}

// TestPassString follows strings whole and split in two chunks at every
// byte: a reader resuming with the escape state must find the same end.
func TestPassString(t *testing.T) {
	for _, tt := range []struct {
		text string // after the opening quote
		end  int    // just past the closing quote, or -1 for none
	}{
		{`abc"rest`, 4},
		{`a\"b"`, 5},
		{`a\\"b"`, 4},
		{`\\\\\"x"`, 8},
		{"a\nb\"", 4},
		{`no end\"`, -1},
		{`"`, 1},
		{`long run of plain text past eight bytes\\\" and more" x`, 53},
	} {
		data := []byte(tt.text)
		end, closed, _ := PassString(data, 0, false)
		if !closed {
			end = -1
		}
		if end != tt.end {
			t.Errorf("PassString(%q) = %d, want %d", tt.text, end, tt.end)
		}
		for cut := 0; cut <= len(data); cut++ {
			e, closed, esc := PassString(data[:cut], 0, false)
			if !closed {
				e, closed, _ = PassString(data, cut, esc)
			}
			if !closed {
				e = -1
			}
			if e != tt.end {
				t.Errorf("PassString(%q) cut at %d = %d, want %d", tt.text, cut, e, tt.end)
			}
		}
	}
}
