package distributions

import "math"

// Cuts far in a tail. A cut such as normal(0, 1, min=38.5) keeps a mass
// (1e-324 here) that float64 cannot hold, or holds only in subnormal
// numbers with few digits left. Families that implement logTails compute
// such cuts in log space: the tail probabilities as logarithms, the
// quantile by inverting the log tail, and the cut mean from closed forms in
// logs. A cut is then refused only when its mass is truly 0 (an empty
// range, or a range beyond the support).

// logTinyTail is the tail probability below which a cut is computed in
// log space: far above the subnormal range, so that both ways agree where
// they meet.
const logTinyTail = 1e-200

// logTails is implemented by the bases whose tails can be computed in log
// space.
type logTails interface {
	logcdf(x float64) float64  // log P(X ≤ x)
	logsf(x float64) float64   // log P(X > x)
	logpdf(x float64) float64  // log density
	qlogLo(lt float64) float64 // x with logcdf(x) = lt
	qlogHi(ls float64) float64 // x with logsf(x) = ls
	// tailMean is E[X | lo < X < hi] for a range far in the upper tail
	// (upper) or the lower tail.
	tailMean(lo, hi float64, upper bool) float64
}

// logPhic is log(1 − Φ(z)), accurate for every z: from erfc where 1 − Φ(z)
// is a normal float64, else from the continued fraction of Mills' ratio.
func logPhic(z float64) float64 {
	switch {
	case math.IsInf(z, 1):
		return math.Inf(-1)
	case z < 30:
		return math.Log(phic(z))
	}
	return -0.5*z*z - 0.5*math.Log(2*math.Pi) + math.Log(millsRatio(z))
}

// millsRatio is (1 − Φ(z))/φ(z) for z ≥ 30, from its continued fraction
// 1/(z + 1/(z + 2/(z + 3/(z + …)))), evaluated from the 40th term down (it
// has converged to the last bit there).
func millsRatio(z float64) float64 {
	f := z
	for k := 40; k >= 1; k-- {
		f = z + float64(k)/f
	}
	return 1 / f
}

// invLogPhic is z with logPhic(z) = t, for t ≤ log(logTinyTail): Newton
// steps from the leading term of the asymptotic expansion
// (d/dz log(1 − Φ(z)) = −1/millsRatio(z)).
func invLogPhic(t float64) float64 {
	if math.IsInf(t, -1) {
		return math.Inf(1)
	}
	if t > -600 {
		return -nq(math.Exp(t))
	}
	z := math.Sqrt(-2*t - math.Log(-4*math.Pi*t))
	for i := 0; i < 50; i++ {
		if z < 30 {
			z = 30
		}
		step := (logPhic(z) - t) * millsRatio(z)
		z += step
		if math.Abs(step) <= 1e-15*z {
			break
		}
	}
	return z
}

// logPhi is log Φ(z).
func logPhi(z float64) float64 { return logPhic(-z) }

// normal

func (n *normalBase) logcdf(x float64) float64 { return logPhi((x - n.mu) / n.sigma) }
func (n *normalBase) logsf(x float64) float64  { return logPhic((x - n.mu) / n.sigma) }
func (n *normalBase) logpdf(x float64) float64 {
	z := (x - n.mu) / n.sigma
	return -0.5*z*z - math.Log(n.sigma) - 0.5*math.Log(2*math.Pi)
}
func (n *normalBase) qlogLo(lt float64) float64 { return n.mu - n.sigma*invLogPhic(lt) }
func (n *normalBase) qlogHi(ls float64) float64 { return n.mu + n.sigma*invLogPhic(ls) }

// tailMean is μ + σ(φ(a) − φ(b))/(Φ̄(a) − Φ̄(b)) with every term in logs
// (upper tail), or its mirror image.
func (n *normalBase) tailMean(lo, hi float64, upper bool) float64 {
	a, b := (lo-n.mu)/n.sigma, (hi-n.mu)/n.sigma
	sign := 1.0
	if !upper {
		a, b, sign = -b, -a, -1
	}
	la, lb := logPhic(a), logPhic(b)
	lpa := -0.5 * a * a
	lpb := math.Inf(-1)
	if !math.IsInf(b, 1) {
		lpb = -0.5 * b * b
	}
	r := math.Exp(lpa - 0.5*math.Log(2*math.Pi) - la) // φ(a)/Φ̄(a)
	return n.mu + sign*n.sigma*r*(-math.Expm1(lpb-lpa))/(-math.Expm1(lb-la))
}

// lognormal

func (l *lognormalBase) logcdf(x float64) float64 { return logPhi(l.z(x)) }
func (l *lognormalBase) logsf(x float64) float64  { return logPhic(l.z(x)) }
func (l *lognormalBase) logpdf(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	z := l.z(x)
	return -0.5*z*z - math.Log(l.sigma) - math.Log(x) - 0.5*math.Log(2*math.Pi)
}
func (l *lognormalBase) qlogLo(lt float64) float64 {
	return math.Exp(l.mu - l.sigma*invLogPhic(lt))
}
func (l *lognormalBase) qlogHi(ls float64) float64 {
	return math.Exp(l.mu + l.sigma*invLogPhic(ls))
}

