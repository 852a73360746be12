package model

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// financeScenarios are the scenarios the finance checks run on: the default
// and every CRM example, each as written (no finance: section).
func financeScenarios(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"default": DefaultYAML}
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "model: formula") || strings.Contains(string(data), "\nfinance:") {
			continue
		}
		out[filepath.Base(f)] = data
	}
	if len(out) < 4 {
		t.Fatalf("only %d scenarios to check", len(out))
	}
	return out
}

// sets turns "name=value" pairs into --set flags.
func sets(pairs ...string) []Set {
	var s []Set
	for i, p := range pairs {
		name, value, _ := strings.Cut(p, "=")
		s = append(s, Set{Name: name, Value: value, N: i + 1})
	}
	return s
}

// planWith returns the plan case of data with the --set pairs, and its Cum_t.
func planWith(t *testing.T, data []byte, pairs ...string) (Result, []float64, *Scenario) {
	t.Helper()
	s, err := Parse("test.yaml", data, sets(pairs...))
	if err != nil {
		t.Fatalf("%v", err)
	}
	m := NewCRM(s)
	cum := make([]float64, s.Horizon)
	return m.Eval(s.PlanValues(), RiskDraws{}, false, m.NewWorkspace(), cum), cum, s
}

// monthlyDisc is d = 1/(1 + r_m) for an annual rate r.
func monthlyDisc(r float64) float64 { return 1 / math.Pow(1+r, 1.0/12) }

// TestFinanceTaxScalesNPV: with τ = 0.25 and neither capitalisation nor VAT
// nor a terminal value, the plan npv is 0.75 × the npv without a finance:
// section, and npv_before_tax is that npv, in every scenario.
func TestFinanceTaxScalesNPV(t *testing.T) {
	for name, data := range financeScenarios(t) {
		pre, _, _ := planWith(t, data)
		for _, tau := range []string{"0.25", "0.2", "1"} {
			got, _, _ := planWith(t, data, "finance.profit_tax="+tau)
			v := 1 - parseF(tau)
			if !relClose(got.NPV, v*pre.NPV, 1e-9) {
				t.Errorf("%s, τ=%s: npv %.12g, want %.12g", name, tau, got.NPV, v*pre.NPV)
			}
			if !relClose(got.NPVBeforeTax, pre.NPV, 1e-9) {
				t.Errorf("%s, τ=%s: npv_before_tax %.12g, want %.12g", name, tau, got.NPVBeforeTax, pre.NPV)
			}
			if !relClose(got.PVCosts, pre.PVCosts, 1e-12) || !relClose(got.PVBenefits, pre.PVBenefits, 1e-12) {
				t.Errorf("%s, τ=%s: pv_costs %v pv_benefits %v, want %v %v", name, tau, got.PVCosts, got.PVBenefits, pre.PVCosts, pre.PVBenefits)
			}
		}
	}
}

// TestFinanceCapitalisation: with κ > 0 the plan npv is 0.75 × npv_pre +
// τκK[(1/M)Σ_{t=G+1}^{min(G+M,H)} d^t − (1/G)Σ_{t=1}^{G} d^t], K = one_off
// × overrun, for depreciation shorter and longer than the horizon's run.
func TestFinanceCapitalisation(t *testing.T) {
	for name, data := range financeScenarios(t) {
		pre, _, s := planWith(t, data)
		x := s.PlanValues()
		g := s.GoLive(x[ScheduleSlip])
		H := s.Horizon
		if g > H {
			continue
		}
		d := monthlyDisc(x[DiscountRate])
		K := x[OneOff] * x[Overrun]
		for _, c := range []struct{ kappa, M string }{{"0.6", "36"}, {"1", "1"}, {"0.3", "7"}, {"0.5", "600"}} {
			got, _, _ := planWith(t, data, "finance.profit_tax=0.25", "finance.capitalized_share="+c.kappa, "finance.depreciation_months="+c.M)
			kappa, M := parseF(c.kappa), int(parseF(c.M))
			var dep, build float64
			for tt := g + 1; tt <= min(g+M, H); tt++ {
				dep += math.Pow(d, float64(tt))
			}
			for tt := 1; tt <= g; tt++ {
				build += math.Pow(d, float64(tt))
			}
			want := 0.75*pre.NPV + 0.25*kappa*K*(dep/float64(M)-build/float64(g))
			if !relClose(got.NPV, want, 1e-9) {
				t.Errorf("%s, κ=%s M=%s: npv %.12g, want %.12g", name, c.kappa, c.M, got.NPV, want)
			}
		}
	}
}

