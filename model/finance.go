package model

import (
	"fmt"
	"math"

	"github.com/crmroi/crmroi/distributions"
	"go.yaml.in/yaml/v3"
)

// The optional finance: section of model.md section 6: profit tax,
// capitalised costs with their depreciation, non-recoverable VAT and a
// terminal value. Without the section none of this code runs, and every
// output is what the model gives without it, bit for bit.

// The outputs of the finance: section, described as crmOutputs are.
var (
	terminalValueOutput = OutputInfo{Name: OutputTerminalValue, Label: Text{"Terminal value (PV)", "Остаточная стоимость (приведённая)"}, Unit: UnitMoney}
	npvBeforeTaxOutput  = OutputInfo{Name: OutputNPVBeforeTax, Label: Text{"NPV before tax", "NPV до налога"}, Unit: UnitMoney,
		Thresholds: []Threshold{negative(Text{"P(loss before tax)", "P(убытка до налога)"})}}
)

// financeOutputs are the outputs the finance: section of s adds:
// terminal_value where terminal_growth is given, npv_before_tax where
// profit_tax is not the number 0.
func financeOutputs(s *Scenario) []OutputInfo {
	var o []OutputInfo
	if s.Finance.TerminalGrowth >= 0 {
		o = append(o, terminalValueOutput)
	}
	if d := s.Inputs[s.Finance.ProfitTax].Dist; !d.Fixed() || d.Plan() != 0 {
		o = append(o, npvBeforeTaxOutput)
	}
	return o
}

// sectionValue is the value of an output of r that the finance: or the
// gate: section adds, by name.
func (r *Result) sectionValue(name string) float64 {
	switch name {
	case OutputTerminalValue:
		return r.TerminalValue
	case OutputNPVBeforeTax:
		return r.NPVBeforeTax
	}
	return r.gateValue(name)
}

// sectionValues writes the outputs of res that the sections add into outs[k][i].
func (m *CRM) sectionValues(res *Result, outs [][]float64, i int) {
	for k, o := range m.outputs[len(crmOutputs):] {
		outs[len(crmOutputs)+k][i] = res.sectionValue(o.Name)
	}
}

// OutputValues returns every output of the model in r, in the order of
// Outputs(): the values of Result.Values, then those of the finance: and
// gate: sections.
func (m *CRM) OutputValues(r Result) []float64 {
	v := r.Values()
	out := append([]float64(nil), v[:]...)
	for _, o := range m.outputs[len(crmOutputs):] {
		out = append(out, r.sectionValue(o.Name))
	}
	return out
}

// FinanceIncludes says which parts of the finance: section of s are in its
// figures: profit tax (profit_tax not the number 0), capitalisation
// (capitalized_share not the number 0), VAT (nonrecoverable_vat not the
// number 0) and a terminal value (terminal_growth given). All are false
// without a finance: section.
func FinanceIncludes(s *Scenario) (tax, capitalisation, vat, terminal bool) {
	f := s.Finance
	if f == nil {
		return
	}
	nonZero := func(i int) bool { d := s.Inputs[i].Dist; return d != nil && (!d.Fixed() || d.Plan() != 0) }
	return nonZero(f.ProfitTax), nonZero(f.CapitalizedShare), nonZero(f.NonrecoverableVAT), f.TerminalGrowth >= 0
}

