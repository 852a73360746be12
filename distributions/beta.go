package distributions

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// betaBase is Beta(a, b) scaled to [lo, hi]: the family behind pert and beta.
type betaBase struct {
	a, b    float64
	lo, hi  float64
	w       float64 // hi - lo
	lnB     float64 // log Beta(a, b)
	swapped *betaStd
	std     *betaStd
}

// betaStd is the standard Beta(a, b) on [0, 1].
type betaStd struct {
	a, b, lnB float64
}

func newBetaBase(a, b, lo, hi float64) *betaBase {
	lnB := mathext.Lbeta(a, b)
	return &betaBase{a: a, b: b, lo: lo, hi: hi, w: hi - lo, lnB: lnB,
		std: &betaStd{a, b, lnB}, swapped: &betaStd{b, a, lnB}}
}

// pdf of the standard beta at z, with y = 1 - z passed separately for precision.
func (s *betaStd) pdf2(z, y float64) float64 {
	if z < 0 || y < 0 {
		return 0
	}
	l := -s.lnB
	if s.a != 1 {
		l += (s.a - 1) * math.Log(z)
	}
	if s.b != 1 {
		l += (s.b - 1) * math.Log(y)
	}
	return math.Exp(l)
}

func (s *betaStd) cdf(z float64) float64 {
	if !(z > 0) {
		return 0
	}
	if z >= 1 {
		return 1
	}
	return mathext.RegIncBeta(s.a, s.b, z)
}

// inv returns z in [0, 1] with I_z(a, b) = t, accurate in relative terms.
func (s *betaStd) inv(t float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return 1
	}
	x0 := mathext.InvRegIncBeta(s.a, s.b, t)
	if !(x0 > 0 && x0 < 1) {
		// initial guess from the leading term of the series near 0
		x0 = math.Exp((math.Log(t) + math.Log(s.a) + s.lnB) / s.a)
		if !(x0 > 0 && x0 < 1) {
			x0 = 0.5
		}
	}
	return solveIncreasing(
		func(z float64) float64 { return s.cdf(z) - t },
		func(z float64) float64 { return s.pdf2(z, 1-z) },
		func(z float64) float64 { return (s.a-1)/z - (s.b-1)/(1-z) },
		x0, 0, 1)
}

func (bb *betaBase) cdf(x float64) float64 {
	if x <= bb.lo {
		return 0
	}
	if x >= bb.hi {
		return 1
	}
	return bb.std.cdf((x - bb.lo) / bb.w)
}

func (bb *betaBase) sf(x float64) float64 {
	if x <= bb.lo {
		return 1
	}
	if x >= bb.hi {
		return 0
	}
	return bb.swapped.cdf((bb.hi - x) / bb.w)
}

func (bb *betaBase) pdf(x float64) float64 {
	if x < bb.lo || x > bb.hi {
		return 0
	}
	return bb.std.pdf2((x-bb.lo)/bb.w, (bb.hi-x)/bb.w) / bb.w
}

func (bb *betaBase) dlogpdf(x float64) float64 {
	z := (x - bb.lo) / bb.w
	y := (bb.hi - x) / bb.w
	return ((bb.a-1)/z - (bb.b-1)/y) / bb.w
}

func (bb *betaBase) qlo(t float64) float64 {
	x := bb.lo + bb.w*bb.std.inv(t)
	return math.Min(x, bb.hi)
}

func (bb *betaBase) qhi(s float64) float64 {
	x := bb.hi - bb.w*bb.swapped.inv(s)
	return math.Max(x, bb.lo)
}

func (bb *betaBase) support() (float64, float64) { return bb.lo, bb.hi }

func (bb *betaBase) mean() float64 { return bb.lo + bb.w*bb.a/(bb.a+bb.b) }

// truncMean is E[X | lo < X < hi]: with z = (x − min)/w,
// E[z; z1 < z < z2] = a/(a+b)·(I_z2(a+1, b) − I_z1(a+1, b)).
func (bb *betaBase) truncMean(lo, hi float64) float64 {
	z1 := math.Max(0, (lo-bb.lo)/bb.w)
	z2 := math.Min(1, (hi-bb.lo)/bb.w)
	m := betaDiff(bb.a+1, bb.b, z1, z2) / betaDiff(bb.a, bb.b, z1, z2)
	return bb.lo + bb.w*bb.a/(bb.a+bb.b)*m
}

