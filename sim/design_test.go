package sim

import (
	"context"
	"math"
	"reflect"
	"sort"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestSketchAgainstExact: on the default model's outputs, sketch percentiles
// are within the documented bound of the exact ones, SketchError times their
// distance from the pilot's centre (or the floor), which here is far below
// 0.1 percentile points in rank.
func TestSketchAgainstExact(t *testing.T) {
	s := model.Default()
	res, err := Run(context.Background(), s, Config{Iterations: 50_000, Seed: 5, Workers: 2, KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, name := range res.Outputs {
		col := definedOnly(res.Values[k])
		sk := newSketch(pilotOf(col[:BlockSize]))
		for _, v := range col {
			sk.Add(v)
		}
		sorted := append([]float64(nil), col...)
		sort.Float64s(sorted)
		lo, hi := sorted[0], sorted[len(sorted)-1]
		got := sk.Quantiles(PctLevels, lo, hi)
		want := Quantiles(col, PctLevels)
		for i, p := range PctLevels {
			if math.IsInf(want[i], 0) || math.IsInf(got[i], 0) {
				if got[i] != want[i] {
					t.Errorf("%s p%v: sketch %v, exact %v", name, p*100, got[i], want[i])
				}
				continue
			}
			if d := math.Abs(got[i] - want[i]); d > SketchError*max(math.Abs(want[i]-sk.Centre), sk.Delta)+1e-12 {
				t.Errorf("%s p%v: sketch %v, exact %v (error %.2g)", name, p*100, got[i], want[i], d)
			}
			// Rank error: the share of values below the sketch's answer.
			r := float64(sort.SearchFloat64s(sorted, got[i])) / float64(len(sorted))
			r2 := float64(sort.Search(len(sorted), func(j int) bool { return sorted[j] > got[i] })) / float64(len(sorted))
			if p < r-0.001 || p > r2+0.001 {
				t.Errorf("%s p%v: sketch answer %v has rank [%.4f, %.4f], more than 0.1 points away", name, p*100, got[i], r, r2)
			}
		}
	}
}

// TestSketchModeDeterministic: above the exact limit (lowered here), results
// come from sketches, are the same for any number of workers, and agree with
// the exact results within the sketch's bound (the distance from the pilot's
// centre, plus its floor, times SketchError).
func TestSketchModeDeterministic(t *testing.T) {
	s := model.Default()
	cfg := Config{Iterations: 30_000, Seed: 11}
	cfg.Workers = 2
	cfg.KeepOutputs = true
	exact, err := Run(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.KeepOutputs = false
	defer func(old int) { exactLimit = old }(exactLimit)
	exactLimit = 10_000
	var first *Result
	for _, w := range []int{1, 2, 8} {
		cfg.Workers = w
		r, err := Run(context.Background(), s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Exact {
			t.Fatal("expected sketch mode")
		}
		if first == nil {
			first = r
			continue
		}
		if !reflect.DeepEqual(bitsOf(first), bitsOf(r)) {
			t.Errorf("workers=%d differs in sketch mode", w)
		}
	}
	for k := range exact.Metrics {
		a, b := exact.Metrics[k], first.Metrics[k]
		if a.Mean != b.Mean && math.Abs(a.Mean-b.Mean) > 1e-9*math.Abs(a.Mean) {
			t.Errorf("%s mean: exact %v, sketch mode %v", exact.Outputs[k], a.Mean, b.Mean)
		}
		g := pilotOf(exact.Values[k][:BlockSize])
		c, d := g.Centre, g.Delta
		for i := range a.Pct {
			if a.Pct[i] != b.Pct[i] && math.Abs(a.Pct[i]-b.Pct[i]) > SketchError*(math.Abs(a.Pct[i]-c)+d) {
				t.Errorf("%s p%v: exact %v, sketch %v", exact.Outputs[k], PctLevels[i], a.Pct[i], b.Pct[i])
			}
		}
	}
}

// TestDesignsReduceVariance: over 30 seeds, the standard deviation of the
// mean-NPV estimate is smaller with Latin hypercube and Sobol sampling than
// with plain Monte Carlo at the same N.
func TestDesignsReduceVariance(t *testing.T) {
	if testing.Short() {
		t.Skip("30 seeds × 3 designs")
	}
	s := model.Default()
	sd := map[string]float64{}
	for _, d := range Samplings {
		var means []float64
		for seed := uint64(1); seed <= 30; seed++ {
			r, err := Run(context.Background(), s, Config{Iterations: 4096, Seed: seed, Workers: 2, Sampling: d})
			if err != nil {
				t.Fatal(err)
			}
			means = append(means, r.Metrics[0].Mean)
		}
		m := mean(means)
		ss := 0.0
		for _, v := range means {
			ss += (v - m) * (v - m)
		}
		sd[d] = math.Sqrt(ss / float64(len(means)-1))
	}
	t.Logf("sd of mean NPV over 30 seeds at N=4096: mc %.4g, lhs %.4g (ratio %.2f), sobol %.4g (ratio %.2f)",
		sd["mc"], sd["lhs"], sd["lhs"]/sd["mc"], sd["sobol"], sd["sobol"]/sd["mc"])
	// With 30 seeds an sd is known to about ±13% (1/√(2·29)); require a clear gain.
	for _, d := range []string{"lhs", "sobol"} {
		if sd[d] > 0.8*sd["mc"] {
			t.Errorf("%s: sd %.4g is not clearly below mc's %.4g", d, sd[d], sd["mc"])
		}
	}
}

// TestDesignsCorrelationAndDeterminism: every design gives the requested rank
// correlation within 0.01 at 100,000 iterations and the same result for any
// number of workers.
func TestDesignsCorrelationAndDeterminism(t *testing.T) {
	s := model.Default()
	for _, d := range Samplings {
		var first *Result
		for _, w := range []int{1, 3} {
			r, err := Run(context.Background(), s, Config{Iterations: 100_000, Seed: 2, Workers: w, Sampling: d, KeepSamples: true})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = r
				if got := spearman(inputColumn(r, "costs.overrun"), inputColumn(r, "costs.schedule_slip")); math.Abs(got-0.6) > 0.01 {
					t.Errorf("%s: Spearman %.4f, want 0.6 ± 0.01", d, got)
				}
				continue
			}
			if !reflect.DeepEqual(bitsOf(first), bitsOf(r)) {
				t.Errorf("%s: results depend on the number of workers", d)
			}
		}
	}
}

// TestToleranceStops: a run with a tolerance stops by itself, converged, and
// equals a plain run of the iterations it used.
func TestToleranceStops(t *testing.T) {
	s := model.Default()
	r, err := Run(context.Background(), s, Config{Iterations: 2000, Seed: 4, Workers: 2, Tolerance: 0.02, MaxIterations: 400_000})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Converged
	if c == nil || !c.Converged || c.HalfWidth >= 0.02 || c.Iterations != r.Iterations {
		t.Fatalf("convergence = %+v", c)
	}
	plain, err := Run(context.Background(), s, Config{Iterations: r.Iterations, Seed: 4, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Metrics[0].Mean != r.Metrics[0].Mean || !reflect.DeepEqual(plain.Metrics[0].Pct, r.Metrics[0].Pct) {
		t.Error("a converged run differs from a plain run of the same iterations")
	}
	capped, err := Run(context.Background(), s, Config{Iterations: 1024, Seed: 4, Workers: 2, Tolerance: 1e-6, MaxIterations: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if capped.Converged.Converged || capped.Iterations != 5000 {
		t.Errorf("capped run: %+v, %d iterations", capped.Converged, capped.Iterations)
	}
}

// TestToleranceEqualsPlainRun: a run with a tolerance equals, bit for bit, a
// plain run of the iterations it ended with, whether it ends below the exact
// limit with a cap above it (exact percentiles, as the plain run's), or past
// it (sketches built from the values kept so far, then fed as a plain run's).
func TestToleranceEqualsPlainRun(t *testing.T) {
	defer func(old int) { exactLimit = old }(exactLimit)
	exactLimit = 12_000
	s := model.Default()
	for _, c := range []Config{
		{Iterations: 1000, Tolerance: 0.05, MaxIterations: 10_000_000}, // stops by itself, below the limit
		{Iterations: 1000, Tolerance: 1e-9, MaxIterations: 30_000},     // capped past it
		{Iterations: 1000, Tolerance: 1e-9, MaxIterations: 30_000, KeepOutputs: true},
	} {
		c.Seed, c.Workers = 6, 2
		tol, err := Run(context.Background(), s, c)
		if err != nil {
			t.Fatal(err)
		}
		n := tol.Converged.Iterations
		if c.Tolerance > 0.01 && n > exactLimit || c.Tolerance < 0.01 && n != c.MaxIterations {
			t.Fatalf("the run with a tolerance stopped at %d", n)
		}
		plain, err := Run(context.Background(), s, Config{Iterations: n, Seed: 6, Workers: 3, KeepOutputs: c.KeepOutputs})
		if err != nil {
			t.Fatal(err)
		}
		if plain.Exact != tol.Exact || !reflect.DeepEqual(bitsOf(plain), bitsOf(tol)) {
			t.Errorf("%+v: the run with a tolerance (%d iterations, exact %v) differs from a plain run of as many (exact %v)", c, n, tol.Exact, plain.Exact)
		}
	}
}