func parseF(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return v
}

// TestFinanceVAT: with v > 0 and τ = 0 the plan pv_costs grows by exactly
// v × (pv_costs − PV of it_staff), and the npv falls by as much.
func TestFinanceVAT(t *testing.T) {
	for name, data := range financeScenarios(t) {
		pre, _, s := planWith(t, data)
		x := s.PlanValues()
		g := s.GoLive(x[ScheduleSlip])
		d := monthlyDisc(x[DiscountRate])
		pvIT := 0.0
		for tt := g + 1; tt <= s.Horizon; tt++ {
			pvIT += x[ITStaff] * math.Pow(d, float64(tt))
		}
		for _, v := range []float64{0.2, 0.05, 1} {
			got, _, _ := planWith(t, data, "finance.nonrecoverable_vat="+fmtNum(v))
			want := v * (pre.PVCosts - pvIT)
			if !relClose(got.PVCosts-pre.PVCosts, want, 1e-9) {
				t.Errorf("%s, v=%v: pv_costs grows by %.12g, want %.12g", name, v, got.PVCosts-pre.PVCosts, want)
			}
			if !relClose(pre.NPV-got.NPV, want, 1e-9) {
				t.Errorf("%s, v=%v: npv falls by %.12g, want %.12g", name, v, pre.NPV-got.NPV, want)
			}
		}
	}
}

// TestFinanceTerminalValue: with g given the plan npv grows by exactly
// d^H × (Cum_H − Cum_{H−12}) × (1 + g)/(r − g), terminal_value is that
// growth, with and without tax; a horizon under 12 months has none.
func TestFinanceTerminalValue(t *testing.T) {
	for name, data := range financeScenarios(t) {
		for _, extra := range [][]string{nil, {"finance.profit_tax=0.25", "finance.capitalized_share=0.5", "finance.nonrecoverable_vat=0.2"}} {
			base, cum, s := planWith(t, data, extra...)
			x := s.PlanValues()
			H := s.Horizon
			d, r := monthlyDisc(x[DiscountRate]), x[DiscountRate]
			for _, g := range []float64{0.03, -0.1, 0} {
				got, _, _ := planWith(t, data, append([]string{"finance.terminal_growth=" + fmtNum(g)}, extra...)...)
				prev := 0.0
				if H > 12 {
					prev = cum[H-13]
				}
				want := math.Pow(d, float64(H)) * (cum[H-1] - prev) * (1 + g) / (r - g)
				if H < 12 {
					want = 0
				}
				if !relClose(got.NPV-base.NPV, want, 1e-9) || !relClose(got.TerminalValue, want, 1e-9) {
					t.Errorf("%s %v, g=%v: npv grows by %.12g, terminal_value %.12g, want %.12g", name, extra, g, got.NPV-base.NPV, got.TerminalValue, want)
				}
				if !relClose(got.IRR, base.IRR, 1e-9) && !(math.IsNaN(got.IRR) && math.IsNaN(base.IRR)) || !relClose(got.Payback, base.Payback, 1e-9) || !relClose(got.PeakFunding, base.PeakFunding, 1e-9) {
					t.Errorf("%s, g=%v: the terminal value changed irr, payback or peak funding", name, g)
				}
			}
		}
	}
	short, _, _ := planWith(t, []byte(withTextStr(string(DefaultYAML), "horizon_months: 36", "horizon_months: 11")), "finance.terminal_growth=0.02")
	if short.TerminalValue != 0 {
		t.Errorf("H = 11: terminal_value %v, want 0", short.TerminalValue)
	}
}

func withTextStr(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("no " + old)
	}
	return strings.Replace(s, old, new, 1)
}

