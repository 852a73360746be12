package model

import "sort"

// Deterministic holds the plan case, TEI row and tornado of a scenario (model.md section 4).
type Deterministic struct {
	Plan    Result
	TEI     TEIRow
	Tornado []TornadoRow
}

// TEIRow is the Forrester TEI comparison row.
type TEIRow struct {
	NPV, ROI float64
}

// TornadoRow is one input of the one-at-a-time tornado.
type TornadoRow struct {
	Input                     string
	Plan, LowValue, HighValue float64
	NPVLow, NPVHigh, Swing    float64
}

// Plan evaluates the plan case: every input at its plan value, no risk event.
func (m *CRM) Plan() Result {
	s := m.scenario
	return m.Eval(s.PlanValues(), RiskDraws{}, false, m.NewWorkspace(), nil)
}

// Deterministic computes the plan case, the TEI row and the tornado (P10 and
// P90 of each uncertain input, others at plan, no risk, correlations ignored),
// sorted by swing, largest first; ties keep the canonical input order.
func (m *CRM) Deterministic() Deterministic {
	s := m.scenario
	ws := m.NewWorkspace()
	x := s.PlanValues()
	var d Deterministic
	d.Plan = m.Eval(x, RiskDraws{}, false, ws, nil)
	d.TEI = TEIRow{NPV: (1-s.TEI.BenefitHaircut)*d.Plan.PVBenefits - (1+s.TEI.CostUplift)*d.Plan.PVCosts}
	if c := (1 + s.TEI.CostUplift) * d.Plan.PVCosts; c != 0 {
		d.TEI.ROI = d.TEI.NPV / c
	} else {
		d.TEI.ROI = nanValue()
	}
	for _, i := range s.Uncertain() {
		dist := s.Inputs[i].Dist
		row := TornadoRow{Input: s.Inputs[i].Path, Plan: x[i], LowValue: dist.Quantile(0.1), HighValue: dist.Quantile(0.9)}
		x[i] = row.LowValue
		row.NPVLow = m.Eval(x, RiskDraws{}, false, ws, nil).NPV
		x[i] = row.HighValue
		row.NPVHigh = m.Eval(x, RiskDraws{}, false, ws, nil).NPV
		x[i] = row.Plan
		row.Swing = abs(row.NPVHigh - row.NPVLow)
		d.Tornado = append(d.Tornado, row)
	}
	sort.SliceStable(d.Tornado, func(a, b int) bool { return d.Tornado[a].Swing > d.Tornado[b].Swing })
	return d
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
