//go:build !amd64 || purego

package model

func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState) {
	discountLoopGo(ben, cost, cf, cum, disc, st)
}

func halleyLoop(cf []float64, x, l, h float64, lowNeg bool) float64 {
	return halleyLoopGo(cf, x, l, h, lowNeg)
}
