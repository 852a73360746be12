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