// refFinance is model.md section 6 written out literally on the flows of
// refFlows: the after-tax npv (with the terminal value), pv_costs, Cum_t
// and npv_before_tax of one iteration.
func refFinance(s *Scenario, x []float64, r RiskDraws) (npv, pvc, pre, tv float64, cum, cfs []float64, o Outcome) {
	_, o = refAll(s, x, r)
	g := int(math.Max(1, math.Floor(s.ImplementationMonths*x[ScheduleSlip]+0.5)))
	tc, ka, factor := 0, 0, 1.0
	switch o {
	case Cancelled:
		tc = min(g, 1+int(r.CancelMonth*float64(g)))
	case Abandoned:
		ka, factor = min(18, 6+int(r.AbandonMonth*13)), 0.1+0.3*r.AbandonFactor
	}
	npv, pvc, pre, tv, cum, cfs = refFinanceAt(s, x, o, tc, ka, factor)
	return npv, pvc, pre, tv, cum, cfs, o
}

// refFinanceAt is refFinance for an outcome o with its cancellation month
// tc, abandonment month ka and adoption factor.
func refFinanceAt(s *Scenario, x []float64, o Outcome, tc, ka int, factor float64) (npv, pvc, pre, tv float64, cum, cfs []float64) {
	base := refFlows(s, x, o, tc, ka, factor)
	H := s.Horizon
	f := s.Finance
	g := int(math.Max(1, math.Floor(s.ImplementationMonths*x[ScheduleSlip]+0.5)))
	tau, kappa, v := x[f.ProfitTax], x[f.CapitalizedShare], x[f.NonrecoverableVAT]
	M := f.DepreciationMonths
	rm := math.Pow(1+x[DiscountRate], 1.0/12) - 1
	sumK := kappa * x[OneOff] * x[Overrun] * (1 + v)
	total := 0.0
	for t := 1; t <= H; t++ {
		e := math.Pow(1+s.SubscriptionEscalation, math.Floor(float64(t-1)/12))
		sub := s.Seats * x[Subscription] * e
		// The cash cost without VAT, and its external part.
		var cost, ext float64
		k := t - g
		switch {
		case o == Cancelled && t > tc:
		case t <= g:
			ext = x[OneOff]*x[Overrun]/float64(g) + s.PresaleSeatShare*sub
			cost = ext
		case o == Abandoned && k > ka:
			if k <= 12*int(math.Ceil(float64(ka)/12)) {
				ext, cost = sub, sub
			}
		default:
			ext = sub + x[Support]
			cost = ext + x[ITStaff]
		}
		b := base.cf[t-1] + cost
		c := cost + v*ext
		var kt, dep float64
		if t <= g && (o != Cancelled || t <= tc) {
			kt = sumK / float64(g)
		}
		switch {
		case o == Cancelled && t == tc:
			dep = sumK * float64(tc) / float64(g)
		case o == Abandoned && k >= 1 && k <= ka && k <= M:
			dep = sumK / float64(M)
		case o == Abandoned && k == ka+1 && ka < M:
			dep = sumK * float64(M-ka) / float64(M)
		case o == OK && k >= 1 && k <= M:
			dep = sumK / float64(M)
		}
		tax := tau * (b - (c - kt) - dep)
		cf := b - c - tax
		df := math.Pow(1+rm, -float64(t))
		npv += cf * df
		pre += (b - c) * df
		pvc += c * df
		total += cf
		cum = append(cum, total)
		cfs = append(cfs, cf)
	}
	if f.TerminalGrowth >= 0 && o == OK && H >= 12 {
		gr := x[f.TerminalGrowth]
		last := 0.0
		for t := H - 12; t < H; t++ {
			last += cfs[t]
		}
		tv = last * (1 + gr) / (x[DiscountRate] - gr) * math.Pow(1+rm, -float64(H))
		// npv_before_tax's terminal value, on the pre-tax flows.
		lastPre := 0.0
		for t := H - 12; t < H; t++ {
			lastPre += preFlow(s, x, base, t, v, o, g, tc, ka)
		}
		pre += lastPre * (1 + gr) / (x[DiscountRate] - gr) * math.Pow(1+rm, -float64(H))
	}
	return npv + tv, pvc, pre, tv, cum, cfs
}

