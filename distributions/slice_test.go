package distributions

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/crmroi/crmroi/internal/kernels"
)

// sliceFamilies is one Fast quantiler or more of every family: closed forms,
// tables (pert, beta, gamma, truncated gamma) and empirical data.
func sliceFamilies(t testing.TB) map[string]Quantiler {
	qs := map[string]Quantiler{}
	for _, e := range append([]string{"3.5", "uniform(1, 2)", "triangular(1, 2, 4)", "normal(1, 2)",
		"lognormal(mu=0, sigma=1)", "weibull(1.5, 2)", "weibull(1.5, 2, max=3)", "bernoulli(0.3)",
		"discrete(values=[3, 1, 2], weights=[1, 0, 2])"}, tableShapes...) {
		qs[e] = Fast(mustParse(t, e))
	}
	data := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4}
	for _, smooth := range []bool{false, true} {
		d, err := NewEmpirical(data, smooth, math.Inf(-1), math.Inf(1), "empirical")
		if err != nil {
			t.Fatal(err)
		}
		qs[d.String()+map[bool]string{false: " resampled", true: " kde"}[smooth]] = Fast(d)
	}
	return qs
}

// slicePs are the test ps, the edges of [0, 1] and of the tables, and values
// outside [0, 1].
func slicePs() []float64 {
	return append(testPs(), 0, 1, 0.5, math.Nextafter(0.5, 0), math.Nextafter(0.5, 1), tabMin, 1-tabMin,
		math.Nextafter(tabMin, 0), 1e-300, 1-1e-17, math.NaN(), -0.5, 1.5, math.Inf(1))
}

// TestQuantileSliceExact: QuantileSlice gives exactly q.Quantile's values,
// bit for bit, for every family, into a separate slice, with a stride (the
// values in between untouched) and in place.
func TestQuantileSliceExact(t *testing.T) {
	ps := slicePs()
	for name, q := range sliceFamilies(t) {
		want := make([]float64, len(ps))
		for i, p := range ps {
			want[i] = q.Quantile(p)
		}
		same := func(how string, got []float64, stride int) {
			t.Helper()
			for i, w := range want {
				if g := got[i*stride]; math.Float64bits(g) != math.Float64bits(w) {
					t.Fatalf("%s, %s: p=%v gives %v, Quantile %v", name, how, ps[i], g, w)
				}
			}
		}
		dst := make([]float64, len(ps))
		QuantileSlice(q, dst, 1, ps)
		same("separate slice", dst, 1)

		const stride = 3
		dst = make([]float64, (len(ps)-1)*stride+1)
		for i := range dst {
			dst[i] = -7
		}
		QuantileSlice(q, dst, stride, ps)
		same("stride 3", dst, stride)
		for i, v := range dst {
			if i%stride != 0 && v != -7 {
				t.Fatalf("%s, stride 3: dst[%d] written", name, i)
			}
		}

		inPlace := append([]float64(nil), ps...)
		QuantileSlice(q, inPlace, 1, inPlace)
		same("in place", inPlace, 1)
	}
}

// BenchmarkQuantileSlice is the cost per value of a table's quantiles by
// QuantileSlice (compare BenchmarkFastQuantile/pert, one call per value),
// 1,024 values a call, each time other ones.
func BenchmarkQuantileSlice(b *testing.B) {
	q := Fast(mustParse(b, "pert(0.15, 0.25, 0.4)"))
	dst := make([]float64, 1024)
	for i := 0; b.Loop(); i++ {
		lo := i * len(dst) % len(benchUniforms)
		QuantileSlice(q, dst, 1, benchUniforms[lo:lo+len(dst)])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/value")
}

// TestTableLoopMatchesGo: the table loop in use (assembly on amd64) gives
// the same values, bit for bit, and stops at the same p as kernels.TableGo, on
// every table shape (64, 128 and 256 intervals per octave) and the edge ps.
func TestTableLoopMatchesGo(t *testing.T) {
	ps := slicePs()
	rng := rand.New(rand.NewPCG(4, 7))
	for range 2000 {
		ps = append(ps, rng.Float64(), math.Ldexp(rng.Float64(), -rng.IntN(40)), 1-math.Ldexp(rng.Float64(), -rng.IntN(40)))
	}
	for _, e := range tableShapes {
		tab, ok := Fast(mustParse(t, e)).(*table)
		if !ok {
			continue
		}
		for _, stride := range []int{1, 3} {
			for start := 0; start < len(ps); start += 97 { // runs that stop at different places
				src := ps[start:]
				a, b := make([]float64, len(src)*stride), make([]float64, len(src)*stride)
				ka := kernels.Table(tab.coef, a, stride, src, &tab.grid)
				kb := kernels.TableGo(tab.coef, b, stride, src, &tab.grid)
				if ka != kb {
					t.Fatalf("%s: stops at %d, Go at %d (p %v)", e, ka, kb, src[min(kb, len(src)-1)])
				}
				for i := range a {
					if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
						t.Fatalf("%s: value %d = %v, Go %v", e, i, a[i], b[i])
					}
				}
			}
		}
	}
}
