package distributions

import (
	"math"
)

// maxWeibullShape is the largest Weibull shape accepted: beyond it the
// distribution is a spike at the scale that a fixed number describes better.
const maxWeibullShape = 1e4

// weibullBase is Weibull(shape k, scale lambda): P(X ≤ x) = 1 − exp(−(x/λ)^k)
// for x ≥ 0. Its quantile has a closed form in both tails.
type weibullBase struct {
	k, lambda float64
}

// u is (x/λ)^k, the unit-exponential variable behind x.
func (w *weibullBase) u(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Pow(x/w.lambda, w.k)
}

func (w *weibullBase) cdf(x float64) float64 { return -math.Expm1(-w.u(x)) }
func (w *weibullBase) sf(x float64) float64  { return math.Exp(-w.u(x)) }

func (w *weibullBase) pdf(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x == 0 {
		switch {
		case w.k < 1:
			return math.Inf(1)
		case w.k == 1:
			return 1 / w.lambda
		}
		return 0
	}
	z := x / w.lambda
	l := math.Log(w.k/w.lambda) + (w.k-1)*math.Log(z) - math.Pow(z, w.k)
	return math.Exp(l)
}

func (w *weibullBase) dlogpdf(x float64) float64 {
	return (w.k-1)/x - w.k/w.lambda*math.Pow(x/w.lambda, w.k-1)
}

// qlo is λ(−log(1 − t))^(1/k), accurate for small t through log1p.
func (w *weibullBase) qlo(t float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return math.Inf(1)
	}
	return w.lambda * math.Pow(-math.Log1p(-t), 1/w.k)
}

// qhi is λ(−log s)^(1/k), accurate for small s.
func (w *weibullBase) qhi(s float64) float64 {
	if !(s > 0) {
		return math.Inf(1)
	}
	if s >= 1 {
		return 0
	}
	return w.lambda * math.Pow(-math.Log(s), 1/w.k)
}

func (w *weibullBase) support() (float64, float64) { return 0, math.Inf(1) }

func (w *weibullBase) mean() float64 { return w.lambda * math.Gamma(1+1/w.k) }

// truncMean is E[X | lo < X < hi]: with u = (x/λ)^k unit exponential,
// E[X; lo < X < hi] = λ Γ(1 + 1/k) (P(1 + 1/k, u_hi) − P(1 + 1/k, u_lo)).
func (w *weibullBase) truncMean(lo, hi float64) float64 {
	ul, uh := w.u(lo), math.Inf(1)
	if !math.IsInf(hi, 1) {
		uh = w.u(hi)
	}
	a := 1 + 1/w.k
	lg, _ := math.Lgamma(a)
	return w.lambda * math.Exp(lg) * incDiff(a, ul, uh) / incDiff(1, ul, uh)
}

func buildWeibull(c *call) (Dist, *SyntaxError) {
	return buildShapeScale(c, "weibull", maxWeibullShape, func(k, lambda float64) base { return &weibullBase{k: k, lambda: lambda} })
}
