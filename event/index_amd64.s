#include "textflag.h"

// func classifyBlocks(p *byte, n int, out *blockMasks)
//
// For each of the n 64-byte blocks at p, classifyBlocks stores three
// masks in out[k]: bit i of quote is set where byte 64k+i is '"', of
// backslash where it is '\', and of special where it is '\' or a control
// character (below 0x20).
TEXT ·classifyBlocks(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ out+16(FP), DI
	TESTQ CX, CX
	JZ done
	MOVQ $0x22, AX
	MOVQ AX, X1
	VPBROADCASTB X1, Y1 // '"'
	MOVQ $0x5c, AX
	MOVQ AX, X2
	VPBROADCASTB X2, Y2 // '\'
	MOVQ $0x1f, AX
	MOVQ AX, X3
	VPBROADCASTB X3, Y3 // 0x1f

loop:
	VMOVDQU (SI), Y4
	VMOVDQU 32(SI), Y5

	VPCMPEQB Y1, Y4, Y6
	VPCMPEQB Y1, Y5, Y7
	VPMOVMSKB Y6, AX
	VPMOVMSKB Y7, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, 0(DI)

	VPCMPEQB Y2, Y4, Y6
	VPCMPEQB Y2, Y5, Y7
	VPMINUB Y3, Y4, Y8
	VPMINUB Y3, Y5, Y9
	VPCMPEQB Y8, Y4, Y8
	VPCMPEQB Y9, Y5, Y9
	VPOR Y6, Y8, Y8
	VPOR Y7, Y9, Y9
	VPMOVMSKB Y6, AX
	VPMOVMSKB Y7, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, 8(DI)
	VPMOVMSKB Y8, AX
	VPMOVMSKB Y9, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, 16(DI)

	ADDQ $64, SI
	ADDQ $24, DI
	DECQ CX
	JNZ loop
	VZEROUPPER

done:
	RET
