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

// Log tails (tails.go), for cuts far in a tail: with u = x/θ,
// log Q(k, u) from the continued fraction of the upper incomplete gamma
// function (u > k + 1, where Q underflows), log P(k, u) from its series
// (u < k, where P underflows).

// logQ is log Q(a, u) for u > a + 1, by Lentz's evaluation of the continued
// fraction Γ(a, u) = e^(−u) u^a / (u + 1 − a − 1(1 − a)/(u + 3 − a − …)).
func logQ(a, u float64) float64 {
	const tiny = 1e-300
	b := u + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	lg, _ := math.Lgamma(a)
	return -u + a*math.Log(u) - lg + math.Log(h)
}

// logP is log P(a, u) from the series e^(−u) u^a/Γ(a+1) Σ uⁿ/((a+1)…(a+n)),
// for u < a + 1.
func logP(a, u float64) float64 {
	if !(u > 0) {
		return math.Inf(-1)
	}
	sum, term := 1.0, 1.0
	for n := 1; n < 100000; n++ {
		term *= u / (a + float64(n))
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	lg, _ := math.Lgamma(a + 1)
	return -u + a*math.Log(u) - lg + math.Log(sum)
}

// logQU and logPU choose the representation that keeps precision.
func logQU(a, u float64) float64 {
	if math.IsInf(u, 1) {
		return math.Inf(-1)
	}
	if u > a+1 {
		return logQ(a, u)
	}
	return math.Log(mathext.GammaIncRegComp(a, u))
}

func logPU(a, u float64) float64 {
	if !(u > 0) {
		return math.Inf(-1)
	}
	if u < a+1 {
		return logP(a, u)
	}
	return math.Log(mathext.GammaIncReg(a, u))
}

func (g *gammaBase) logsf(x float64) float64  { return logQU(g.k, x/g.theta) }
func (g *gammaBase) logcdf(x float64) float64 { return logPU(g.k, x/g.theta) }

// qlogHi solves log Q(k, u) = ls by Newton steps on u, whose derivative is
// −e^(log pdf − log Q), from u − (k − 1) log u + log Γ(k) = −ls.
func (g *gammaBase) qlogHi(ls float64) float64 {
	if math.IsInf(ls, -1) {
		return math.Inf(1)
	}
	lg, _ := math.Lgamma(g.k)
	u := math.Max(g.k+1, -ls)
	for i := 0; i < 20; i++ {
		u = math.Max(g.k+1, -ls+(g.k-1)*math.Log(u)-lg)
	}
	return g.theta * g.newtonLog(u, ls, logQU, -1)
}

// qlogLo solves log P(k, u) = lt, from k log u − log Γ(k + 1) = lt.
func (g *gammaBase) qlogLo(lt float64) float64 {
	if math.IsInf(lt, -1) {
		return 0
	}
	lg1, _ := math.Lgamma(g.k + 1)
	u := math.Exp((lt + lg1) / g.k)
	if !(u > 0) {
		return 0
	}
	return g.theta * g.newtonLog(u, lt, logPU, 1)
}

// newtonLog solves f(k, u) = t for the log tail f (decreasing, sign −1, or
// increasing, sign +1), whose derivative is sign·pdf/e^f.
func (g *gammaBase) newtonLog(u, t float64, f func(a, u float64) float64, sign float64) float64 {
	for i := 0; i < 100; i++ {
		fu := f(g.k, u)
		slope := sign * math.Exp(math.Log(g.pdfStd(u))-fu)
		if lp := g.logpdfStd(u); !math.IsInf(lp, 0) {
			slope = sign * math.Exp(lp-fu)
		}
		if !(slope != 0) || math.IsNaN(slope) || math.IsInf(slope, 0) {
			return u
		}
		step := (t - fu) / slope
		un := u + step
		if !(un > 0) {
			un = u / 2
		}
		if math.Abs(un-u) <= 1e-15*u {
			return un
		}
		u = un
	}
	return u
}

// logpdfStd is the log density of the unit-scale gamma.
func (g *gammaBase) logpdfStd(u float64) float64 {
	if !(u > 0) {
		return math.Inf(-1)
	}
	l := -u - g.lgk
	if g.k != 1 {
		l += (g.k - 1) * math.Log(u)
	}
	return l
}

// tailMean is kθ (Q(k+1, u_lo) − Q(k+1, u_hi))/(Q(k, u_lo) − Q(k, u_hi)) in
// logs (upper tail), or with P (lower tail).
func (g *gammaBase) tailMean(lo, hi float64, upper bool) float64 {
	ul, uh := math.Max(lo, 0)/g.theta, hi/g.theta
	diff := func(f func(a, u float64) float64, a, near, far float64) float64 {
		ln, lf := f(a, near), f(a, far)
		return ln + math.Log(-math.Expm1(lf-ln))
	}
	var num, den float64
	if upper {
		num, den = diff(logQU, g.k+1, ul, uh), diff(logQU, g.k, ul, uh)
	} else {
		num, den = diff(logPU, g.k+1, uh, ul), diff(logPU, g.k, uh, ul)
	}
	return g.k * g.theta * math.Exp(num-den)
}
