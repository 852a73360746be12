//go:build !amd64 || purego

package kernels

// Table is TableGo (the assembly version is for amd64 only).
func Table(coef, dst []float64, stride int, src []float64, g *Grid) int {
	return TableGo(coef, dst, stride, src, g)
}
