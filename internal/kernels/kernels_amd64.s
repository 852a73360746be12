//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

DATA absMask<>+0(SB)/8, $0x7fffffffffffffff
GLOBL absMask<>(SB), RODATA|NOPTR, $8

// func discount(ben, cost, cf, cum []float64, disc float64, st *DiscountState)
//
// DiscountGo step by step; the fields of *st (offsets from go_asm.h) are in
// X1, X2, X4–X8, R10 and R11 during the loop.
TEXT ·discount(SB), NOSPLIT, $0-112
	MOVQ  ben_base+0(FP), SI
	MOVQ  ben_len+8(FP), DX
	MOVQ  cost_base+24(FP), DI
	MOVQ  cf_base+48(FP), R8
	MOVQ  cum_base+72(FP), R9
	MOVSD disc+96(FP), X0
	MOVQ  st+104(FP), BX
	MOVSD DiscountState_DF(BX), X1
	MOVSD DiscountState_NPV(BX), X2
	MOVSD DiscountState_PVC(BX), X4
	MOVSD DiscountState_Cum(BX), X5
	MOVSD DiscountState_MinCum(BX), X6
	MOVSD DiscountState_Last(BX), X7
	MOVSD DiscountState_Big(BX), X8
	MOVQ  DiscountState_Changes(BX), R10
	MOVQ  DiscountState_Neg(BX), R11
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
	MOVSD X1, DiscountState_DF(BX)
	MOVSD X2, DiscountState_NPV(BX)
	MOVSD X4, DiscountState_PVC(BX)
	MOVSD X5, DiscountState_Cum(BX)
	MOVSD X6, DiscountState_MinCum(BX)
	MOVSD X7, DiscountState_Last(BX)
	MOVSD X8, DiscountState_Big(BX)
	MOVQ  R10, DiscountState_Changes(BX)
	MOVQ  R11, DiscountState_Neg(BX)
	RET

DATA halleyConsts<>+0(SB)/8, $3.0
DATA halleyConsts<>+8(SB)/8, $2.0
DATA halleyConsts<>+16(SB)/8, $6.0
DATA halleyConsts<>+24(SB)/8, $2.0
DATA halleyConsts<>+32(SB)/8, $1.0
DATA halleyConsts<>+40(SB)/8, $4.0
DATA halleyConsts<>+48(SB)/8, $16.0
DATA halleyConsts<>+56(SB)/8, $12.0
DATA halleyConsts<>+64(SB)/8, $8.0
DATA halleyConsts<>+72(SB)/8, $0x8000000000000000
DATA halleyConsts<>+80(SB)/8, $2.0
DATA halleyConsts<>+88(SB)/8, $32.0
DATA halleyConsts<>+96(SB)/8, $0x7fffffffffffffff
DATA halleyConsts<>+104(SB)/8, $1e-7
DATA halleyConsts<>+112(SB)/8, $1e-3
DATA halleyConsts<>+120(SB)/8, $1e-14
DATA halleyConsts<>+128(SB)/8, $0.5
DATA halleyConsts<>+136(SB)/8, $1e-15
GLOBL halleyConsts<>(SB), RODATA|NOPTR, $144

// func Halley(cf []float64, x, l, h float64, lowNeg bool) float64
//
// HalleyGo step by step, its NPVDerivs inlined: the Go code's lanes
// j = 0..3 are the low and high halves of X0/X2/X3/X4 (lanes 0, 1) and
// X6/X7/X8/X9 (lanes 2, 3). Between evaluations x, l, h and prev are kept
// as bits in R9, R10, R11 and R12, the evaluations so far in R13 and lowNeg
// in DI.
TEXT ·Halley(SB), NOSPLIT, $32-64
	LEAQ    halleyConsts<>(SB), R8
	MOVQ    x+24(FP), R9
	MOVQ    l+32(FP), R10
	MOVQ    h+40(FP), R11
	XORQ    R12, R12          // prev = 0
	XORQ    R13, R13
	MOVBQZX lowNeg+48(FP), DI

hloop:
	// f, d1, d2 at x (NPVDerivs).
	MOVQ   cf_base+0(FP), SI
	MOVQ   cf_len+8(FP), DX
	MOVQ   R9, X0
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
	JZ     hsums

hsum4:
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
	JNZ    hsum4

