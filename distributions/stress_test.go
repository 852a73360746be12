package distributions

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestRandomExpressions builds random valid expressions with parameters
// spread over many orders of magnitude and checks that every accepted one
// behaves: finite median and mean inside the support, monotone quantiles,
// Fast close to Quantile.
func TestRandomExpressions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	num := func() float64 {
		v := math.Pow(10, r.Float64()*40-20) * float64(1+r.IntN(9))
		if r.IntN(3) == 0 {
			v = -v
		}
		if r.IntN(8) == 0 {
			v = 0
		}
		return v
	}
	pos := func() float64 { return math.Abs(num()) + 1e-300 }
	shape := func() float64 { return math.Pow(10, r.Float64()*6.5-1.3) }
	f := formatNum
	n := 300
	if s := os.Getenv("STRESS_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if testing.Short() {
		n = 50
	}
	accepted := 0
	for i := 0; i < n; i++ {
		var e string
		trunc := func() string {
			switch r.IntN(4) {
			case 0:
				return ", min=" + f(num())
			case 1:
				return ", max=" + f(num())
			case 2:
				a, b := num(), num()
				return ", min=" + f(math.Min(a, b)) + ", max=" + f(math.Max(a, b))
			}
			return ""
		}
		switch r.IntN(8) {
		case 0:
			a, b, c := num(), num(), num()
			e = fmt.Sprintf("pert(%s, %s, %s, lambda=%s)", f(a), f(b), f(c), f(shape()))
		case 1:
			e = fmt.Sprintf("triangular(%s, %s, %s)", f(num()), f(num()), f(num()))
		case 2:
			e = fmt.Sprintf("normal(%s, %s%s)", f(num()), f(pos()), trunc())
		case 3:
			e = fmt.Sprintf("lognormal(mu=%s, sigma=%s%s)", f(r.Float64()*100-50), f(r.Float64()*5), trunc())
		case 4:
			e = fmt.Sprintf("lognormal(p%d=%s, p%d=%s%s)", 1+r.IntN(49), f(pos()), 51+r.IntN(49), f(pos()), trunc())
		case 5:
			e = fmt.Sprintf("beta(%s, %s, min=%s, max=%s)", f(shape()), f(shape()), f(num()), f(num()))
		case 6:
			e = fmt.Sprintf("gamma(%s, %s%s)", f(shape()), f(pos()), trunc())
		case 7:
			e = fmt.Sprintf("%s to %s", f(num()), f(num()))
		}
		d, err := Parse(e)
		if err != nil {
			continue
		}
		accepted++
		lo, hi := d.Support()
		if m := d.Mean(); !(m >= lo && m <= hi) {
			t.Errorf("%s: mean %g outside [%g, %g]", e, m, lo, hi)
		}
		q := Fast(d)
		scale := scaleOf(d)
		prev := math.Inf(-1)
		for k := 0; k <= 400; k++ {
			p := float64(k) / 400
			if k == 0 {
				p = 1e-10
			} else if k == 400 {
				p = 1 - 1e-10
			}
			x, fx := d.Quantile(p), q.Quantile(p)
			if math.IsNaN(x) || x < prev || x < lo || x > hi {
				t.Errorf("%s: Quantile(%g) = %g (previous %g, support [%g, %g])", e, p, x, prev, lo, hi)
				break
			}
			prev = x
			if err := math.Abs(fx-x) / math.Max(scale, math.Abs(x)); !(err <= 1e-9) && !(scale == 0) {
				t.Errorf("%s: Fast.Quantile(%g) = %.17g, Quantile %.17g (error %.2g of scale %g)", e, p, fx, x, err, scale)
				break
			}
		}
	}
	t.Logf("%d of %d accepted", accepted, n)
	if accepted < n/4 {
		t.Errorf("only %d of %d random expressions accepted", accepted, n)
	}
}
