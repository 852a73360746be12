package sim

import (
	"context"
	"math"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// near reports whether a and b agree within tol, relative to the larger
// magnitude (or absolutely below 1); equal infinities and NaNs agree.
func near(a, b, tol float64) bool {
	if a == b || a != a && b != b {
		return true
	}
	return math.Abs(a-b) <= tol*max(1, math.Abs(a), math.Abs(b))
}

// TestWeightedEqualWeights: with every weight 1 (actuals without a value)
// the weighted statistics, thresholds, outcomes and bands equal the
// unweighted ones within 1e-9 (the bands' means within 1.2e-7: the weighted
// one sums the months' values as kept, rounded to float32, whose relative
// error is at most 6e-8; the bands' percentiles within the sketch's
// BandError), and the ESS is the iteration count.
func TestWeightedEqualWeights(t *testing.T) {
	s := model.Default()
	tm, err := model.NewTrack(s, &model.Actuals{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := RunWeighted(context.Background(), s, tm, Config{Iterations: 5000, Seed: 3, Workers: 2, LogWeight: model.LogWeightOutput}, false)
	if err != nil {
		t.Fatal(err)
	}
	if u.ESS != 5000 {
		t.Errorf("ESS = %v, want 5000", u.ESS)
	}
	pr, po := u.Prior, u.Posterior
	if len(po.Outputs) != len(pr.Outputs)-1 {
		t.Fatalf("posterior outputs %v", po.Outputs)
	}
	for k := range po.Outputs {
		a, b := pr.Metrics[k], po.Metrics[k]
		for _, c := range [][2]float64{{a.Mean, b.Mean}, {a.SD, b.SD}, {a.SE, b.SE}, {a.Min, b.Min}, {a.Max, b.Max}, {float64(a.N), float64(b.N)}} {
			if !near(c[0], c[1], 1e-9) {
				t.Errorf("%s: weighted %v, unweighted %v", po.Outputs[k], c[1], c[0])
			}
		}
		for i := range a.Pct {
			if !near(a.Pct[i], b.Pct[i], 1e-9) {
				t.Errorf("%s P%g: weighted %v, unweighted %v", po.Outputs[k], PctLevels[i]*100, b.Pct[i], a.Pct[i])
			}
		}
		for j := range pr.Probs[k] {
			if !near(pr.Probs[k][j], po.Probs[k][j], 1e-12) {
				t.Errorf("%s threshold %d: %v vs %v", po.Outputs[k], j, po.Probs[k][j], pr.Probs[k][j])
			}
		}
		for i, v := range po.Values[k] { // the resample of equal weights is the sample
			if w := pr.Values[k][i]; v != w && !(v != v && w != w) {
				t.Fatalf("%s value %d resampled as %v, want %v", po.Outputs[k], i, v, w)
			}
		}
	}
	for o := range pr.Outcomes {
		if !near(pr.Outcomes[o], po.Outcomes[o], 1e-12) {
			t.Errorf("outcome %d: %v vs %v", o, po.Outcomes[o], pr.Outcomes[o])
		}
	}
	for m := range pr.Bands {
		// The weighted mean sums the kept float32 values, run's the float64 ones.
		if !near(pr.Bands[m].Mean, po.Bands[m].Mean, 1.2e-7) {
			t.Errorf("month %d mean %v vs %v", m+1, po.Bands[m].Mean, pr.Bands[m].Mean)
		}
		// The weighted bands are exact; run's come from the month's sketch
		// (BandError of the distance from its centre, or of its floor,
		// doubled to cover the distance of the neighbouring order statistic).
		sk := &u.final.sketches[len(u.final.p.outs)+m]
		for i := range pr.Bands[m].Pct {
			q := po.Bands[m].Pct[i]
			if bound := 2 * BandError * max(math.Abs(q-sk.Centre), sk.Delta); !(math.Abs(pr.Bands[m].Pct[i]-q) <= bound) {
				t.Errorf("month %d band %d: %v vs %v, beyond %v", m+1, i, q, pr.Bands[m].Pct[i], bound)
			}
		}
	}
	for _, in := range u.Inputs {
		if in.Prior != in.Updated {
			t.Errorf("%s: prior %+v, updated %+v", in.Name, in.Prior, in.Updated)
		}
	}
}

// TestWeightedQuantiles checks the weighted type 7 on a small case by hand:
// values 1, 2, 3 with weights 1, 2, 1 stand at 0, 1, 3 of W − w_last = 3.
func TestWeightedQuantiles(t *testing.T) {
	q := weightedQuantiles([]float64{3, 1, 2}, []float64{1, 1, 2}, []float64{0, 0.5, 1, 1.0 / 6})
	want := []float64{1, 2.25, 3, 1.5}
	for i := range q {
		if math.Abs(q[i]-want[i]) > 1e-12 {
			t.Errorf("q[%d] = %v, want %v", i, q[i], want[i])
		}
	}
}