// evalFinance is evalInto with a finance: section: the same first pass,
// then VAT on the external costs, the tax base with capitalised spend and
// depreciation, the tax, and the terminal value, in one general loop.
func (m *CRM) evalFinance(res *Result, x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) {
	ph := m.fill(x, r, withRisk, ws)
	H, f := m.h, m.fin
	ben, cost, adj := ws.ben[:H], ws.cost[:H], ws.adj[:H]
	tau, kappa, vat := x[f.ProfitTax], x[f.CapitalizedShare], x[f.NonrecoverableVAT]
	g := ph.g

	// VAT on the external costs: one_off × overrun and the presale seats in
	// build months, the subscription and support in run months, the
	// subscription after an abandonment; not it_staff, not custom lines.
	seatCost := m.seats * x[Subscription]
	if vat != 0 {
		buildCost := x[OneOff] * x[Overrun] / float64(g)
		presaleCost := m.presale * seatCost
		for t := 0; t < ph.buildEnd; t++ {
			cost[t] += vat * (buildCost + presaleCost*m.esc[t])
		}
		if ph.outcome != Cancelled {
			for t := ph.buildEnd; t < ph.runEnd; t++ {
				cost[t] += vat * (seatCost*m.esc[t] + x[Support])
			}
		}
		for t := ph.runEnd; t < ph.subEnd; t++ {
			cost[t] += vat * seatCost * m.esc[t]
		}
	}

	// K_t − Dep_t: capitalised spend in build months, depreciation from the
	// first run month, the write-offs of a cancellation or an abandonment.
	clear(adj)
	if total := kappa * x[OneOff] * x[Overrun] * (1 + vat); total != 0 {
		perBuild := total / float64(g)
		for t := 0; t < ph.buildEnd; t++ {
			adj[t] = perBuild
		}
		M := f.DepreciationMonths
		perRun := total / float64(M)
		switch ph.outcome {
		case Cancelled:
			if tc := ph.tc; tc <= H { // the spend so far, written off in month tc
				adj[tc-1] -= perBuild * float64(tc)
			}
		case Abandoned:
			for t := g; t < min(H, g+min(ph.ka, M)); t++ {
				adj[t] -= perRun
			}
			if t := g + ph.ka; t < H && ph.ka < M { // the remaining book value, in run month ka + 1
				adj[t] -= total * float64(M-ph.ka) / float64(M)
			}
		default:
			for t := g; t < min(H, g+M); t++ {
				adj[t] -= perRun
			}
		}
	}

	// Tax_t = τ·(B_t − (C_t − K_t) − Dep_t), CF_t = B_t − C_t − Tax_t, and
	// the sums of every output.
	if cum == nil {
		cum = ws.cum
	}
	cum, cf := cum[:H], ws.cf[:H]
	disc := m.discount(x[DiscountRate])
	var npv, pre, pvb, pvc, c float64
	var sh shape // the flow's shape for the IRR, as flowShape finds it
	df, minCum := 1.0, math.Inf(1)
	for t, b := range ben {
		df *= disc
		k := cost[t]
		tax := tau * (b - k + adj[t])
		fl := b - k - tax
		cf[t] = fl
		npv += fl * df
		pre += (b - k) * df
		pvb += b * df
		pvc += k * df
		c += fl
		cum[t] = c
		if c < minCum {
			minCum = c
		}
		if fl != 0 {
			if sh.first == 0 {
				sh.first = fl
			} else if (fl > 0) != (sh.last > 0) {
				sh.changes++
			}
			sh.last = fl
			if a := math.Abs(fl); a > sh.big {
				sh.big = a
			}
		}
	}
	sh.sum = c
	payback := math.Inf(1)
	if H > 0 && cf[0] >= 0 {
		payback = 0
	} else if minCum < 0 {
		prev := 0.0
		for t, v := range cum {
			if prev < 0 && v >= 0 {
				payback = float64(t) + (-prev)/cf[t]
				break
			}
			prev = v
		}
	}

	// The terminal value: the last 12 months' flow, growing at g a year
	// after the horizon, at the end of month H (ok outcomes, H ≥ 12).
	tv, tvPre := 0.0, 0.0
	if f.TerminalGrowth >= 0 && ph.outcome == OK && H >= 12 {
		gr, rate := x[f.TerminalGrowth], x[DiscountRate]
		factor := (1 + gr) / (rate - gr) * df
		last, lastPre := 0.0, 0.0
		for t := H - 12; t < H; t++ {
			last += cf[t]
			lastPre += ben[t] - cost[t]
		}
		tv, tvPre = last*factor, lastPre*factor
	}
	npv += tv
	*res = Result{
		NPV:           npv,
		PVBenefits:    pvb,
		PVCosts:       pvc,
		Payback:       payback,
		PeakFunding:   math.Max(0, -minCum),
		IRR:           math.NaN(),
		ROI:           math.NaN(),
		Outcome:       ph.outcome,
		RevenueUplift: m.revenueUplift(x, ph),
		TerminalValue: tv,
		NPVBeforeTax:  pre + tvPre,
	}
	if pvc != 0 {
		res.ROI = npv / pvc
	}
	if len(m.custom) > 0 && ws.fault.line >= 0 {
		res.NPV = math.NaN()
		return
	}
	guess := m.fit.predict(npv, pvc, sh.sum, res.Payback, res.PeakFunding, m.irrGuess)
	if x := irrOfShape(cf, sh, guess); !math.IsNaN(x) {
		y := 1 + x
		y3 := y * y * y
		y6 := y3 * y3
		res.IRR = y6*y6 - 1 // as evalInto does
	}
}

