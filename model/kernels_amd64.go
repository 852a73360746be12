//go:build amd64 && !purego

package model

// discountLoop is discountLoopGo in assembly; len(cost), len(cf) and
// len(cum) must be at least len(ben).
//
//go:noescape
func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState)

// npvDerivs is npvDerivsGo in assembly, the four lanes in two SSE2
// registers: one call per IRR evaluation, with nothing in memory between
// the sums and their combination.
//
//go:noescape
func npvDerivs(cf []float64, x float64) (f, d1, d2 float64)
