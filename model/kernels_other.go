//go:build !amd64 || purego

package model

func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState) {
	discountLoopGo(ben, cost, cf, cum, disc, st)
}

func npvSums(lo, hi []float64, v, w0, w1 float64, s *[6]float64) {
	npvSumsGo(lo, hi, v, w0, w1, s)
}
