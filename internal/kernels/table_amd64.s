//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

DATA tabConsts<>+0(SB)/8, $0x3fdfffffffffffff // halfBits − 1
DATA tabConsts<>+8(SB)/8, $0x3e60000000000000 // minBits
DATA tabConsts<>+16(SB)/8, $0x0180000000000000 // halfBits − minBits
DATA tabConsts<>+24(SB)/8, $1.0
GLOBL tabConsts<>(SB), RODATA|NOPTR, $32

// func table(coef, dst []float64, stride int, src []float64, grid *Grid) int
//
// TableGo step by step (Grid.Locate, then Cubic), the fields of *grid from
// go_asm.h. R8 holds the address of the coefficients less 32·grid.First[0],
// so that interval i of the lower side is at R8 + 32·(b >> Shift) and of
// the upper side span = len(coef)/8 intervals further.
TEXT ·table(SB), NOSPLIT, $0-96
	MOVQ  grid+80(FP), BX
	MOVQ  coef_base+0(FP), R8
	MOVQ  Grid_First(BX), AX
	SHLQ  $5, AX
	SUBQ  AX, R8
	MOVQ  coef_len+8(FP), R11
	SHRQ  $3, R11                  // span
	MOVQ  dst_base+24(FP), DI
	MOVQ  stride+48(FP), R9
	SHLQ  $3, R9
	MOVQ  src_base+56(FP), SI
	MOVQ  src_len+64(FP), DX
	MOVQ  Grid_Shift(BX), CX
	MOVQ  Grid_Wmask(BX), R12
	MOVSD Grid_Wscale(BX), X7
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
	JCC    tdone                   // not min ≤ t < 1/2: not covered
	ANDQ   R11, BX
	MOVQ   AX, R13
	SHRQ   CX, R13
	ADDQ   BX, R13
	SHLQ   $5, R13                 // 32·(i + First[0])
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
	MOVQ R10, ret+88(FP)
	RET
