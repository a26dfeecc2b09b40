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