// betaDiff is I_z2(a, b) − I_z1(a, b) for 0 ≤ z1 ≤ z2 ≤ 1, from the upper
// tail when z1 lies there, so that no precision is lost.
func betaDiff(a, b, z1, z2 float64) float64 {
	reg := func(a, b, z float64) float64 {
		if !(z > 0) {
			return 0
		}
		if z >= 1 {
			return 1
		}
		return mathext.RegIncBeta(a, b, z)
	}
	if reg(a, b, z1) > 0.5 {
		return reg(b, a, 1-z1) - reg(b, a, 1-z2)
	}
	return reg(a, b, z2) - reg(a, b, z1)
}

// NewBeta returns beta(alpha, beta, min=lo, max=hi): the beta distribution
// with shapes alpha and beta in [0.05, 1e5], rescaled from [0, 1] to
// [lo, hi] (lo < hi; 0 and 1 for the standard beta). Its plan value is the
// mean lo + (hi − lo)·alpha/(alpha + beta).
func NewBeta(alpha, beta, lo, hi float64) (Dist, error) {
	str := fmt.Sprintf("beta(%s, %s", formatNum(alpha), formatNum(beta))
	if lo != 0 || hi != 1 {
		str += fmt.Sprintf(", min=%s, max=%s", formatNum(lo), formatNum(hi))
	}
	d, err := newBeta(alpha, beta, lo, hi, str+")")
	if err != nil {
		return nil, err
	}
	return checked("beta", d)
}

// newBeta is the beta distribution whose expression is head.
func newBeta(a, b, lo, hi float64, head string) (*contDist, *ParamError) {
	if err := shapeErr("beta", "alpha", a, maxBetaShape); err != nil {
		return nil, err
	}
	if err := shapeErr("beta", "beta", b, maxBetaShape); err != nil {
		return nil, err
	}
	if err := rangeErr("beta", lo, hi, "min", "max"); err != nil {
		return nil, err
	}
	d, _ := newCont(newBetaBase(a, b, lo, hi), cutSpec{}, head, false, math.NaN())
	return d, nil
}

func buildBeta(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"alpha", "beta"}, 2, []string{"min", "max"}, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("alpha", "beta")
	if err != nil {
		return nil, err
	}
	for i, name := range []string{"alpha", "beta"} {
		if perr := shapeErr("beta", name, v[i], maxBetaShape); perr != nil {
			return nil, b.fail(perr)
		}
	}
	lo, err := b.num("min", 0)
	if err != nil {
		return nil, err
	}
	hi, err := b.num("max", 1)
	if err != nil {
		return nil, err
	}
	if !(lo < hi) && b.has("min") != b.has("max") {
		if b.has("min") {
			return nil, errAt(b.off("min"), "beta needs min < max (max is 1 unless given), got %s", c.source())
		}
		return nil, errAt(b.off("max"), "beta needs min < max (min is 0 unless given), got %s", c.source())
	}
	str := fmt.Sprintf("beta(%s, %s", formatNum(v[0]), formatNum(v[1]))
	if b.has("min") {
		str += ", min=" + formatNum(lo)
	}
	if b.has("max") {
		str += ", max=" + formatNum(hi)
	}
	d, perr := newBeta(v[0], v[1], lo, hi, str+")")
	if perr != nil {
		return nil, b.fail(perr)
	}
	return d, nil
}

func (bb *betaBase) logpdf(x float64) float64 {
	if x < bb.lo || x > bb.hi {
		return math.Inf(-1)
	}
	z, y := (x-bb.lo)/bb.w, (bb.hi-x)/bb.w
	l := -bb.lnB - math.Log(bb.w)
	if bb.a != 1 {
		l += (bb.a - 1) * math.Log(z)
	}
	if bb.b != 1 {
		l += (bb.b - 1) * math.Log(y)
	}
	return l
}
