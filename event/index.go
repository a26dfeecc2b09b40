package event

import "math/bits"

// The string index finds where every string of a JSON text ends before
// the decoder reads it, so that passing over a string costs a bit scan
// rather than a walk over its bytes. It is the first stage of the
// simdjson design (Langdale and Lemire, "Parsing Gigabytes of JSON per
// Second", 2019): vector compares classify each 64-byte block of the text
// into bit masks of quotes, backslashes and control characters, and word
// arithmetic on the backslash mask drops the quotes that backslashes
// escape. The decoder still reads every byte outside strings, so it
// checks the grammar exactly as it does without the index.

// blockMasks classifies one 64-byte block of text: bit i of a mask stands
// for byte i of the block.
type blockMasks struct {
	quote     uint64 // '"'; after build, only the quotes no backslash escapes
	backslash uint64 // '\'
	special   uint64 // '\' or a control character (below 0x20)
}

// minIndexed is the shortest text the decoder indexes: below it, the
// string scanner's word loop is as quick as building the index.
// maxIndexed is the longest: a Decoder keeps its index's storage, 24 bytes
// per 64 of text, so it holds at most 384 KB.
const (
	minIndexed = 128
	maxIndexed = 1 << 20
)

// spaces64 pads the last block of a text.
const spaces64 = "                                                                "

// strIndex holds the block masks of one text.
type strIndex struct {
	blocks []blockMasks
	n      int // length of the text
}

// build classifies data and marks its string delimiters.
func (ix *strIndex) build(data []byte) {
	nb := (len(data) + 63) >> 6
	if cap(ix.blocks) < nb {
		ix.blocks = make([]blockMasks, nb, nb+nb/2)
	}
	ix.blocks, ix.n = ix.blocks[:nb], len(data)
	full := len(data) >> 6
	if full > 0 {
		classifyBlocks(&data[0], full, &ix.blocks[0])
	}
	if rest := len(data) & 63; rest != 0 {
		// Spaces pad the last block: they are none of the three classes.
		var tail [64]byte
		copy(tail[copy(tail[:], data[full<<6:]):], spaces64)
		classifyBlocks(&tail[0], 1, &ix.blocks[full])
	}
	var carry uint64
	for k := range ix.blocks {
		b := &ix.blocks[k]
		if b.backslash != 0 || carry != 0 {
			b.quote &^= escapedBytes(b.backslash, &carry)
		}
	}
}

// escapedBytes returns the mask of the bytes of a block that a backslash
// escapes: those after an odd run of backslashes, and every second
// backslash of a run. carry is 1 when the last block ended in an escape
// that escapes this block's first byte, and is set for the next block.
//
// A run that starts on an even bit and one that starts on an odd bit
// escape bytes of opposite parity; adding the run-start bits of one parity
// to the backslash mask carries through those runs, which flips the parity
// mask exactly over them.
func escapedBytes(backslash uint64, carry *uint64) uint64 {
	const even = 0x5555555555555555
	backslash &^= *carry // an escaped backslash escapes nothing
	follows := backslash<<1 | *carry
	oddStarts := backslash &^ even &^ follows
	evenRuns, c := bits.Add64(oddStarts, backslash, 0)
	*carry = c
	return (even ^ evenRuns<<1) & follows
}

// nextQuote returns the index of the first quote at or after i that no
// backslash escapes, or the text's length.
func (ix *strIndex) nextQuote(i int) int {
	k := i >> 6
	if k < len(ix.blocks) {
		if w := ix.blocks[k].quote >> (uint(i) & 63); w != 0 {
			return i + bits.TrailingZeros64(w)
		}
		for k++; k < len(ix.blocks); k++ {
			if w := ix.blocks[k].quote; w != 0 {
				return k<<6 + bits.TrailingZeros64(w)
			}
		}
	}
	return ix.n
}

// nextSpecial returns the index of the first backslash or control
// character at or after i, or the text's length.
func (ix *strIndex) nextSpecial(i int) int {
	k := i >> 6
	if k < len(ix.blocks) {
		if w := ix.blocks[k].special >> (uint(i) & 63); w != 0 {
			return i + bits.TrailingZeros64(w)
		}
		for k++; k < len(ix.blocks); k++ {
			if w := ix.blocks[k].special; w != 0 {
				return k<<6 + bits.TrailingZeros64(w)
			}
		}
	}
	return ix.n
}

// classifyGo is classifyBlocks in plain Go: the reference the vector code
// is tested against, and the code on machines without it.
func classifyGo(p []byte, out []blockMasks) {
	for k := range out {
		var m blockMasks
		for i, c := range p[k<<6 : k<<6+64] {
			bit := uint64(1) << i
			switch {
			case c == '"':
				m.quote |= bit
			case c == '\\':
				m.backslash |= bit
				m.special |= bit
			case c < 0x20:
				m.special |= bit
			}
		}
		out[k] = m
	}
}
