package distributions

import (
	"math"
	"testing"

	"github.com/crmroi/crmroi/internal/checks"
)

// checksFile (in testdata/checks) holds quantiles, mean and plan of
// expressions computed by an independent implementation.
const checksFile = "distributions.json"

type checkCase struct {
	Expr                      string
	Plan, Mean, P10, P50, P90 float64
}

func loadChecks(t *testing.T) []checkCase {
	t.Helper()
	var f struct{ Cases []checkCase }
	checks.LoadJSON(t, checksFile, &f)
	if len(f.Cases) == 0 {
		t.Fatalf("%s: no cases", checksFile)
	}
	return f.Cases
}

// relErr is |got - want| relative to |want| (absolute near zero).
func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

func TestChecks(t *testing.T) {
	for _, c := range loadChecks(t) {
		d, err := Parse(c.Expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.Expr, err)
			continue
		}
		fq := Fast(d)
		for _, v := range []struct {
			what      string
			got, want float64
			tol       float64
		}{
			{"Plan", d.Plan(), c.Plan, 1e-9},
			{"Mean", d.Mean(), c.Mean, 1e-9},
			{"Quantile(0.1)", d.Quantile(0.1), c.P10, 1e-9},
			{"Quantile(0.5)", d.Quantile(0.5), c.P50, 1e-9},
			{"Quantile(0.9)", d.Quantile(0.9), c.P90, 1e-9},
			// the independent figures are good to about 1e-10; Fast to 1e-9
			// of the scale
			{"Fast.Quantile(0.1)", fq.Quantile(0.1), c.P10, 1e-8},
			{"Fast.Quantile(0.5)", fq.Quantile(0.5), c.P50, 1e-8},
			{"Fast.Quantile(0.9)", fq.Quantile(0.9), c.P90, 1e-8},
		} {
			if e := relErr(v.got, v.want); !(e <= v.tol) {
				t.Errorf("%s: %s = %.17g, want %.17g (relative error %.2g > %g)", c.Expr, v.what, v.got, v.want, e, v.tol)
			}
		}
	}
}
