package distributions

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// TestPercentExact checks the general rule: "X%" is the float64 nearest to
// X/100 as a decimal number, i.e. exactly what writing the fraction gives,
// for numbers with and without fractions, exponents and underscores.
func TestPercentExact(t *testing.T) {
	cases := []struct{ pct, frac string }{
		{"25%", "0.25"}, {"7%", "0.07"}, {"0.1%", "0.001"}, {"12.345%", "0.12345"},
		{"1e2%", "1"}, {"3.3e-5%", "3.3e-7"}, {"1_000%", "10"}, {".5%", "0.005"},
	}
	for i := 1; i < 3000; i++ {
		s := strconv.Itoa(i/100) + "." + fmt.Sprintf("%02d", i%100)
		v, _ := strconv.ParseFloat(s, 64)
		cases = append(cases, struct{ pct, frac string }{s + "%", strconv.FormatFloat(v/100, 'g', -1, 64)})
		cases = append(cases, struct{ pct, frac string }{fmt.Sprintf("%d.%d%%", i, i%7), ""})
	}
	for _, c := range cases {
		a, err := Parse(c.pct)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.pct, err)
		}
		// X/100 in exact rational arithmetic, rounded once
		r, ok := new(big.Rat).SetString(strings.ReplaceAll(strings.TrimSuffix(c.pct, "%"), "_", ""))
		if !ok {
			t.Fatalf("big.Rat cannot read %q", c.pct)
		}
		want, _ := r.Quo(r, big.NewRat(100, 1)).Float64()
		if got := a.Plan(); got != want {
			t.Errorf("Parse(%q) = %.17g, want %.17g (%s)", c.pct, got, want, c.frac)
		}
	}
}

// TestNotationsSameDist checks that every number written as a percentage
// or a constant expression gives the same Dist, bit for bit, as the plain
// number.
func TestNotationsSameDist(t *testing.T) {
	pairs := [][2]string{
		{"25%", "0.25"}, {"600e6 / 12", "50e6"}, {"1.5 * 12e3", "18000"}, {"-(2 + 3) * 4", "-20"},
		{"2^10", "1024"}, {"-2^2", "-4"}, {"2^3^2", "512"}, {"10 - 2 - 3", "5"}, {"100 / 10 / 5", "2"},
		{"(1 + 1)%", "0.02"}, {"+5", "5"}, {"- 0", "-0"},
		{"pert(20%, 25%, 30%)", "pert(0.2, 0.25, 0.3)"},
		{"20% to 30%", "0.2 to 0.3"},
		{"normal(10%, 3%)", "normal(0.1, 0.03)"},
		{"lognormal(p10=2e6 / 1, p90=3 * 2e6)", "lognormal(p10=2e6, p90=6e6)"},
		{"discrete(values=[10%, 2 * 10%], weights=[1/4, 3/4])", "discrete(values=[0.1, 0.2], weights=[0.25, 0.75])"},
		{"0.7 to 0.9, max=100%", "0.7 to 0.9, max=1"},
		{"normal(0, 1, min=-(1/2))", "normal(0, 1, min=-0.5)"},
	}
	for _, pr := range pairs {
		a, err := Parse(pr[0])
		if err != nil {
			t.Fatalf("Parse(%q): %v", pr[0], err)
		}
		b, err := Parse(pr[1])
		if err != nil {
			t.Fatalf("Parse(%q): %v", pr[1], err)
		}
		if a.String() != b.String() {
			t.Errorf("Parse(%q).String() = %q, want %q", pr[0], a, b)
		}
		for _, p := range []float64{0, 1e-9, 0.01, 0.3, 0.5, 0.77, 0.999, 1} {
			if qa, qb := Fast(a).Quantile(p), Fast(b).Quantile(p); math.Float64bits(qa) != math.Float64bits(qb) {
				t.Errorf("%q vs %q: quantile at %g: %.17g vs %.17g", pr[0], pr[1], p, qa, qb)
			}
		}
		if math.Float64bits(a.Mean()) != math.Float64bits(b.Mean()) || math.Float64bits(a.Plan()) != math.Float64bits(b.Plan()) {
			t.Errorf("%q vs %q: mean/plan differ", pr[0], pr[1])
		}
	}
}

