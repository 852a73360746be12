//go:build !amd64 || purego

package kernels

// Discount is DiscountGo (the assembly version is for amd64 only).
func Discount(ben, cost, cf, cum []float64, disc float64, st *DiscountState) {
	DiscountGo(ben, cost, cf, cum, disc, st)
}

// Halley is HalleyGo (the assembly version is for amd64 only).
func Halley(cf []float64, x, l, h float64, lowNeg bool) float64 {
	return HalleyGo(cf, x, l, h, lowNeg)
}
