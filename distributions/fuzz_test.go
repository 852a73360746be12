package distributions

import (
	"errors"
	"math"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error is a
// *SyntaxError with an offset inside the input, and that every accepted
// expression gives a usable Dist whose String re-parses to the same thing.
func FuzzParse(f *testing.F) {
	for _, e := range goodExprs {
		f.Add(e)
	}
	for _, c := range badExprs {
		f.Add(c.expr)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			return
		}
		d, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("Parse(%q): offset %d outside [0, %d]", s, se.Offset, len(s))
			}
			if se.Msg == "" {
				t.Fatalf("Parse(%q): empty message", s)
			}
			return
		}
		lo, hi := d.Support()
		for _, p := range []float64{0.001, 0.5, 0.999} {
			q := d.Quantile(p)
			if math.IsNaN(q) || math.IsInf(q, 0) || q < lo || q > hi {
				t.Fatalf("Parse(%q): Quantile(%g) = %g (support [%g, %g])", s, p, q, lo, hi)
			}
		}
		for _, v := range []float64{d.Mean(), d.Plan()} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
				t.Fatalf("Parse(%q): mean %g plan %g (support [%g, %g])", s, d.Mean(), d.Plan(), lo, hi)
			}
		}
		str := d.String()
		d2, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, str, err)
		}
		if d2.String() != str {
			t.Fatalf("Parse(%q): String %q re-parses to %q", s, str, d2.String())
		}
		if a, b := d.Quantile(0.5), d2.Quantile(0.5); a != b {
			t.Fatalf("Parse(%q): median %g, after round trip %g", s, a, b)
		}
		q := Fast(d)
		for _, p := range []float64{0, 1e-12, 0.3, 0.5, 0.7, 1 - 1e-12, 1} {
			v := q.Quantile(p)
			if math.IsNaN(v) || v < lo || v > hi {
				t.Fatalf("Parse(%q): Fast.Quantile(%g) = %g (support [%g, %g])", s, p, v, lo, hi)
			}
		}
	})
}

// fuzzData resolves empirical(…) for FuzzParseWith from a fixed sample.
func fuzzData(ref EmpiricalRef) (Dist, error) {
	d, err := NewEmpirical([]float64{0.1, 0.4, 0.35, 0.8, 0.2, 0.55}, ref.Smooth, ref.Min, ref.Max, ref.Expr("0123456789abcdef"))
	if err != nil {
		return nil, err
	}
	return WithSource(d, "", "fuzz"), nil
}

// FuzzParseWith checks ParseWith with data inputs (empirical(…), cut or
// not): no panic, every error but the resolver's a *SyntaxError inside the
// input, and every accepted expression's String parses back to the same.
func FuzzParseWith(f *testing.F) {
	for _, e := range []string{
		"empirical(file=a.csv, column=x)", "empirical(file=a.csv, smooth=kde, min=0, max=1)",
		"empirical(file=a.csv), min=0.3", "empirical(file=a.csv, smooth=kde), max=50%",
		"empirical(file=a.csv, smooth=kde, min=1/10), max=0.7, min=0.2", "empirical(file=\"a b.csv\", column='c')",
		"empirical(file=a.csv, sha256=0123456789abcdef)", "empirical(file=a.csv), min=2",
	} {
		f.Add(e)
	}
	opt := Options{Empirical: fuzzData}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			return
		}
		d, err := ParseWith(s, opt)
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) && (se.Offset < 0 || se.Offset > len(s) || se.Msg == "") {
				t.Fatalf("ParseWith(%q): offset %d outside [0, %d] or empty message", s, se.Offset, len(s))
			}
			return
		}
		str := d.String()
		d2, err := ParseWith(str, opt)
		if err != nil {
			t.Fatalf("ParseWith(%q).String() = %q does not parse: %v", s, str, err)
		}
		if d2.String() != str {
			t.Fatalf("ParseWith(%q): String %q re-parses to %q", s, str, d2.String())
		}
		if a, b := d.Quantile(0.5), d2.Quantile(0.5); a != b {
			t.Fatalf("ParseWith(%q): median %g, after round trip %g", s, a, b)
		}
	})
}
