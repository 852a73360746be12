//go:build amd64 && !purego

package model

// discountLoop is discountLoopGo in assembly; len(cost), len(cf) and
// len(cum) must be at least len(ben).
//
//go:noescape
func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState)

// npvSums is npvSumsGo in assembly, with SSE2 lanes for the two halves;
// len(hi) must be at least len(lo).
//
//go:noescape
func npvSums(lo, hi []float64, v, w0, w1 float64, s *[6]float64)
