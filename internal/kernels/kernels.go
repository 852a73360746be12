// Package kernels holds the innermost numeric loops of an iteration, each
// an amd64 assembly function kept because it measured at least 5% faster
// than its Go twin in a whole 10⁶-iteration run (README, Performance): the
// discounting pass over the months (Discount), the IRR's Halley iteration
// with its sums (Halley) and the interpolation of the quantile tables
// (Table). Each has a portable Go twin (DiscountGo, HalleyGo, TableGo), and
// the assembly (kernels_amd64.s, table_amd64.s) does the same
// floating-point operations in the same order, so that both give the same
// bits: no fused multiply-add in either (the twins round every product
// with a float64 conversion, which keeps the compiler from fusing it under
// GOAMD64=v3), the same operand order in each sum. TestKernelsMatchGo and
// the fuzz targets FuzzDiscount, FuzzHalley and FuzzTable check it. The
// assembly keeps every running value in a register and sums the IRR's four
// lanes of months in two SSE2 registers; Go's compiler spills and moves
// them, which costs up to twice the instructions. Build with the purego tag
// for the Go twins only.
//
// The package imports nothing of the module (internal/checks tests it), so
// that any layer may use it; the structs the assembly reads are defined
// here, and the assembly takes their field offsets from go_asm.h.
package kernels

import "math"

// DiscountState is the running state of the discounting pass, carried in
// and out of Discount. The assembly reads it with the offsets of go_asm.h.
type DiscountState struct {
	DF     float64 // (1+r_m)^−t
	NPV    float64 // Σ CF_t·df
	PVC    float64 // Σ C_t·df (the PV of benefits is NPV + PVC)
	Cum    float64 // Cum_t
	MinCum float64 // min Cum_t
	Last   float64 // the last non-zero CF_t
	Big    float64 // max |CF_t|
	// Changes counts the sign changes between non-zero flows; Neg is the
	// sign bit of the last non-zero flow (set from the first before the pass).
	Changes, Neg uint64
}

// DiscountGo is Discount in Go: for each month t, CF_t = B_t − C_t into cf,
// Cum_t into cum, and in st, starting from its values, the discount factor
// (multiplied by disc each month), the discounted sums of the flows and of
// the costs, the running sum and its minimum, and for non-zero flows (±0
// skipped, NaN not) the sign changes, last flow and largest absolute flow.
// cost, cf and cum must be at least as long as ben.
func DiscountGo(ben, cost, cf, cum []float64, disc float64, st *DiscountState) {
	cost, cf, cum = cost[:len(ben)], cf[:len(ben)], cum[:len(ben)]
	s := *st
	for t, b := range ben {
		s.DF *= disc
		c := cost[t]
		f := b - c
		cf[t] = f
		s.NPV += float64(f * s.DF) // float64: no fused multiply-add, as in the assembly
		s.PVC += float64(c * s.DF)
		s.Cum += f
		cum[t] = s.Cum
		if s.Cum < s.MinCum {
			s.MinCum = s.Cum
		}
		if bits := math.Float64bits(f); bits<<1 != 0 {
			sign := bits >> 63
			s.Changes += sign ^ s.Neg
			s.Neg = sign
			s.Last = f
			if a := math.Abs(f); a > s.Big {
				s.Big = a
			}
		}
	}
	*st = s
}

