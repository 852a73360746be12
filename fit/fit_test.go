package fit

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
)

// draw returns n values of expr drawn through its exact quantile.
func draw(t testing.TB, expr string, n int, seed uint64) []float64 {
	t.Helper()
	d, err := distributions.Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	h.Write([]byte(expr))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	x := make([]float64, n)
	for i := range x {
		x[i] = d.Quantile(r.Float64())
	}
	return x
}

func noBounds() Options { return Options{Min: math.NaN(), Max: math.NaN(), Workers: 2} }

// truth is a known distribution, its family and its parameters in the
// order of Result.Params (NaN where not compared).
type truth struct {
	expr, family string
	params       []float64
}

var truths = []truth{
	{"normal(10, 2)", "normal", []float64{10, 2}},
	{"lognormal(mu=1, sigma=0.5)", "lognormal", []float64{1, 0.5}},
	{"gamma(2, 3)", "gamma", []float64{2, 3}},
	{"weibull(1.5, 4)", "weibull", []float64{1.5, 4}},
	{"beta(2, 5)", "beta", []float64{2, 5, 0, 1}},
	{"pert(1, 3, 10)", "pert", []float64{1, 3, 10}},
	{"triangular(1, 3, 10)", "triangular", []float64{1, 3, 10}},
	{"uniform(2, 5)", "uniform", []float64{2, 5}},
}

// TestFitRecoversFamilyAndParameters fits samples of n = 500 (5 seeds) and
// n = 5000 (3 seeds) of each known distribution: the true family must rank
// first by AIC in most seeds, each estimated parameter with a standard error
// must lie within 3.5 standard errors of the truth, the z-scores must have
// a root mean square near 1 (the standard errors are calibrated), and
// estimated bounds must lie within 5% of the range of the truth.
func TestFitRecoversFamilyAndParameters(t *testing.T) {
	var zs []float64
	for _, tr := range truths {
		for _, c := range []struct {
			n     int
			seeds int
		}{{500, 5}, {5000, 3}} {
			first := 0
			for seed := uint64(1); seed <= uint64(c.seeds); seed++ {
				x := draw(t, tr.expr, c.n, seed)
				rep, err := Fit(x, noBounds())
				if err != nil {
					t.Fatalf("%s n=%d: %v", tr.expr, c.n, err)
				}
				if rep.BestAIC.Family == tr.family {
					first++
				}
				var r *Result
				for i := range rep.Results {
					if rep.Results[i].Family == tr.family {
						r = &rep.Results[i]
					}
				}
				if r == nil {
					t.Fatalf("%s n=%d seed %d: %s not fitted: %v", tr.expr, c.n, seed, tr.family, rep.Skipped)
				}
				for i, p := range r.Params {
					want := tr.params[i]
					switch {
					case !math.IsNaN(p.SE):
						z := (p.Value - want) / p.SE
						zs = append(zs, z)
						t.Logf("%s n=%d seed %d %s z=%.2f", tr.family, c.n, seed, p.Name, z)
						if math.Abs(z) > 3.5 {
							t.Errorf("%s n=%d seed %d: %s = %g ± %g, truth %g (z = %.2f)", tr.expr, c.n, seed, p.Name, p.Value, p.SE, want, z)
						}
					default:
						// bounds and the triangular mode converge slowly:
						// within 12% of the truth's support at n = 500,
						// 6% at n = 5000
						tol := 0.06
						if c.n == 500 {
							tol = 0.12
						}
						d, _ := distributions.Parse(tr.expr)
						lo, hi := d.Support()
						if math.Abs(p.Value-want) > tol*(hi-lo) {
							t.Errorf("%s n=%d seed %d: %s = %g, truth %g", tr.expr, c.n, seed, p.Name, p.Value, want)
						}
					}
				}
			}
			if 2*first <= c.seeds {
				t.Errorf("%s n=%d: %s ranked first by AIC in only %d of %d seeds", tr.expr, c.n, tr.family, first, c.seeds)
			}
		}
	}
	var ss float64
	for _, z := range zs {
		ss += z * z
	}
	rms := math.Sqrt(ss / float64(len(zs)))
	t.Logf("%d z-scores, rms %.3f", len(zs), rms)
	if rms < 0.6 || rms > 1.5 {
		t.Errorf("rms of %d z-scores is %.3f: the standard errors are not calibrated", len(zs), rms)
	}
}