// TestCutEveryForm cuts every form at several ranges and checks, for
// each: the String parses back to the same distribution, Truncate gives
// that same distribution, the quantiles stay in the range and invert the
// CDF, the CDF is the renormalised original, and Outside is the mass cut.
func TestCutEveryForm(t *testing.T) {
	forms := []string{
		"0.7 to 0.9", "-1 to 3", "pert(0.2, 0.5, 1.1)", "pert(0, 10, 100, lambda=2)", "triangular(0, 1, 4)",
		"triangular(0, 0, 4)", "uniform(0, 2)", "normal(0.1, 0.03)", "lognormal(mu=0, sigma=1)",
		"lognormal(mean=100, sd=30, min=50)", "beta(2, 5)", "beta(2, 5, min=10, max=20)", "gamma(2, 3)", "weibull(1.5, 2)",
		"discrete(values=[1, 2, 3], weights=[1, 2, 1])", "bernoulli(0.3)", "5",
	}
	for _, f := range forms {
		d := mustParse(t, f)
		lo0, hi0 := d.Support()
		q := func(p float64) float64 { return d.Quantile(p) }
		ranges := [][2]float64{{q(0.2), q(0.9)}, {math.Inf(-1), q(0.5)}, {q(0.01), math.Inf(1)}, {q(0.3), q(0.3000001)}}
		for _, r := range ranges {
			lo, hi := r[0], r[1]
			c, err := Truncate(d, lo, hi)
			if err != nil {
				if d.Fixed() || lo == hi {
					continue
				}
				if _, ok := d.(*discreteDist); ok && r[1]-r[0] < 1e-3 {
					continue
				}
				t.Errorf("Truncate(%s, %g, %g): %v", f, lo, hi, err)
				continue
			}
			back := mustParse(t, c.String())
			if back.String() != c.String() {
				t.Errorf("Truncate(%s): %q parses back as %q", f, c, back)
			}
			clo, chi := c.Support()
			if clo < math.Max(lo, lo0) || chi > math.Min(hi, hi0) {
				t.Errorf("Truncate(%s, %g, %g): support [%g, %g]", f, lo, hi, clo, chi)
			}
			out := Outside(d, lo, hi)
			_, discrete := d.(*discreteDist)
			for _, p := range []float64{1e-6, 0.1, 0.5, 0.9, 1 - 1e-6} {
				x, xb := c.Quantile(p), back.Quantile(p)
				if x != xb {
					t.Errorf("Truncate(%s, %g, %g): quantile %g: %.17g, parsed back %.17g", f, lo, hi, p, x, xb)
				}
				if Fast(c).Quantile(p) != Fast(back).Quantile(p) {
					t.Errorf("Truncate(%s, %g, %g): Fast differs from the parsed form at %g", f, lo, hi, p)
				}
				if x < clo || x > chi {
					t.Errorf("Truncate(%s, %g, %g): quantile %g = %g outside [%g, %g]", f, lo, hi, p, x, clo, chi)
				}
				if !discrete && !d.Fixed() {
					// the CDF of the cut is the original's, renormalised
					want := (d.CDF(x) - d.CDF(math.Max(lo, lo0))) / (1 - out)
					// a narrow cut loses the digits its mass lacks
					tol := 1e-9 + 1e-15/(1-out)
					if e := math.Abs(c.CDF(x) - want); e > tol {
						t.Errorf("Truncate(%s, %g, %g): CDF(%g) = %.12g, want %.12g", f, lo, hi, x, c.CDF(x), want)
					}
					if e := math.Abs(c.CDF(x) - p); e > tol {
						t.Errorf("Truncate(%s, %g, %g): CDF(Quantile(%g)) = %.12g", f, lo, hi, p, c.CDF(x))
					}
				}
			}
			if c.Mean() != back.Mean() || c.Plan() != back.Plan() {
				t.Errorf("Truncate(%s): mean/plan %g/%g, parsed back %g/%g", f, c.Mean(), c.Plan(), back.Mean(), back.Plan())
			}
		}
	}
}

