package event

import "golang.org/x/sys/cpu"

// haveIndex reports whether the decoder indexes strings: the block
// classifier needs AVX2.
var haveIndex = cpu.X86.HasAVX2

// classifyBlocks stores the masks of the n 64-byte blocks at p in
// out[0:n]; it needs AVX2.
//
//go:noescape
func classifyBlocks(p *byte, n int, out *blockMasks)