// TestFitPValues checks the bootstrap p-values at n = 500: not small for the
// true family, small for a clearly wrong one.
func TestFitPValues(t *testing.T) {
	cases := []struct{ expr, right, wrong string }{
		{"gamma(2, 3)", "gamma", "normal"},
		{"normal(10, 2)", "normal", "uniform"},
		{"lognormal(mu=1, sigma=0.5)", "lognormal", "normal"},
		{"beta(2, 5)", "beta", "uniform"},
		{"triangular(1, 3, 10)", "triangular", "lognormal"},
	}
	for _, c := range cases {
		for seed := uint64(1); seed <= 2; seed++ {
			opt := noBounds()
			opt.Families = []string{c.right, c.wrong}
			opt.Bootstrap = 99
			opt.Seed = seed
			rep, err := Fit(draw(t, c.expr, 500, seed+10), opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Results {
				if r.Resamples < 95 {
					t.Errorf("%s: %s: only %d of 99 resamples refitted", c.expr, r.Family, r.Resamples)
				}
				switch r.Family {
				case c.right:
					if r.KSP < 0.01 || r.ADP < 0.01 {
						t.Errorf("%s seed %d: true family %s has KS p %.3f, AD p %.3f", c.expr, seed, r.Family, r.KSP, r.ADP)
					}
				case c.wrong:
					if r.KSP > 0.02 || r.ADP > 0.02 {
						t.Errorf("%s seed %d: wrong family %s has KS p %.3f, AD p %.3f", c.expr, seed, r.Family, r.KSP, r.ADP)
					}
				}
			}
		}
	}
}

// TestFitDeterministic checks that the p-values do not depend on the
// number of workers and that the expression is what was tested.
func TestFitDeterministic(t *testing.T) {
	x := draw(t, "weibull(2, 5)", 300, 7)
	var reps []*Report
	for _, w := range []int{1, 2, 5} {
		opt := noBounds()
		opt.Families = []string{"weibull", "gamma", "pert"}
		opt.Bootstrap = 40
		opt.Seed = 3
		opt.Workers = w
		rep, err := Fit(x, opt)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	for _, rep := range reps[1:] {
		for i, r := range rep.Results {
			r0 := reps[0].Results[i]
			if r.Expr != r0.Expr || r.KSP != r0.KSP || r.ADP != r0.ADP || r.AIC != r0.AIC {
				t.Errorf("workers change the result: %+v vs %+v", r, r0)
			}
		}
	}
	for _, r := range reps[0].Results {
		d, err := distributions.Parse(r.Expr)
		if err != nil || d.String() != r.Dist.String() {
			t.Errorf("%s does not parse back: %v", r.Expr, err)
		}
	}
}

// TestFitStatistics checks KS, AD, AIC and BIC against direct formulas on a
// tiny sample.
func TestFitStatistics(t *testing.T) {
	x := []float64{0.1, 0.4, 0.35, 0.8}
	d, _ := distributions.Parse("uniform(0, 1)")
	s := append([]float64(nil), x...)
	sortFloats(s) // 0.1 0.35 0.4 0.8
	ks, ad := gof(s, d)
	// KS: max(i/n − F, F − (i−1)/n) = max(.25−.1, .5−.35, .75−.4, 1−.8, .1−0, .35−.25, .4−.5, .8−.75) = 0.35
	if math.Abs(ks-0.35) > 1e-12 {
		t.Errorf("KS = %v, want 0.35", ks)
	}
	var sum float64
	for i := 1; i <= 4; i++ {
		sum += float64(2*i-1) * (math.Log(s[i-1]) + math.Log(1-s[4-i]))
	}
	if want := -4 - sum/4; math.Abs(ad-want) > 1e-12 {
		t.Errorf("AD = %v, want %v", ad, want)
	}
	opt := noBounds()
	opt.Families = []string{"normal"}
	rep, err := Fit(x, opt)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	mu, sd := r.Params[0].Value, r.Params[1].Value
	var ll float64
	for _, v := range x {
		z := (v - mu) / sd
		ll += -0.5*z*z - math.Log(sd) - 0.5*math.Log(2*math.Pi)
	}
	if math.Abs(r.LogLik-ll) > 1e-9 || math.Abs(r.AIC-(4-2*ll)) > 1e-9 || math.Abs(r.BIC-(2*math.Log(4)-2*ll)) > 1e-9 {
		t.Errorf("logL %v AIC %v BIC %v, want %v %v %v", r.LogLik, r.AIC, r.BIC, ll, 4-2*ll, 2*math.Log(4)-2*ll)
	}
	if r.Expr != "normal(0.4125, 0.250936)" {
		t.Errorf("expression %s", r.Expr)
	}
}

// TestFitBoundsAndErrors checks --min/--max and the errors.
func TestFitBoundsAndErrors(t *testing.T) {
	x := draw(t, "pert(0, 3, 10)", 400, 2)
	opt := noBounds()
	opt.Min, opt.Max = 0, 10
	opt.Families = []string{"pert", "uniform", "triangular"}
	rep, err := Fit(x, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if !strings.Contains(r.Expr, "(0, ") || !strings.HasSuffix(r.Expr, ", 10)") {
			t.Errorf("%s ignores the bounds", r.Expr)
		}
		if r.Family == "uniform" && r.K != 0 || r.Family == "pert" && r.K != 1 {
			t.Errorf("%s: k = %d", r.Family, r.K)
		}
	}
	opt.Max = 5
	if _, err := Fit(x, opt); err == nil || !strings.Contains(err.Error(), "above --max") {
		t.Errorf("data above --max: %v", err)
	}
	if _, err := Fit([]float64{1}, noBounds()); err == nil {
		t.Error("one value fitted")
	}
	if _, err := Fit([]float64{2, 2, 2}, noBounds()); err == nil || !strings.Contains(err.Error(), "equal") {
		t.Errorf("equal values: %v", err)
	}
	if _, err := Fit([]float64{1, math.NaN()}, noBounds()); err == nil {
		t.Error("NaN fitted")
	}
	rep, err = Fit([]float64{-1, 0.5, 2, 3}, noBounds())
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]bool{}
	for _, s := range rep.Skipped {
		skipped[s.Family] = true
	}
	for _, f := range []string{"lognormal", "gamma", "weibull"} {
		if !skipped[f] {
			t.Errorf("%s fitted to negative data", f)
		}
	}
}

func sortFloats(x []float64) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && x[j] < x[j-1]; j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

// TestBoundedBootstrap checks issue 17 item 5: with --min 0 --max 1 the
// resamples of an unbounded family that leave the bounds are refitted, not
// dropped, so that a clearly wrong family is still rejected: a beta(2, 5)
// sample of 500 is not normal, bounds or not.
func TestBoundedBootstrap(t *testing.T) {
	x := draw(t, "beta(2, 5)", 500, 1)
	for _, o := range []Options{noBounds(), {Min: 0, Max: 1, Workers: 2}} {
		o.Bootstrap, o.Seed, o.Families = 200, 1, []string{"normal", "lognormal", "beta"}
		rep, err := Fit(x, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Results {
			if r.Resamples != 200 {
				t.Errorf("min %g max %g: %s refitted %d of 200 resamples", o.Min, o.Max, r.Family, r.Resamples)
			}
			if r.Family == "normal" && !(r.KSP < 0.05 && r.ADP < 0.05) {
				t.Errorf("min %g max %g: normal fit to beta(2, 5) has KS p %.3f, AD p %.3f: not rejected", o.Min, o.Max, r.KSP, r.ADP)
			}
			if r.Family == "beta" && !(r.KSP > 0.01 && r.ADP > 0.01) {
				t.Errorf("min %g max %g: beta fit to beta(2, 5) has KS p %.3f, AD p %.3f", o.Min, o.Max, r.KSP, r.ADP)
			}
		}
	}
}

// TestAndersonDarlingTails checks issue 17 item 6: A² uses the family's log
// survival function. A normal fitted to a heavy-tailed lognormal sample
// has values many standard deviations out, where 1 − F loses every digit;
// A² must equal the formula evaluated with log Φ and log(1 − Φ) from erfc.
func TestAndersonDarlingTails(t *testing.T) {
	x := draw(t, "lognormal(mu=0, sigma=1.5)", 400, 3)
	rep, err := Fit(x, Options{Min: math.NaN(), Max: math.NaN(), Workers: 1, Families: []string{"normal"}})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	mu, sd := r.Params[0].Value, r.Params[1].Value
	xs := append([]float64(nil), x...)
	sortFloats(xs)
	n := float64(len(xs))
	var s, zmax float64
	for i := range xs {
		zi := (xs[i] - mu) / sd
		zj := (xs[len(xs)-1-i] - mu) / sd
		zmax = math.Max(zmax, zj)
		s += float64(2*i+1) * (math.Log(0.5*math.Erfc(-zi/math.Sqrt2)) + math.Log(0.5*math.Erfc(zj/math.Sqrt2)))
	}
	want := -n - s/n
	if zmax < 9 {
		t.Fatalf("the sample reaches only %.1f sd: it does not test the tail", zmax)
	}
	if math.Abs(r.AD-want) > 1e-9*want {
		t.Errorf("A² = %.12g, want %.12g (largest value %.1f sd out)", r.AD, want, zmax)
	}
}

// TestOneListOfFamilies checks that fit and empirical(…, fit=) share one
// list of families and that every family in it has an estimator whose
// fitted distribution prints as an expression that parses back to it.
func TestOneListOfFamilies(t *testing.T) {
	if &Families[0] != &distributions.FitFamilies[0] || len(Families) != len(distributions.FitFamilies) {
		t.Fatal("fit.Families is not distributions.FitFamilies")
	}
	if len(fitters) != len(Families) {
		t.Errorf("%d estimators for %d families", len(fitters), len(Families))
	}
	x := draw(t, "beta(2, 5)", 300, 1)
	s, err := newSample(x, bounds{min: math.NaN(), max: math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Families {
		if fitters[f] == nil {
			t.Errorf("family %s has no estimator", f)
			continue
		}
		est, err := fitFamily(f, s)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		back, err := distributions.Parse(est.dist.String())
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", f, est.dist, err)
			continue
		}
		for _, p := range []float64{0.01, 0.5, 0.99} {
			if a, b := est.dist.Quantile(p), back.Quantile(p); a != b {
				t.Errorf("%s: quantile %g: %v built, %v parsed", f, p, a, b)
			}
		}
	}
}
