package model

import "math"

// The two innermost loops of an iteration, the discounting pass over the
// months and the sums of an IRR evaluation, are kernels: a portable Go
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

// npvSumsGo is npvSums in Go: cf is dealt round four lanes, lane j taking
// cf[4i+j] with the weight w[j]·step^i, for i < len(cf)/4; in each lane the
// running sums p += c·w, q += p, r += q. s receives p of lanes 0..3 in
// s[0..3], q in s[4..7] and r in s[8..11], and w the lanes' next weights.
func npvSumsGo(cf []float64, step float64, w *[4]float64, s *[12]float64) {
	var p, q, r [4]float64
	wv := *w
	for i := 0; i+4 <= len(cf); i += 4 {
		c := cf[i : i+4 : i+4]
		for j := range 4 {
			p[j] += c[j] * wv[j]
			q[j] += p[j]
			r[j] += q[j]
			wv[j] *= step
		}
	}
	*w = wv
	copy(s[0:4], p[:])
	copy(s[4:8], q[:])
	copy(s[8:12], r[:])
}
