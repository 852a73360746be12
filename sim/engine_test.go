package sim

import (
	"context"
	"math"
	"reflect"
	"sort"
	"testing"

	"github.com/crmroi/crmroi/internal/checks"
	"github.com/crmroi/crmroi/model"
)

type refMetric map[string]float64

type refChecks struct {
	MonteCarlo struct {
		Iterations int                  `json:"iterations"`
		Outcomes   map[string]float64   `json:"outcomes"`
		Metrics    map[string]refMetric `json:"metrics"`
		Bands      []map[string]float64 `json:"bands"`
	} `json:"monte_carlo"`
}

var pctNames = []string{"p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"}

// TestDefaultMonteCarlo compares a 1,000,000-iteration run of the default
// scenario with the independent implementation's figures. Tolerances come from
// the standard errors of both estimates: means within 4 combined standard
// errors; percentiles by rank (the reference value must sit within 4 binomial
// standard errors of its level in our sample), so atoms such as ROI = −1 of
// cancelled projects are handled without a density estimate.
func TestDefaultMonteCarlo(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 iterations; run without -short")
	}
	var ref refChecks
	checks.LoadJSON(t, "default.json", &ref)
	mc := ref.MonteCarlo
	n := 1_000_000
	res, err := Run(context.Background(), model.Default(), Config{Iterations: n, Seed: 1, Workers: 2, KeepSamples: true})
	if err != nil {
		t.Fatal(err)
	}
	nRef := float64(mc.Iterations)
	for k, name := range model.Outputs {
		want, ok := mc.Metrics[name]
		if !ok {
			continue
		}
		got := res.Metrics[k]
		if w, ok := want["mean"]; ok {
			se := math.Sqrt(got.SE*got.SE + want["se_mean"]*want["se_mean"])
			if math.Abs(got.Mean-w) > 4*se {
				t.Errorf("%s mean = %.6g, want %.6g ± %.3g (4 combined se)", name, got.Mean, w, 4*se)
			}
		}
		if w, ok := want["sd"]; ok {
			// se of a sample sd ≈ sd·sqrt((κ−1)/(4n)); κ ≤ 10 here, so sd·sqrt(9/4n) is generous.
			se := w * math.Sqrt(9/(4*float64(n))) * math.Sqrt2
			if math.Abs(got.SD-w) > 4*se {
				t.Errorf("%s sd = %.6g, want %.6g ± %.3g", name, got.SD, w, 4*se)
			}
		}
		sorted := append([]float64(nil), res.Values[k]...)
		sorted = dropNaN(sorted)
		sort.Float64s(sorted)
		for i, p := range PctLevels {
			w, ok := want[pctNames[i]]
			if !ok {
				continue
			}
			lo := float64(sort.SearchFloat64s(sorted, w)) / float64(len(sorted))                                      // share < w
			hi := float64(sort.Search(len(sorted), func(j int) bool { return sorted[j] > w })) / float64(len(sorted)) // share ≤ w
			tol := 4 * math.Sqrt(p*(1-p)/float64(n)+p*(1-p)/nRef)
			if p < lo-tol || p > hi+tol {
				t.Errorf("%s %s: reference %.6g is at rank [%.5f, %.5f] of our sample, want %.2f ± %.5f (ours %.6g)",
					name, pctNames[i], w, lo, hi, p, tol, got.Pct[i])
			}
		}
	}
	shareTol := func(p float64) float64 { return 4 * math.Sqrt(p*(1-p)/float64(n)+p*(1-p)/nRef) }
	checkShare := func(what string, got, want float64) {
		if math.Abs(got-want) > shareTol(want) {
			t.Errorf("%s = %.5f, want %.5f ± %.5f", what, got, want, shareTol(want))
		}
	}
	checkShare("P(npv<0)", res.Prob(0, "prob_negative"), mc.Metrics["npv"]["prob_negative"])
	pb := mc.Metrics["payback_months"]
	for _, key := range []string{"prob_within_12", "prob_within_24", "prob_within_36", "prob_not_reached"} {
		checkShare("payback "+key, res.Prob(4, key), pb[key])
	}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		checkShare("outcome "+o.String(), res.Outcomes[o], mc.Outcomes[o.String()])
	}
	if len(mc.Bands) != len(res.Bands) {
		t.Fatalf("%d bands, want %d", len(res.Bands), len(mc.Bands))
	}
	// Bands: the spread (P95−P5)/3.29 stands in for the sd; a median's se is
	// about 1.25 sd/√n for a smooth density, and we allow twice that for the
	// mixtures here, and 4 of those combined standard errors.
	for i, w := range mc.Bands {
		b := res.Bands[i]
		sd := (w["p95"] - w["p5"]) / 3.29
		seMean := math.Sqrt2 * sd / math.Sqrt(float64(n))
		if math.Abs(b.Mean-w["mean"]) > 4*seMean {
			t.Errorf("band month %d mean = %.6g, want %.6g ± %.3g", b.Month, b.Mean, w["mean"], 4*seMean)
		}
		for j, key := range []string{"p5", "p10", "p25", "p50", "p75", "p90", "p95"} {
			se := 2 * 1.25 * seMean
			if math.Abs(b.Pct[j]-w[key]) > 4*se {
				t.Errorf("band month %d %s = %.6g, want %.6g ± %.3g", b.Month, key, b.Pct[j], w[key], 4*se)
			}
		}
	}
}

