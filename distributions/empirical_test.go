package distributions

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

func TestEmpiricalBootstrap(t *testing.T) {
	vals := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	d, err := NewEmpirical(vals, false, math.Inf(-1), math.Inf(1), "empirical(file=x.csv)")
	if err != nil {
		t.Fatal(err)
	}
	// sorted: 1 1 2 3 4 5 6 9; type-1 quantile: x_(ceil(n p))
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.1, 1}, {0.25, 1}, {0.2501, 2}, {0.5, 3}, {0.51, 4}, {0.875, 6}, {0.9, 9}, {1, 9}} {
		if got := d.Quantile(c.p); got != c.want {
			t.Errorf("Q(%g) = %v, want %v", c.p, got, c.want)
		}
		if got := Fast(d).Quantile(c.p); got != c.want {
			t.Errorf("Fast Q(%g) = %v, want %v", c.p, got, c.want)
		}
	}
	for _, c := range []struct{ x, want float64 }{{0.5, 0}, {1, 0.25}, {2.5, 0.375}, {9, 1}, {10, 1}} {
		if got := d.CDF(c.x); got != c.want {
			t.Errorf("CDF(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if d.Mean() != 31.0/8 || d.Plan() != 31.0/8 || d.String() != "empirical(file=x.csv)" || d.Fixed() {
		t.Errorf("mean %v plan %v string %q", d.Mean(), d.Plan(), d.String())
	}
	if lo, hi := d.Support(); lo != 1 || hi != 9 {
		t.Errorf("support %v %v", lo, hi)
	}
	if !math.IsNaN(d.Quantile(1.5)) || !math.IsNaN(d.Quantile(math.NaN())) {
		t.Error("Quantile outside [0, 1] is not NaN")
	}
	for _, bad := range [][]float64{{1}, {}, {1, math.NaN()}, {1, math.Inf(1)}} {
		if _, err := NewEmpirical(bad, false, math.Inf(-1), math.Inf(1), ""); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestEmpiricalKDE checks the kernel density: the bandwidth is Silverman's,
// the CDF is the mixture of normal CDFs, the quantile inverts it, Fast agrees
// within 1e-9 of the scale, the mean is the sample mean, and a cut
// renormalises.
func TestEmpiricalKDE(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]float64, 300)
	for i := range vals {
		vals[i] = 10 + 2*r.NormFloat64()
	}
	d, err := NewEmpirical(vals, true, math.Inf(-1), math.Inf(1), "kde")
	if err != nil {
		t.Fatal(err)
	}
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	var mean, ss float64
	for _, v := range s {
		mean += v / 300
	}
	for _, v := range s {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / 299)
	iqr := quantile7(s, 0.75) - quantile7(s, 0.25)
	h := 0.9 * math.Min(sd, iqr/1.34) * math.Pow(300, -0.2)
	if got, _ := Bandwidth(d); math.Abs(got-h) > 1e-12*h {
		t.Errorf("bandwidth %v, want %v", got, h)
	}
	if math.Abs(d.Mean()-mean) > 1e-12*mean {
		t.Errorf("mean %v, want %v", d.Mean(), mean)
	}
	cdf := func(x float64) float64 {
		var c float64
		for _, v := range s {
			c += phi((x - v) / h)
		}
		return c / 300
	}
	for _, x := range []float64{3, 8, 10, 12.5, 17} {
		if got, want := d.CDF(x), cdf(x); math.Abs(got-want) > 1e-14 {
			t.Errorf("CDF(%v) = %v, want %v", x, got, want)
		}
	}
	for _, p := range []float64{1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-6} {
		x := d.Quantile(p)
		if c := cdf(x); math.Abs(c-p) > 1e-11 {
			t.Errorf("CDF(Q(%g)) = %.15g", p, c)
		}
		if f := Fast(d).Quantile(p); math.Abs(f-x) > 1e-9*(s[299]-s[0]) {
			t.Errorf("Fast Q(%g) = %.15g, Quantile %.15g", p, f, x)
		}
	}
	// cut to [8, 11]
	c, err := NewEmpirical(vals, true, 8, 11, "cut")
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := c.Support(); lo != 8 || hi != 11 {
		t.Errorf("support %v %v", lo, hi)
	}
	f8, f11 := cdf(8), cdf(11)
	for _, x := range []float64{8.5, 10, 10.9} {
		if got, want := c.CDF(x), (cdf(x)-f8)/(f11-f8); math.Abs(got-want) > 1e-13 {
			t.Errorf("cut CDF(%v) = %v, want %v", x, got, want)
		}
	}
	if q := c.Quantile(0.5); math.Abs(c.CDF(q)-0.5) > 1e-11 || q < 8 || q > 11 {
		t.Errorf("cut median %v", q)
	}
	m := integrate(Fast(c).Quantile, 0, 1) // Fast is within 1e-9 of the scale
	if math.Abs(m-c.Mean()) > 1e-8 {
		t.Errorf("cut mean %v, integral %v", c.Mean(), m)
	}
	if _, err := NewEmpirical([]float64{2, 2, 2}, true, math.Inf(-1), math.Inf(1), ""); err == nil {
		t.Error("a kernel density of equal values")
	}
}

func TestParseWithEmpirical(t *testing.T) {
	var got []EmpiricalRef
	opt := Options{Empirical: func(ref EmpiricalRef) (Dist, error) {
		got = append(got, ref)
		if ref.File == "bad.csv" {
			return nil, errors.New("bad.csv:3:2: column \"x\": \"abc\" is not a number")
		}
		d, err := NewEmpirical([]float64{1, 2, 3}, ref.Smooth, ref.Min, ref.Max, ref.Expr("0123456789abcdef0123"))
		if err != nil {
			return nil, err
		}
		return WithSource(d, "", "from "+ref.File), nil
	}}
	d, err := ParseWith(`empirical(file=data/history 2024.csv, column="churn, monthly", smooth=kde, min=0, max=1, sha256=0123456789ABCDEF)`, opt)
	if err != nil {
		t.Fatal(err)
	}
	ref := got[0]
	if ref.File != "data/history 2024.csv" || ref.Column != "churn, monthly" || !ref.Smooth || ref.Min != 0 || ref.Max != 1 || ref.SHA256 != "0123456789abcdef" {
		t.Errorf("ref %+v", ref)
	}
	want := `empirical(file="data/history 2024.csv", column="churn, monthly", smooth=kde, min=0, max=1, sha256=0123456789abcdef)`
	if d.String() != want {
		t.Errorf("String %s, want %s", d, want)
	}
	if SourceOf(d) != "from data/history 2024.csv" {
		t.Errorf("source %q", SourceOf(d))
	}
	// the canonical expression parses back to the same reference
	got = nil
	if d2, err := ParseWith(want, opt); err != nil || d2.String() != want {
		t.Errorf("round trip: %v %v", d2, err)
	}
	if _, err := ParseWith("empirical(file=bad.csv, column=x)", opt); err == nil || err.Error() != `bad.csv:3:2: column "x": "abc" is not a number` {
		t.Errorf("data error passed as %v", err)
	}
	for _, c := range []struct {
		in, msg string
		off     int
	}{
		{"empirical(file=a.csv)", "empirical inputs need a scenario file", 0},
		{"empirical", "empirical needs its arguments in parentheses", 9},
		{"empirical()", "empirical needs at least file=", 0},
		{"empirical(column=x)", "empirical needs file=", 0},
		{"empirical(a.csv)", "named arguments only", 10},
		{"empirical(file=a.csv, smooth=box)", "smooth must be kde", 29},
		{"empirical(file=a.csv, min=0)", "need smooth=kde", 26},
		{"empirical(file=a.csv, fit=cauchy)", "fit must be best or one of", 26},
		{"empirical(file=a.csv, fit=gamma, smooth=kde)", "cannot be combined", 26},
		{"empirical(file=a.csv, colour=x)", `no argument "colour"`, 22},
		{"empirical(file=a.csv, file=b.csv)", `gets "file" twice`, 22},
		{"empirical(file=a.csv", `missing ")"`, 9},
		{"empirical(file=a.csv) x", `unexpected "x"`, 22},
		{"empirical(file=a.csv, sha256=xyz)", "hex digits", 29},
		{`empirical(file="a.csv)`, "missing closing quote", 15},
	} {
		_, err := Parse(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, c.msg) || se.Offset != c.off {
			t.Errorf("%s: got %v (offset %v), want %q at %d", c.in, err, se, c.msg, c.off)
		}
	}
}