hsums:
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
	// M = m, C = M+1, A16 = (M+2)·C·16, B16 = (2M+4)·16.
	MOVQ   DX, AX
	SHRQ   $2, AX
	XORPS  X2, X2
	CVTSQ2SD AX, X2
	MOVAPD X2, X3
	ADDSD  32(R8), X3         // C
	MOVAPD X2, X6
	ADDSD  X6, X6
	ADDSD  40(R8), X6
	MULSD  48(R8), X6         // B16
	ADDSD  80(R8), X2
	MULSD  X3, X2
	MULSD  48(R8), X2         // A16
	// t1 = C·s0 − sq, s1 = 4·t1 − cpn
	MOVAPD X3, X7
	MULSD  X1, X7
	SUBSD  X5, X7             // t1
	MOVSD  40(R8), X8
	MULSD  X7, X8
	SUBSD  X14, X8            // s1
	// s2 = ((A16·s0 − B16·sq) + (32·sr + e)) + ((8·cqn − C8·cpn) − 12·t1)
	MULSD  X1, X2
	MULSD  X5, X6
	SUBSD  X6, X2
	MULSD  88(R8), X10
	ADDSD  X4, X10
	ADDSD  X10, X2
	MULSD  64(R8), X13        // 8·cqn
	MULSD  64(R8), X3         // C8
	MULSD  X14, X3            // C8·cpn
	SUBSD  X3, X13
	MULSD  56(R8), X7         // 12·t1
	SUBSD  X7, X13
	ADDSD  X13, X2            // s2
	// The last n mod 4 months: t = 4m + j + 1, a = cf·w[j].
	MOVQ   DX, BX
	ANDQ   $3, BX
	JZ     hstep
	SUBQ   BX, DX
	XORQ   CX, CX

htail:
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
	JLT    htail

hstep:
	// X1 = f, X8 = d1 = −(v·s1), X2 = d2 = v2·s2.
	MULSD  X11, X8
	MOVSD  72(R8), X15
	XORPD  X15, X8
	MULSD  X12, X2
	XORPS  X3, X3
	UCOMISD X3, X1
	JNE    hnonzero
	JPS    hnonzero
	MOVQ   R9, ret+56(FP)     // f = 0: x is the root
	RET

hnonzero:
	// The bracket: l = x where (f < 0) == lowNeg, else h = x.
	UCOMISD X1, X3
	SETHI  AL
	MOVBQZX AL, AX
	CMPQ   AX, DI
	CMOVQEQ R9, R10
	CMOVQNE R9, R11
	// step = 2f·d1 / (2d1·d1 − f·d2), next = x − step
	MOVAPD X1, X4
	ADDSD  X4, X4
	MULSD  X8, X4
	MOVAPD X8, X5
	ADDSD  X5, X5
	MULSD  X8, X5
	MOVAPD X1, X6
	MULSD  X2, X6
	SUBSD  X6, X5
	DIVSD  X5, X4             // step
	MOVQ   R9, X7             // x
	MOVAPD X7, X9
	SUBSD  X4, X9             // next
	MOVQ   R10, X10           // l
	MOVQ   R11, X13           // h
	// inside = next ≥ l && next ≤ h (false for NaN), in BX
	XORQ   BX, BX
	UCOMISD X10, X9
	JCS    houtside
	UCOMISD X9, X13
	JCS    houtside
	MOVQ   $1, BX

houtside:
	// scale = |x| < 1 ? 1 : |x| (NaN stays NaN), s = |step|
	MOVSD  96(R8), X15
	ANDPD  X15, X7
	MOVSD  32(R8), X3
	MAXSD  X7, X3             // scale
	MOVAPD X4, X5
	ANDPD  X15, X5            // s
	TESTQ  BX, BX
	JZ     hnotdone
	// s ≤ 1e-7·scale
	MOVSD  104(R8), X6
	MULSD  X3, X6
	UCOMISD X5, X6
	JCC    hret
	// s < 1e-3·scale && s·s·s·s ≤ 1e-14·scale·prev·prev·prev
	MOVSD  112(R8), X6
	MULSD  X3, X6
	UCOMISD X5, X6
	JLS    hnotdone
	MOVAPD X5, X6
	MULSD  X5, X6
	MULSD  X5, X6
	MULSD  X5, X6             // s⁴
	MOVQ   R12, X14           // prev
	MOVSD  120(R8), X7
	MULSD  X3, X7
	MULSD  X14, X7
	MULSD  X14, X7
	MULSD  X14, X7
	UCOMISD X6, X7
	JCC    hret

hnotdone:
	MOVQ   X5, R12            // prev = s
	TESTQ  BX, BX
	JNZ    hinside
	// outside the bracket: bisect
	MOVAPD X10, X9
	ADDSD  X13, X9
	MULSD  128(R8), X9        // next = 0.5·(l + h)
	XORQ   R12, R12           // prev = 0

hinside:
	// h − l ≤ 1e-15·scale: the bracket is as narrow as it gets
	SUBSD  X10, X13
	MOVSD  136(R8), X6
	MULSD  X3, X6
	UCOMISD X13, X6
	JCC    hret
	MOVQ   X9, R9             // x = next
	INCQ   R13
	CMPQ   R13, $200
	JLT    hloop
	MOVQ   R9, ret+56(FP)
	RET

hret:
	MOVSD  X9, ret+56(FP)
	RET