// NPVDerivs returns f(x) = Σ cf_t v^t, v = 1/(1+x), t = 1..n, and its
// first two derivatives in x: f' = −v·Σ t·cf_t v^t and
// f” = v²·Σ t(t+1)·cf_t v^t; Halley inlines it. The months are dealt round four lanes
// (lane j takes t ≡ j+1 mod 4), each stepping by v⁴, so that four short
// chains run side by side. In a lane the terms are a_τ = cf_t v^t with
// t = 4τ + c, c = j − 3, τ = 1..m, and the weighted sums come from running
// sums instead of multiplications by the weights: P = Σ a,
// Q = Σ_{u≤m} Σ_{τ≤u} a_τ and R = Σ_{u≤m} (Q after u terms) give
// Σ τ·a = (m+1)P − Q and Σ τ(τ+1)·a = (m+1)(m+2)P − (2m+4)Q + 2R; hence,
// with Σ t·a = 4Στ·a + cP and t(t+1) = 16τ(τ+1) + (8c−12)τ + c(c+1),
// Σ t·a and Σ t(t+1)·a over all lanes. The last n mod 4 months are added
// term by term. The conversions float64(…) keep the compiler from fusing a
// multiplication and an addition, which the assembly does not do either.
func NPVDerivs(cf []float64, x float64) (f, d1, d2 float64) {
	v := 1 / (1 + x)
	v2 := v * v
	w := [4]float64{v, v2, v * v2, v2 * v2}
	step := w[3]
	var p, q, r [4]float64
	m := len(cf) / 4
	for i := 0; i < 4*m; i += 4 {
		c := cf[i : i+4 : i+4]
		for j := range 4 {
			p[j] += float64(c[j] * w[j])
			q[j] += p[j]
			r[j] += q[j]
			w[j] *= step
		}
	}
	s0 := (p[0] + p[2]) + (p[1] + p[3])
	sq := (q[0] + q[2]) + (q[1] + q[3])
	sr := (r[0] + r[2]) + (r[1] + r[3])
	// −Σ c·P and −Σ c·Q over the lanes (c = −3, −2, −1, 0), and
	// Σ c(c+1)·P = 6P₀ + 2P₁.
	cpn := (float64(3*p[0]) + p[2]) + float64(2*p[1])
	cqn := (float64(3*q[0]) + q[2]) + float64(2*q[1])
	e := float64(6*p[0]) + float64(2*p[1])
	M := float64(m)
	C := M + 1
	A16 := float64(float64(M+2)*C) * 16
	B16 := float64(float64(2*M)+4) * 16
	C8 := C * 8
	t1 := float64(C*s0) - sq  // Σ τ·a over the lanes
	s1 := float64(4*t1) - cpn // Σ t·a
	// Σ t(t+1)·a = 16((m+1)(m+2)P − (2m+4)Q + 2R) − 12Στ·a + 8Σc·Q… as
	// independent halves, for a shorter chain of dependent operations.
	s2 := (float64(A16*s0) - float64(B16*sq)) + (float64(32*sr) + e)
	s2 += (float64(8*cqn) - float64(C8*cpn)) - float64(12*t1)
	for j, y := range cf[4*m:] {
		t := float64(4*m + j + 1)
		a := float64(y * w[j])
		s0 += a
		s1 += float64(t * a)
		s2 += float64(float64(t*(t+1)) * a)
	}
	return s0, -(v * s1), v2 * s2
}

// HalleyGo is Halley in Go: Halley's iteration for the root of
// f(x) = Σ cf_t (1+x)^−t, t = 1..len(cf), from x in the bracket [l, h],
// f(l) < 0 when lowNeg. Each step that stays in the bracket is taken and
// shrinks it, any other is replaced by a bisection; it stops at a root,
// when a step is below 1e-7 relative to max(1, |x|), when two successive
// steps s₁, s₂ show cubic convergence (s₂ < 1e-3 and s₂⁴ ≤ 1e-14·s₁³,
// both relative), when the bracket is narrower than 1e-15 relative, or
// after 200 evaluations.
func HalleyGo(cf []float64, x, l, h float64, lowNeg bool) float64 {
	prev := 0.0 // |previous Halley step|; 0 at the start and after a bisection
	for range 200 {
		f, d1, d2 := NPVDerivs(cf, x)
		if f == 0 {
			return x
		}
		if (f < 0) == lowNeg {
			l = x
		} else {
			h = x
		}
		step := float64(float64(2*f)*d1) / (float64(float64(2*d1)*d1) - float64(f*d2))
		next := x - step
		inside := next >= l && next <= h // false for NaN and ±Inf too
		scale := math.Abs(x)
		if scale < 1 {
			scale = 1
		}
		s := math.Abs(step)
		if inside && (s <= 1e-7*scale || s < 1e-3*scale && float64(s*s*s)*s <= float64(float64(1e-14*scale)*prev*prev)*prev) {
			return next // cubic convergence: the error left is far below 1e-14
		}
		prev = s
		if !inside {
			next = 0.5 * (l + h)
			prev = 0
		}
		if h-l <= 1e-15*scale {
			return next
		}
		x = next
	}
	return x
}
