//go:build amd64 && !purego

package kernels

// Discount is DiscountGo in assembly (kernels_amd64.s). cost, cf and cum
// must be at least as long as ben.
func Discount(ben, cost, cf, cum []float64, disc float64, st *DiscountState) {
	n := len(ben)
	discount(ben, cost[:n], cf[:n], cum[:n], disc, st)
}

// discount is Discount once the lengths are checked.
//
//go:noescape
func discount(ben, cost, cf, cum []float64, disc float64, st *DiscountState)

// Halley is HalleyGo in assembly, NPVDerivs inlined with its four lanes in
// two SSE2 registers: every value stays in a register from one evaluation
// to the next.
//
//go:noescape
func Halley(cf []float64, x, l, h float64, lowNeg bool) float64
