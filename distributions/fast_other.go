//go:build !amd64 || purego

package distributions

func tableLoop(coef, dst []float64, stride int, src []float64, g *grid) int {
	return tableLoopGo(coef, dst, stride, src, g)
}
