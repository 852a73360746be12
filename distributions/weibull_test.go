package distributions

import (
	"math"
	"strings"
	"testing"
)

var weibulls = []string{"weibull(1.5, 4)", "weibull(0.5, 2)", "weibull(1, 3)", "weibull(8, 100)",
	"weibull(0.07, 1)", "weibull(2, 5, min=1, max=7)", "weibull(1.5, 4, max=2)", "weibull(3, 1, min=2)"}

// TestWeibullClosedForms checks the quantile, CDF and mean against the
// closed forms: F(x) = 1 − exp(−(x/λ)^k), Q(p) = λ(−log(1 − p))^(1/k),
// mean λΓ(1 + 1/k).
func TestWeibullClosedForms(t *testing.T) {
	d := mustParse(t, "weibull(1.5, 4)")
	for _, p := range []float64{1e-12, 1e-5, 0.1, 0.5, 0.9, 1 - 1e-9} {
		want := 4 * math.Pow(-math.Log1p(-p), 1/1.5)
		if got := d.Quantile(p); math.Abs(got-want) > 1e-13*want {
			t.Errorf("Q(%g) = %.17g, want %.17g", p, got, want)
		}
		if got := Fast(d).Quantile(p); math.Abs(got-want) > 1e-13*want {
			t.Errorf("Fast Q(%g) = %.17g, want %.17g", p, got, want)
		}
	}
	for _, x := range []float64{0.01, 1, 4, 10} {
		want := 1 - math.Exp(-math.Pow(x/4, 1.5))
		if got := d.CDF(x); math.Abs(got-want) > 1e-15 {
			t.Errorf("CDF(%g) = %.17g, want %.17g", x, got, want)
		}
	}
	if got, want := d.Mean(), 4*math.Gamma(1+1/1.5); math.Abs(got-want) > 1e-13*want {
		t.Errorf("mean %v, want %v", got, want)
	}
	if d.Plan() != d.Mean() {
		t.Errorf("plan %v is not the mean", d.Plan())
	}
	if lo, hi := d.Support(); lo != 0 || !math.IsInf(hi, 1) {
		t.Errorf("support %v, %v", lo, hi)
	}
}

// TestWeibullAll checks every Weibull of the list: quantile and CDF invert
// each other, the (truncated) mean is the integral of the quantile, Fast
// agrees with Quantile, and String parses back to itself.
func TestWeibullAll(t *testing.T) {
	for _, e := range weibulls {
		d := mustParse(t, e)
		for _, p := range []float64{1e-9, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-7} {
			x := d.Quantile(p)
			if c := d.CDF(x); math.Abs(c-p) > 1e-10*math.Max(p, 1e-3) {
				t.Errorf("%s: CDF(Q(%g)) = %.17g", e, p, c)
			}
			if f := Fast(d).Quantile(p); f != x {
				t.Errorf("%s: Fast %v, Quantile %v", e, f, x)
			}
		}
		// the integral of an unbounded quantile converges slowly near p = 1
		m := integrate(d.Quantile, 0, 1)
		tol := 1e-8
		if _, hi := d.Support(); math.IsInf(hi, 1) {
			tol = 5e-5
		}
		if math.Abs(m-d.Mean()) > tol*math.Max(1, math.Abs(m)) && !strings.Contains(e, "0.07") {
			t.Errorf("%s: mean %.12g, integral of the quantile %.12g", e, d.Mean(), m)
		}
		if d2 := mustParse(t, d.String()); d2.String() != d.String() || d2.Quantile(0.3) != d.Quantile(0.3) {
			t.Errorf("%s does not round-trip: %s", e, d2)
		}
	}
}

func TestWeibullErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"weibull(0, 2)", "weibull needs shape > 0"},
		{"weibull(2, -1)", "weibull needs scale > 0"},
		{"weibull(2)", "weibull takes 2 arguments (shape, scale)"},
		{"weibull(2e5, 1)", "between 0.05 and 10000"},
		{"weibull(2, 1, min=5, max=3)", "min < max"},
		{"weibull(2, 1, max=-1)", "no probability mass"},
	} {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %q", c.in, err, c.msg)
		}
	}
}
