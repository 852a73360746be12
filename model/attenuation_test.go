package model

import (
	"math"
	"testing"

	"github.com/crmroi/crmroi/distributions"
)

// TestRankScoresShortcut: for a marginal distributions.Continuous vouches
// for, the Φ grid rankScores returns without inverse CDFs equals the mid-rank
// scores computed from its quantiles; the others have atoms, which the slow
// path finds.
func TestRankScoresShortcut(t *testing.T) {
	for _, expr := range []string{
		"pert(0.15, 0.25, 0.4)", "pert(1, 2, 30, lambda=8)", "beta(2, 5)", "normal(0, 1, min=0)",
		"lognormal(mu=10, sigma=2)", "uniform(3, 4)", "triangular(0, 1, 5)", "gamma(shape=2, scale=3)",
		"weibull(shape=1.5, scale=2, max=3)", "0.7 to 0.9, max=0.85", "normal(100, 15)",
		"bernoulli(0.3)", "discrete(values=[1, 2, 3], weights=[1, 1, 2])",
	} {
		d, err := distributions.Parse(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		slow := make([]float64, scoreN)
		for i := range slow {
			z := scoreLo + float64(i)*scoreStep
			x := d.Quantile(min(max(0.5*math.Erfc(-z/math.Sqrt2), 1e-300), 1-0x1p-53))
			slow[i] = (d.CDF(math.Nextafter(x, math.Inf(-1))) + d.CDF(x)) / 2
		}
		fast := rankScores(d)
		if !distributions.Continuous(d) {
			if !hasAtoms(slow) {
				t.Errorf("%s: not vouched continuous, but its scores show no atom", expr)
			}
			continue
		}
		worst := 0.0
		for i := range fast {
			worst = math.Max(worst, math.Abs(fast[i]-slow[i]))
		}
		if worst > 1e-9 {
			t.Errorf("%s: the Φ grid differs from the quantiles' mid-ranks by %g", expr, worst)
		}
	}
}
