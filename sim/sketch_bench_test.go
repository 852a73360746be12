package sim

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSketchAdd is the cost of counting one value of a skewed,
// continuous column (like a month's cumulative cash flow) in a sketch.
func BenchmarkSketchAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 1<<16)
	for i := range x {
		u := r.Float64()
		x[i] = float64(float32(-5e6 + 4e7*u*u))
	}
	sk := newSketch(pilotOf(x[:BlockSize]))
	n := 0
	for b.Loop() {
		sk.AddValues(x[(n%64)*BlockSize : (n%64+1)*BlockSize])
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*BlockSize), "ns/value")
}
