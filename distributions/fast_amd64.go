//go:build amd64 && !purego

package distributions

// tableLoop is tableLoopGo, in assembly for amd64 (fast_amd64.s): about half
// the instructions of the compiled Go, which keeps too few of the loop's
// values in registers.
func tableLoop(coef, dst []float64, stride int, src []float64, g *grid) int {
	span := len(coef) / 8 // intervals per side
	if len(src) == 0 {
		return 0
	}
	if stride < 1 || (len(src)-1)*stride >= len(dst) || span<<g.shift != tabK<<52 {
		panic("distributions: tableLoop: bad arguments")
	}
	return tableLoopAsm(coef, dst, stride, src, g.shift, g.first[0], span, g.wmask, g.wscale)
}

// tableLoopAsm interpolates src[k] into dst[k*stride] for each k until the
// first p the table does not cover, and returns that k (len(src) when none);
// first is the lower side's g.first and span the intervals per side.
//
//go:noescape
func tableLoopAsm(coef, dst []float64, stride int, src []float64, shift uint, first, span int, wmask uint64, wscale float64) int
