package distributions

import (
	"math"
	"math/rand/v2"
	"testing"
)

func mustParse(t testing.TB, s string) Dist {
	t.Helper()
	d, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return d
}

// scaleOf is the scale used to judge interpolation error: the width of the
// support when bounded, else the 10–90% range.
func scaleOf(d Dist) float64 {
	lo, hi := d.Support()
	if s := hi - lo; !math.IsInf(s, 0) {
		return s
	}
	return d.Quantile(0.9) - d.Quantile(0.1)
}

// testPs is a dense grid of p: uniform on the body, plus geometric points
// (not on table nodes) into both tails down to 1e-18.
func testPs() []float64 {
	var ps []float64
	for i := 1; i < 2000; i++ {
		ps = append(ps, (float64(i)-0.37)/2000)
	}
	for p := 0.3; p > 1e-18; p *= 0.8137 {
		ps = append(ps, p)
		if 1-p < 1 {
			ps = append(ps, 1-p)
		}
	}
	return ps
}

var tableShapes = []string{
	"pert(0.15, 0.25, 0.4)",
	"pert(0, 0.05, 0.15)",
	"pert(0.95, 1.2, 2.0)",
	"pert(0, 0, 1)",
	"pert(0, 1, 1)",
	"pert(1, 2, 10, lambda=2)",
	"pert(-5e6, 1e6, 3e7, lambda=50)",
	"beta(0.5, 0.5)",
	"beta(2, 5)",
	"beta(0.3, 4, min=10, max=20)",
	"beta(0.2, 0.2)",
	"beta(0.06, 2)",
	"beta(300, 20)",
	"gamma(0.5, 1)",
	"gamma(20, 3)",
	"gamma(1, 2)",
	"gamma(0.15, 5)",
	"gamma(5000, 0.01)",
	"gamma(2, 1, min=1, max=3)",
	"gamma(2, 1, min=30)",
	"gamma(0.7, 2e6, max=1e6)",
	"normal(0, 1)",
	"normal(-3e6, 2e5)",
	"normal(10, 2, min=9, max=15)",
	"normal(0, 1, min=6)",
	"lognormal(p10=2e6, p90=6e6, max=5e6)",
}

func TestFastAccuracy(t *testing.T) {
	ps := testPs()
	for _, e := range tableShapes {
		d := mustParse(t, e)
		q := Fast(d)
		scale := scaleOf(d)
		var worstBody, worstTail, atBody, atTail float64
		for _, p := range ps {
			ex, fa := d.Quantile(p), q.Quantile(p)
			err := math.Abs(ex-fa) / math.Max(scale, math.Abs(ex))
			if p >= 1e-6 && p <= 1-1e-6 {
				if !(err <= worstBody) {
					worstBody, atBody = err, p
				}
			} else if !(err <= worstTail) {
				worstTail, atTail = err, p
			}
		}
		if !(worstBody <= 1e-9) {
			t.Errorf("%s: Fast error %.2g (of scale) at p=%g in the body, want ≤ 1e-9", e, worstBody, atBody)
		}
		if !(worstTail <= 1e-6) {
			t.Errorf("%s: Fast error %.2g (of scale) at p=%g in the tails, want ≤ 1e-6", e, worstTail, atTail)
		}
	}
}

// TestFastMonotone checks that the interpolated quantile never decreases,
// also across table intervals and octaves.
func TestFastMonotone(t *testing.T) {
	for _, e := range tableShapes {
		d := mustParse(t, e)
		q := Fast(d)
		prev := q.Quantile(0)
		for i := 1; i <= 200000; i++ {
			p := float64(i) / 200000
			v := q.Quantile(p)
			if v < prev {
				t.Fatalf("%s: Fast quantile decreases at p=%g: %.17g < %.17g", e, p, v, prev)
			}
			prev = v
		}
	}
}

