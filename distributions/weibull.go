package distributions

import "math"

// weibull: with u = (x/λ)^k, log P(X > x) = −u exactly.

func (w *weibullBase) logsf(x float64) float64 { return -w.u(x) }

func (w *weibullBase) logcdf(x float64) float64 {
	if !(x > 0) {
		return math.Inf(-1)
	}
	u := w.u(x)
	if u < 1e-300 {
		return w.k * math.Log(x/w.lambda)
	}
	return math.Log(-math.Expm1(-u))
}

func (w *weibullBase) logpdf(x float64) float64 {
	if !(x > 0) {
		return math.Log(w.pdf(x))
	}
	z := x / w.lambda
	return math.Log(w.k/w.lambda) + (w.k-1)*math.Log(z) - math.Pow(z, w.k)
}

func (w *weibullBase) qlogHi(ls float64) float64 {
	return w.lambda * math.Pow(-ls, 1/w.k)
}

func (w *weibullBase) qlogLo(lt float64) float64 {
	if lt < -30 {
		// u = −log(1 − e^lt) = e^lt to within e^lt/2 relative
		return w.lambda * math.Exp(lt/w.k)
	}
	return w.lambda * math.Pow(-math.Log1p(-math.Exp(lt)), 1/w.k)
}

// tailMean: in the upper tail u = u_lo + E with E unit exponential
// (memoryless), so E[X] = λ E[(u_lo + E)^(1/k) | E < u_hi − u_lo], by
// Gauss–Legendre quadrature over E; in the lower tail (u_hi tiny) U is
// uniform on (0, u_hi) to within u_hi, so E[X] = λ u_hi^(1/k)/(1 + 1/k).
func (w *weibullBase) tailMean(lo, hi float64, upper bool) float64 {
	c := 1 / w.k
	if !upper {
		return w.lambda * math.Pow(w.u(hi), c) / (1 + c)
	}
	ul := w.u(lo)
	span := 60.0 // e^-60 of the exponential's mass lies beyond
	if !math.IsInf(hi, 1) {
		span = math.Min(span, w.u(hi)-ul)
	}
	const panels = 30
	h := span / panels
	var num, den float64
	for i := 0; i < panels; i++ {
		mid := (float64(i) + 0.5) * h
		for j := range glX {
			for _, s := range [2]float64{-1, 1} {
				e := mid + s*glX[j]*h/2
				wt := glW[j] * math.Exp(-e)
				num += wt * math.Pow((ul+e)/ul, c)
				den += wt
			}
		}
	}
	return w.lambda * math.Pow(ul, c) * num / den
}

// glX and glW are the nodes (positive half) and weights of 10-point
// Gauss–Legendre quadrature on [−1, 1].
var (
	glX = [5]float64{0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717}
	glW = [5]float64{0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881}
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

func (w *weibullBase) sf(x float64) float64 { return math.Exp(-w.u(x)) }

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

// NewWeibull returns weibull(shape, scale): P(X ≤ x) = 1 − exp(−(x/λ)^k)
// for x ≥ 0, with shape k in [0.05, 1e4] and scale λ > 0. Its plan value is
// the mean λΓ(1 + 1/k).
func NewWeibull(shape, scale float64) (Dist, error) {
	d, err := newWeibull(shape, scale)
	if err != nil {
		return nil, err
	}
	return checked("weibull", d)
}

func newWeibull(k, lambda float64) (*contDist, *ParamError) {
	return shapeScale("weibull", k, lambda, maxWeibullShape, func(k, lambda float64) base { return &weibullBase{k: k, lambda: lambda} })
}

func buildWeibull(c *call) (Dist, *SyntaxError) { return buildShapeScale(c, newWeibull) }
