//go:build amd64 && !purego

#include "textflag.h"

DATA absMask<>+0(SB)/8, $0x7fffffffffffffff
GLOBL absMask<>(SB), RODATA|NOPTR, $8

// func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState)
TEXT ·discountLoop(SB), NOSPLIT, $0-112
	MOVQ  ben_base+0(FP), SI
	MOVQ  ben_len+8(FP), DX
	MOVQ  cost_base+24(FP), DI
	MOVQ  cf_base+48(FP), R8
	MOVQ  cum_base+72(FP), R9
	MOVSD disc+96(FP), X0
	MOVQ  st+104(FP), BX
	MOVSD 0(BX), X1  // df
	MOVSD 8(BX), X2  // npv
	MOVSD 16(BX), X3 // pvb
	MOVSD 24(BX), X4 // pvc
	MOVSD 32(BX), X5 // cum
	MOVSD 40(BX), X6 // minCum
	MOVSD 48(BX), X7 // last
	MOVSD 56(BX), X8 // big
	MOVQ  64(BX), R10 // changes
	MOVQ  72(BX), R11 // neg
	MOVSD absMask<>(SB), X9
	XORQ  CX, CX
	CMPQ  CX, DX
	JGE   ddone

dloop:
	MOVSD  (SI)(CX*8), X10 // b
	MOVSD  (DI)(CX*8), X11 // c
	MULSD  X0, X1          // df *= disc
	MOVAPD X10, X12
	SUBSD  X11, X12        // f = b − c
	MOVSD  X12, (R8)(CX*8) // cf[t] = f
	MOVAPD X12, X13
	MULSD  X1, X13
	ADDSD  X13, X2         // npv += f·df
	MULSD  X1, X10
	ADDSD  X10, X3         // pvb += b·df
	MULSD  X1, X11
	ADDSD  X11, X4         // pvc += c·df
	ADDSD  X12, X5         // cum += f
	MOVSD  X5, (R9)(CX*8)  // cum[t] = cum
	MOVAPD X5, X13
	MINSD  X6, X13         // cum < minCum ? cum : minCum
	MOVAPD X13, X6
	MOVQ   X12, AX
	MOVQ   AX, R12
	SHLQ   $1, R12
	JZ     dnext           // f is ±0
	SHRQ   $63, AX         // the sign bit
	MOVQ   AX, R13
	XORQ   R11, R13
	ADDQ   R13, R10        // changes += sign ^ neg
	MOVQ   AX, R11         // neg = sign
	MOVAPD X12, X7         // last = f
	ANDPD  X9, X12         // |f|
	MAXSD  X8, X12         // |f| > big ? |f| : big
	MOVAPD X12, X8

dnext:
	INCQ CX
	CMPQ CX, DX
	JLT  dloop

ddone:
	MOVSD X1, 0(BX)
	MOVSD X2, 8(BX)
	MOVSD X3, 16(BX)
	MOVSD X4, 24(BX)
	MOVSD X5, 32(BX)
	MOVSD X6, 40(BX)
	MOVSD X7, 48(BX)
	MOVSD X8, 56(BX)
	MOVQ  R10, 64(BX)
	MOVQ  R11, 72(BX)
	RET

// func npvSums(cf []float64, step float64, w *[4]float64, s *[12]float64)
TEXT ·npvSums(SB), NOSPLIT, $0-48
	MOVQ     cf_base+0(FP), SI
	MOVQ     cf_len+8(FP), DX
	SHRQ     $2, DX           // groups of four months
	MOVSD    step+24(FP), X1
	UNPCKLPD X1, X1           // [step, step]
	MOVQ     w+32(FP), BX
	MOVUPD   0(BX), X0        // weights of lanes 0, 1
	MOVUPD   16(BX), X6       // weights of lanes 2, 3
	XORPS    X2, X2           // p of lanes 0, 1
	XORPS    X3, X3           // q
	XORPS    X4, X4           // r
	XORPS    X7, X7           // p of lanes 2, 3
	XORPS    X8, X8           // q
	XORPS    X9, X9           // r
	TESTQ    DX, DX
	JZ       sdone

sloop:
	MOVUPD 0(SI), X5      // cf[4i], cf[4i+1]
	MOVUPD 16(SI), X10    // cf[4i+2], cf[4i+3]
	MULPD  X0, X5         // a = c·w
	MULPD  X6, X10
	ADDPD  X5, X2         // p += a
	ADDPD  X10, X7
	ADDPD  X2, X3         // q += p
	ADDPD  X7, X8
	ADDPD  X3, X4         // r += q
	ADDPD  X8, X9
	MULPD  X1, X0         // w *= step
	MULPD  X1, X6
	ADDQ   $32, SI
	DECQ   DX
	JNZ    sloop

sdone:
	MOVUPD X0, 0(BX)
	MOVUPD X6, 16(BX)
	MOVQ   s+40(FP), BX
	MOVUPD X2, 0(BX)
	MOVUPD X7, 16(BX)
	MOVUPD X3, 32(BX)
	MOVUPD X8, 48(BX)
	MOVUPD X4, 64(BX)
	MOVUPD X9, 80(BX)
	RET