func TestFastEdges(t *testing.T) {
	for _, e := range append([]string{"3.5", "uniform(1, 2)", "triangular(1, 2, 4)", "normal(1, 2)", "lognormal(mu=0, sigma=1)",
		"bernoulli(0.3)", "discrete(values=[3, 1, 2], weights=[1, 0, 2])", "discrete(values=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])"}, tableShapes...) {
		d := mustParse(t, e)
		q := Fast(d)
		lo, hi := d.Support()
		if got := q.Quantile(0); got != lo {
			t.Errorf("%s: Fast.Quantile(0) = %g, want support low %g", e, got, lo)
		}
		if got := q.Quantile(1); got != hi {
			t.Errorf("%s: Fast.Quantile(1) = %g, want support high %g", e, got, hi)
		}
		if got := d.Quantile(0); got != lo {
			t.Errorf("%s: Quantile(0) = %g, want %g", e, got, lo)
		}
		if got := d.Quantile(1); got != hi {
			t.Errorf("%s: Quantile(1) = %g, want %g", e, got, hi)
		}
		for _, p := range []float64{-0.1, 1.1, math.NaN()} {
			if got := q.Quantile(p); !math.IsNaN(got) {
				t.Errorf("%s: Fast.Quantile(%g) = %g, want NaN", e, p, got)
			}
			if got := d.Quantile(p); !math.IsNaN(got) {
				t.Errorf("%s: Quantile(%g) = %g, want NaN", e, p, got)
			}
		}
		for _, p := range []float64{1e-300, 1e-12, 0.5, 1 - 1e-16} {
			if v := q.Quantile(p); v < lo || v > hi || math.IsNaN(v) {
				t.Errorf("%s: Fast.Quantile(%g) = %g outside the support [%g, %g]", e, p, v, lo, hi)
			}
		}
		if testing.AllocsPerRun(100, func() { q.Quantile(0.3) }) != 0 {
			t.Errorf("%s: Fast.Quantile allocates", e)
		}
	}
}

// TestSampleMeans draws through Fast from a fixed PCG stream and compares
// the sample mean with Mean, within 4 standard errors.
func TestSampleMeans(t *testing.T) {
	const n = 200000
	exprs := append([]string{"uniform(-1, 3)", "triangular(1, 2, 4)", "normal(10, 2)", "lognormal(mean=100, sd=30)",
		"2e6 to 7e6", "-1 to 3", "bernoulli(0.3)", "discrete(values=[1, 2, 10], weights=[0.5, 0.3, 0.2])",
		"lognormal(mu=1, sigma=0.5, min=2, max=4)", "normal(p5=0.1, p95=0.3, min=0.15)"}, tableShapes...)
	for i, e := range exprs {
		d := mustParse(t, e)
		q := Fast(d)
		r := rand.New(rand.NewPCG(42, uint64(i)))
		var sum, sum2 float64
		for k := 0; k < n; k++ {
			u := r.Float64()
			for u == 0 {
				u = r.Float64()
			}
			x := q.Quantile(u)
			sum += x
			sum2 += x * x
		}
		mean := sum / n
		sd := math.Sqrt(math.Max(sum2/n-mean*mean, 0))
		se := sd / math.Sqrt(n)
		if math.Abs(mean-d.Mean()) > 4*se+1e-12*math.Abs(d.Mean()) {
			t.Errorf("%s: sample mean %.10g vs Mean %.10g: %.2f standard errors", e, mean, d.Mean(), (mean-d.Mean())/se)
		}
	}
}

// TestCDFQuantile checks CDF(Quantile(p)) = p for the continuous families.
func TestCDFQuantile(t *testing.T) {
	exprs := append([]string{"uniform(-1, 3)", "triangular(1, 2, 4)", "triangular(0, 0, 1)", "normal(10, 2)",
		"lognormal(mean=100, sd=30)", "2e6 to 7e6", "-1 to 3"}, tableShapes...)
	for _, e := range exprs {
		d := mustParse(t, e)
		for _, p := range []float64{1e-9, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999} {
			x := d.Quantile(p)
			// p must lie between the CDF just below and just above x (x is
			// a float64, so the CDF can only be matched to its resolution)
			below := d.CDF(math.Nextafter(x, math.Inf(-1)))
			at := d.CDF(math.Nextafter(x, math.Inf(1)))
			tol := 1e-13 + 1e-10*p
			if !(below-tol <= p && p <= at+tol) {
				t.Errorf("%s: p=%g is not within [CDF(x⁻), CDF(x⁺)] = [%.17g, %.17g] at x = Quantile(p) = %g", e, p, below, at, x)
			}
		}
	}
}

