//go:build amd64 && !purego

package kernels

// Table is TableGo in assembly (kernels_amd64.s): about half the
// instructions of the compiled Go, which keeps too few of the loop's values
// in registers. coef must hold the four coefficients of each of the two
// sides' Octaves·M intervals of the grid, dst (len(src)−1)·stride + 1
// values; it panics otherwise.
func Table(coef, dst []float64, stride int, src []float64, g *Grid) int {
	if len(src) == 0 {
		return 0
	}
	if stride < 1 || (len(src)-1)*stride >= len(dst) || (len(coef)/8)<<g.Shift != Octaves<<52 {
		panic("kernels: Table: bad arguments")
	}
	return table(coef, dst, stride, src, g)
}

// table is Table once the arguments are checked.
//
//go:noescape
func table(coef, dst []float64, stride int, src []float64, grid *Grid) int
