//go:build !amd64 || purego

package model

func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState) {
	discountLoopGo(ben, cost, cf, cum, disc, st)
}

func npvDerivs(cf []float64, x float64) (f, d1, d2 float64) {
	return npvDerivsGo(cf, x)
}
