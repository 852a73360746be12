package model

import "math"

// The two innermost loops of an iteration, the discounting pass over the
// months and the IRR's Halley iteration with its sums, are kernels: a portable Go
// version here, and on amd64 an assembly version (kernels_amd64.s) that does
// the same floating-point operations in the same order, so that both give
// the same bits (TestKernelsMatchGo checks it). The assembly keeps every
// running value in a register and sums the IRR's four lanes of months in
// two SSE2 registers; Go's compiler spills and moves them, which
// cost twice the instructions. Build with the purego tag for Go only.

// discountState is the running state of the discounting pass, carried in
// and out of discountLoop. Its layout is read by the assembly.
type discountState struct {
	df     float64 // (1+r_m)^−t
	npv    float64 // Σ CF_t·df
	pvc    float64 // Σ C_t·df (the PV of benefits is npv + pvc)
	cum    float64 // Cum_t
	minCum float64 // min Cum_t
	last   float64 // the last non-zero CF_t
	big    float64 // max |CF_t|
	// changes counts the sign changes between non-zero flows; neg is the
	// sign bit of the last non-zero flow (set from the first before the pass).
	changes, neg uint64
}

// discountLoopGo is discountLoop in Go: for each month t, CF_t = B_t − C_t
// into cf, Cum_t into cum, the discounted sums, the minimum of Cum, and for
// non-zero flows (±0 skipped, NaN not) the sign changes, last flow and
// largest absolute flow.
func discountLoopGo(ben, cost, cf, cum []float64, disc float64, st *discountState) {
	cost, cf, cum = cost[:len(ben)], cf[:len(ben)], cum[:len(ben)]
	s := *st
	for t, b := range ben {
		s.df *= disc
		c := cost[t]
		f := b - c
		cf[t] = f
		s.npv += float64(f * s.df) // float64: no fused multiply-add, as in the assembly
		s.pvc += float64(c * s.df)
		s.cum += f
		cum[t] = s.cum
		if s.cum < s.minCum {
			s.minCum = s.cum
		}
		if bits := math.Float64bits(f); bits<<1 != 0 {
			sign := bits >> 63
			s.changes += sign ^ s.neg
			s.neg = sign
			s.last = f
			if a := math.Abs(f); a > s.big {
				s.big = a
			}
		}
	}
	*st = s
}

// npvDerivsGo returns f(x) = Σ cf_t v^t, v = 1/(1+x), t = 1..n, and its
// first two derivatives in x: f' = −v·Σ t·cf_t v^t and
// f” = v²·Σ t(t+1)·cf_t v^t; halleyLoop inlines it. The months are dealt round four lanes
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
func npvDerivsGo(cf []float64, x float64) (f, d1, d2 float64) {
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

// halleyLoopGo is halleyLoop in Go: Halley's iteration for the root of
// f(x) = Σ cf_t (1+x)^−t from x in the bracket [l, h], f(l) < 0 when lowNeg,
// as halleyBracketed describes; at most 200 evaluations.
func halleyLoopGo(cf []float64, x, l, h float64, lowNeg bool) float64 {
	prev := 0.0 // |previous Halley step|; 0 at the start and after a bisection
	for range 200 {
		f, d1, d2 := npvDerivsGo(cf, x)
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