// preFlow is B_t − C_t with VAT of 0-based month t, for refFinance.
func preFlow(s *Scenario, x []float64, base refResult, t int, v float64, o Outcome, g, tc, ka int) float64 {
	tt := t + 1
	e := math.Pow(1+s.SubscriptionEscalation, math.Floor(float64(tt-1)/12))
	sub := s.Seats * x[Subscription] * e
	k := tt - g
	var ext float64
	switch {
	case o == Cancelled && tt > tc:
	case tt <= g:
		ext = x[OneOff]*x[Overrun]/float64(g) + s.PresaleSeatShare*sub
	case o == Abandoned && k > ka:
		if k <= 12*int(math.Ceil(float64(ka)/12)) {
			ext = sub
		}
	default:
		ext = sub + x[Support]
	}
	return base.cf[t] - v*ext
}

// TestFinanceRandomAgainstLiteral: on random inputs and risk draws (every
// outcome, write-offs of cancellations and abandonments included), with the
// finance parameters uncertain, Eval's finance path matches the literal
// formulas in scenarios that move the month boundaries.
func TestFinanceRandomAgainstLiteral(t *testing.T) {
	fin := "\nfinance:\n  profit_tax: pert(0, 0.2, 0.3)\n  capitalized_share: uniform(0, 1)\n  depreciation_months: DEP\n  nonrecoverable_vat: pert(0, 0.1, 0.2)\n  terminal_growth: uniform(-0.05, 0.04)\n"
	variants := []struct{ old, new, dep string }{
		{"sales_lag_months: 1", "sales_lag_months: 1", "36"},
		{"horizon_months: 36", "horizon_months: 7", "3"},
		{"horizon_months: 36", "horizon_months: 60", "12"},
		{"implementation_months: 4", "implementation_months: 1", "1"},
		{"implementation_months: 4", "implementation_months: 11", "24"},
		{"cancel: 0.10", "cancel: 0.4", "8"},
		{"abandon: 0.15", "abandon: 0.9", "10"},
	}
	rng := rand.New(rand.NewPCG(3, 17))
	seen := map[Outcome]int{}
	for _, v := range variants {
		s := mustParse(t, withText(t, v.old, v.new)+strings.Replace(fin, "DEP", v.dep, 1))
		m := NewCRM(s)
		ws := m.NewWorkspace()
		cum := make([]float64, s.Horizon)
		for i := 0; i < 2000; i++ {
			x, r := randomDraws(s, rng)
			got := m.Eval(x, r, true, ws, cum)
			npv, pvc, pre, tv, wantCum, cfs, o := refFinance(s, x, r)
			seen[o]++
			if got.Outcome != o {
				t.Fatalf("%s: outcome %v, want %v", v.new, got.Outcome, o)
			}
			scale := pvc + math.Abs(npv) + math.Abs(tv) + 1
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"npv", got.NPV, npv}, {"pv_costs", got.PVCosts, pvc}, {"npv_before_tax", got.NPVBeforeTax, pre}, {"terminal_value", got.TerminalValue, tv}} {
				if math.Abs(c.got-c.want) > 1e-11*scale {
					t.Fatalf("%s, draw %d (%v): %s = %.15g, want %.15g", v.new, i, o, c.name, c.got, c.want)
				}
			}
			for j := range cum {
				if math.Abs(cum[j]-wantCum[j]) > 1e-11*scale {
					t.Fatalf("%s, draw %d (%v): cum[%d] = %.15g, want %.15g", v.new, i, o, j+1, cum[j], wantCum[j])
				}
			}
			peak, payback, prev := 0.0, math.Inf(1), 0.0
			for j, c := range wantCum {
				peak = math.Max(peak, -c)
				if j == 0 && c >= 0 {
					payback = 0
				} else if prev < 0 && c >= 0 && math.IsInf(payback, 1) {
					payback = float64(j) + -prev/cfs[j]
				}
				prev = c
			}
			if math.Abs(got.PeakFunding-peak) > 1e-11*scale || !(got.Payback == payback || math.Abs(got.Payback-payback) <= 1e-6) {
				t.Fatalf("%s, draw %d (%v): peak %v payback %v, want %v %v", v.new, i, o, got.PeakFunding, got.Payback, peak, payback)
			}
			fa, fb := npvAt(cfs, irrLo), npvAt(cfs, irrHi)
			irr := math.NaN()
			if (fa > 0) != (fb > 0) {
				irr = math.Pow(1+brent(cfs, irrLo, irrHi, fa, fb), 12) - 1
			}
			if math.IsNaN(irr) != math.IsNaN(got.IRR) || math.Abs(got.IRR-irr) > 1e-9*math.Max(1, math.Abs(irr)) {
				t.Fatalf("%s, draw %d (%v): irr = %.15g, want %.15g", v.new, i, o, got.IRR, irr)
			}
		}
	}
	for o := Outcome(0); o < NumOutcomes; o++ {
		if seen[o] < 100 {
			t.Errorf("only %d iterations with outcome %v", seen[o], o)
		}
	}
}

