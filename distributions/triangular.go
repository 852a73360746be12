package distributions

import (
	"fmt"
	"math"
)

// triangularDist is triangular(min, mode, max).
type triangularDist struct {
	a, c, b float64 // min, mode, max
	fc      float64 // CDF at the mode
	str     string
}

func newTriangular(a, c, b float64, str string) *triangularDist {
	return &triangularDist{a: a, c: c, b: b, fc: (c - a) / (b - a), str: str}
}

func (t *triangularDist) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if p <= t.fc && t.fc > 0 {
		return math.Min(t.a+math.Sqrt(p*(t.b-t.a)*(t.c-t.a)), t.c)
	}
	return math.Max(t.b-math.Sqrt((1-p)*(t.b-t.a)*(t.b-t.c)), t.c)
}

func (t *triangularDist) CDF(x float64) float64 {
	switch {
	case x <= t.a:
		return 0
	case x >= t.b:
		return 1
	case x <= t.c:
		return (x - t.a) * (x - t.a) / ((t.b - t.a) * (t.c - t.a))
	}
	return 1 - (t.b-x)*(t.b-x)/((t.b-t.a)*(t.b-t.c))
}

func (t *triangularDist) Mean() float64 {
	if m := (t.a + t.b + t.c) / 3; !math.IsInf(m, 0) {
		return m
	}
	return t.a/3 + t.b/3 + t.c/3
}

func (t *triangularDist) Plan() float64 { return t.c }

func (t *triangularDist) Support() (lo, hi float64) { return t.a, t.b }

func (t *triangularDist) Fixed() bool { return false }

func (t *triangularDist) String() string { return t.str }

// NewTriangular returns triangular(min, mode, max), with min < max and
// min ≤ mode ≤ max. Its plan value is the mode.
func NewTriangular(min, mode, max float64) (Dist, error) {
	d, err := newTriangularDist(min, mode, max)
	if err != nil {
		return nil, err
	}
	return checked("triangular", d)
}

func newTriangularDist(lo, mode, hi float64) (*triangularDist, *ParamError) {
	if err := rangeErr("triangular", lo, hi, "min", "max"); err != nil {
		return nil, err
	}
	if !(lo <= mode && mode <= hi) {
		return nil, &ParamError{"triangular", "mode", "triangular needs min ≤ mode ≤ max"}
	}
	str := fmt.Sprintf("triangular(%s, %s, %s)", formatNum(lo), formatNum(mode), formatNum(hi))
	return newTriangular(lo, mode, hi, str), nil
}

func buildTriangular(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"min", "mode", "max"}, 3, nil, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("min", "mode", "max")
	if err != nil {
		return nil, err
	}
	d, perr := newTriangularDist(v[0], v[1], v[2])
	if perr != nil {
		return nil, b.fail(perr)
	}
	return d, nil
}

// triBase is triangular(a, c, b) as a base family, so that a cut triangular
// is a contDist like every other cut continuous family.
type triBase struct {
	a, c, b float64 // min, mode, max
	fc      float64 // CDF at the mode
}

func (t *triBase) cdf(x float64) float64 {
	switch {
	case x <= t.a:
		return 0
	case x >= t.b:
		return 1
	case x <= t.c:
		return (x - t.a) * (x - t.a) / ((t.b - t.a) * (t.c - t.a))
	}
	return 1 - (t.b-x)*(t.b-x)/((t.b-t.a)*(t.b-t.c))
}

func (t *triBase) sf(x float64) float64 {
	switch {
	case x <= t.a:
		return 1
	case x >= t.b:
		return 0
	case x > t.c:
		return (t.b - x) * (t.b - x) / ((t.b - t.a) * (t.b - t.c))
	}
	return 1 - (x-t.a)*(x-t.a)/((t.b-t.a)*(t.c-t.a))
}

func (t *triBase) pdf(x float64) float64 {
	switch {
	case x < t.a || x > t.b:
		return 0
	case x < t.c:
		return 2 * (x - t.a) / ((t.b - t.a) * (t.c - t.a))
	case x > t.c:
		return 2 * (t.b - x) / ((t.b - t.a) * (t.b - t.c))
	}
	return 2 / (t.b - t.a)
}

func (t *triBase) dlogpdf(x float64) float64 {
	if x < t.c {
		return 1 / (x - t.a)
	}
	return -1 / (t.b - x)
}

func (t *triBase) qlo(p float64) float64 {
	if p <= t.fc && t.fc > 0 {
		return math.Min(t.a+math.Sqrt(p*(t.b-t.a)*(t.c-t.a)), t.c)
	}
	return math.Max(t.b-math.Sqrt((1-p)*(t.b-t.a)*(t.b-t.c)), t.c)
}

func (t *triBase) qhi(s float64) float64 {
	if s <= 1-t.fc && t.fc < 1 {
		return math.Max(t.b-math.Sqrt(s*(t.b-t.a)*(t.b-t.c)), t.c)
	}
	return math.Min(t.a+math.Sqrt((1-s)*(t.b-t.a)*(t.c-t.a)), t.c)
}

func (t *triBase) support() (float64, float64) { return t.a, t.b }

func (t *triBase) mean() float64 {
	if m := (t.a + t.b + t.c) / 3; !math.IsInf(m, 0) {
		return m
	}
	return t.a/3 + t.b/3 + t.c/3
}

// truncMean is E[X | lo < X < hi], from the moments of the two linear
// pieces measured from their own ends (u = x − a on the rising side,
// v = b − x on the falling side), which keeps precision far from 0.
func (t *triBase) truncMean(lo, hi float64) float64 {
	w := t.b - t.a
	var massL, momL, massR, momR float64
	if t.c > t.a && lo < t.c {
		k := 2 / (w * (t.c - t.a))
		u1, u2 := math.Max(lo, t.a)-t.a, math.Min(hi, t.c)-t.a
		massL = k * (u2*u2 - u1*u1) / 2
		momL = k * (u2*u2*u2 - u1*u1*u1) / 3
	}
	if t.b > t.c && hi > t.c {
		k := 2 / (w * (t.b - t.c))
		v1, v2 := t.b-math.Max(lo, t.c), t.b-math.Min(hi, t.b)
		massR = k * (v1*v1 - v2*v2) / 2
		momR = k * (v1*v1*v1 - v2*v2*v2) / 3
	}
	return (t.a*massL + momL + t.b*massR - momR) / (massL + massR)
}

func (t *triBase) logpdf(x float64) float64 { return math.Log(t.pdf(x)) }

// Prob is the density.
func (t *triangularDist) Prob(x float64) float64 {
	return (&triBase{a: t.a, c: t.c, b: t.b, fc: t.fc}).pdf(x)
}

// LogProb is the log density.
func (t *triangularDist) LogProb(x float64) float64 { return math.Log(t.Prob(x)) }
