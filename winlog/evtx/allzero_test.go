package evtx

import "testing"

func TestAllZero(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 63, 64, 65, 127, 128, 200, ChunkSize} {
		b := make([]byte, n)
		if !allZero(b) {
			t.Errorf("allZero(%d zeros) = false", n)
		}
		for i := 0; i < n; i += max(1, n/97) {
			b[i] = 1
			if allZero(b) {
				t.Errorf("allZero(%d bytes, byte %d set) = true", n, i)
			}
			b[i] = 0
		}
		if n > 0 {
			b[n-1] = 0x80
			if allZero(b) {
				t.Errorf("allZero(%d bytes, last set) = true", n)
			}
		}
	}
}