// TestFinancePerIterationTax: with an uncertain τ and neither capitalisation
// nor VAT nor terminal value, every iteration's npv is (1 − τ) × its npv
// without a finance: section, on the same draws.
func TestFinancePerIterationTax(t *testing.T) {
	for name, data := range financeScenarios(t) {
		plain, err := Parse("test.yaml", data, nil)
		if err != nil {
			t.Fatal(err)
		}
		taxed, err := Parse("test.yaml", data, sets("finance.profit_tax=uniform(0.1, 0.4)"))
		if err != nil {
			t.Fatal(err)
		}
		mp, mt := NewCRM(plain), NewCRM(taxed)
		wp, wt := mp.NewWorkspace(), mt.NewWorkspace()
		rng := rand.New(rand.NewPCG(9, 1))
		ti := taxed.Finance.ProfitTax
		for i := 0; i < 500; i++ {
			x, r := randomDraws(taxed, rng)
			a := mp.Eval(x[:len(plain.Inputs)], r, true, wp, nil)
			b := mt.Eval(x, r, true, wt, nil)
			if !relClose(b.NPV, (1-x[ti])*a.NPV, 1e-9) || !relClose(b.NPVBeforeTax, a.NPV, 1e-9) {
				t.Fatalf("%s, draw %d: npv %.12g before tax %.12g, want %.12g and %.12g", name, i, b.NPV, b.NPVBeforeTax, (1-x[ti])*a.NPV, a.NPV)
			}
		}
	}
}

// TestFinanceOutputs: the outputs a finance: section adds, and that without
// one the model's outputs are those of model.md section 3.
func TestFinanceOutputs(t *testing.T) {
	names := func(pairs ...string) string {
		s, err := Parse("test.yaml", DefaultYAML, sets(pairs...))
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, o := range NewCRM(s).Outputs() {
			n = append(n, o.Name)
		}
		if o, _ := Dims(s); o != len(n) {
			t.Errorf("%v: Dims says %d outputs, the model has %d", pairs, o, len(n))
		}
		return strings.Join(n[len(Outputs):], ",")
	}
	for _, c := range []struct {
		sets []string
		want string
	}{
		{nil, ""},
		{[]string{"finance.profit_tax=0"}, ""},
		{[]string{"finance.profit_tax=0.25"}, "npv_before_tax"},
		{[]string{"finance.profit_tax=pert(0, 0.2, 0.3)"}, "npv_before_tax"},
		{[]string{"finance.terminal_growth=0.02"}, "terminal_value"},
		{[]string{"finance.terminal_growth=0.02", "finance.profit_tax=0.2"}, "terminal_value,npv_before_tax"},
	} {
		if got := names(c.sets...); got != c.want {
			t.Errorf("%v: extra outputs %q, want %q", c.sets, got, c.want)
		}
	}
}

