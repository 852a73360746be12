//go:build amd64 && !purego

package model

// discountLoop is discountLoopGo in assembly; len(cost), len(cf) and
// len(cum) must be at least len(ben).
//
//go:noescape
func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState)

// halleyLoop is halleyLoopGo in assembly, npvDerivsGo inlined with its
// four lanes in two SSE2 registers: every value stays in a register from
// one evaluation to the next.
//
//go:noescape
func halleyLoop(cf []float64, x, l, h float64, lowNeg bool) float64
