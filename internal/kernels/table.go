package kernels

import "math"

// Octaves is the number of binary octaves of t a quantile table covers on
// each side: t = p on the lower side and 1 − p on the upper one, from
// 2^-(Octaves+1) up to 1/2.
const Octaves = 24

// minBits and halfBits are the bits of the float64s 2^-(Octaves+1), the
// smallest t a table covers, and 1/2.
const (
	minBits  = (1023 - (Octaves + 1)) << 52
	halfBits = 1022 << 52
)

// Grid locates p in a quantile table of M = 2^bits intervals per octave of
// t, each with the four coefficients of a cubic in w ∈ [0, 1) across it.
// Each side's intervals are stored from the smallest t up, interval (o, j)
// of octave o (t in [2^-(o+2), 2^-(o+1))) at position (Octaves−1−o)·M + j:
// the bits of t shifted right by 52 − bits, less those of 2^-(Octaves+1);
// the upper side's follow the lower side's. The assembly reads it with the
// offsets of go_asm.h.
type Grid struct {
	Shift uint // 52 − bits
	// First is, per side, what to subtract from t's bits shifted right by
	// Shift: the smallest t's, less the intervals of a side for the upper one.
	First  [2]int
	Wmask  uint64  // 1<<Shift − 1: the bits of t's place within its interval
	Wscale float64 // 2^-Shift
}

// NewGrid is the grid of 2^bits intervals per octave (bits ≤ 20).
func NewGrid(bits uint) Grid {
	shift := 52 - bits
	first := int(uint64(minBits) >> shift)
	return Grid{Shift: shift, First: [2]int{first, first - Octaves<<bits}, Wmask: 1<<shift - 1, Wscale: math.Ldexp(1, -int(shift))}
}

// Locate returns the position of p's interval and w across it, and whether
// the table covers p: not in the far tails (t below 2^-(Octaves+1)), at the
// median or for a NaN or a p outside [0, 1].
func (g *Grid) Locate(p float64) (i int, w float64, ok bool) {
	// t's bits b, and where its side's intervals start. p is as likely on
	// either side, so a branch would be mispredicted half the time: both
	// sides are computed and the mask up, all ones for p ≥ 1/2, keeps one.
	// (No side covers a NaN or a negative p, whichever is kept.)
	b, bUp := math.Float64bits(p), math.Float64bits(1-p)
	up := uint64(int64(halfBits-1-b) >> 63)
	b ^= (b ^ bUp) & up
	i = int(b>>(g.Shift&63)) - g.First[up&1]
	w = float64(int64(b&g.Wmask)) * g.Wscale
	// min ≤ t < 0.5 as integers: the bits of a negative t or a NaN are above.
	return i, w, b-minBits < halfBits-minBits
}

// Cubic is the cubic at w of interval i, whose coefficients are
// c[4i:4i+4]: c0 + w(c1 + w(c2 + w·c3)), each product rounded (no fused
// multiply-add, as in the assembly).
func Cubic(c []float64, i int, w float64) float64 {
	c = c[4*i : 4*i+4 : 4*i+4]
	return c[0] + float64(w*(c[1]+float64(w*(c[2]+float64(w*c[3])))))
}

// TableGo is Table in Go: it sets dst[k*stride] to the cubic of p = src[k]'s
// interval at its w (Locate, Cubic) for each k until the first p the grid g
// does not cover, and returns that k (len(src) when none); coef holds the
// coefficients of both sides' intervals.
func TableGo(coef, dst []float64, stride int, src []float64, g *Grid) int {
	for k, p := range src {
		i, w, ok := g.Locate(p)
		if !ok {
			return k
		}
		dst[k*stride] = Cubic(coef, i, w)
	}
	return len(src)
}
