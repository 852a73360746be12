package distributions

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mathext"
)

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

func (n *normalBase) sf(x float64) float64 { return phic((x - n.mu) / n.sigma) }

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

func buildNormal(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"mean", "sd"}, 0, []string{"min", "max"}, true)
	if err != nil {
		return nil, err
	}
	var mu, sd float64
	var str string
	if len(b.pcts) > 0 {
		if b.has("mean") || b.has("sd") {
			return nil, errAt(b.pcts[0].nameOff, "normal takes either mean and sd or two percentiles, not both; got %s", c.source())
		}
		x1, x2, v1, v2, err := b.percentiles()
		if err != nil {
			return nil, err
		}
		z1, z2 := pctZ(x1), pctZ(x2)
		sd = (v2 - v1) / (z2 - z1)
		if math.IsInf(sd, 0) {
			sd = v2/(z2-z1) - v1/(z2-z1)
		}
		mu = v1 - sd*z1
		str = "normal(" + pctSuffix(x1, x2, v1, v2)
	} else {
		var missing []string
		for _, n := range []string{"mean", "sd"} {
			if !b.has(n) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, errAt(c.off, "normal takes 2 arguments (mean, sd) or two percentiles such as p5=… and p95=…, got %d (missing %s)", len(c.args), strings.Join(missing, ", "))
		}
		v, err := b.nums("mean", "sd")
		if err != nil {
			return nil, err
		}
		mu, sd = v[0], v[1]
		if !(sd > 0) {
			return nil, errAt(b.off("sd"), "normal needs sd > 0, got %s", c.source())
		}
		str = fmt.Sprintf("normal(%s, %s", formatNum(mu), formatNum(sd))
	}
	if !(sd > 0) || math.IsInf(sd, 0) || math.IsInf(mu, 0) {
		return nil, errAt(c.off, "%s gives values too large to compute", c.source())
	}
	cut, err := truncation(b)
	if err != nil {
		return nil, err
	}
	return finishTrunc(b, &normalBase{mu: mu, sigma: sd}, cut, str+")")
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

func (n *normalBase) logsf(x float64) float64 { return logPhic((x - n.mu) / n.sigma) }

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

// NewNormal returns normal(mean, sd): the normal distribution with that
// mean and standard deviation (sd > 0). Its plan value is the mean.
func NewNormal(mean, sd float64) (Dist, error) {
	if err := finiteErr("normal", []string{"mean"}, mean); err != nil {
		return nil, err
	}
	if err := positiveErr("normal", "sd", sd); err != nil {
		return nil, err
	}
	str := fmt.Sprintf("normal(%s, %s)", formatNum(mean), formatNum(sd))
	d, _ := newCont(&normalBase{mu: mean, sigma: sd}, cutSpec{}, str, true, math.NaN())
	return checked("normal", d)
}
