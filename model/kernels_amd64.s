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

DATA derivConsts<>+0(SB)/8, $3.0
DATA derivConsts<>+8(SB)/8, $2.0
DATA derivConsts<>+16(SB)/8, $6.0
DATA derivConsts<>+24(SB)/8, $2.0
DATA derivConsts<>+32(SB)/8, $1.0
DATA derivConsts<>+40(SB)/8, $4.0
DATA derivConsts<>+48(SB)/8, $16.0
DATA derivConsts<>+56(SB)/8, $12.0
DATA derivConsts<>+64(SB)/8, $8.0
DATA derivConsts<>+72(SB)/8, $0x8000000000000000
GLOBL derivConsts<>(SB), RODATA|NOPTR, $80

// func npvDerivs(cf []float64, x float64) (f, d1, d2 float64)
//
// npvDerivsGo step by step: the Go code's lanes j = 0..3 are the low and
// high halves of X0/X2/X3/X4 (lanes 0, 1) and X6/X7/X8/X9 (lanes 2, 3).
TEXT ·npvDerivs(SB), NOSPLIT, $32-56
	LEAQ   derivConsts<>(SB), R8
	MOVQ   cf_base+0(FP), SI
	MOVQ   cf_len+8(FP), DX
	MOVSD  x+24(FP), X0
	ADDSD  32(R8), X0         // 1 + x
	MOVSD  32(R8), X11
	DIVSD  X0, X11            // v
	MOVAPD X11, X12
	MULSD  X12, X12           // v2 = v·v
	MOVAPD X11, X0
	UNPCKLPD X12, X0          // w[0], w[1] = v, v2
	MOVAPD X12, X13
	UNPCKLPD X13, X13         // [v2, v2]
	MOVAPD X0, X6
	MULPD  X13, X6            // w[2], w[3] = v·v2, v2·v2
	MOVAPD X6, X1
	UNPCKHPD X1, X1           // step = [w[3], w[3]]
	XORPS  X2, X2             // p of lanes 0, 1
	XORPS  X3, X3             // q
	XORPS  X4, X4             // r
	XORPS  X7, X7             // p of lanes 2, 3
	XORPS  X8, X8             // q
	XORPS  X9, X9             // r
	MOVQ   DX, CX
	SHRQ   $2, CX             // m, groups of four months
	JZ     dsums

dloop4:
	MOVUPD 0(SI), X5          // cf[4i], cf[4i+1]
	MOVUPD 16(SI), X10        // cf[4i+2], cf[4i+3]
	MULPD  X0, X5             // a = c·w
	MULPD  X6, X10
	ADDPD  X5, X2             // p += a
	ADDPD  X10, X7
	ADDPD  X2, X3             // q += p
	ADDPD  X7, X8
	ADDPD  X3, X4             // r += q
	ADDPD  X8, X9
	MULPD  X1, X0             // w *= step
	MULPD  X1, X6
	ADDQ   $32, SI
	DECQ   CX
	JNZ    dloop4

dsums:
	MOVUPD X0, 0(SP)          // the next weights, for the tail
	MOVUPD X6, 16(SP)
	// s0 = (p0+p2) + (p1+p3), likewise sq from q and sr from r.
	MOVAPD X2, X1
	ADDPD  X7, X1
	MOVAPD X1, X5
	UNPCKHPD X5, X5
	ADDSD  X5, X1             // s0
	MOVAPD X3, X5
	ADDPD  X8, X5
	MOVAPD X5, X10
	UNPCKHPD X10, X10
	ADDSD  X10, X5            // sq
	MOVAPD X4, X10
	ADDPD  X9, X10
	MOVAPD X10, X13
	UNPCKHPD X13, X13
	ADDSD  X13, X10           // sr
	// cpn = (3p0 + p2) + 2p1, cqn likewise, e = 6p0 + 2p1.
	MOVUPD 0(R8), X13         // [3, 2]
	MOVAPD X2, X14
	MULPD  X13, X14
	ADDSD  X7, X14
	MOVAPD X14, X15
	UNPCKHPD X15, X15
	ADDSD  X15, X14           // cpn
	MULPD  X3, X13
	ADDSD  X8, X13
	MOVAPD X13, X15
	UNPCKHPD X15, X15
	ADDSD  X15, X13           // cqn
	MOVUPD 16(R8), X4         // [6, 2]
	MULPD  X2, X4
	MOVAPD X4, X15
	UNPCKHPD X15, X15
	ADDSD  X15, X4            // e
	// M = m, C = M+1, A = C·(M+2), B = 2M + 4.
	MOVQ   DX, AX
	SHRQ   $2, AX
	XORPS  X2, X2
	CVTSQ2SD AX, X2
	MOVAPD X2, X3
	ADDSD  32(R8), X3         // C
	MOVAPD X2, X6
	ADDSD  X6, X6
	ADDSD  40(R8), X6         // B
	ADDSD  8(R8), X2          // M + 2
	MULSD  X3, X2             // A
	// t1 = C·s0 − sq
	MOVAPD X3, X7
	MULSD  X1, X7
	SUBSD  X5, X7             // t1
	// s1 = 4·t1 − cpn
	MOVSD  40(R8), X8
	MULSD  X7, X8
	SUBSD  X14, X8            // s1
	// s2 = ((16·((A·s0 − B·sq) + 2·sr) − 12·t1) + 8·(cqn − C·cpn)) + e
	MULSD  X1, X2             // A·s0
	MULSD  X5, X6             // B·sq
	SUBSD  X6, X2
	ADDSD  X10, X10           // 2·sr
	ADDSD  X10, X2
	MULSD  48(R8), X2         // 16·(…)
	MULSD  56(R8), X7         // 12·t1
	SUBSD  X7, X2
	MULSD  X14, X3            // C·cpn
	SUBSD  X3, X13            // cqn − C·cpn
	MULSD  64(R8), X13        // 8·(…)
	ADDSD  X13, X2
	ADDSD  X4, X2             // s2
	// The last n mod 4 months: t = 4m + j + 1, a = cf·w[j].
	MOVQ   DX, BX
	ANDQ   $3, BX
	JZ     dret
	SUBQ   BX, DX
	XORQ   CX, CX

dtail:
	LEAQ   1(DX)(CX*1), AX
	XORPS  X3, X3
	CVTSQ2SD AX, X3           // t
	MOVSD  0(SI)(CX*8), X4
	MULSD  0(SP)(CX*8), X4    // a
	ADDSD  X4, X1             // s0 += a
	MOVAPD X3, X5
	MULSD  X4, X5
	ADDSD  X5, X8             // s1 += t·a
	MOVAPD X3, X5
	ADDSD  32(R8), X5
	MULSD  X3, X5
	MULSD  X4, X5
	ADDSD  X5, X2             // s2 += t·(t+1)·a
	INCQ   CX
	CMPQ   CX, BX
	JLT    dtail

dret:
	MOVSD  X1, f+32(FP)
	MULSD  X11, X8            // v·s1
	MOVSD  72(R8), X15
	XORPD  X15, X8            // −(v·s1)
	MOVSD  X8, d1+40(FP)
	MULSD  X12, X2            // v2·s2
	MOVSD  X2, d2+48(FP)
	RET