// TestCutMean checks the mean of cut continuous families against a
// numerical integral of the quantile function (E[X] = ∫₀¹ Q(p) dp), and the
// plan values: the cut mean, or the clamped mode for pert and triangular.
func TestCutMean(t *testing.T) {
	cases := []struct {
		expr string
		plan float64 // NaN: the mean
	}{
		{"pert(0.2, 0.5, 1.1), max=1", 0.5},
		{"pert(0.2, 0.5, 1.1), max=0.4", 0.4},
		{"pert(0.2, 0.5, 1.1), min=0.6, max=0.9", 0.6},
		{"triangular(0, 1, 4), min=0.5, max=3", 1},
		{"triangular(0, 1, 4), min=2", 2},
		{"triangular(0, 4, 4), max=1", 1},
		{"beta(2, 5), min=0.1, max=0.5", math.NaN()},
		{"beta(0.5, 0.5), min=0.9", math.NaN()},
		{"uniform(0, 2), max=1", math.NaN()},
		{"0.7 to 0.9, max=0.8", math.NaN()},
		{"weibull(2, 3), min=1, max=4", math.NaN()},
	}
	for _, c := range cases {
		d := mustParse(t, c.expr)
		lo, hi := d.Support()
		// E[X] = ∫ x f(x) dx by parts: lo + ∫_lo^hi (1 − F(x)) dx
		want := lo + integrate(func(x float64) float64 { return 1 - d.CDF(x) }, lo, hi)
		if e := math.Abs(d.Mean() - want); e > 1e-7*(hi-lo) {
			t.Errorf("%s: mean %.12g, numerical %.12g", c.expr, d.Mean(), want)
		}
		plan := c.plan
		if math.IsNaN(plan) {
			plan = d.Mean()
		}
		if d.Plan() != plan {
			t.Errorf("%s: plan %g, want %g", c.expr, d.Plan(), plan)
		}
	}
}

// TestOutside checks the mass outside a range against independent
// formulas, atoms included.
func TestOutside(t *testing.T) {
	// "0.05 to 0.25": lognormal with p5 = 0.05 and p95 = 0.25
	z95 := 1.6448536269514722
	mu := (math.Log(0.05) + math.Log(0.25)) / 2
	sigma := (math.Log(0.25) - math.Log(0.05)) / (2 * z95)
	above := 0.5 * math.Erfc((math.Log(1)-mu)/sigma/math.Sqrt2)
	cases := []struct {
		expr   string
		lo, hi float64
		want   float64
	}{
		{"0.05 to 0.25", 0, 1, above},
		{"normal(0.10, 0.03)", -1, math.Inf(1), 0.5 * math.Erfc((0.10+1)/0.03/math.Sqrt2)},
		{"normal(0, 1)", -1, 1, math.Erfc(1 / math.Sqrt2)},
		{"normal(0, 1)", math.Inf(-1), 30, 0.5 * math.Erfc(30/math.Sqrt2)},
		{"normal(0, 1)", -30, math.Inf(1), 0.5 * math.Erfc(30/math.Sqrt2)},
		{"discrete(values=[0, 1, 2], weights=[1, 2, 1])", 1, 1, 0.5},
		{"discrete(values=[0, 1, 2], weights=[1, 2, 1])", 0.5, 2, 0.25},
		{"bernoulli(0.3)", 0, 1, 0},
		{"bernoulli(0.3)", 0.5, 1, 0.7},
		{"5", 0, 1, 1},
		{"5", 5, 5, 0},
		{"uniform(0, 4)", 1, 2, 0.75},
		{"triangular(0, 1, 2)", 0.5, 1.5, 0.25},
	}
	for _, c := range cases {
		d := mustParse(t, c.expr)
		got := Outside(d, c.lo, c.hi)
		if e := math.Abs(got - c.want); e > 1e-12*math.Max(c.want, 1e-300) && e > 1e-15 {
			t.Errorf("Outside(%s, %g, %g) = %.17g, want %.17g", c.expr, c.lo, c.hi, got, c.want)
		}
	}
	if got := Outside(mustParse(t, "0.05 to 0.25"), 0, 1); !(got > 3e-6 && got < 5e-6) {
		t.Errorf("0.05 to 0.25 above 1: %g, want about 4e-6 (issue 19)", got)
	}
}

