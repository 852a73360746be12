package distributions

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// gammaBase is Gamma(shape k, scale theta).
type gammaBase struct {
	k, theta float64
	lgk      float64 // log Γ(k)
}

func newGammaBase(k, theta float64) *gammaBase {
	lg, _ := math.Lgamma(k)
	return &gammaBase{k: k, theta: theta, lgk: lg}
}

func (g *gammaBase) cdf(x float64) float64 { return g.cdfStd(x / g.theta) }

func (g *gammaBase) sf(x float64) float64 { return g.sfStd(x / g.theta) }

// cdfStd is P(k, u), the CDF of the unit-scale gamma.
func (g *gammaBase) cdfStd(u float64) float64 {
	if !(u > 0) {
		return 0
	}
	if math.IsInf(u, 1) {
		return 1
	}
	return mathext.GammaIncReg(g.k, u)
}

// sfStd is Q(k, u) = 1 - P(k, u).
func (g *gammaBase) sfStd(u float64) float64 {
	if !(u > 0) {
		return 1
	}
	if math.IsInf(u, 1) {
		return 0
	}
	return mathext.GammaIncRegComp(g.k, u)
}

func (g *gammaBase) pdfStd(u float64) float64 {
	if u < 0 {
		return 0
	}
	l := -u - g.lgk
	if g.k != 1 {
		l += (g.k - 1) * math.Log(u)
	}
	return math.Exp(l)
}

func (g *gammaBase) pdf(x float64) float64 { return g.pdfStd(x/g.theta) / g.theta }

func (g *gammaBase) dlogpdf(x float64) float64 { return (g.k-1)/x - 1/g.theta }

// invLower returns u with P(k, u) = t.
func (g *gammaBase) invLower(t float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return math.Inf(1)
	}
	var u0 float64
	if t < 0.5 {
		// leading term of the series: P(k, u) ≈ u^k / Γ(k+1)
		lg1, _ := math.Lgamma(g.k + 1)
		u0 = math.Exp((math.Log(t) + lg1) / g.k)
		if u0 == 0 {
			return 0 // below the smallest float64
		}
		if !(u0 <= g.k+1) {
			u0 = mathext.GammaIncRegCompInv(g.k, 1-t)
		}
	} else {
		u0 = mathext.GammaIncRegCompInv(g.k, 1-t)
	}
	if !(u0 > 0) || math.IsInf(u0, 0) {
		u0 = g.k
	}
	return solveIncreasing(
		func(u float64) float64 { return g.cdfStd(u) - t },
		g.pdfStd,
		func(u float64) float64 { return (g.k-1)/u - 1 },
		u0, 0, math.Inf(1))
}

// invUpper returns u with Q(k, u) = s.
func (g *gammaBase) invUpper(s float64) float64 {
	if !(s > 0) {
		return math.Inf(1)
	}
	if s >= 1 {
		return 0
	}
	if s > 0.5 {
		return g.invLower(1 - s)
	}
	u0 := mathext.GammaIncRegCompInv(g.k, s)
	if !(u0 > 0) || math.IsInf(u0, 0) {
		u0 = g.k
	}
	return solveIncreasing(
		func(u float64) float64 { return s - g.sfStd(u) },
		g.pdfStd,
		func(u float64) float64 { return (g.k-1)/u - 1 },
		u0, 0, math.Inf(1))
}

func (g *gammaBase) qlo(t float64) float64 { return g.theta * g.invLower(t) }

func (g *gammaBase) qhi(s float64) float64 { return g.theta * g.invUpper(s) }

func (g *gammaBase) support() (float64, float64) { return 0, math.Inf(1) }

func (g *gammaBase) mean() float64 { return g.k * g.theta }

// incDiff returns P(a, v) - P(a, u) for 0 ≤ u ≤ v, choosing the regularised
// lower or upper incomplete gamma function so that no precision is lost.
func incDiff(a, u, v float64) float64 {
	pu := 0.0
	if u > 0 {
		pu = mathext.GammaIncReg(a, u)
	}
	if pu > 0.5 {
		qv := 0.0
		if !math.IsInf(v, 1) {
			qv = mathext.GammaIncRegComp(a, v)
		}
		return mathext.GammaIncRegComp(a, u) - qv
	}
	pv := 1.0
	if !math.IsInf(v, 1) {
		pv = mathext.GammaIncReg(a, v)
	}
	return pv - pu
}

func (g *gammaBase) truncMean(lo, hi float64) float64 {
	u, v := math.Max(lo, 0)/g.theta, hi/g.theta
	return g.k * g.theta * incDiff(g.k+1, u, v) / incDiff(g.k, u, v)
}

// NewGamma returns gamma(shape, scale): the gamma distribution with shape
// k in [0.05, 1e7] and scale θ > 0, density x^(k−1) e^(−x/θ)/(Γ(k) θ^k).
// Its plan value is the mean kθ.
func NewGamma(shape, scale float64) (Dist, error) {
	d, err := newGamma(shape, scale)
	if err != nil {
		return nil, err
	}
	return checked("gamma", d)
}

func newGamma(k, theta float64) (*contDist, *ParamError) {
	return shapeScale("gamma", k, theta, maxGammaSh, func(k, theta float64) base { return newGammaBase(k, theta) })
}

func buildGamma(c *call) (Dist, *SyntaxError) { return buildShapeScale(c, newGamma) }

func (g *gammaBase) logpdf(x float64) float64 {
	u := x / g.theta
	if u < 0 {
		return math.Inf(-1)
	}
	l := -u - g.lgk - math.Log(g.theta)
	if g.k != 1 {
		l += (g.k - 1) * math.Log(u)
	}
	return l
}