// financeSection reads the optional finance: section into s.Finance,
// appending its uncertain parameters to s.Inputs.
func (l *loader) financeSection(s *Scenario, top map[string]entry) {
	e, ok := top["finance"]
	if !ok {
		return
	}
	m := map[string]entry{}
	switch {
	case e.val != nil && e.val.Tag == "!!null": // finance: with nothing: every default
	case e.val == nil || e.val.Kind != yaml.MappingNode:
		l.errorf(e.key, "finance", "must be a mapping (profit_tax:, capitalized_share:, depreciation_months:, nonrecoverable_vat:, terminal_growth:)")
		return
	default:
		m = l.mapping(e.val, "finance")
	}
	var names []string
	for _, p := range FinanceParams {
		names = append(names, p.Name)
	}
	for _, k := range sortedKeys(m) {
		if !contains(names, k) {
			l.unknownf(m[k].key, join("finance", k), "unknown parameter of finance%s", suggest(k, names))
		}
	}
	f := &Finance{TerminalGrowth: -1}
	var growthPos *entry
	for _, p := range FinanceParams {
		if p.NumberOnly {
			v, _ := l.number(m, "finance", p.ParamInfo, p.Default, true)
			f.DepreciationMonths = int(v)
			continue
		}
		in := Input{Path: p.Path, Pos: Pos{File: l.file}}
		if e, given := m[p.Name]; given {
			if d, ok := l.dist(e, p.ParamInfo); ok {
				in.Dist, in.Pos = d, l.pos(e.val)
			}
			if p.Name == "terminal_growth" {
				growthPos = &e
			}
		} else if math.IsNaN(p.Default) {
			continue // terminal_growth absent: no terminal value
		} else {
			in.Dist, _ = distributions.Parse(fmtNum(p.Default))
		}
		idx := len(s.Inputs)
		s.Inputs = append(s.Inputs, in)
		switch p.Name {
		case "profit_tax":
			f.ProfitTax = idx
		case "capitalized_share":
			f.CapitalizedShare = idx
		case "nonrecoverable_vat":
			f.NonrecoverableVAT = idx
		case "terminal_growth":
			f.TerminalGrowth = idx
		}
	}
	s.Finance = f
	if f.TerminalGrowth < 0 {
		return
	}
	if s.Horizon < 12 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("finance.terminal_growth is given but the horizon is %d months: a terminal value needs the last 12 months, so none is added", s.Horizon))
	}
	// g ≥ r is an error: the terminal value's growing annuity has no value.
	gd, rd := s.Inputs[f.TerminalGrowth].Dist, s.Inputs[DiscountRate].Dist
	if gd == nil || rd == nil {
		return
	}
	gHi, rLo := bound(gd, false), bound(rd, true)
	if gHi >= rLo {
		what := fmt.Sprintf("must stay below discount_rate (g = %s, r = %s)", gd.String(), rd.String())
		if !gd.Fixed() || !rd.Fixed() {
			what += fmt.Sprintf(" in every iteration, but it can reach %s where the discount rate can be %s", fmtNum(gHi), fmtNum(rLo))
		}
		l.errorf(growthPos.val, "finance.terminal_growth", "%s: a terminal value growing at g ≥ r has no finite value", what)
	}
}

// bound is the lowest (low) or highest value a parameter can take.
func bound(d distributions.Dist, low bool) float64 {
	if d.Fixed() {
		return d.Plan()
	}
	lo, hi := d.Support()
	if low {
		return lo
	}
	return hi
}
