package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// gateState is what stop_if sees, computed literally by refGate.
type gateState struct{ A, S, benefit, cost, cum, uplift, t, threshold float64 }

// refGate is model.md section 7 written out on refFlows (or, with a
// finance: section, refFinanceAt): the outcome from the risk draws, the
// iteration without the gate, the state at the end of run month m by the
// literal formulas, rule on it, and where it holds the iteration again as
// an abandonment at ka = m with the drawn adoption factor.
func refGate(s *Scenario, x []float64, r RiskDraws, rule func(gateState) bool) (npv, without float64, cum []float64, o Outcome, alive, stopped bool) {
	g := int(math.Max(1, math.Floor(s.ImplementationMonths*x[ScheduleSlip]+0.5)))
	tc, ka, factor := 0, 0, 1.0
	switch {
	case r.Outcome < s.Risks.Cancel:
		o, tc = Cancelled, min(g, 1+int(r.CancelMonth*float64(g)))
	case r.Outcome < s.Risks.Cancel+(1-s.Risks.Cancel)*s.Risks.Abandon:
		o, ka, factor = Abandoned, min(18, 6+int(r.AbandonMonth*13)), 0.1+0.3*r.AbandonFactor
	}
	flows := func(o Outcome, tc, ka int) (float64, []float64) {
		if s.Finance != nil {
			npv, _, _, _, cum, _ := refFinanceAt(s, x, o, tc, ka, factor)
			return npv, cum
		}
		f := refFlows(s, x, o, tc, ka, factor)
		return f.npv, f.cum
	}
	base := refFlows(s, x, o, tc, ka, factor)
	without, cum = flows(o, tc, ka)
	npv = without
	m := s.Gate.RunMonth
	t := g + m
	alive = t <= s.Horizon && o != Cancelled && (o != Abandoned || ka >= m)
	if !alive {
		return npv, without, cum, o, false, false
	}
	T := x[RampMonths]
	A := func(k int) float64 {
		if k <= 0 {
			return 0
		}
		L := 1 / (1 + math.Exp(-2*math.Log(9)/T*(float64(k)-T/2)))
		return x[AdoptionMax] * factor * (L - 0.1) / 0.9
	}
	var num, den float64
	for j := g; j < t; j++ {
		num += base.dr[j]
		den += base.rb[j]
	}
	st := gateState{A: A(m), S: A(m - s.SalesLag), benefit: base.ben[t-1], cost: base.cost[t-1], cum: cum[t-1],
		uplift: num / den, t: float64(t), threshold: s.Gate.Threshold}
	if !rule(st) {
		return npv, without, cum, o, true, false
	}
	npv, cum = flows(Abandoned, 0, m)
	return npv, without, cum, Abandoned, true, true
}

