//go:build amd64 && !purego

#include "textflag.h"

DATA tabConsts<>+0(SB)/8, $0x3fdfffffffffffff // halfBits − 1
DATA tabConsts<>+8(SB)/8, $0x3e60000000000000 // tabMinBits
DATA tabConsts<>+16(SB)/8, $0x0180000000000000 // halfBits − tabMinBits
DATA tabConsts<>+24(SB)/8, $1.0
GLOBL tabConsts<>(SB), RODATA|NOPTR, $32

// func tableLoopAsm(coef, dst []float64, stride int, src []float64, shift uint, first, span int, wmask uint64, wscale float64) int
//
// tableLoopGo step by step (grid.locate, then eval). R8 holds the address
// of the coefficients less 32·first, so that interval i of the lower side
// is at R8 + 32·(b >> shift) and of the upper side span intervals further.
TEXT ·tableLoopAsm(SB), NOSPLIT, $0-128
	MOVQ  coef_base+0(FP), R8
	MOVQ  first+88(FP), AX
	SHLQ  $5, AX
	SUBQ  AX, R8
	MOVQ  dst_base+24(FP), DI
	MOVQ  stride+48(FP), R9
	SHLQ  $3, R9
	MOVQ  src_base+56(FP), SI
	MOVQ  src_len+64(FP), DX
	MOVQ  shift+80(FP), CX
	MOVQ  span+96(FP), R11
	MOVQ  wmask+104(FP), R12
	MOVSD wscale+112(FP), X7
	MOVSD tabConsts<>+24(SB), X6
	XORQ  R10, R10
	TESTQ DX, DX
	JZ    tdone

tloop:
	MOVSD  (SI), X0                // p
	MOVQ   X0, AX                  // b
	MOVAPD X6, X1
	SUBSD  X0, X1                  // 1 − p
	MOVQ   X1, R13                 // bUp
	MOVQ   tabConsts<>+0(SB), BX
	SUBQ   AX, BX
	SARQ   $63, BX                 // up: all ones for p ≥ 1/2
	XORQ   AX, R13
	ANDQ   BX, R13
	XORQ   R13, AX                 // b ^= (b ^ bUp) & up
	MOVQ   AX, R13
	SUBQ   tabConsts<>+8(SB), R13
	CMPQ   R13, tabConsts<>+16(SB)
	JCC    tdone                   // not tabMin ≤ t < 1/2: the exact quantile
	ANDQ   R11, BX
	MOVQ   AX, R13
	SHRQ   CX, R13
	ADDQ   BX, R13
	SHLQ   $5, R13                 // 32·(i + first)
	ANDQ   R12, AX
	CVTSQ2SD AX, X2
	MULSD  X7, X2                  // w
	MOVSD  24(R8)(R13*1), X3
	MULSD  X2, X3
	ADDSD  16(R8)(R13*1), X3
	MULSD  X2, X3
	ADDSD  8(R8)(R13*1), X3
	MULSD  X2, X3
	ADDSD  0(R8)(R13*1), X3        // c0 + w(c1 + w(c2 + w·c3))
	MOVSD  X3, (DI)
	ADDQ   R9, DI
	ADDQ   $8, SI
	INCQ   R10
	CMPQ   R10, DX
	JLT    tloop

tdone:
	MOVQ R10, ret+120(FP)
	RET