func TestDiscrete(t *testing.T) {
	d := mustParse(t, "discrete(values=[30, 10, 20, 40], weights=[1, 2, 0, 1])")
	for _, c := range []struct{ p, want float64 }{
		{0, 10}, {1e-9, 10}, {0.5, 10}, {0.5000001, 30}, {0.75, 30}, {0.76, 40}, {1, 40},
	} {
		if got := d.Quantile(c.p); got != c.want {
			t.Errorf("Quantile(%g) = %g, want %g", c.p, got, c.want)
		}
	}
	if got := d.Mean(); math.Abs(got-22.5) > 1e-12 {
		t.Errorf("Mean = %g, want 22.5", got)
	}
	if got := d.CDF(20); got != 0.5 {
		t.Errorf("CDF(20) = %g, want 0.5", got)
	}
	if lo, hi := d.Support(); lo != 10 || hi != 40 {
		t.Errorf("Support = %g, %g", lo, hi)
	}
	b := mustParse(t, "bernoulli(0.25)")
	if b.Quantile(0.75) != 0 || b.Quantile(0.7500001) != 1 || b.Mean() != 0.25 || b.Plan() != 0.25 {
		t.Errorf("bernoulli(0.25): Q(0.75)=%g Q(0.7500001)=%g mean %g", b.Quantile(0.75), b.Quantile(0.7500001), b.Mean())
	}
	b0 := mustParse(t, "bernoulli(0)")
	if lo, hi := b0.Support(); lo != 0 || hi != 0 || b0.Quantile(0.999) != 0 {
		t.Errorf("bernoulli(0): support %g..%g", lo, hi)
	}
	e := mustParse(t, "discrete(values=[5, 7])")
	if e.Mean() != 6 || e.Quantile(0.4) != 5 || e.Quantile(0.6) != 7 {
		t.Errorf("equal weights: mean %g", e.Mean())
	}
	// the guide table must agree with a linear search
	vals := "["
	for i := 0; i < 100; i++ {
		if i > 0 {
			vals += ", "
		}
		vals += formatNum(float64((i * 37) % 100))
	}
	big := mustParse(t, "discrete(values="+vals+"])").(*discreteDist)
	for i := 1; i < 10000; i++ {
		p := float64(i) / 10000
		j := 0
		for big.cum[j] < p {
			j++
		}
		if got := big.Quantile(p); got != big.vals[j] {
			t.Fatalf("Quantile(%g) = %g, want %g", p, got, big.vals[j])
		}
	}
}

// TestTruncatedMeans compares the closed-form truncated means with a
// numerical integral of x·pdf(x) over the cut range.
func TestTruncatedMeans(t *testing.T) {
	for _, e := range []string{
		"normal(10, 2, min=9, max=15)", "normal(0, 1, min=3)", "normal(0, 1, max=-4)", "normal(5, 1, min=4.5, max=4.6)",
		"lognormal(mu=1, sigma=0.5, min=2, max=4)", "lognormal(mean=100, sd=30, max=90)", "lognormal(p10=2e6, p90=6e6, min=1e7)",
		"gamma(2, 1, min=1, max=3)", "gamma(2, 1, min=30)", "gamma(0.5, 2, max=0.1)", "gamma(9, 0.5, min=1)",
	} {
		d := mustParse(t, e).(*contDist)
		// integrate over p: E = ∫ Q(p) dp, Gauss–Legendre on many panels
		want := integrate(func(x float64) float64 { return x * d.pdf(x) }, d.lo, math.Min(d.hi, d.lo+200*scaleOf(d)+1e3))
		if relErr(d.Mean(), want) > 1e-9 {
			t.Errorf("%s: Mean %.15g, numerical %.15g", e, d.Mean(), want)
		}
		if d.Plan() != d.Mean() {
			t.Errorf("%s: Plan %g != Mean %g", e, d.Plan(), d.Mean())
		}
		if d.Mean() < d.lo || d.Mean() > d.hi {
			t.Errorf("%s: Mean %g outside [%g, %g]", e, d.Mean(), d.lo, d.hi)
		}
	}
}

// integrate is composite 10-point Gauss–Legendre on [a, b] with a finite
// range, accurate to ~1e-13 for smooth integrands.
func integrate(f func(float64) float64, a, b float64) float64 {
	x := []float64{0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717}
	w := []float64{0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881}
	const panels = 4000
	h := (b - a) / panels
	sum := 0.0
	for i := 0; i < panels; i++ {
		c := a + (float64(i)+0.5)*h
		for k := range x {
			sum += w[k] * (f(c-x[k]*h/2) + f(c+x[k]*h/2))
		}
	}
	return sum * h / 2
}

func TestPlanValues(t *testing.T) {
	for _, c := range []struct {
		expr string
		plan float64
	}{
		{"3_500_000", 3500000},
		{"-3", -3},
		{".5", 0.5},
		{"+2", 2},
		{"pert(0.15, 0.25, 0.4)", 0.25},
		{"pert(0, 0, 10)", 0},
		{"triangular(1, 2, 4)", 2},
		{"uniform(2, 4)", 3},
		{"gamma(2, 3)", 6},
		{"beta(2, 6, min=0, max=8)", 2},
		{"bernoulli(0.3)", 0.3},
	} {
		d := mustParse(t, c.expr)
		if relErr(d.Plan(), c.plan) > 1e-15 {
			t.Errorf("%s: Plan = %g, want %g", c.expr, d.Plan(), c.plan)
		}
	}
	if !mustParse(t, "42").Fixed() || mustParse(t, "uniform(1, 2)").Fixed() || mustParse(t, "bernoulli(1)").Fixed() {
		t.Errorf("Fixed is wrong")
	}
}