// TestGateAgainstLiteral: on random inputs and risk draws, Eval with a gate
// matches refGate in every output it gives (the npv with and without the
// gate, whether it stopped, the outcome, Cum_t), for rules over each of
// the gate's variables, run months before and after the abandonments'
// (6..18), short horizons where run month m is often beyond the horizon,
// "true" (every iteration alive at m stops) and a finance: section with
// capitalisation (the remaining book value written off).
func TestGateAgainstLiteral(t *testing.T) {
	fin := "\nfinance:\n  profit_tax: 0.25\n  capitalized_share: 0.8\n  depreciation_months: 24\n  nonrecoverable_vat: 0.2\n"
	cases := []struct {
		name, old, new, gate string
		rule                 func(st gateState) bool
	}{
		{"A", "", "", "run_month: 6\n  stop_if: A < 0.45", func(st gateState) bool { return st.A < 0.45 }},
		{"S threshold", "", "", "run_month: 9\n  threshold: 0.5\n  stop_if: S < threshold", func(st gateState) bool { return st.S < 0.5 }},
		{"cum and uplift", "", "", "run_month: 4\n  stop_if: cum < -3e6 and uplift < 0.05", func(st gateState) bool { return st.cum < -3e6 && st.uplift < 0.05 }},
		{"benefit cost", "sales_lag_months: 1", "sales_lag_months: 0", "run_month: 2\n  stop_if: benefit < cost * 3", func(st gateState) bool { return st.benefit < st.cost*3 }},
		{"t", "", "", "run_month: 3\n  stop_if: t > 8", func(st gateState) bool { return st.t > 8 }},
		{"parameter", "", "", "run_month: 12\n  stop_if: A < adoption.max * 0.5 or costs.overrun > 1.6", func(st gateState) bool { return false }},
		{"true m=12", "abandon: 0.15", "abandon: 0.6", "run_month: 12\n  stop_if: \"true\"", func(gateState) bool { return true }},
		{"true m=1", "", "", "run_month: 1\n  stop_if: \"true\"", func(gateState) bool { return true }},
		{"short horizon", "horizon_months: 36", "horizon_months: 9", "run_month: 4\n  stop_if: A < 0.6", func(st gateState) bool { return st.A < 0.6 }},
		{"finance", "", "", "run_month: 7\n  stop_if: A < 0.5 or cum < -6e6", func(st gateState) bool { return st.A < 0.5 || st.cum < -6e6 }},
	}
	rng := rand.New(rand.NewPCG(22, 2))
	for _, c := range cases {
		text := string(DefaultYAML)
		if c.old != "" {
			text = withText(t, c.old, c.new)
		}
		if c.name == "finance" {
			text += fin
		}
		s := mustParse(t, text+"\ngate:\n  "+c.gate+"\n")
		rule := c.rule
		if c.name == "parameter" {
			rule = func(st gateState) bool { return false } // set per draw below
		}
		m := NewCRM(s)
		ws := m.NewWorkspace()
		cum := make([]float64, s.Horizon)
		var stopped, kept, dead int
		for i := 0; i < 3000; i++ {
			x, r := randomDraws(s, rng)
			if c.name == "parameter" {
				maxA, overrun := x[AdoptionMax], x[Overrun]
				rule = func(st gateState) bool { return st.A < maxA*0.5 || overrun > 1.6 }
			}
			got := m.Eval(x, r, true, ws, cum)
			npv, without, wantCum, o, alive, stop := refGate(s, x, r, rule)
			switch {
			case stop:
				stopped++
			case alive:
				kept++
			default:
				dead++
			}
			scale := math.Abs(without) + math.Abs(npv) + 1e6
			if got.Outcome != o || got.StoppedAtGate != b2f(stop) {
				t.Fatalf("%s, draw %d: outcome %v stopped %v, want %v %v", c.name, i, got.Outcome, got.StoppedAtGate, o, stop)
			}
			if math.Abs(got.NPV-npv) > 1e-11*scale || math.Abs(got.NPVWithoutGate-without) > 1e-11*scale {
				t.Fatalf("%s, draw %d (%v, stopped %v): npv %.15g without %.15g, want %.15g %.15g", c.name, i, o, stop, got.NPV, got.NPVWithoutGate, npv, without)
			}
			if got.GateValue != got.NPV-got.NPVWithoutGate {
				t.Fatalf("%s, draw %d: gate value %v is not npv − npv without the gate", c.name, i, got.GateValue)
			}
			if !stop && got.NPV != got.NPVWithoutGate {
				t.Fatalf("%s, draw %d: not stopped, but npv %v differs from npv without the gate %v", c.name, i, got.NPV, got.NPVWithoutGate)
			}
			for j := range cum {
				if math.Abs(cum[j]-wantCum[j]) > 1e-11*scale {
					t.Fatalf("%s, draw %d: cum[%d] = %.15g, want %.15g", c.name, i, j+1, cum[j], wantCum[j])
				}
			}
		}
		if strings.HasPrefix(c.name, "true") && kept != 0 {
			t.Errorf("%s: %d iterations alive at run month m were not stopped", c.name, kept)
		}
		if stopped < 50 || (!strings.HasPrefix(c.name, "true") && kept < 50) {
			t.Errorf("%s: %d stopped, %d alive and kept, %d not gated: the case tests too little", c.name, stopped, kept, dead)
		}
	}
}

