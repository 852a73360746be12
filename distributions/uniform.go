package distributions

import (
	"fmt"
	"math"
)

// uniformDist is uniform(min, max).
type uniformDist struct {
	lo, hi float64
	head   string // the expression before any cut
	cut    cutSpec
	str    string
}

func (u *uniformDist) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if p > 0.5 {
		return u.hi - (1-p)*(u.hi-u.lo)
	}
	return u.lo + p*(u.hi-u.lo)
}

func (u *uniformDist) CDF(x float64) float64 {
	switch {
	case x <= u.lo:
		return 0
	case x >= u.hi:
		return 1
	}
	return (x - u.lo) / (u.hi - u.lo)
}

func (u *uniformDist) Mean() float64 { return u.lo + (u.hi-u.lo)/2 }

func (u *uniformDist) Plan() float64 { return u.Mean() }

func (u *uniformDist) Support() (lo, hi float64) { return u.lo, u.hi }

func (u *uniformDist) Fixed() bool { return false }

func (u *uniformDist) String() string { return u.str }

// NewUniform returns uniform(min, max), with min < max. Its plan value is
// the mean.
func NewUniform(min, max float64) (Dist, error) {
	d, err := newUniform(min, max)
	if err != nil {
		return nil, err
	}
	return checked("uniform", d)
}

func newUniform(lo, hi float64) (*uniformDist, *ParamError) {
	if err := rangeErr("uniform", lo, hi, "min", "max"); err != nil {
		return nil, err
	}
	str := fmt.Sprintf("uniform(%s, %s)", formatNum(lo), formatNum(hi))
	return &uniformDist{lo: lo, hi: hi, str: str, head: str}, nil
}

func buildUniform(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"min", "max"}, 2, nil, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("min", "max")
	if err != nil {
		return nil, err
	}
	d, perr := newUniform(v[0], v[1])
	if perr != nil {
		return nil, b.fail(perr)
	}
	return d, nil
}

// Prob is the density 1/(max − min) inside [min, max].
func (u *uniformDist) Prob(x float64) float64 {
	if !(x >= u.lo && x <= u.hi) {
		return 0
	}
	return 1 / (u.hi - u.lo)
}

// LogProb is the log density.
func (u *uniformDist) LogProb(x float64) float64 { return math.Log(u.Prob(x)) }
