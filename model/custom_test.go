package model

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// withText returns the default scenario's text with old replaced by new (old must occur).
func withText(t *testing.T, old, new string) string {
	t.Helper()
	s := string(DefaultYAML)
	if !strings.Contains(s, old) {
		t.Fatalf("default scenario has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func mustParse(t *testing.T, text string, sets ...Set) *Scenario {
	t.Helper()
	s, err := Parse("test.yaml", []byte(text), sets)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return s
}

// randomDraws returns random inputs of s (every uncertain one drawn from its
// distribution) and random risk draws.
func randomDraws(s *Scenario, rng *rand.Rand) ([]float64, RiskDraws) {
	x := s.PlanValues()
	for _, i := range s.Uncertain() {
		x[i] = s.Inputs[i].Dist.Quantile(0.001 + 0.998*rng.Float64())
	}
	return x, RiskDraws{Outcome: rng.Float64(), CancelMonth: rng.Float64(), AbandonMonth: rng.Float64(), AbandonFactor: rng.Float64()}
}

// TestCustomLineReproducesBuiltin: other_savings × A written as a custom
// benefit, with benefits.other_savings set to 0, gives bit for bit the same
// iteration as the built-in line, in every outcome.
func TestCustomLineReproducesBuiltin(t *testing.T) {
	old := "other_savings: pert(0, 50e3, 300e3)"
	builtin := mustParse(t, withText(t, old, "other_savings: 120e3"))
	custom := mustParse(t, withText(t, old, "other_savings: 0")+
		"\ncustom:\n  - name: Other savings\n    kind: benefit\n    monthly: 120e3 * A\n")
	mb, mc := NewCRM(builtin), NewCRM(custom)
	wb, wc := mb.NewWorkspace(), mc.NewWorkspace()
	H := builtin.Horizon
	cb, cc := make([]float64, H), make([]float64, H)
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[Outcome]int{}
	for i := 0; i < 3000; i++ {
		x, r := randomDraws(builtin, rng)
		a := mb.Eval(x, r, true, wb, cb)
		x[OtherSavings] = 0 // as the custom scenario says
		b := mc.Eval(x, r, true, wc, cc)
		seen[a.Outcome]++
		av, bv := a.Values(), b.Values()
		for k := range av {
			if !sameFigure(av[k], bv[k], 1) {
				t.Fatalf("iteration %d (%s): %s built-in %v, custom %v", i, a.Outcome, Outputs[k], av[k], bv[k])
			}
		}
		for m := range cb {
			if !sameFigure(cb[m], cc[m], maxAbs(cb)) {
				t.Fatalf("iteration %d: Cum_%d %v vs %v", i, m+1, cb[m], cc[m])
			}
		}
	}
	if seen[OK] == 0 || seen[Cancelled] == 0 || seen[Abandoned] == 0 {
		t.Fatalf("not every outcome was tried: %v", seen)
	}
}

// monthlyDelta returns, per month, the cash flow of s with the custom lines
// minus the same scenario without them, for inputs x and risk draws r.
func monthlyDelta(t *testing.T, s *Scenario, x []float64, r RiskDraws) ([]float64, Result) {
	t.Helper()
	plain := *s
	plain.Custom = nil
	H := s.Horizon
	c1, c0 := make([]float64, H), make([]float64, H)
	res := NewCRM(s).Eval(x, r, true, NewCRM(s).NewWorkspace(), c1)
	NewCRM(&plain).Eval(x, r, true, NewCRM(&plain).NewWorkspace(), c0)
	d := make([]float64, H)
	prev := 0.0
	for m := range d {
		d[m] = (c1[m] - c0[m]) - prev
		prev = c1[m] - c0[m]
	}
	return d, res
}

// TestCustomLineMonths checks when benefit and cost lines count and what the
// month variables hold, in each outcome, against model.md written out.
func TestCustomLineMonths(t *testing.T) {
	text := withText(t, "risks:", "custom:\n"+
		"  - {name: probe, kind: benefit, monthly: \"t * 1e6 + live * 1000 + build * 100\"}\n"+
		"  - {name: run cost, kind: cost, monthly: \"1\"}\n"+
		"risks:")
	s := mustParse(t, text)
	x := s.PlanValues()
	m := NewCRM(s)
	g := m.GoLive(x[ScheduleSlip])
	H := s.Horizon
	cases := []struct {
		name string
		r    RiskDraws
	}{
		{"ok", RiskDraws{Outcome: 0.99}},
		{"cancelled", RiskDraws{Outcome: 0.01, CancelMonth: 0.5}},
		{"abandoned", RiskDraws{Outcome: 0.2, AbandonMonth: 0.0, AbandonFactor: 0.5}},
	}
	for _, c := range cases {
		d, res := monthlyDelta(t, s, x, c.r)
		tc := 1 + int(0.5*float64(g))
		ka := 6
		for i, got := range d {
			month := i + 1
			k := month - g
			live, costs := k >= 1, true
			switch c.name {
			case "cancelled":
				live, costs = false, month <= tc
			case "abandoned":
				live, costs = k >= 1 && k <= ka, k <= 12
			}
			want := 0.0
			if live {
				want += float64(month)*1e6 + 1000 // build is 0 in every month where a benefit counts
			}
			if costs {
				want--
			}
			if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("%s (outcome %s): month %d: the lines add %v, want %v", c.name, res.Outcome, month, got, want)
			}
		}
		if res.Outcome.String() != c.name {
			t.Fatalf("draws meant %s gave %s", c.name, res.Outcome)
		}
		_ = H
	}
}

// TestCustomLineVariables: A, S, Rb, k and build in a custom line hold the
// values of model.md in every month.
func TestCustomLineVariables(t *testing.T) {
	base := mustParse(t, string(DefaultYAML))
	x := base.PlanValues()
	g := NewCRM(base).GoLive(x[ScheduleSlip])
	T := x[RampMonths]
	sl := 2 * math.Log(9) / T
	A := func(k int) float64 {
		if k <= 0 {
			return 0
		}
		return x[AdoptionMax] * (1/(1+math.Exp(-sl*(float64(k)-T/2))) - 0.1) / 0.9
	}
	for _, c := range []struct {
		expr string
		want func(month int) float64 // the cost line's value where costs run (every month, outcome ok)
	}{
		{"A", func(m int) float64 { return A(m - g) }},
		{"S", func(m int) float64 { return A(m - g - base.SalesLag) }},
		{"Rb / 1e6", func(m int) float64 { return x[Revenue] * math.Pow(1+x[Growth], float64(m-1)/12) / 1e6 }},
		{"k", func(m int) float64 { return float64(m - g) }},
		{"build", func(m int) float64 { return b2f(m <= g) }},
		{"company.margin * t + costs.support / 1e5", func(m int) float64 { return x[Margin]*float64(m) + x[Support]/1e5 }},
	} {
		s := mustParse(t, withText(t, "risks:", "custom:\n  - {name: probe, kind: cost, monthly: \""+c.expr+"\"}\nrisks:"))
		d, _ := monthlyDelta(t, s, x, RiskDraws{Outcome: 0.99})
		for i, got := range d {
			// The model advances the logistic by a recurrence: 1e-8 relative.
			if want := -c.want(i + 1); math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
				t.Errorf("%s in month %d: %v, want %v", c.expr, i+1, -got, -want)
			}
		}
	}
}