// TestTruncateStrings checks the expressions Truncate writes: the cut
// goes inside the call for the families that take min= and max=, after the
// form otherwise, and only the sides that narrow the support are written.
func TestTruncateStrings(t *testing.T) {
	cases := []struct {
		expr   string
		lo, hi float64
		want   string
	}{
		{"0.7 to 0.9", 0, 1, "0.7 to 0.9, max=1"},
		{"normal(0.1, 0.03)", -1, math.Inf(1), "normal(0.1, 0.03, min=-1)"},
		{"lognormal(mu=-1.5756, sigma=0.196039)", 0, 1, "lognormal(mu=-1.5756, sigma=0.196039, max=1)"},
		{"normal(0, 1, min=-5)", -1, 2, "normal(0, 1, min=-1, max=2)"},
		{"normal(0, 1, min=0)", -1, 2, "normal(0, 1, min=0, max=2)"},
		{"pert(0.2, 0.5, 1.1)", 0, 1, "pert(0.2, 0.5, 1.1), max=1"},
		{"pert(0.2, 0.5, 1.1), max=1", 0.3, 1, "pert(0.2, 0.5, 1.1), min=0.3, max=1"},
		{"uniform(-1, 2)", 0, 1, "uniform(-1, 2), min=0, max=1"},
		{"beta(2, 5)", 0, 1, "beta(2, 5)"},
		{"gamma(2, 3)", 0, 10, "gamma(2, 3, max=10)"},
		{"discrete(values=[-1, 0, 1])", 0, 1, "discrete(values=[-1, 0, 1]), min=0"},
		{"5", 0, 10, "5"},
	}
	for _, c := range cases {
		d := mustParse(t, c.expr)
		got, err := Truncate(d, c.lo, c.hi)
		if err != nil {
			t.Errorf("Truncate(%s): %v", c.expr, err)
			continue
		}
		if got.String() != c.want {
			t.Errorf("Truncate(%s, %g, %g) = %q, want %q", c.expr, c.lo, c.hi, got, c.want)
		}
	}
	if _, err := Truncate(mustParse(t, "uniform(0, 1)"), 2, 3); err == nil {
		t.Error("Truncate(uniform(0, 1), 2, 3): no error")
	}
	if _, err := Truncate(mustParse(t, "5"), 6, 7); err == nil {
		t.Error("Truncate(5, 6, 7): no error")
	}
}

