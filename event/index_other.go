//go:build !amd64

package event

import "unsafe"

// haveIndex reports whether the decoder indexes strings: the block
// classifier is vector code, written for amd64 only so far.
const haveIndex = false

// classifyBlocks stores the masks of the n 64-byte blocks at p in
// out[0:n].
func classifyBlocks(p *byte, n int, out *blockMasks) {
	classifyGo(unsafe.Slice(p, n*64), unsafe.Slice(out, n))
}
