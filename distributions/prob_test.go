package distributions

import (
	"math"
	"testing"
)

// TestProb checks Prob and LogProb of every continuous form, cut or not:
// the density is the derivative of the CDF (a central difference), it
// integrates to 1 over the support, and LogProb is its logarithm.
func TestProb(t *testing.T) {
	for _, e := range []string{
		"pert(0.2, 0.5, 1.1)", "pert(0.2, 0.5, 1.1), max=1", "triangular(0, 1, 4)", "triangular(0, 1, 4), min=0.5",
		"uniform(-1, 3)", "uniform(-1, 3), max=0", "normal(10, 2)", "normal(10, 2, min=9, max=15)", "normal(0, 1), min=0",
		"lognormal(mu=1, sigma=0.5)", "lognormal(mean=100, sd=30, min=50)", "0.7 to 0.9, max=1", "-1 to 3",
		"beta(2, 5)", "beta(2, 5, min=10, max=20), max=15", "gamma(2, 3)", "gamma(1.5, 1, max=3)", "weibull(1.5, 2)",
		"weibull(1.5, 2, min=1)",
	} {
		d := mustParse(t, e)
		lo, hi := d.Quantile(1e-6), d.Quantile(1-1e-6)
		for _, p := range []float64{0.01, 0.2, 0.5, 0.8, 0.99} {
			x := d.Quantile(p)
			h := 1e-6 * (hi - lo)
			left := (d.CDF(x) - d.CDF(x-h)) / h
			right := (d.CDF(x+h) - d.CDF(x)) / h
			// the density lies between the one-sided slopes (at a kink
			// such as triangular's mode too), up to their rounding
			a, b := math.Min(left, right), math.Max(left, right)
			if got := d.Prob(x); got < a*(1-1e-4)-1e-9 || got > b*(1+1e-4)+1e-9 {
				t.Errorf("%s: Prob(%g) = %.10g, dCDF/dx between %.10g and %.10g", e, x, got, a, b)
			}
			if got, want := d.LogProb(x), math.Log(d.Prob(x)); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: LogProb(%g) = %.15g, log Prob %.15g", e, x, got, want)
			}
		}
		slo, shi := d.Support()
		if got := d.Prob(slo - 1); got != 0 && !math.IsInf(slo, 0) {
			t.Errorf("%s: Prob below the support = %g", e, got)
		}
		if !math.IsInf(shi, 0) && d.Prob(shi+1) != 0 {
			t.Errorf("%s: Prob above the support = %g", e, d.Prob(shi+1))
		}
		// ∫ f(x) dx over [Q(1e-6), Q(1 − 1e-6)] is 1 − 2e-6, by substitution
		// x = Q(p): ∫ f(Q(p)) Q'(p) dp with Q' from a difference
		total := integrate(func(x float64) float64 { return d.Prob(x) }, lo, hi)
		if math.Abs(total-(1-2e-6)) > 1e-5 {
			t.Errorf("%s: ∫ Prob = %.8g over [Q(1e-6), Q(1 − 1e-6)]", e, total)
		}
	}
}

// TestProbDiscrete checks that the probabilities of a discrete form's
// values sum to 1, and are 0 elsewhere.
func TestProbDiscrete(t *testing.T) {
	for _, c := range []struct {
		expr string
		vals []float64
	}{
		{"bernoulli(0.3)", []float64{0, 1}},
		{"discrete(values=[3, 1, 2, 1], weights=[1, 2, 3, 4])", []float64{1, 2, 3}},
		{"discrete(values=[1, 2, 3]), max=2", []float64{1, 2}},
		{"5", []float64{5}},
	} {
		d := mustParse(t, c.expr)
		sum := 0.0
		for _, v := range c.vals {
			sum += d.Prob(v)
			if d.LogProb(v) != math.Log(d.Prob(v)) {
				t.Errorf("%s: LogProb(%g)", c.expr, v)
			}
		}
		if math.Abs(sum-1) > 1e-15 {
			t.Errorf("%s: probabilities sum to %.17g", c.expr, sum)
		}
		if d.Prob(1.5) != 0 {
			t.Errorf("%s: Prob(1.5) = %g", c.expr, d.Prob(1.5))
		}
	}
	d := mustParse(t, "discrete(values=[3, 1, 2, 1], weights=[1, 2, 3, 4])")
	if got := d.Prob(1); math.Abs(got-0.6) > 1e-15 {
		t.Errorf("discrete: Prob(1) = %g, want 0.6", got)
	}
}

// TestLogProbTail checks LogProb far in a tail, where the density
// underflows: for normal(0, 1, min=40) it is −x²/2 − log √(2π) − log Φ̄(40).
func TestLogProbTail(t *testing.T) {
	d := mustParse(t, "normal(0, 1, min=40)")
	logMass := -800 - 0.5*math.Log(2*math.Pi) + math.Log(1/(40+1/(40+2/(40+3/(40+4/(40+5.0/40))))))
	for _, x := range []float64{40, 40.01, 40.1} {
		want := -x*x/2 - 0.5*math.Log(2*math.Pi) - logMass
		if got := d.LogProb(x); math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("LogProb(%g) = %.15g, want %.15g", x, got, want)
		}
	}
}