// TestTailCuts checks cuts far in a tail (issue 17 item 4), where the mass
// kept is at or below the smallest float64: each against the tail's
// asymptotic form or an exact identity, on both sides of the switch to log
// space (tail probability 1e-200, z ≈ 30.2 for the normal).
func TestTailCuts(t *testing.T) {
	// E[Z | Z > a] = a + 1/a − 2/a³ + 10/a⁵ − 74/a⁷ + 706/a⁹ − 8162/a¹¹ + …
	invMills := func(a float64) float64 {
		c := []float64{1, -2, 10, -74, 706, -8162, 110410}
		s := a
		for k, v := range c {
			s += v / math.Pow(a, float64(2*k+1))
		}
		return s
	}
	for _, a := range []float64{25, 30, 30.1, 30.3, 31, 37.8, 38.3, 38.5, 50, 1000} {
		for _, side := range []float64{1, -1} {
			e := fmt.Sprintf("normal(3, 2, min=%s)", formatNum(3+2*a))
			if side < 0 {
				e = fmt.Sprintf("normal(3, 2, max=%s)", formatNum(3-2*a))
			}
			d, err := Parse(e)
			if err != nil {
				t.Errorf("%s: %v", e, err)
				continue
			}
			want := 3 + side*2*invMills(a)
			if err := math.Abs(d.Mean() - want); err > 1e-10*math.Abs(want) {
				t.Errorf("%s: mean %.15g, want %.15g", e, d.Mean(), want)
			}
			// Z | Z > a is a + E/a to first order (E unit exponential): the
			// median lies log(2)/a beyond the cut, to within 1/a³
			med := math.Abs(d.Quantile(0.5)-3)/2 - a
			if r := med * a / math.Ln2; math.Abs(r-1) > 3/(a*a) {
				t.Errorf("%s: median %.15g beyond the cut by %g/a·log 2", e, d.Quantile(0.5), r)
			}
			for _, p := range []float64{1e-9, 0.1, 0.5, 0.9, 1 - 1e-9} {
				if got := d.CDF(d.Quantile(p)); math.Abs(got-p) > 1e-9 {
					t.Errorf("%s: CDF(Quantile(%g)) = %.12g", e, p, got)
				}
			}
		}
	}
	// issue 17: normal(0, 1, min=37.8) has mean 37.826 and sd 0.026
	d := mustParse(t, "normal(0, 1, min=37.8)")
	n := 100000
	var s, ss float64
	for i := 0; i < n; i++ {
		x := Fast(d).Quantile((float64(i) + 0.5) / float64(n))
		s += x
		ss += x * x
	}
	m := s / float64(n)
	sd := math.Sqrt(ss/float64(n) - m*m)
	if math.Abs(m-37.8264) > 1e-4 || math.Abs(sd-0.0264) > 5e-4 {
		t.Errorf("normal(0, 1, min=37.8): mean %.6g sd %.4g, want 37.826 and 0.026", m, sd)
	}
	// Weibull with shape 1 is exponential and memoryless: min=c gives c + Exp(1)
	for _, c := range []float64{10, 700, 710, 800, 1e5} {
		d := mustParse(t, fmt.Sprintf("weibull(1, 1, min=%s)", formatNum(c)))
		if math.Abs(d.Mean()-(c+1)) > 1e-9*c {
			t.Errorf("weibull(1, 1, min=%g): mean %.15g, want %g", c, d.Mean(), c+1)
		}
		for _, p := range []float64{0.001, 0.5, 0.999} {
			if got, want := d.Quantile(p), c-math.Log1p(-p); math.Abs(got-want) > 1e-12*c {
				t.Errorf("weibull(1, 1, min=%g): Quantile(%g) = %.15g, want %.15g", c, p, got, want)
			}
		}
	}
	// Weibull with shape 2 beyond c: (c² + E)^(1/2) with E unit exponential
	d = mustParse(t, "weibull(2, 1, min=100)")
	if want := math.Sqrt(100*100 + math.Log(2)); math.Abs(d.Quantile(0.5)-want) > 1e-12*want {
		t.Errorf("weibull(2, 1, min=100): median %.15g, want %.15g", d.Quantile(0.5), want)
	}
	// lognormal: log X is normal, so a cut of the lognormal at e^c is the
	// cut normal at c, exponentiated
	for _, c := range []float64{40, 45.5, 100} {
		l := mustParse(t, fmt.Sprintf("lognormal(mu=0, sigma=1, min=%s)", formatNum(math.Exp(c))))
		nd := mustParse(t, fmt.Sprintf("normal(0, 1, min=%s)", formatNum(c)))
		for _, p := range []float64{0.01, 0.5, 0.99} {
			if got, want := l.Quantile(p), math.Exp(nd.Quantile(p)); math.Abs(got-want) > 1e-12*want {
				t.Errorf("lognormal cut at e^%g: Quantile(%g) = %.15g, want %.15g", c, p, got, want)
			}
		}
	}
}

