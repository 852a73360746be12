package out

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// simRun simulates the default scenario with the overrides and keeps the outputs.
func simRun(t *testing.T, n int, sets ...model.Set) *Run {
	t.Helper()
	s, err := model.Parse("test.yaml", model.DefaultYAML, sets)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), s, sim.Config{Iterations: n, Seed: 9, Workers: 2, Sampling: "mc", KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	return &Run{Scenario: s, Result: res, Det: model.NewCRM(s).Deterministic(), Version: "test"}
}

func TestComparePair(t *testing.T) {
	a := []float64{5, 1, 3, 3, -2}
	b := []float64{1, 2, 3, 0, -2}
	p, err := ComparePair(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if p.ProbAGreater != 0.4 || p.ProbTie != 0.4 || p.ProbBGreater != 0.2 {
		t.Errorf("shares %v %v %v", p.ProbAGreater, p.ProbTie, p.ProbBGreater)
	}
	// Differences 4, −1, 0, 3, 0: mean 1.2, sample SD √(18.8/4), type-7 percentiles.
	d := p.Diff
	if math.Abs(d.Mean-1.2) > 1e-12 || math.Abs(d.SD-math.Sqrt(18.8/4)) > 1e-12 || math.Abs(d.SE-d.SD/math.Sqrt(5)) > 1e-12 {
		t.Errorf("mean %v sd %v se %v", d.Mean, d.SD, d.SE)
	}
	if d.Min != -1 || d.Max != 4 || math.Abs(d.P5-(-0.8)) > 1e-12 || d.P50 != 0 || math.Abs(d.P95-3.8) > 1e-12 || d.AllZero {
		t.Errorf("diff %+v", d)
	}
	if _, err := ComparePair(a, b[:3]); err == nil {
		t.Error("columns of different lengths compared")
	}
}

// TestComparisonSelfAndOrder checks a run compared with a copy of itself
// (every difference exactly zero) and that a strictly higher fixed benefit
// never loses, with ties exactly where the project is cancelled.
func TestComparisonSelfAndOrder(t *testing.T) {
	lo := simRun(t, 3000, model.Set{Name: "benefits.other_savings", Value: "100e3", N: 1})
	hi := simRun(t, 3000, model.Set{Name: "benefits.other_savings", Value: "120e3", N: 1})
	c, err := NewComparison([]*Run{hi, lo, lo}, []string{"hi", "lo", "lo-2"}, [][]float64{hi.Result.Values[0], lo.Result.Values[0], lo.Result.Values[0]})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Pairs) != 3 || c.Labels[1] == c.Labels[2] {
		t.Fatalf("pairs %d, labels %q", len(c.Pairs), c.Labels)
	}
	self := c.Pairs[2]
	if self.A != 1 || self.B != 2 || !self.Diff.AllZero || self.ProbAGreater != 0 || self.ProbTie != 1 || self.Diff.Mean != 0 || self.Diff.SD != 0 {
		t.Errorf("self pair %+v", self)
	}
	p := c.Pairs[0]
	cancelled := hi.Result.Outcomes[model.Cancelled]
	if p.ProbBGreater != 0 || p.ProbTie != cancelled || p.ProbAGreater != 1-cancelled || p.Diff.Min < 0 {
		t.Errorf("hi vs lo %+v, cancelled %v", p, cancelled)
	}
	var b bytes.Buffer
	if err := WriteComparisonJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if n := len(v["scenarios"].([]any)); n != 3 {
		t.Errorf("%d scenarios in comparison.json", n)
	}
	// The statistics repeated per scenario are those of its summary.json.
	sum, _ := json.Marshal(Summary(hi).Get("metrics"))
	got, _ := json.Marshal(v["scenarios"].([]any)[0].(map[string]any)["metrics"])
	var x, y any
	json.Unmarshal(sum, &x)
	json.Unmarshal(got, &y)
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	if !bytes.Equal(xs, ys) {
		t.Error("comparison.json's metrics differ from summary.json's")
	}
	b.Reset()
	if err := WritePairwiseCSV(&b, c); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[3], "lo,lo-2,0,1,0,0,0,0,0,0,0,0,0") {
		t.Errorf("pairwise.csv:\n%s", b.String())
	}
}

func TestCrossings(t *testing.T) {
	x := []float64{0.1, 0.2, 0.3, 0.4}
	for _, c := range []struct {
		y    []float64
		t    float64
		want []Crossing
	}{
		{[]float64{-3, -1, 1, 3}, 0, []Crossing{{From: 1, To: 2, Value: 0.25, Rising: true}}},
		{[]float64{-3, 0, 1, 3}, 0, []Crossing{{From: 0, To: 1, Value: 0.2, Rising: true}}},
		{[]float64{0.5, 0.3, 0.2, 0.1}, 0.2, []Crossing{{From: 2, To: 3, Value: 0.3, Rising: false}}},
		{[]float64{1, 2, 3, 4}, 0, nil},
		{[]float64{-1, 1, -1, 1}, 0, []Crossing{{0, 1, 0.15, true}, {1, 2, 0.25, false}, {2, 3, 0.35, true}}},
	} {
		got := Crossings(x, c.y, c.t, true)
		if len(got) != len(c.want) {
			t.Errorf("%v: %v, want %v", c.y, got, c.want)
			continue
		}
		for i := range got {
			w := c.want[i]
			if got[i].From != w.From || got[i].To != w.To || got[i].Rising != w.Rising || math.Abs(got[i].Value-w.Value) > 1e-12 {
				t.Errorf("%v: %+v, want %+v", c.y, got[i], w)
			}
		}
	}
	if cs := Crossings([]float64{0, 1}, []float64{-1, 1}, 0, false); len(cs) != 1 || !math.IsNaN(cs[0].Value) {
		t.Errorf("distribution values: %+v", cs)
	}
}