// tailMean is e^(μ+σ²/2)(Φ̄(a−σ) − Φ̄(b−σ))/(Φ̄(a) − Φ̄(b)) in logs (upper
// tail), or with Φ in place of Φ̄ (lower tail).
func (l *lognormalBase) tailMean(lo, hi float64, upper bool) float64 {
	a, b := l.z(lo), l.z(hi)
	s := l.sigma
	var num, den float64
	if upper {
		la, lb := logPhic(a), logPhic(b)
		las, lbs := logPhic(a-s), logPhic(b-s)
		num = las + math.Log(-math.Expm1(lbs-las))
		den = la + math.Log(-math.Expm1(lb-la))
	} else {
		la, lb := logPhi(a), logPhi(b)
		las, lbs := logPhi(a-s), logPhi(b-s)
		num = lbs + math.Log(-math.Expm1(las-lbs))
		den = lb + math.Log(-math.Expm1(la-lb))
	}
	return math.Exp(l.mu + 0.5*s*s + num - den)
}

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

// inTail finishes newCont for a range far in one tail of a base with log
// tails (blo, bhi: the base's support).
func (d *contDist) inTail(lt logTails, blo, bhi float64) (*contDist, bool) {
	upper := d.slo < logTinyTail && d.lo > blo
	var near, far float64
	if upper {
		near, far = lt.logsf(d.lo), math.Inf(-1)
		if d.hi < bhi {
			far = lt.logsf(d.hi)
		}
		d.tail = 1
	} else {
		near, far = lt.logcdf(d.hi), math.Inf(-1)
		if d.lo > blo {
			far = lt.logcdf(d.lo)
		}
		d.tail = -1
	}
	d.lnear, d.r, d.lt = near, math.Exp(far-near), lt
	if math.IsInf(near, -1) || math.IsNaN(near) || !(d.r < 1) {
		return nil, false
	}
	d.mass = math.Exp(near) * (1 - d.r) // may underflow: kept for reference only
	d.mean = math.Max(d.lo, math.Min(d.hi, lt.tailMean(d.lo, d.hi, upper)))
	d.plan = d.mean
	if !math.IsNaN(d.mode) {
		d.plan = math.Max(d.lo, math.Min(d.hi, d.mode))
	}
	return d, true
}

// tailQuantile is the quantile of a cut far in a tail: the x whose log tail
// probability is that of the nearer bound plus log(1 − p(1 − r)) (upper
// tail) or log(r + p(1 − r)) (lower tail).
func (d *contDist) tailQuantile(p float64) float64 {
	var x float64
	if d.tail > 0 {
		x = d.lt.qlogHi(d.lnear + math.Log1p(-p*(1-d.r)))
	} else {
		x = d.lt.qlogLo(d.lnear + math.Log(d.r+p*(1-d.r)))
	}
	return math.Max(d.lo, math.Min(d.hi, x))
}

// tailCDF is the CDF (sf false) or the survival function (sf true) of a cut
// far in a tail, each accurate where small.
func (d *contDist) tailCDF(x float64, sf bool) float64 {
	if x <= d.lo {
		if sf {
			return 1
		}
		return 0
	}
	if x >= d.hi {
		if sf {
			return 0
		}
		return 1
	}
	var e float64 // the tail probability at x relative to the nearer bound's
	if d.tail > 0 {
		e = math.Exp(d.lt.logsf(x) - d.lnear)
		if sf {
			return (e - d.r) / (1 - d.r)
		}
		return (1 - e) / (1 - d.r)
	}
	e = math.Exp(d.lt.logcdf(x) - d.lnear)
	if sf {
		return (1 - e) / (1 - d.r)
	}
	return (e - d.r) / (1 - d.r)
}

// LogCDF returns log P(X ≤ x), accurate in relative terms where the
// probability is small: from the family's log tail where it has one (normal,
// lognormal, weibull, and their cuts far in a tail), else from the lower
// tail's own CDF. −Inf below the support.
func LogCDF(d Dist, x float64) float64 {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	if c, ok := d.(*contDist); ok {
		if x <= c.lo {
			return math.Inf(-1)
		}
		if x >= c.hi {
			return 0
		}
		if lt, ok := c.b.(logTails); ok && !c.trunc {
			return lt.logcdf(x)
		}
		if c.tail < 0 {
			return c.lnear + math.Log((math.Exp(c.lt.logcdf(x)-c.lnear)-c.r)/(1-c.r))
		}
		return math.Log(c.lowerCDF(x))
	}
	return math.Log(d.CDF(x))
}

// LogSurvival returns log P(X > x), accurate in relative terms where the
// probability is small (far in the upper tail, where 1 − CDF would lose
// every digit): from the family's log tail where it has one, else from the
// upper tail's own survival function. −Inf above the support.
func LogSurvival(d Dist, x float64) float64 {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	if c, ok := d.(*contDist); ok {
		if x <= c.lo {
			return 0
		}
		if x >= c.hi {
			return math.Inf(-1)
		}
		if lt, ok := c.b.(logTails); ok && !c.trunc {
			return lt.logsf(x)
		}
		if c.tail > 0 {
			return c.lnear + math.Log((math.Exp(c.lt.logsf(x)-c.lnear)-c.r)/(1-c.r))
		}
		return math.Log(c.upperSF(x))
	}
	if t, ok := d.(*triangularDist); ok {
		return LogSurvival(t.asCont(), x)
	}
	return math.Log1p(-d.CDF(x))
}