// TestCustomLineNonFinite: a line that is not a finite number makes the
// iteration's NPV NaN and the evaluator names the line and the month.
func TestCustomLineNonFinite(t *testing.T) {
	s := mustParse(t, withText(t, "risks:", "custom:\n  - name: Bad line\n    kind: benefit\n    monthly: log(A - 0.2)\nrisks:"))
	m := Compile(s)
	ev := m.NewEvaluator()
	out := make([]float64, len(m.Outputs()))
	ev.Eval(s.PlanValues(), RiskDraws{Outcome: 0.99}, true, out, nil)
	if !math.IsNaN(out[0]) {
		t.Fatalf("npv %v, want NaN", out[0])
	}
	msg, v := ev.(NonFiniteReporter).NonFinite()
	if !math.IsNaN(v) || !strings.Contains(msg, `"Bad line"`) || !strings.Contains(msg, "month") || !strings.Contains(msg, "test.yaml:") {
		t.Errorf("NonFinite() = %q", msg)
	}
	// In the plan case, Analyze reports it.
	_, err := Analyze(s, m)
	var nf *NonFiniteError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "plan case") || !strings.Contains(err.Error(), "Bad line") {
		t.Errorf("Analyze: %v", err)
	}
	// An iteration without the fault reports nothing.
	good := mustParse(t, withText(t, "risks:", "custom:\n  - {name: Fine, kind: benefit, monthly: A}\nrisks:"))
	ev = Compile(good).NewEvaluator()
	ev.Eval(good.PlanValues(), RiskDraws{Outcome: 0.99}, true, out, nil)
	if msg, _ := ev.(NonFiniteReporter).NonFinite(); msg != "" || math.IsNaN(out[0]) {
		t.Errorf("fine line: %q, npv %v", msg, out[0])
	}
}

