package distributions

import (
	"fmt"
	"math"
)

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

func (l *lognormalBase) sf(x float64) float64 { return phic(l.z(x)) }

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

func buildLognormal(c *call) (Dist, *SyntaxError) {
	b, err := c.bind(nil, 0, []string{"mu", "sigma", "mean", "sd", "min", "max"}, true)
	if err != nil {
		return nil, err
	}
	groups := [][]string{{"mu", "sigma"}, {"mean", "sd"}}
	var used []int
	for gi, g := range groups {
		if b.has(g[0]) || b.has(g[1]) {
			used = append(used, gi)
		}
	}
	nForms := len(used)
	if len(b.pcts) > 0 {
		nForms++
	}
	const forms = "lognormal(mu=…, sigma=…), lognormal(mean=…, sd=…) or two percentiles such as lognormal(p10=…, p90=…)"
	switch {
	case nForms == 0:
		return nil, errAt(c.off, "lognormal needs its parameters: %s", forms)
	case nForms > 1:
		return nil, errAt(c.off, "lognormal takes one of %s, not a mix; got %s", forms, c.source())
	}
	var mu, sigma float64
	var str string
	if len(b.pcts) > 0 {
		x1, x2, v1, v2, err := b.percentiles()
		if err != nil {
			return nil, err
		}
		for _, a := range b.pcts {
			if !(a.num > 0) {
				return nil, errAt(a.off, "lognormal percentiles must be positive, got %s", c.raw(a))
			}
		}
		z1, z2 := pctZ(x1), pctZ(x2)
		l1, l2 := math.Log(v1), math.Log(v2)
		sigma = (l2 - l1) / (z2 - z1)
		mu = l1 - sigma*z1
		str = "lognormal(" + pctSuffix(x1, x2, v1, v2)
	} else {
		g := groups[used[0]]
		for _, n := range g {
			if !b.has(n) {
				other := g[0]
				if n == g[0] {
					other = g[1]
				}
				return nil, errAt(c.off, "lognormal(%s=…) also needs %s", other, n)
			}
		}
		v, err := b.nums(g[0], g[1])
		if err != nil {
			return nil, err
		}
		if g[0] == "mu" {
			mu, sigma = v[0], v[1]
			if !(sigma > 0) {
				return nil, errAt(b.off("sigma"), "lognormal needs sigma > 0, got %s", c.source())
			}
			str = fmt.Sprintf("lognormal(mu=%s, sigma=%s", formatNum(mu), formatNum(sigma))
		} else {
			m, sd := v[0], v[1]
			if !(m > 0) {
				return nil, errAt(b.off("mean"), "lognormal needs mean > 0, got %s", c.source())
			}
			if !(sd > 0) {
				return nil, errAt(b.off("sd"), "lognormal needs sd > 0, got %s", c.source())
			}
			cv := sd / m
			s2 := math.Log1p(cv * cv)
			if math.IsInf(cv, 0) || math.IsInf(s2, 0) {
				s2 = 2 * (math.Log(sd) - math.Log(m))
			}
			sigma = math.Sqrt(s2)
			mu = math.Log(m) - s2/2
			str = fmt.Sprintf("lognormal(mean=%s, sd=%s", formatNum(m), formatNum(sd))
		}
	}
	if !(sigma > 0) || math.IsInf(sigma, 0) || math.IsNaN(mu) || math.IsInf(mu, 0) {
		return nil, errAt(c.off, "%s gives values too large to compute", c.source())
	}
	cut, err := truncation(b)
	if err != nil {
		return nil, err
	}
	return finishTrunc(b, &lognormalBase{mu: mu, sigma: sigma}, cut, str+")")
}

// lognormal

func (l *lognormalBase) logcdf(x float64) float64 { return logPhi(l.z(x)) }

func (l *lognormalBase) logsf(x float64) float64 { return logPhic(l.z(x)) }

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

// NewLognormal returns lognormal(mu=mu, sigma=sigma): the distribution of
// e^Y with Y normal(mu, sigma), sigma > 0. Its plan value is the mean
// e^(mu + sigma²/2).
func NewLognormal(mu, sigma float64) (Dist, error) {
	if err := finiteErr("lognormal", []string{"mu"}, mu); err != nil {
		return nil, err
	}
	if err := positiveErr("lognormal", "sigma", sigma); err != nil {
		return nil, err
	}
	str := fmt.Sprintf("lognormal(mu=%s, sigma=%s)", formatNum(mu), formatNum(sigma))
	d, _ := newCont(&lognormalBase{mu: mu, sigma: sigma}, cutSpec{}, str, true, math.NaN())
	return checked("lognormal", d)
}
