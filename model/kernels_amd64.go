//go:build amd64 && !purego

package model

// discountLoop is discountLoopGo in assembly; len(cost), len(cf) and
// len(cum) must be at least len(ben).
//
//go:noescape
func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState)

// npvSums is npvSumsGo in assembly, the four lanes in two SSE2 registers.
//
//go:noescape
func npvSums(cf []float64, step float64, w *[4]float64, s *[12]float64)