// TestCustomNoAlloc: an iteration with custom lines allocates nothing.
func TestCustomNoAlloc(t *testing.T) {
	s := mustParse(t, withText(t, "risks:", "custom:\n  - {name: a, kind: benefit, monthly: \"A * 1e5 + (k > 6 ? 1e4 : 0)\"}\n  - {name: b, kind: cost, monthly: \"build * 1e4\"}\nrisks:"))
	ev := Compile(s).NewEvaluator()
	x := s.PlanValues()
	out := make([]float64, 8)
	cum := make([]float64, s.Horizon)
	if a := testing.AllocsPerRun(200, func() { ev.Eval(x, RiskDraws{Outcome: 0.99}, true, out, cum) }); a != 0 {
		t.Errorf("%v allocations per iteration", a)
	}
}

// TestExtraInputs: inputs are appended after the built-ins with their bare
// names, usable in correlations and in --set, and change the hash.
func TestExtraInputs(t *testing.T) {
	text := withText(t, "risks:", "inputs:\n  assortment_gain: pert(0.1, 0.3, 0.5)\n  fixed_one: 2\n"+
		"custom:\n  - {name: Assortment, kind: benefit, monthly: assortment_gain * 400e3 * A * fixed_one}\nrisks:")
	text = strings.Replace(text, "[costs.overrun, costs.schedule_slip, 0.6]", "[costs.overrun, costs.schedule_slip, 0.6]\n  - [assortment_gain, benefits.capacity_gain, 0.4]", 1)
	s := mustParse(t, text)
	if len(s.Inputs) != NumBuiltin+2 || s.Inputs[NumBuiltin].Path != "assortment_gain" || s.Inputs[NumBuiltin+1].Path != "fixed_one" {
		t.Fatalf("inputs: %+v", s.Inputs[NumBuiltin:])
	}
	if len(s.Correlations) != 2 || s.Correlations[1].I != NumBuiltin {
		t.Fatalf("correlations: %+v", s.Correlations)
	}
	unc := s.Uncertain()
	if unc[len(unc)-1] != NumBuiltin {
		t.Errorf("the extra uncertain input is not in Uncertain: %v", unc)
	}
	set, err := ParseSet("assortment_gain=triangular(0.2, 0.25, 0.3)", 1)
	if err != nil {
		t.Fatal(err)
	}
	s2 := mustParse(t, text, set)
	if got := s2.Inputs[NumBuiltin].Dist.Plan(); got != 0.25 {
		t.Errorf("--set assortment_gain: %v", got)
	}
	if s.SHA256() == s2.SHA256() {
		t.Error("the hash does not change with an extra input")
	}
	s3 := mustParse(t, strings.Replace(text, "A * fixed_one", "A * fixed_one * 2", 1))
	if s3.SHA256() == s.SHA256() {
		t.Error("the hash does not change with a custom line")
	}
	d, err := Analyze(s, Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range d.Tornado {
		found = found || r.Input == "assortment_gain" && r.NPVHigh > r.NPVLow
	}
	if !found {
		t.Error("assortment_gain is not in the tornado, or does not raise NPV")
	}
}

// TestDefaultScenarioHashUnchanged: a scenario without the new sections
// hashes as before them (the canonical text gained no line).
func TestDefaultScenarioHashUnchanged(t *testing.T) {
	c := Default().Canonical()
	for _, word := range []string{"custom", "model:", "output"} {
		if strings.Contains(c, word) {
			t.Errorf("canonical text of the default scenario mentions %q", word)
		}
	}
}

// sameFigure reports whether a built-in figure a and the custom line's b
// agree: bit for bit, or, where the compiler fuses multiply-adds
// (GOAMD64=v3), within a few roundings of the month's magnitude.
func sameFigure(a, b, scale float64) bool {
	if !fusedMultiplyAdd {
		return math.Float64bits(a) == math.Float64bits(b)
	}
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.Float64bits(a) == math.Float64bits(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(scale, math.Max(math.Abs(a), math.Abs(b)))
}

// maxAbs is the largest |v| of v (0 for none).
func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
