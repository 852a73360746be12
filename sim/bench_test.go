package sim

import (
	"context"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// BenchmarkIteration is the cost of one iteration (sampling, copula, model,
// checks, block summary, the bands' sketches) of the default scenario on one
// worker, without the final reduction.
func BenchmarkIteration(b *testing.B) {
	p := prepare(model.Default())
	acc := newAccumulator(p, Config{Iterations: BlockSize, Workers: 1}, BlockSize)
	acc.pilot(1, BlockSize) // the months' sketches' grids, as a run's
	w := acc.worker(0)
	b.ReportAllocs()
	blk := 0
	for b.Loop() {
		if err := p.simBlock(w, blk, 0, BlockSize, 1); err != nil {
			b.Fatal(err)
		}
		acc.add(w, 0, 0, BlockSize)
		blk++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(blk*BlockSize), "ns/iter")
}

// BenchmarkRun1M is a whole 1,000,000-iteration run of the default scenario
// (sampling, model, statistics and bands) on all CPUs.
func BenchmarkRun1M(b *testing.B) {
	s := model.Default()
	for b.Loop() {
		if _, err := Run(context.Background(), s, Config{Iterations: 1_000_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuantiles is the exact selection of the nine report percentiles from 1,000,000 values.
func BenchmarkQuantiles(b *testing.B) {
	x := make([]float64, 1_000_000)
	y := make([]float64, len(x))
	for i := range x {
		x[i] = uniform(mix64(uint64(i)))
	}
	for b.Loop() {
		copy(y, x)
		Quantiles(y, PctLevels)
	}
}

// BenchmarkBandQuantiles is the exact selection of the seven band percentiles
// from one month's 1,000,000 cumulative cash flows (stored as float32).
func BenchmarkBandQuantiles(b *testing.B) {
	x := make([]float32, 1_000_000)
	for i := range x {
		u := uniform(mix64(uint64(i)))
		x[i] = float32(-5e6 + 4e7*u*u)
	}
	for b.Loop() {
		Quantiles(x, BandLevels)
	}
}
