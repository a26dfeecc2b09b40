package event

import (
	"math/rand/v2"
	"testing"
)

// TestStringStop checks the word-at-a-time scanner against a byte loop on
// random text rich in the bytes it stops at and their neighbours (0x1f,
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
		}
	}
}

// TestPlainEnd checks plainEnd against a byte loop for every range of
// random text, so that bytes past the end of the range never count.
func TestPlainEnd(t *testing.T) {
	alphabet := []byte{'a', '"', '\\', 0x00, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xdc, 0xff}
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 1000; n++ {
		data := make([]byte, rng.IntN(30))
		for i := range data {
			if rng.IntN(3) == 0 {
				data[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				data[i] = 'a' + byte(rng.IntN(26))
			}
		}
		for i := 0; i <= len(data); i++ {
			for end := i; end <= len(data); end++ {
				want := i
				for want < end && data[want] != '\\' && data[want] >= 0x20 {
					want++
				}
				if got := plainEnd(data, i, end); got != want {
					t.Fatalf("plainEnd(%q, %d, %d) = %d, want %d", data, i, end, got, want)
				}
			}
		}
	}
}
