package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refResult is model.md section 3 computed literally from refFlows's
// monthly flows: every output of an iteration except the IRR, which
// TestEvalRandomAgainstLiteral checks by Brent's method on the same flows.
type refResult struct {
	npv, pvb, pvc, payback, peak, uplift float64
	cum, cf                              []float64
	// Per month: B_t, C_t, R_t − Rb_t and Rb_t (for the gate's state).
	ben, cost, dr, rb []float64
}

// refAll is refFlows with the outcome decided from the risk draws as Eval
// documents it.
func refAll(s *Scenario, x []float64, r RiskDraws) (refResult, Outcome) {
	g := int(math.Max(1, math.Floor(s.ImplementationMonths*x[ScheduleSlip]+0.5)))
	o, tc, ka, factor := OK, 0, 0, 1.0
	switch {
	case r.Outcome < s.Risks.Cancel:
		o, tc = Cancelled, min(g, 1+int(r.CancelMonth*float64(g)))
	case r.Outcome < s.Risks.Cancel+(1-s.Risks.Cancel)*s.Risks.Abandon:
		o, ka, factor = Abandoned, min(18, 6+int(r.AbandonMonth*13)), 0.1+0.3*r.AbandonFactor
	}
	return refFlows(s, x, o, tc, ka, factor), o
}

// refFlows is model.md sections 2 and 3 written out literally (powers and
// exponentials per month, no recurrences) for an outcome o with its
// cancellation month tc, abandonment month ka and adoption factor.
func refFlows(s *Scenario, x []float64, o Outcome, tc, ka int, factor float64) refResult {
	H := s.Horizon
	g := int(math.Max(1, math.Floor(s.ImplementationMonths*x[ScheduleSlip]+0.5)))
	T := x[RampMonths]
	sl := 2 * math.Log(9) / T
	A := func(k int) float64 {
		if k <= 0 {
			return 0
		}
		L := 1 / (1 + math.Exp(-sl*(float64(k)-T/2)))
		return x[AdoptionMax] * factor * (L - 0.1) / 0.9
	}
	rm := math.Pow(1+x[DiscountRate], 1.0/12) - 1
	c := 1 - math.Pow(1-x[Churn], 1.0/12)
	n := 1.0
	var res refResult
	total, minCum := 0.0, math.Inf(1)
	var upNum, upDen float64
	res.payback = math.Inf(1)
	for t := 1; t <= H; t++ {
		rb := x[Revenue] * math.Pow(1+x[Growth], float64(t-1)/12)
		e := math.Pow(1+s.SubscriptionEscalation, math.Floor(float64(t-1)/12))
		var b, cost float64
		rev := rb
		switch {
		case o == Cancelled && t > tc:
		case t <= g:
			cost = x[OneOff]*x[Overrun]/float64(g) + s.PresaleSeatShare*s.Seats*x[Subscription]*e
		default:
			k := t - g
			if o == Abandoned && k > ka {
				if k <= 12*int(math.Ceil(float64(ka)/12)) {
					cost = s.Seats * x[Subscription] * e
				}
				break
			}
			S := A(k - s.SalesLag)
			d := 1.0
			if k <= 2 {
				d = 1 - x[GoliveDip]
			}
			rev = rb * (x[RepeatShare]*n + 1 - x[RepeatShare]) * (1 + x[ConversionUplift]*S) * (1 + x[CapacityToSales]*x[CapacityGain]*S) * d
			b = (rev-rb)*(x[Margin]-x[BonusRate]) + (1-x[CapacityToSales])*x[CapacityGain]*A(k)*x[SalesPayroll]*x[SavingsRealization] + x[OtherSavings]*A(k)
			cost = s.Seats*x[Subscription]*e + x[Support] + x[ITStaff]
			n = n*(1-c*(1-x[ChurnReduction]*A(k))) + c
		}
		cf := b - cost
		prev := total
		total += cf
		if t == 1 && total >= 0 {
			res.payback = 0
		} else if prev < 0 && total >= 0 && math.IsInf(res.payback, 1) {
			res.payback = float64(t-1) + -prev/cf
		}
		minCum = math.Min(minCum, total)
		res.cum = append(res.cum, total)
		res.cf = append(res.cf, cf)
		res.ben, res.cost = append(res.ben, b), append(res.cost, cost)
		res.dr, res.rb = append(res.dr, rev-rb), append(res.rb, rb)
		df := math.Pow(1+rm, -float64(t))
		res.npv += cf * df
		res.pvb += b * df
		res.pvc += cost * df
		if t > H-12 {
			upNum += rev - rb
			upDen += rb
		}
	}
	res.peak = math.Max(0, -minCum)
	res.uplift = upNum / upDen
	return res
}

