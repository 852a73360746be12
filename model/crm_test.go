package model

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// refEval is model.md section 2 written out literally (see refFlows), as an
// independent check of Eval's risk branches: the NPV and Cum_t.
func refEval(s *Scenario, x []float64, o Outcome, tc, ka int, factor float64) (npv float64, cum []float64) {
	r := refFlows(s, x, o, tc, ka, factor)
	return r.npv, r.cum
}

func TestEvalMatchesLiteralFormulas(t *testing.T) {
	s := Default()
	m := NewCRM(s)
	ws := m.NewWorkspace()
	x := s.PlanValues()
	g := m.GoLive(x[ScheduleSlip])
	cases := []struct {
		name   string
		r      RiskDraws
		o      Outcome
		tc, ka int
		f      float64
	}{
		{"ok", RiskDraws{Outcome: 0.99}, OK, 0, 0, 1},
		{"cancelled first month", RiskDraws{Outcome: 0.01, CancelMonth: 0}, Cancelled, 1, 0, 1},
		{"cancelled last build month", RiskDraws{Outcome: 0.01, CancelMonth: 0.999}, Cancelled, g, 0, 1},
		{"abandoned at 6", RiskDraws{Outcome: 0.11, AbandonMonth: 0, AbandonFactor: 0}, Abandoned, 0, 6, 0.1},
		{"abandoned at 13", RiskDraws{Outcome: 0.11, AbandonMonth: 7.5 / 13, AbandonFactor: 1}, Abandoned, 0, 13, 0.4},
		{"abandoned at 18", RiskDraws{Outcome: 0.2, AbandonMonth: 0.9999, AbandonFactor: 0.5}, Abandoned, 0, 18, 0.25},
	}
	for _, c := range cases {
		cum := make([]float64, s.Horizon)
		got := m.Eval(x, c.r, true, ws, cum)
		if got.Outcome != c.o {
			t.Fatalf("%s: outcome %v, want %v", c.name, got.Outcome, c.o)
		}
		npv, wantCum := refEval(s, x, c.o, c.tc, c.ka, c.f)
		if !relClose(got.NPV, npv, 1e-9) {
			t.Errorf("%s: npv %.12g, want %.12g", c.name, got.NPV, npv)
		}
		for i := range cum {
			if math.Abs(cum[i]-wantCum[i]) > 1e-9*math.Max(1, math.Abs(wantCum[i])) {
				t.Errorf("%s: cum[%d] %.12g, want %.12g", c.name, i+1, cum[i], wantCum[i])
				break
			}
		}
		if c.o == Cancelled {
			if !relClose(got.ROI, -1, 1e-12) || got.RevenueUplift != 0 || !math.IsInf(got.Payback, 1) {
				t.Errorf("%s: roi %v uplift %v payback %v", c.name, got.ROI, got.RevenueUplift, got.Payback)
			}
		}
	}
}

func TestEvalDoesNotAllocate(t *testing.T) {
	s := Default()
	m := NewCRM(s)
	ws := m.NewWorkspace()
	x := s.PlanValues()
	cum := make([]float64, s.Horizon)
	allocs := testing.AllocsPerRun(100, func() {
		m.Eval(x, RiskDraws{Outcome: 0.5}, true, ws, cum)
	})
	if allocs != 0 {
		t.Errorf("Eval allocates %v times per call", allocs)
	}
}

