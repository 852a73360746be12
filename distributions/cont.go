package distributions

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// base is an untruncated continuous family. Each method is accurate in
// relative terms in the tail it is meant for: cdf and qlo for the lower tail,
// sf and qhi for the upper tail, so that truncation and table building keep
// full precision far out in either tail.
type base interface {
	cdf(x float64) float64     // P(X ≤ x)
	sf(x float64) float64      // P(X > x)
	pdf(x float64) float64     // density
	dlogpdf(x float64) float64 // d/dx log pdf(x), for Halley steps
	qlo(t float64) float64     // x with cdf(x) = t
	qhi(s float64) float64     // x with sf(x) = s
	support() (lo, hi float64)
	mean() float64
	// truncMean is E[X | lo < X < hi]; only families that can be truncated
	// implement it meaningfully.
	truncMean(lo, hi float64) float64
}

// solveIncreasing finds x in (lo, hi) with r(x) = 0 for an increasing
// residual r whose derivative is d(x) > 0 and whose d'/d is dl(x). It starts
// at x0 and uses Halley steps safeguarded by a shrinking bracket. The bracket
// may be infinite on the right (hi = +Inf).
func solveIncreasing(r, d, dl func(float64) float64, x0, lo, hi float64) float64 {
	return solveTol(r, d, dl, x0, lo, hi, 0)
}

// solveTol is solveIncreasing that also stops, after taking it, at the first
// step no larger than tol.
func solveTol(r, d, dl func(float64) float64, x0, lo, hi, tol float64) float64 {
	x := x0
	if !(x > lo && x < hi) {
		x = bracketPoint(lo, hi, x)
	}
	for iter := 0; iter < 200; iter++ {
		v := r(x)
		if v == 0 || v != v {
			return x
		}
		if v > 0 {
			hi = x
		} else {
			lo = x
		}
		xn := math.NaN()
		f := d(x)
		if f > 0 && !math.IsInf(f, 0) {
			dn := -v / f
			den := 1 + 0.5*dn*dl(x)
			step := dn
			if den > 0.5 && den < 2 {
				step = dn / den
			}
			if math.Abs(step) <= tol || math.Abs(step) <= 2e-16*math.Abs(x) {
				if xs := x + step; xs >= lo && xs <= hi {
					return xs
				}
				return x
			}
			xn = x + step
		}
		if !(xn > lo && xn < hi) {
			xn = bracketPoint(lo, hi, x)
		}
		if xn == x {
			return x
		}
		x = xn
		if lo >= hi || math.Nextafter(lo, hi) == hi {
			return x
		}
	}
	return x
}

// bracketPoint picks a new trial point strictly inside (lo, hi), given the
// current (rejected) point x. It bisects geometrically when the bracket spans
// many orders of magnitude so that tiny roots are reached quickly.
func bracketPoint(lo, hi, x float64) float64 {
	switch {
	case math.IsInf(hi, 1):
		if x > 0 && !math.IsInf(x, 0) && x > lo {
			return 2*x + 1
		}
		if lo > 0 {
			return 2*lo + 1
		}
		return lo + 1
	case math.IsInf(lo, -1):
		if hi < 0 {
			return 2*hi - 1
		}
		return hi - 1
	}
	if lo >= 0 && hi > 0 && (lo == 0 || hi/lo > 1e3) {
		// geometric bisection
		l := lo
		if l == 0 {
			l = hi * 1e-30
			if l == 0 || hi/l > 1e300 {
				l = math.SmallestNonzeroFloat64 * 1e10
			}
		}
		g := math.Sqrt(l) * math.Sqrt(hi)
		if g > lo && g < hi {
			return g
		}
	}
	m := lo + (hi-lo)/2
	return m
}

// ---------------------------------------------------------------- beta

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

// ---------------------------------------------------------------- gamma

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
func (g *gammaBase) sf(x float64) float64  { return g.sfStd(x / g.theta) }

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

// ---------------------------------------------------------------- normal

// normalBase is Normal(mu, sigma).
type normalBase struct {
	mu, sigma float64
}

// phi is the standard normal CDF Φ, accurate in both tails via erfc.
func phi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// phic is 1 - Φ(z).
func phic(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// phiDiff is Φ(b) - Φ(a) for a ≤ b, without cancellation in either tail.
func phiDiff(a, b float64) float64 {
	switch {
	case a >= 0:
		return phic(a) - phic(b)
	case b <= 0:
		return phi(b) - phi(a)
	default:
		return 0.5 * (math.Erf(b/math.Sqrt2) - math.Erf(a/math.Sqrt2))
	}
}

// dnorm is the standard normal density.
func dnorm(z float64) float64 { return math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi) }

// nq is the standard normal quantile, total on [0, 1].
func nq(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return mathext.NormalQuantile(p)
}

func (n *normalBase) cdf(x float64) float64 { return phi((x - n.mu) / n.sigma) }
func (n *normalBase) sf(x float64) float64  { return phic((x - n.mu) / n.sigma) }
func (n *normalBase) pdf(x float64) float64 { return dnorm((x-n.mu)/n.sigma) / n.sigma }
func (n *normalBase) dlogpdf(x float64) float64 {
	return -(x - n.mu) / (n.sigma * n.sigma)
}
func (n *normalBase) qlo(t float64) float64 { return n.mu + n.sigma*nq(t) }
func (n *normalBase) qhi(s float64) float64 { return n.mu - n.sigma*nq(s) }
func (n *normalBase) support() (float64, float64) {
	return math.Inf(-1), math.Inf(1)
}
func (n *normalBase) mean() float64 { return n.mu }
func (n *normalBase) truncMean(lo, hi float64) float64 {
	a, b := (lo-n.mu)/n.sigma, (hi-n.mu)/n.sigma
	z := phiDiff(a, b)
	return n.mu + n.sigma*(dnorm(a)-dnorm(b))/z
}

// ---------------------------------------------------------------- lognormal

// lognormalBase is the distribution of exp(Normal(mu, sigma)).
type lognormalBase struct {
	mu, sigma float64
}

func (l *lognormalBase) z(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return (math.Log(x) - l.mu) / l.sigma
}
func (l *lognormalBase) cdf(x float64) float64 { return phi(l.z(x)) }
func (l *lognormalBase) sf(x float64) float64  { return phic(l.z(x)) }
func (l *lognormalBase) pdf(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return dnorm(l.z(x)) / (l.sigma * x)
}
func (l *lognormalBase) dlogpdf(x float64) float64 {
	return -(1 + l.z(x)/l.sigma) / x
}
func (l *lognormalBase) qlo(t float64) float64 { return math.Exp(l.mu + l.sigma*nq(t)) }
func (l *lognormalBase) qhi(s float64) float64 { return math.Exp(l.mu - l.sigma*nq(s)) }
func (l *lognormalBase) support() (float64, float64) {
	return 0, math.Inf(1)
}
func (l *lognormalBase) mean() float64 { return math.Exp(l.mu + 0.5*l.sigma*l.sigma) }
func (l *lognormalBase) truncMean(lo, hi float64) float64 {
	a, b := l.z(lo), l.z(hi)
	return l.mean() * phiDiff(a-l.sigma, b-l.sigma) / phiDiff(a, b)
}
