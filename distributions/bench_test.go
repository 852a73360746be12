package distributions

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var benchSink float64

// benchUniforms is a fixed set of uniform numbers so that the benchmarks
// measure the quantile, not the random generator.
var benchUniforms = func() []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	u := make([]float64, 1<<16)
	for i := range u {
		u[i] = r.Float64()
	}
	return u
}()

func BenchmarkFastQuantile(b *testing.B) {
	for _, c := range []struct{ name, expr string }{
		{"pert", "pert(0.15, 0.25, 0.4)"},
		{"normal", "normal(10, 2)"},
		{"gamma", "gamma(2.5, 3)"},
		{"beta", "beta(2, 5)"},
		{"lognormal", "lognormal(mu=1, sigma=0.5)"},
		{"triangular", "triangular(1, 2, 4)"},
		{"truncnormal", "normal(10, 2, min=9, max=15)"},
		{"truncgamma", "gamma(2, 1, min=1, max=3)"},
		{"discrete", "discrete(values=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], weights=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])"},
		{"fixed", "3500000"},
	} {
		d, err := Parse(c.expr)
		if err != nil {
			b.Fatal(err)
		}
		q := Fast(d)
		b.Run(c.name, func(b *testing.B) {
			s := 0.0
			for i := 0; b.Loop(); i++ {
				s += q.Quantile(benchUniforms[i&(len(benchUniforms)-1)])
			}
			benchSink = s
		})
	}
}

// BenchmarkExactQuantile is the exact quantile, for comparison.
func BenchmarkExactQuantile(b *testing.B) {
	for _, c := range []struct{ name, expr string }{
		{"pert", "pert(0.15, 0.25, 0.4)"},
		{"gamma", "gamma(2.5, 3)"},
	} {
		d, err := Parse(c.expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			s := 0.0
			for i := 0; b.Loop(); i++ {
				s += d.Quantile(benchUniforms[i&(len(benchUniforms)-1)])
			}
			benchSink = s
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("pert(0.15, 0.25, 0.40, lambda=4)"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFastBuild builds the interpolation table of a fresh Dist.
func BenchmarkFastBuild(b *testing.B) {
	for _, c := range []struct{ name, expr string }{
		{"pert", "pert(0.15, 0.25, 0.4)"},
		{"beta", "beta(0.5, 0.5)"},
		{"gamma", "gamma(2.5, 3)"},
		{"truncgamma", "gamma(2, 1, min=1, max=3)"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				d, err := Parse(c.expr)
				if err != nil {
					b.Fatal(err)
				}
				benchSink += Fast(d).Quantile(0.3)
			}
		})
	}
}

// BenchmarkQuantileSliceBlock is the engine's use of the tables: 20 pert inputs,
// 1,024 uniforms each, written as columns of a row-major block of 23
// inputs (ns/val is per value).
func BenchmarkQuantileSliceBlock(b *testing.B) {
	var qs []Quantiler
	for i := range 20 {
		d, err := Parse(fmt.Sprintf("pert(%d, %d.5, %d)", i, i+1, i+3))
		if err != nil {
			b.Fatal(err)
		}
		qs = append(qs, Fast(d))
	}
	src := benchUniforms[:1024]
	dst := make([]float64, len(src)*23)
	for b.Loop() {
		for k, q := range qs {
			QuantileSlice(q, dst[k:], 23, src)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)*len(qs)), "ns/val")
}