// TestEvalRandomAgainstLiteral compares every output of Eval with the
// literal formulas on random inputs and risk draws, in scenarios that move
// the month boundaries: sales lag 0 and longer than the ramp, horizons
// shorter than a year and of five years, one-month and long builds, and an
// uncertain discount rate.
func TestEvalRandomAgainstLiteral(t *testing.T) {
	variants := []struct{ old, new string }{
		{"sales_lag_months: 1", "sales_lag_months: 1"},
		{"sales_lag_months: 1", "sales_lag_months: 0"},
		{"sales_lag_months: 1", "sales_lag_months: 14"},
		{"horizon_months: 36", "horizon_months: 7"},
		{"horizon_months: 36", "horizon_months: 60"},
		{"implementation_months: 4", "implementation_months: 1"},
		{"implementation_months: 4", "implementation_months: 11"},
		{"discount_rate: 0.20", "discount_rate: pert(0.05, 0.2, 0.6)"},
		{"cancel: 0.10", "cancel: 0.4"},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for _, v := range variants {
		s := mustParse(t, withText(t, v.old, v.new))
		m := NewCRM(s)
		ws := m.NewWorkspace()
		cum := make([]float64, s.Horizon)
		for i := 0; i < 3000; i++ {
			x, r := randomDraws(s, rng)
			got := m.Eval(x, r, true, ws, cum)
			want, o := refAll(s, x, r)
			where := func() string { return v.new + ", draw " + string(rune('0'+i%10)) }
			if got.Outcome != o {
				t.Fatalf("%s: outcome %v, want %v", where(), got.Outcome, o)
			}
			// Sums of ~1e8 per month: compare on the scale of the flows.
			scale := want.pvb + want.pvc + 1
			for _, c := range []struct {
				name      string
				got, want float64
				tol       float64
			}{
				{"npv", got.NPV, want.npv, 1e-12 * scale},
				{"pv_benefits", got.PVBenefits, want.pvb, 1e-12 * scale},
				{"pv_costs", got.PVCosts, want.pvc, 1e-12 * scale},
				{"peak_funding", got.PeakFunding, want.peak, 1e-12 * scale},
				{"revenue_uplift", got.RevenueUplift, want.uplift, 1e-12},
				{"roi", got.ROI, want.npv / want.pvc, 1e-11},
				{"payback", got.Payback, want.payback, 1e-6},
			} {
				if !(c.got == c.want || math.Abs(c.got-c.want) <= c.tol) {
					t.Fatalf("%s: %s = %.15g, want %.15g (outcome %v)", where(), c.name, c.got, c.want, o)
				}
			}
			for j := range cum {
				if math.Abs(cum[j]-want.cum[j]) > 1e-12*scale {
					t.Fatalf("%s: cum[%d] = %.15g, want %.15g", where(), j+1, cum[j], want.cum[j])
				}
			}
			if sh, fused := flowShape(ws.cf), discountFlows(ws.ben, ws.cost, ws.cf, make([]float64, s.Horizon), 0.99).shape; sh != fused {
				t.Fatalf("%s: the shape found while discounting %+v differs from flowShape's %+v", where(), fused, sh)
			}
			fa, fb := npvAt(want.cf, irrLo), npvAt(want.cf, irrHi)
			irr := math.NaN()
			if (fa > 0) != (fb > 0) {
				irr = math.Pow(1+brent(want.cf, irrLo, irrHi, fa, fb), 12) - 1
			}
			if math.IsNaN(irr) != math.IsNaN(got.IRR) || math.Abs(got.IRR-irr) > 1e-9*math.Max(1, math.Abs(irr)) {
				t.Fatalf("%s: irr = %.15g, want %.15g; cf %v", where(), got.IRR, irr, want.cf)
			}
		}
	}
}

// TestEvalBlockMatchesEval: the CRM evaluator's EvalBlock gives Eval's
// outputs, outcomes and cumulative flows bit for bit, custom lines or not.
func TestEvalBlockMatchesEval(t *testing.T) {
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	rng := rand.New(rand.NewPCG(5, 8))
	for _, v := range []struct{ old, new string }{
		{"sales_lag_months: 1", "sales_lag_months: 1"},
		{"horizon_months: 36", "horizon_months: 7"},
		{"cancel: 0.10", "cancel: 0.4"},
	} {
		s := mustParse(t, withText(t, v.old, v.new))
		m := NewCRM(s)
		be, ok := m.NewEvaluator().(BlockEvaluator)
		if !ok {
			t.Fatal("the CRM evaluator is not a BlockEvaluator")
		}
		const n = 37
		stride, h := len(s.Inputs), s.Horizon
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
		outs := make([][]float64, len(Outputs))
		for k := range outs {
			outs[k] = make([]float64, n)
		}
		outc, cum := make([]Outcome, n), make([]float64, n*h)
		be.EvalBlock(n, rows, stride, risk, outs, outc, cum)
		ws, c := m.NewWorkspace(), make([]float64, h)
		for i := range n {
			want := m.Eval(rows[i*stride:(i+1)*stride], draws[i], true, ws, c)
			vals := want.Values()
			for k, w := range vals {
				if !same(outs[k][i], w) {
					t.Fatalf("%s: iteration %d output %d = %v, Eval %v", v.new, i, k, outs[k][i], w)
				}
			}
			if outc[i] != want.Outcome {
				t.Fatalf("%s: iteration %d outcome %v, Eval %v", v.new, i, outc[i], want.Outcome)
			}
			for j := range c {
				if !same(cum[i*h+j], c[j]) {
					t.Fatalf("%s: iteration %d month %d cum %v, Eval %v", v.new, i, j+1, cum[i*h+j], c[j])
				}
			}
		}
	}
}