func dropNaN(x []float64) []float64 {
	out := x[:0]
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// TestWorkersDeterminism: 1, 2 and 8 workers give identical results, to the bit.
func TestWorkersDeterminism(t *testing.T) {
	s := model.Default()
	n := 20_000 + 17 // a partial last block
	var first *Result
	for _, w := range []int{1, 2, 8} {
		res, err := Run(context.Background(), s, Config{Iterations: n, Seed: 42, Workers: w, KeepSamples: true})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(bitsOf(first), bitsOf(res)) {
			t.Errorf("workers=%d differs from workers=1", w)
		}
	}
}

// bitsOf flattens a result into comparable bits (NaN-safe).
func bitsOf(r *Result) []uint64 {
	var b []uint64
	add := func(v float64) { b = append(b, math.Float64bits(v)) }
	for _, m := range r.Metrics {
		add(m.Mean)
		add(m.SD)
		add(m.Min)
		add(m.Max)
		for _, p := range m.Pct {
			add(p)
		}
	}
	for _, band := range r.Bands {
		add(band.Mean)
		for _, p := range band.Pct {
			add(p)
		}
	}
	for _, col := range r.Values {
		for _, v := range col {
			add(v)
		}
	}
	for _, col := range r.Inputs {
		for _, v := range col {
			add(v)
		}
	}
	return b
}

// TestCommonRandomNumbers: a parameter's draws do not depend on the other
// parameters, so changing one input leaves the others' samples unchanged.
func TestCommonRandomNumbers(t *testing.T) {
	a := model.Default()
	b, err := model.Load("", []model.Set{{Name: "benefits.other_savings", Value: "uniform(1, 2)", N: 1}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Iterations: 3000, Seed: 7, Workers: 2, KeepSamples: true}
	ra, err := Run(context.Background(), a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Run(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for k, name := range ra.InputNames {
		if name == "benefits.other_savings" {
			continue
		}
		if !reflect.DeepEqual(ra.Inputs[k], rb.Inputs[k]) {
			t.Errorf("%s draws changed when another input changed", name)
		}
	}
	for i := range ra.Outcome {
		if ra.Outcome[i] != rb.Outcome[i] {
			t.Fatalf("iteration %d outcome changed", i)
		}
	}
}

// TestCorrelationAchieved: the Gaussian copula gives the requested Spearman rank correlation.
func TestCorrelationAchieved(t *testing.T) {
	s := model.Default()
	res, err := Run(context.Background(), s, Config{Iterations: 100_000, Seed: 3, Workers: 2, KeepSamples: true})
	if err != nil {
		t.Fatal(err)
	}
	got := spearman(inputColumn(res, "costs.overrun"), inputColumn(res, "costs.schedule_slip"))
	// se of Spearman's rho ≈ (1−rho²)/√(n−1)·(1+…); 0.01 is > 4 se here.
	if math.Abs(got-0.6) > 0.01 {
		t.Errorf("Spearman(overrun, schedule_slip) = %.4f, want 0.6 ± 0.01", got)
	}
}

// inputColumn returns the kept values of the uncertain input with this path.
func inputColumn(r *Result, path string) []float64 {
	for k, name := range r.InputNames {
		if name == path {
			return r.Inputs[k]
		}
	}
	return nil
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i, j := range idx {
		r[j] = float64(i)
	}
	return r
}

func spearman(a, b []float64) float64 {
	ra, rb := ranks(a), ranks(b)
	ma, mb := mean(ra), mean(rb)
	var sab, saa, sbb float64
	for i := range ra {
		da, db := ra[i]-ma, rb[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return sab / math.Sqrt(saa*sbb)
}

func TestQuantilesMatchSort(t *testing.T) {
	for _, n := range []int{1, 2, 3, 10, 25, 1000, 4097, 20000, 100003} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)*12.9898) * 43758.5453
			if i%7 == 0 {
				x[i] = 1 // ties
			}
		}
		if n > 5 {
			x[3] = math.Inf(1)
		}
		if n > 10000 {
			for i := 0; i < n/10; i++ {
				x[i*7%n] = -1 // an atom, like ROI = −1 of cancelled projects
			}
			x[5] = math.Inf(-1)
			for i := 0; i < n/50; i++ {
				x[(i*13+1)%n] = math.Inf(1) // "not reached"
			}
		}
		ps := []float64{0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1}
		s := append([]float64(nil), x...)
		sort.Float64s(s)
		got := Quantiles(append([]float64(nil), x...), ps)
		for i, p := range ps {
			h := float64(n-1) * p
			lo := int(math.Floor(h))
			want := s[lo]
			if lo+1 < n && h > float64(lo) && s[lo+1] != s[lo] {
				if math.IsInf(s[lo+1], 1) {
					want = s[lo+1]
				} else {
					want = s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
				}
			}
			if got[i] != want {
				t.Errorf("n=%d p=%v: got %v, want %v", n, p, got[i], want)
			}
		}
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