func TestPaybackAndPeakEdgeCases(t *testing.T) {
	// A project that pays from month 1 (no costs, fixed benefit) has payback 0
	// and no peak funding; IRR is undefined (no sign change).
	s, err := Parse("free.yaml", []byte(`
horizon_months: 12
implementation_months: 0
seats: 0
company: {revenue: 1e6, sales_payroll: 1e5, growth: 0, margin: 0.2, bonus_rate: 0, repeat_share: 0.5, churn: 0.2}
benefits: {conversion_uplift: 0, capacity_gain: 0, capacity_to_sales: 0, savings_realization: 0, churn_reduction: 0, other_savings: 1000, golive_dip: 0}
adoption: {max: 1, ramp_months: 1}
costs: {one_off: 0, overrun: 1, schedule_slip: 1, subscription: 0, support: 0, it_staff: 0}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := NewCRM(s).Plan()
	if p.Payback != 0 || p.PeakFunding != 0 || !math.IsNaN(p.ROI) || !math.IsNaN(p.IRR) {
		t.Errorf("plan = %+v", p)
	}
	if len(s.Warnings) == 0 {
		t.Error("no warning for an absent risks section")
	}
}

// BenchmarkEval is one iteration of the default scenario's model (both
// month passes and the IRR) on inputs drawn from its distributions, with
// every outcome in its usual share.
func BenchmarkEval(b *testing.B) {
	s := Default()
	m := NewCRM(s)
	ws := m.NewWorkspace()
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 1024
	xs := make([][]float64, n)
	rs := make([]RiskDraws, n)
	for i := range xs {
		xs[i], rs[i] = randomDraws(s, rng)
	}
	cum := make([]float64, s.Horizon)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Eval(xs[i%n], rs[i%n], true, ws, cum)
	}
}

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }

// TestIRRAgainstBrent: the fast paths (dominant-term signs, Halley) give the
// same IRR as Brent's method on the whole interval, on many random flows.
func TestIRRAgainstBrent(t *testing.T) {
	s := Default()
	m := NewCRM(s)
	ws := m.NewWorkspace()
	x := s.PlanValues()
	checked := 0
	for i := 0; i < 2000; i++ {
		u := func(k int) float64 { return math.Mod(float64(i*7919+k*104729)*0.6180339887, 1) }
		for j, in := range s.Inputs {
			if !in.Dist.Fixed() {
				x[j] = in.Dist.Quantile(0.02 + 0.96*u(j))
			}
		}
		m.Eval(x, RiskDraws{Outcome: u(90), CancelMonth: u(91), AbandonMonth: u(92), AbandonFactor: u(93)}, true, ws, nil)
		cf := ws.cf
		got := irrMonthly(cf, 0.05)
		if g2 := irrMonthly(cf, 0.3); math.IsNaN(got) != math.IsNaN(g2) || !math.IsNaN(got) && math.Abs(got-g2) > 1e-12*math.Max(1, math.Abs(got)) {
			t.Fatalf("flow %d: the IRR depends on the start: %v and %v", i, got, g2)
		}
		fa, fb := npvAt(cf, irrLo), npvAt(cf, irrHi)
		want := math.NaN()
		if (fa > 0) != (fb > 0) {
			want = brent(cf, irrLo, irrHi, fa, fb)
		}
		if math.IsNaN(got) != math.IsNaN(want) || !math.IsNaN(got) && math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Fatalf("flow %d: irr %v, Brent %v; cf %v", i, got, want, cf)
		}
		if !math.IsNaN(got) {
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d flows had an IRR", checked)
	}
}

// TestIRRZeroFlow: an all-zero cash flow (every project cancelled before it
// costs anything) has no IRR: every rate is a root, so it is undefined, as
// model.md says of a sum that does not change sign, not −100%.
func TestIRRZeroFlow(t *testing.T) {
	for _, cf := range [][]float64{{0}, make([]float64, 36), {0, 0, -0}} {
		if x := irrMonthly(cf, 0.01); !math.IsNaN(x) {
			t.Errorf("irr of %v = %v, want NaN", cf, x)
		}
	}
	if x := irrMonthly([]float64{-1, 0, 2}, 0.01); math.IsNaN(x) {
		t.Error("a flow with a sign change has no IRR")
	}
	s, err := Parse("zero.yaml", []byte(`
horizon_months: 12
implementation_months: 2
seats: 10
company: {revenue: 1e6, sales_payroll: 1e5, growth: 0, margin: 0.2, bonus_rate: 0, repeat_share: 0.5, churn: 0.2}
benefits: {conversion_uplift: 0.01, capacity_gain: 0, capacity_to_sales: 0, savings_realization: 0, churn_reduction: 0, other_savings: 0, golive_dip: 0}
adoption: {max: 1, ramp_months: 1}
costs: {one_off: 0, overrun: 1, schedule_slip: 1, subscription: 0, support: 0, it_staff: 0}
risks: {cancel: 1, abandon: 0}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewCRM(s)
	ws := m.NewWorkspace()
	cum := make([]float64, s.Horizon)
	for _, u := range []float64{0.01, 0.5, 0.99} {
		r := m.Eval(s.PlanValues(), RiskDraws{Outcome: u, CancelMonth: u}, true, ws, cum)
		if r.Outcome != Cancelled || !math.IsNaN(r.IRR) || r.NPV != 0 {
			t.Errorf("cancelled at no cost: %+v, want IRR undefined", r)
		}
	}
}
