package model

import "math"

// The two innermost loops of an iteration, the discounting pass over the
// months and the sums of an IRR evaluation, are kernels: a portable Go
// version here, and on amd64 an assembly version (kernels_amd64.s) that does
// the same floating-point operations in the same order, so that both give
// the same bits (TestKernelsMatchGo checks it). The assembly keeps every
// running value in a register and sums the IRR's two halves in the two
// lanes of one SSE2 register; Go's compiler spills and moves them, which
// cost twice the instructions. Build with the purego tag for Go only.

// discountState is the running state of the discounting pass, carried in
// and out of discountLoop. Its layout is read by the assembly.
type discountState struct {
	df     float64 // (1+r_m)^−t
	npv    float64 // Σ CF_t·df
	pvb    float64 // Σ B_t·df
	pvc    float64 // Σ C_t·df
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
		s.npv += f * s.df
		s.pvb += b * s.df
		s.pvc += c * s.df
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

// npvSumsGo is npvSums in Go: over i < len(lo), with a_i = lo[i]·w0·v^i and
// b_i = hi[i]·w1·v^i, the running sums p += a, q += p, r += q of each half;
// s receives p, q, r of the lower half in s[0], s[2], s[4] and of the upper
// half in s[1], s[3], s[5] (the lanes of the assembly's registers).
func npvSumsGo(lo, hi []float64, v, w0, w1 float64, s *[6]float64) {
	hi = hi[:len(lo)]
	var p0, q0, r0, p1, q1, r1 float64
	for i, c := range lo {
		a0 := c * w0
		a1 := hi[i] * w1
		p0 += a0
		q0 += p0
		r0 += q0
		p1 += a1
		q1 += p1
		r1 += q1
		w0 *= v
		w1 *= v
	}
	*s = [6]float64{p0, p1, q0, q1, r0, r1}
}