// testSweep simulates a sweep of capacity_gain (and one_off for a grid).
func testSweep(t *testing.T, grid bool) *Sweep {
	t.Helper()
	base, err := model.Parse("test.yaml", model.DefaultYAML, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := SweepAxis{Param: "benefits.capacity_gain", Values: []string{"0.1", "0.2", "0.3"}, X: []float64{0.1, 0.2, 0.3}, Numeric: true}
	b := SweepAxis{Param: "costs.one_off", Values: []string{"2e6", "pert(2e6, 9e6, 30e6)"}, X: []float64{0, 1}}
	sw := &Sweep{Base: base, Axes: []SweepAxis{a}, Risk: 0.25, Version: "test"}
	inner := []string{""}
	if grid {
		sw.Axes = append(sw.Axes, b)
		inner = b.Values
	}
	for _, v := range a.Values {
		for _, w := range inner {
			sets := []model.Set{{Name: a.Param, Value: v, N: 1}, {Name: "costs.it_staff", Value: "700e3", N: 2}}
			if grid {
				sets = append(sets, model.Set{Name: b.Param, Value: w, N: 3})
			}
			sw.Runs = append(sw.Runs, simRun(t, 1500, sets...))
		}
	}
	return sw
}

// TestComparisonAndSweepCharts draws every chart of batch and sweep in both
// languages, and checks every Russian text has a translation.
func TestComparisonAndSweepCharts(t *testing.T) {
	r1 := simRun(t, 2000)
	r2 := simRun(t, 2000, model.Set{Name: "costs.subscription", Value: "0", N: 1}, model.Set{Name: "costs.one_off", Value: "pert(6e6, 9e6, 15e6)", N: 2})
	c, err := NewComparison([]*Run{r1, r2}, []string{"a", "b"}, [][]float64{r1.Result.Values[0], r2.Result.Values[0]})
	if err != nil {
		t.Fatal(err)
	}
	one, grid := testSweep(t, false), testSweep(t, true)
	for _, l := range Langs {
		format := "svg" // PNG once, in Russian: SVG is faster and draws the same
		if l == Russian {
			format = "png"
		}
		charts, err := RenderComparisonCharts(c, l, format)
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != len(ComparisonChartNames) {
			t.Errorf("%d comparison charts", len(charts))
		}
		for _, ch := range charts {
			if format == "png" {
				checkPNG(t, ch.File, ch.Data)
			} else if !bytes.HasPrefix(bytes.TrimSpace(ch.Data), []byte("<?xml")) {
				t.Errorf("%s is not SVG", ch.File)
			}
		}
		for _, sw := range []*Sweep{one, grid} {
			charts, err := RenderSweepCharts(sw, l, "svg")
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range charts {
				if !bytes.HasPrefix(bytes.TrimSpace(ch.Data), []byte("<?xml")) {
					t.Errorf("%s is not SVG", ch.File)
				}
			}
			var b bytes.Buffer
			if err := WriteSweepTable(&b, sw, []string{"/x/sweep.csv"}, l); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := WriteComparisonTable(&b, c, []string{"/x/comparison.csv"}, l); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := SweepMap(grid, English)
	if err != nil {
		t.Fatal(err)
	}
	png, err := ch.PNG()
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "sweep_map.png", png)
	for k := range ruCompareText {
		if _, missing := missingText.Load(k); missing {
			t.Errorf("no Russian for %q", k)
		}
	}
	assertTranslated(t)
}

// TestSweepBreakEvenAndFiles checks the break-even of a grid, per value of
// the second parameter, and the rows of sweep.csv.
func TestSweepBreakEvenAndFiles(t *testing.T) {
	sw := testSweep(t, true)
	be := sw.BreakEvens()
	if len(be) != 2 || be[0].At != 0 || be[1].At != 1 {
		t.Fatalf("break-evens %+v", be)
	}
	for j, b := range be {
		var p50 []float64
		for i := range sw.Axes[0].Values {
			p50 = append(p50, sw.Cell(i, j).Result.Metrics[0].Pct[pctP50])
		}
		want := Crossings(sw.Axes[0].X, p50, 0, true)
		if len(b.NPV) != len(want) || len(want) > 0 && b.NPV[0].Value != want[0].Value {
			t.Errorf("row %d: %+v, want %+v", j, b.NPV, want)
		}
	}
	var buf bytes.Buffer
	if err := WriteSweepCSV(&buf, sw); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "benefits.capacity_gain,costs.one_off,sha256,npv_mean,") ||
		!strings.HasPrefix(lines[2], `0.1,"pert(2e6, 9e6, 30e6)",`) {
		t.Errorf("sweep.csv:\n%s", buf.String())
	}
	if err := WriteSweepJSON(&buf, &Sweep{Base: sw.Base, Axes: sw.Axes, Runs: sw.Runs[:3]}); err == nil {
		t.Error("a sweep with missing cells was written")
	}
}