// TestFinanceErrors: the section's mistakes are errors at their place.
func TestFinanceErrors(t *testing.T) {
	line := strconv.Itoa(strings.Count(string(DefaultYAML), "\n") + 3) // of the first parameter
	for _, c := range []struct{ text, want string }{
		{"finance:\n  profit_tax: 1.5\n", "test.yaml:" + line + ":15: finance.profit_tax: must lie in [0, 1]"},
		{"finance:\n  depreciation_months: 2.5\n", "finance.depreciation_months: must be a whole number"},
		{"finance:\n  depreciation_months: 0\n", "finance.depreciation_months: must lie in [1, 1200]"},
		{"finance:\n  depreciation_months: pert(1, 2, 3)\n", "must be a plain number"},
		{"finance:\n  terminal_growth: 0.2\n", "test.yaml:" + line + ":20: finance.terminal_growth: must stay below discount_rate (g = 0.2, r = 0.2)"},
		{"finance:\n  terminal_growth: uniform(0, 0.25)\n", "in every iteration, but it can reach 0.25"},
		{"finance:\n  profit_taxes: 0.2\n", "finance.profit_taxes: unknown parameter of finance (did you mean profit_tax?)"},
		{"finance: 3\n", "finance: must be a mapping"},
	} {
		_, err := Parse("test.yaml", []byte(string(DefaultYAML)+"\n"+c.text), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// TestFinanceEvalDoesNotAllocate: the finance path allocates nothing either.
func TestFinanceEvalDoesNotAllocate(t *testing.T) {
	s := mustParse(t, string(DefaultYAML), sets("finance.profit_tax=0.25", "finance.capitalized_share=0.5", "finance.terminal_growth=0.02")...)
	m := NewCRM(s)
	ws := m.NewWorkspace()
	x := s.PlanValues()
	cum := make([]float64, s.Horizon)
	if n := testing.AllocsPerRun(100, func() { m.Eval(x, RiskDraws{Outcome: 0.5}, true, ws, cum) }); n != 0 {
		t.Errorf("Eval allocates %v times", n)
	}
}

// TestFinanceEvalBlockMatchesEval: with a finance: section EvalBlock and the
// evaluator's Eval give Eval's outputs, the finance ones included, bit for bit.
func TestFinanceEvalBlockMatchesEval(t *testing.T) {
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	s := mustParse(t, string(DefaultYAML), sets("finance.profit_tax=pert(0.1, 0.2, 0.3)", "finance.capitalized_share=0.4", "finance.terminal_growth=0.03")...)
	m := NewCRM(s)
	ev := m.NewEvaluator()
	be := ev.(BlockEvaluator)
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 41
	stride, h, k := len(s.Inputs), s.Horizon, len(m.Outputs())
	rows := make([]float64, 0, n*stride)
	var risk [4][]float64
	draws := make([]RiskDraws, n)
	for i := range n {
		x, r := randomDraws(s, rng)
		rows = append(rows, x...)
		draws[i] = r
		risk[0], risk[1] = append(risk[0], r.Outcome), append(risk[1], r.CancelMonth)
		risk[2], risk[3] = append(risk[2], r.AbandonMonth), append(risk[3], r.AbandonFactor)
	}
	outs := make([][]float64, k)
	for j := range outs {
		outs[j] = make([]float64, n)
	}
	outc, cum := make([]Outcome, n), make([]float64, n*h)
	be.EvalBlock(n, rows, stride, risk, outs, outc, cum)
	one := make([]float64, k)
	for i := range n {
		want := m.Eval(rows[i*stride:(i+1)*stride], draws[i], true, m.NewWorkspace(), nil)
		vals := m.OutputValues(want)
		ev.Eval(rows[i*stride:(i+1)*stride], draws[i], true, one, nil)
		if len(vals) != k {
			t.Fatalf("OutputValues has %d values for %d outputs", len(vals), k)
		}
		for j, w := range vals {
			if !same(outs[j][i], w) || !same(one[j], w) {
				t.Fatalf("iteration %d output %s: block %v, evaluator %v, Eval %v", i, m.Outputs()[j].Name, outs[j][i], one[j], w)
			}
		}
	}
	if vals := m.OutputValues(m.Plan()); vals[len(vals)-2] == 0 || vals[len(vals)-1] == 0 {
		t.Errorf("plan terminal_value and npv_before_tax are 0: %v", vals)
	}
}

// TestDefaultFinanceCommentedOut: the default scenario (what init writes)
// has the finance: section commented out, and uncommenting it gives a valid
// section with every parameter.
func TestDefaultFinanceCommentedOut(t *testing.T) {
	if Default().Finance != nil {
		t.Fatal("the default scenario has a finance: section")
	}
	var b strings.Builder
	in := false
	for _, line := range strings.Split(string(DefaultYAML), "\n") {
		if strings.HasPrefix(line, "# finance:") {
			in = true
		}
		if in && strings.HasPrefix(line, "#") {
			line = line[2:]
		}
		b.WriteString(line + "\n")
	}
	s := mustParse(t, b.String())
	f := s.Finance
	if f == nil || f.DepreciationMonths != 36 || f.TerminalGrowth < 0 {
		t.Fatalf("uncommented finance: %+v", f)
	}
	for _, p := range FinanceParams {
		if !strings.Contains(b.String(), "  "+p.Name+":") {
			t.Errorf("the commented finance: section lacks %s", p.Name)
		}
	}
	x := s.PlanValues()
	if x[f.ProfitTax] != 0.25 || x[f.CapitalizedShare] != 0.8 || x[f.NonrecoverableVAT] != 0.2 || x[f.TerminalGrowth] != 0.03 {
		t.Errorf("uncommented values %v %v %v %v", x[f.ProfitTax], x[f.CapitalizedShare], x[f.NonrecoverableVAT], x[f.TerminalGrowth])
	}
}

// TestFinanceSensitivityGroup: uncertain finance parameters form the
// default sensitivity group "finance", not the analyst's own inputs.
func TestFinanceSensitivityGroup(t *testing.T) {
	s := mustParse(t, string(DefaultYAML), sets("finance.profit_tax=pert(0.2, 0.25, 0.3)", "finance.capitalized_share=0.5")...)
	for _, g := range SensitivityGroups(s, true) {
		for _, m := range g.Members {
			if strings.HasPrefix(m, "finance.") && (g.Name != "finance" || m != "finance.profit_tax") {
				t.Errorf("%s in group %q", m, g.Name)
			}
		}
		if g.Name == "finance" && len(g.Members) != 1 {
			t.Errorf("group finance: %v", g.Members)
		}
	}
}

// BenchmarkEvalFinance is BenchmarkEval with a finance: section using every
// parameter (tax, capitalisation, VAT, terminal value), on the same draws.
func BenchmarkEvalFinance(b *testing.B) {
	s, err := Parse("bench.yaml", DefaultYAML, sets("finance.profit_tax=0.25", "finance.capitalized_share=0.8",
		"finance.nonrecoverable_vat=0.2", "finance.terminal_growth=0.03"))
	if err != nil {
		b.Fatal(err)
	}
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

// TestFinanceEmptySectionAndShortHorizon: an empty finance: section keeps
// every figure (to rounding) and adds no output; a terminal growth with a
// horizon under 12 months warns that no terminal value is added.
func TestFinanceEmptySectionAndShortHorizon(t *testing.T) {
	pre, _, _ := planWith(t, DefaultYAML)
	got, _, s := planWith(t, []byte(string(DefaultYAML)+"\nfinance:\n"))
	if s.Finance == nil || len(NewCRM(s).Outputs()) != len(Outputs) {
		t.Fatalf("empty finance: %+v, outputs %d", s.Finance, len(NewCRM(s).Outputs()))
	}
	for _, c := range [][2]float64{{got.NPV, pre.NPV}, {got.PVCosts, pre.PVCosts}, {got.PVBenefits, pre.PVBenefits}, {got.IRR, pre.IRR}, {got.Payback, pre.Payback}, {got.PeakFunding, pre.PeakFunding}} {
		if !relClose(c[0], c[1], 1e-12) {
			t.Errorf("empty finance: %v, want %v", c[0], c[1])
		}
	}
	short, err := Parse("s.yaml", []byte(withTextStr(string(DefaultYAML), "horizon_months: 36", "horizon_months: 11")), sets("finance.terminal_growth=0.02"))
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range short.Warnings {
		warned = warned || strings.Contains(w, "finance.terminal_growth is given but the horizon is 11 months")
	}
	if !warned {
		t.Errorf("no warning for a terminal value with H = 11: %q", short.Warnings)
	}
}