// TestEquivalentForms checks that named and positional forms, aliases and
// the range form give the same distribution.
func TestEquivalentForms(t *testing.T) {
	for _, c := range [][]string{
		{"pert(1, 2, 3)", "pert(min=1, mode=2, max=3)", "PERT(1, mode=2, max=3, lambda=4)", "pert(max=3, min=1, mode=2)"},
		{"normal(10, 2)", "normal(mean=10, sd=2)", "normal(sd=2, mean=10)"},
		{"uniform(1, 5)", "uniform(min=1, max=5)"},
		{"gamma(2, 3)", "gamma(shape=2, scale=3)"},
		{"beta(2, 3)", "beta(alpha=2, beta=3)", "beta(2, 3, min=0, max=1)"},
		{"bernoulli(0.2)", "bernoulli(p=0.2)"},
		{"discrete(values=[1, 2], weights=[1, 3])", "discrete([1, 2], [1, 3])", "discrete(weights=[0.25, 0.75], values=[1, 2])"},
		{"2e6 to 7e6", "lognormal(p5=2e6, p95=7e6)", "lognormal(p95=7e6, p5=2_000_000)", "2E6 TO 7e6"},
		{"-1 to 3", "normal(p5=-1, p95=3)"},
		{"normal(p50=10, p84=12)", "normal(p84=12, p50=10)"},
		{"3500000", "3_500_000", "3.5e6", " 3.5e+06 ", "+3500000"},
	} {
		want := mustParse(t, c[0])
		for _, e := range c[1:] {
			d := mustParse(t, e)
			for _, p := range []float64{0.01, 0.3, 0.5, 0.8, 0.99} {
				const tol = 1e-14
				if relErr(d.Quantile(p), want.Quantile(p)) > tol {
					t.Errorf("%s vs %s: Quantile(%g) %.17g vs %.17g", e, c[0], p, d.Quantile(p), want.Quantile(p))
				}
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	exprs := append([]string{"0.25", "50e6", "-3", "3_500_000", ".5", "+2", "1e-7", "-0", "123456789012345678",
		"triangular(1, 2, 4)", "uniform(-1, 3)", "normal(10, 2)", "normal(p5=0.1, p95=0.3)", "normal(10, 2, min=9, max=15)",
		"lognormal(mu=1, sigma=0.5)", "lognormal(mean=100, sd=30)", "lognormal(p10=2e6, p90=6e6)", "lognormal(mean=1, sd=2, min=0.5)",
		"2e6 to 7e6", "-1 to 3", "0.1 to 0.3000000000000001", "beta(2, 5)", "beta(2, 5, min=10, max=20)", "beta(2, 5, max=20)",
		"bernoulli(0.3)", "discrete(values=[3, 1, 2], weights=[1, 0, 2])", "discrete(values=[1e-9, 2.5])",
		"pert(0.1, 0.2, 0.30000000000000004)", "pert(1, 2, 10, lambda=2)"}, tableShapes...)
	for _, e := range exprs {
		d := mustParse(t, e)
		s := d.String()
		d2, err := Parse(s)
		if err != nil {
			t.Errorf("%s: String() = %q does not parse: %v", e, s, err)
			continue
		}
		if d2.String() != s {
			t.Errorf("%s: String() %q re-parses to %q", e, s, d2.String())
		}
		for _, p := range []float64{0, 0.001, 0.1, 0.5, 0.9, 0.999, 1} {
			if a, b := d.Quantile(p), d2.Quantile(p); a != b {
				t.Errorf("%s: Quantile(%g) %g, after String round trip %g", e, p, a, b)
			}
		}
		if d.Mean() != d2.Mean() || d.Plan() != d2.Plan() {
			t.Errorf("%s: mean/plan change on round trip", e)
		}
	}
	for e, want := range map[string]string{
		"pert(0.15, 0.25, 0.40)":         "pert(0.15, 0.25, 0.4)",
		"3_500_000":                      "3500000",
		"pert(0, 50e3, 300e3, lambda=4)": "pert(0, 50000, 300000)",
		"Normal(Mean=10, SD=2)":          "normal(10, 2)",
		"2e6 to 7e6":                     "2000000 to 7000000",
		"1e20":                           "1e+20",
		"beta(2, 5, min=0, max=1)":       "beta(2, 5, min=0, max=1)",
	} {
		if got := mustParse(t, e).String(); got != want {
			t.Errorf("%s: String() = %q, want %q", e, got, want)
		}
	}
}

func TestConcurrentFast(t *testing.T) {
	d := mustParse(t, "pert(1, 2, 9)")
	done := make(chan Quantiler)
	for i := 0; i < 8; i++ {
		go func() { done <- Fast(d) }()
	}
	first := <-done
	for i := 1; i < 8; i++ {
		if q := <-done; q != first {
			t.Errorf("Fast built more than one table")
		}
	}
}