// TestGateFalseChangesNothing: with stop_if false (constant) or never true
// (A > 2), every output, outcome and Cum_t of every iteration is bit for bit
// that of the scenario without a gate, the gate value is 0 and nothing stops.
func TestGateFalseChangesNothing(t *testing.T) {
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	for _, extra := range []string{"", "\nfinance:\n  profit_tax: 0.2\n  capitalized_share: 0.5\n"} {
		plain := mustParse(t, string(DefaultYAML)+extra)
		mp := NewCRM(plain)
		wp, cp := mp.NewWorkspace(), make([]float64, plain.Horizon)
		for _, rule := range []string{`"false"`, "A > 2"} {
			s := mustParse(t, string(DefaultYAML)+extra+"\ngate:\n  run_month: 3\n  stop_if: "+rule+"\n")
			m := NewCRM(s)
			ws, c := m.NewWorkspace(), make([]float64, s.Horizon)
			rng := rand.New(rand.NewPCG(9, 9))
			for i := 0; i < 2000; i++ {
				x, r := randomDraws(s, rng)
				got := m.Eval(x, r, true, ws, c)
				want := mp.Eval(x[:len(plain.Inputs)], r, true, wp, cp)
				gv, wv := m.OutputValues(got), mp.OutputValues(want)
				for k := range wv {
					if !same(gv[k], wv[k]) {
						t.Fatalf("%s: draw %d output %s = %v, without a gate %v", rule, i, m.Outputs()[k].Name, gv[k], wv[k])
					}
				}
				if got.Outcome != want.Outcome || got.GateValue != 0 || got.StoppedAtGate != 0 || !same(got.NPVWithoutGate, want.NPV) {
					t.Fatalf("%s: draw %d: outcome %v gate value %v stopped %v", rule, i, got.Outcome, got.GateValue, got.StoppedAtGate)
				}
				for j := range c {
					if !same(c[j], cp[j]) {
						t.Fatalf("%s: draw %d cum[%d] %v, without a gate %v", rule, i, j+1, c[j], cp[j])
					}
				}
			}
		}
	}
}

// TestGateEvalBlockMatchesEval: with a gate, EvalBlock gives Eval's outputs
// (the gate's included), outcomes and Cum_t bit for bit, and Eval does not
// allocate.
func TestGateEvalBlockMatchesEval(t *testing.T) {
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	s := mustParse(t, string(DefaultYAML)+"\ngate:\n  run_month: 6\n  threshold: 0.5\n  stop_if: A < threshold\n")
	m := NewCRM(s)
	be := m.NewEvaluator().(BlockEvaluator)
	const n = 64
	stride, h, no := len(s.Inputs), s.Horizon, len(m.Outputs())
	if no != len(crmOutputs)+3 {
		t.Fatalf("%d outputs with a gate", no)
	}
	rng := rand.New(rand.NewPCG(5, 22))
	var rows []float64
	var risk [4][]float64
	draws := make([]RiskDraws, n)
	for i := range n {
		x, r := randomDraws(s, rng)
		rows = append(rows, x...)
		draws[i] = r
		risk[0], risk[1] = append(risk[0], r.Outcome), append(risk[1], r.CancelMonth)
		risk[2], risk[3] = append(risk[2], r.AbandonMonth), append(risk[3], r.AbandonFactor)
	}
	outs := make([][]float64, no)
	for k := range outs {
		outs[k] = make([]float64, n)
	}
	outc, cum := make([]Outcome, n), make([]float64, n*h)
	be.EvalBlock(n, rows, stride, risk, outs, outc, cum)
	ev, out, c := m.NewEvaluator(), make([]float64, no), make([]float64, h)
	stopped := 0
	for i := range n {
		o := ev.Eval(rows[i*stride:(i+1)*stride], draws[i], true, out, c)
		for k := range out {
			if !same(outs[k][i], out[k]) {
				t.Fatalf("iteration %d output %s = %v, Eval %v", i, m.Outputs()[k].Name, outs[k][i], out[k])
			}
		}
		if outc[i] != o {
			t.Fatalf("iteration %d outcome %v, Eval %v", i, outc[i], o)
		}
		for j := range c {
			if !same(cum[i*h+j], c[j]) {
				t.Fatalf("iteration %d month %d cum differs", i, j+1)
			}
		}
		stopped += int(out[no-1])
	}
	if stopped == 0 || stopped == n {
		t.Errorf("%d of %d stopped: the test tests too little", stopped, n)
	}
	ws := m.NewWorkspace()
	x := s.PlanValues()
	if a := testing.AllocsPerRun(100, func() { m.Eval(x, draws[0], true, ws, c) }); a != 0 {
		t.Errorf("Eval with a gate allocates %v times", a)
	}
}

