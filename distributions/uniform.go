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

func buildUniform(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"min", "max"}, 2, nil, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("min", "max")
	if err != nil {
		return nil, err
	}
	if err := checkRange(b, v[0], v[1], "min", "max"); err != nil {
		return nil, err
	}
	str := fmt.Sprintf("uniform(%s, %s)", formatNum(v[0]), formatNum(v[1]))
	return &uniformDist{lo: v[0], hi: v[1], str: str, head: str}, nil
}