// TestGammaTailCuts checks gamma cuts far in a tail against closed forms:
// gamma(1, θ) is exponential (min=c gives c + Exp(θ)); for gamma(2, 1),
// P(X > c) = (1 + c)e^−c and E[X | X > c] = (c² + 2c + 2)/(1 + c); far in
// the lower tail, gamma(k, 1, max=m) has P(X ≤ x | X ≤ m) → (x/m)^k.
func TestGammaTailCuts(t *testing.T) {
	for _, c := range []float64{100, 500, 750, 800, 5000} {
		d := mustParse(t, fmt.Sprintf("gamma(1, 2, min=%s)", formatNum(c)))
		if math.Abs(d.Mean()-(c+2)) > 1e-9*c {
			t.Errorf("gamma(1, 2, min=%g): mean %.15g, want %g", c, d.Mean(), c+2)
		}
		for _, p := range []float64{0.001, 0.5, 0.999} {
			if got, want := d.Quantile(p), c-2*math.Log1p(-p); math.Abs(got-want) > 1e-9*c {
				t.Errorf("gamma(1, 2, min=%g): Quantile(%g) = %.15g, want %.15g", c, p, got, want)
			}
		}
		d = mustParse(t, fmt.Sprintf("gamma(2, 1, min=%s)", formatNum(c)))
		if want := (c*c + 2*c + 2) / (1 + c); math.Abs(d.Mean()-want) > 1e-9*c {
			t.Errorf("gamma(2, 1, min=%g): mean %.15g, want %.15g", c, d.Mean(), want)
		}
		if got := d.CDF(d.Quantile(0.3)); math.Abs(got-0.3) > 1e-9 {
			t.Errorf("gamma(2, 1, min=%g): CDF(Quantile(0.3)) = %g", c, got)
		}
	}
	// far in the lower tail: P(200, 1) ≈ 1/200! underflows
	for _, e := range []string{"gamma(200, 1, max=1)", "gamma(300, 2, max=3)"} {
		d := mustParse(t, e)
		lo, hi := d.Support()
		want := lo + integrate(func(x float64) float64 { return 1 - d.CDF(x) }, lo, hi)
		if math.Abs(d.Mean()-want) > 1e-9*hi {
			t.Errorf("%s: mean %.15g, ∫(1 − F) %.15g", e, d.Mean(), want)
		}
		for _, p := range []float64{0.001, 0.5, 0.999} {
			if got := d.CDF(d.Quantile(p)); math.Abs(got-p) > 1e-9 {
				t.Errorf("%s: CDF(Quantile(%g)) = %.12g", e, p, got)
			}
		}
	}
}

// TestCutFast checks Fast on cut forms against the exact quantile: within
// 1e-9 of the scale in the body (the tables' guarantee), exactly where Fast
// uses the exact quantile (cut triangular, cuts far in a tail).
func TestCutFast(t *testing.T) {
	for _, e := range []string{
		"pert(0.2, 0.5, 1.1), max=1", "beta(2, 5), min=0.1", "triangular(0, 1, 4), min=0.5, max=3",
		"gamma(2, 3), min=1", "gamma(2, 1, min=800)", "gamma(200, 1, max=1)", "normal(0, 1, min=40)",
	} {
		d := mustParse(t, e)
		lo, hi := d.Quantile(0.1), d.Quantile(0.9)
		q := Fast(d)
		for i := 1; i < 1000; i++ {
			p := float64(i) / 1000
			if err := math.Abs(q.Quantile(p)-d.Quantile(p)) / (hi - lo); err > 1e-9 {
				t.Errorf("%s: Fast.Quantile(%g) off by %.2g of the 10–90%% range", e, p, err)
				break
			}
		}
	}
}
