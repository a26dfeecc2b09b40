package event

import (
	"encoding/binary"
	"math/bits"
)

// The string scanner reads eight bytes at a time as one uint64 and finds
// the bytes that end a plain run of string text (a quote, a backslash or a
// control character) with word arithmetic. JSON text is mostly strings,
// and most of them are short keys and values, for which this beats a call
// to bytes.IndexByte per string and a byte loop per backslash check.
const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
	swarQuote = '"' * swarOnes
	swarBack  = '\\' * swarOnes
	swarSpace = ' ' * swarOnes
)

// nextQuote returns the index of the first quote at or after i, or
// len(data). Most strings in JSON text are short, and for them this is
// about a third faster than bytes.IndexByte, whose vector set-up does not
// pay off in a few bytes.
func nextQuote(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		q := binary.LittleEndian.Uint64(data[i:]) ^ swarQuote
		if m := (q - swarOnes) &^ q & swarHighs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(data); i++ {
		if data[i] == '"' {
			return i
		}
	}
	return i
}

// PassString follows a JSON string from data[i], a byte of its text after
// the opening quote, to just past its closing quote, and returns that
// index with closed true. escaped says whether the byte before data[i]
// was a backslash that escapes data[i]. When data ends first it returns
// len(data), closed false and whether the last byte escapes the next, so
// that a reader can go on with the next chunk of the text. It checks
// nothing: a control character is passed over as part of the string.
func PassString(data []byte, i int, escaped bool) (end int, closed, escapedAtEnd bool) {
	for i < len(data) {
		if escaped {
			escaped = false
			i++
			continue
		}
		if i = stringStop(data, i); i == len(data) {
			break
		}
		switch data[i] {
		case '"':
			return i + 1, true, false
		case '\\':
			escaped = true
		}
		i++
	}
	return len(data), false, escaped
}

// stringStop returns the index of the first byte at or after i that is a
// quote, a backslash or a control character (below 0x20), or len(data).
func stringStop(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		q := w ^ swarQuote
		b := w ^ swarBack
		// (x - 0x01…) &^ x has the high bit set in the lowest zero byte
		// of x (bytes above it may be set too, by the borrow); likewise
		// (w - 0x20…) &^ w for the lowest byte below 0x20. So the lowest
		// set bit of the union is exactly the first stop byte.
		m := ((q - swarOnes) &^ q) | ((b - swarOnes) &^ b) | ((w - swarSpace) &^ w)
		if m &= swarHighs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(data); i++ {
		if c := data[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}