// TestGateErrors: mistakes in the gate: section are errors at their place
// (file:line:col, the expression's column), with the parameter path and a
// suggestion where one is near.
func TestGateErrors(t *testing.T) {
	for _, c := range []struct{ gate, want string }{
		{"gate:\n  run_month: 3\n  stop_if: Adoption < 0.3\n", "test.yaml:3:12: gate.stop_if: unknown variable Adoption"},
		{"gate:\n  run_month: 3\n  stop_if: cumm < 0\n", "test.yaml:3:12: gate.stop_if: unknown variable cumm (did you mean cum?)"},
		{"gate:\n  run_month: 3\n  stop_if: \"A < 0.3 and adoption.maxx > 0\"\n", "test.yaml:3:25: gate.stop_if: unknown variable adoption.maxx (did you mean adoption.max?)"},
		{"gate:\n  run_month: 3\n  stop_if: A < threshold\n", "gate.stop_if: threshold is not given"},
		{"gate:\n  run_month: 3\n  stop_if: seats > 3\n", "gate.stop_if: seats is a number-only setting"},
		{"gate:\n  run_month: 3\n  stop_if: live > 0\n", "gate.stop_if: live is a variable of custom lines"},
		{"gate:\n  run_month: 0\n  stop_if: A < 0.3\n", "test.yaml:2:14: gate.run_month: must lie in"},
		{"gate:\n  run_month: 2.5\n  stop_if: A < 0.3\n", "test.yaml:2:14: gate.run_month: must be a whole number"},
		{"gate:\n  run_month: pert(1, 2, 3)\n  stop_if: A < 0.3\n", "gate.run_month: must be a plain number"},
		{"gate:\n  run_month: 3\n  threshold: uniform(0, 1)\n  stop_if: A < threshold\n", "gate.threshold: must be a plain number"},
		{"gate:\n  stop_if: A < 0.3\n", "test.yaml:1:1: gate.run_month: missing"},
		{"gate:\n  run_month: 3\n", "gate.stop_if: missing"},
		{"gate:\n  run_month: 3\n  stop_if: A < 0.3\n  stop_iff: 1\n", "test.yaml:4:3: gate.stop_iff: unknown key of the gate (did you mean stop_if?)"},
		{"gate: 3\n", "test.yaml:1:1: gate: must be a mapping"},
		{"gate:\n  run_month: 3\n  stop_if: A <\n", "gate.stop_if: syntax error"},
		{"gate:\n  run_month: 3\n  stop_if: \"log(0) < 1\"\n", "gate.stop_if: log(0) is -Inf whatever the inputs"},
	} {
		_, err := Parse("test.yaml", []byte(c.gate+string(DefaultYAML)), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.gate, err, c.want)
		}
	}
	// --set reaches every key and its errors name --set.
	_, err := Parse("test.yaml", DefaultYAML, sets("gate.run_month=3", "gate.stop_if=A < thresh"))
	if err == nil || !strings.Contains(err.Error(), "--set:2:") || !strings.Contains(err.Error(), "unknown variable thresh") {
		t.Errorf("--set gate.stop_if: %v", err)
	}
	s, err := Parse("test.yaml", DefaultYAML, sets("gate.run_month=3", "gate.stop_if=A < threshold", "gate.threshold=0.25"))
	if err != nil || s.Gate == nil || s.Gate.Threshold != 0.25 || s.Gate.RunMonth != 3 {
		t.Fatalf("--set of the whole gate: %v %+v", err, s.Gate)
	}
	// An extra input may not take a gate variable's name; a threshold the
	// rule does not read is a warning; a run month beyond the horizon too.
	_, err = Parse("test.yaml", []byte(string(DefaultYAML)+"inputs:\n  cum: 1\ncustom:\n  - {name: x, kind: benefit, monthly: cum}\ngate:\n  run_month: 3\n  stop_if: A < 0.3\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "the extra input cum has the name of a variable of stop_if") {
		t.Errorf("input named cum: %v", err)
	}
	s = mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 3\n  threshold: 0.3\n  stop_if: A < 0.3\n")
	if !strings.Contains(strings.Join(s.Warnings, "\n"), "gate.threshold: is given but stop_if does not read threshold") {
		t.Errorf("warnings: %q", s.Warnings)
	}
	s = mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 36\n  stop_if: A < 0.3\n")
	if !strings.Contains(strings.Join(s.Warnings, "\n"), "the gate never decides") {
		t.Errorf("warnings: %q", s.Warnings)
	}
	// An input only the gate reads is used.
	s = mustParse(t, string(DefaultYAML)+"inputs:\n  pilot_bar: uniform(0.2, 0.4)\ngate:\n  run_month: 3\n  stop_if: A < pilot_bar\n")
	if strings.Contains(strings.Join(s.Warnings, "\n"), "pilot_bar") {
		t.Errorf("warnings: %q", s.Warnings)
	}
}

