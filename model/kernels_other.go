//go:build !amd64 || purego

package model

func discountLoop(ben, cost, cf, cum []float64, disc float64, st *discountState) {
	discountLoopGo(ben, cost, cf, cum, disc, st)
}

func npvSums(cf []float64, step float64, w *[4]float64, s *[12]float64) {
	npvSumsGo(cf, step, w, s)
}