// TestGateNaNNamesTheRule: a stop_if that is not a number in an iteration
// makes its npv NaN, and the evaluator names the rule, its place and month.
func TestGateNaNNamesTheRule(t *testing.T) {
	s := mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 2\n  stop_if: log(A - 2) < 0\n")
	m := NewCRM(s)
	ev := m.NewEvaluator()
	out := make([]float64, len(m.Outputs()))
	ev.Eval(s.PlanValues(), RiskDraws{Outcome: 0.99}, true, out, nil)
	if !math.IsNaN(out[0]) {
		t.Fatalf("npv %v, want NaN", out[0])
	}
	msg, v := ev.(NonFiniteReporter).NonFinite()
	if !strings.Contains(msg, `gate.stop_if "log(A - 2) < 0" (test.yaml:`) || !strings.Contains(msg, "run month 2") || !math.IsNaN(v) {
		t.Errorf("NonFinite: %q %v", msg, v)
	}
}

// TestGateCanonical: the gate is part of the scenario's identity.
func TestGateCanonical(t *testing.T) {
	a := mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 3\n  threshold: 0.3\n  stop_if: A < threshold\n")
	b := mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 3\n  threshold: 0.35\n  stop_if: A < threshold\n")
	c := mustParse(t, string(DefaultYAML)+"gate:\n  run_month: 4\n  threshold: 0.3\n  stop_if: A < threshold\n")
	if a.SHA256() == b.SHA256() || a.SHA256() == c.SHA256() || a.SHA256() == Default().SHA256() {
		t.Error("scenarios differing in their gate have the same SHA-256")
	}
}

// TestDefaultGateCommentedOut: the default scenario (crmroi init) has no
// gate, and its commented gate: section, uncommented, is a valid one with
// every key, in the English and the Russian template.
func TestDefaultGateCommentedOut(t *testing.T) {
	if Default().Gate != nil {
		t.Fatal("the default scenario has a gate: section")
	}
	for _, text := range []string{string(DefaultYAML), string(DefaultYAMLRu)} {
		testGateUncommented(t, text)
	}
}

// testGateUncommented checks the commented gate: section of a template.
func testGateUncommented(t *testing.T, text string) {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "# gate:") {
			in = true
		}
		if in && strings.HasPrefix(line, "#") {
			line = line[2:]
		}
		b.WriteString(line + "\n")
	}
	g := mustParse(t, b.String()).Gate
	if g == nil || g.RunMonth != 4 || g.Threshold != 0.3 || g.StopIf.Text != "A < threshold" {
		t.Fatalf("uncommented gate: %+v", g)
	}
	for _, k := range gateKeys {
		if !strings.Contains(b.String(), "\n  "+k+":") {
			t.Errorf("the commented gate: section lacks %s", k)
		}
	}
}

// TestGateWithCustomLines: a custom benefit line that reproduces a built-in
// one (other_savings × A) gives, with a gate, bit for bit the iteration of
// the built-in line with the same gate: a custom line's benefit stops with
// the gate as the built-in benefits do, and the rule sees the same benefit.
func TestGateWithCustomLines(t *testing.T) {
	old := "other_savings: pert(0, 50e3, 300e3)"
	gate := "\ngate:\n  run_month: 6\n  stop_if: A < 0.5 or benefit < cost * 4\n"
	builtin := mustParse(t, withText(t, old, "other_savings: 120e3")+gate)
	custom := mustParse(t, withText(t, old, "other_savings: 0")+
		"\ncustom:\n  - name: Other savings\n    kind: benefit\n    monthly: 120e3 * A\n"+gate)
	mb, mc := NewCRM(builtin), NewCRM(custom)
	wb, wc := mb.NewWorkspace(), mc.NewWorkspace()
	cb, cc := make([]float64, builtin.Horizon), make([]float64, builtin.Horizon)
	rng := rand.New(rand.NewPCG(3, 4))
	stopped := 0
	for i := 0; i < 3000; i++ {
		x, r := randomDraws(builtin, rng)
		a := mb.Eval(x, r, true, wb, cb)
		x[OtherSavings] = 0
		b := mc.Eval(x, r, true, wc, cc)
		av, bv := mb.OutputValues(a), mc.OutputValues(b)
		for k := range av {
			if !sameFigure(av[k], bv[k], 1) {
				t.Fatalf("iteration %d: %s built-in %v, custom %v", i, mb.Outputs()[k].Name, av[k], bv[k])
			}
		}
		for m := range cb {
			if !sameFigure(cb[m], cc[m], maxAbs(cb)) {
				t.Fatalf("iteration %d: Cum_%d %v vs %v", i, m+1, cb[m], cc[m])
			}
		}
		stopped += int(a.StoppedAtGate)
	}
	if stopped < 100 || stopped > 2900 {
		t.Errorf("%d of 3000 stopped: the test tests too little", stopped)
	}
}
