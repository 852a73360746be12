package model

import (
	"fmt"
	"sort"
	"strings"
)

// Deterministic holds the plan case, TEI row and tornado of a scenario (model.md section 4).
type Deterministic struct {
	// Plan and TEI are the CRM model's plan case and TEI row (zero for a formula model).
	Plan Result
	TEI  TEIRow
	// Tornado is the one-at-a-time tornado of the primary output (NPV for
	// the CRM model), largest swing first.
	Tornado []TornadoRow
	// Outputs names the model's outputs and PlanValues holds each at the
	// plan case, in the same order (both models; set by Analyze).
	Outputs    []string
	PlanValues []float64
	// TEIValues holds, per output, its value in the TEI row: NaN for an
	// output without one (OutputInfo.TEI false) and for a formula model.
	TEIValues []float64
	// PlanCumulative is the plan case's cumulative cash flow Cum_t, t = 1..H
	// (the CRM model; summary.json writes it with a finance: section).
	PlanCumulative []float64
}

// TEIRow is the Forrester TEI comparison row.
type TEIRow struct {
	NPV, ROI float64
}

// value is the row's value of the output called name (one whose
// OutputInfo.TEI is set).
func (t TEIRow) value(name string) float64 {
	switch name {
	case "npv":
		return t.NPV
	case "roi":
		return t.ROI
	}
	return nanValue()
}

// TornadoRow is one input of the one-at-a-time tornado. NPVLow and NPVHigh
// hold the primary output with the input at its P10 and P90: NPV for the CRM
// model, the first output of a formula model.
//
// A risk row (Risk set; Input is RiskCancel or RiskAbandon) is the CRM
// model's plan case with the event off (LowValue 0, NPVLow: the plan NPV) and
// forced on (HighValue 1, NPVHigh) at the middle of its timing and severity
// draws; Plan is the event's probability.
type TornadoRow struct {
	Input                     string
	Plan, LowValue, HighValue float64
	NPVLow, NPVHigh, Swing    float64
	Risk                      bool
}

// The names of the tornado's risk rows.
const (
	RiskCancel  = "risk.cancel"
	RiskAbandon = "risk.abandon"
)

// riskRows returns the tornado's risk rows of the events whose probability
// is above 0: cancellation forced (at the middle month of the build,
// cancel-month draw 0.5) and abandonment forced (abandonment-month and
// factor draws 0.5), each against the plan case.
func (m *CRM) riskRows(x []float64, plan float64, ws *Workspace) []TornadoRow {
	var rows []TornadoRow
	add := func(name string, prob, outcome float64) {
		if prob <= 0 {
			return
		}
		r := RiskDraws{Outcome: outcome, CancelMonth: 0.5, AbandonMonth: 0.5, AbandonFactor: 0.5}
		row := TornadoRow{Input: name, Risk: true, Plan: prob, LowValue: 0, HighValue: 1, NPVLow: plan}
		row.NPVHigh = m.Eval(x, r, true, ws, nil).NPV
		row.Swing = abs(row.NPVHigh - row.NPVLow)
		rows = append(rows, row)
	}
	add(RiskCancel, m.cancel, m.cancel/2)
	add(RiskAbandon, m.abandon, m.cancel+(1-m.cancel)*m.abandon/2)
	return rows
}

// Plan evaluates the plan case: every input at its plan value, no risk event.
func (m *CRM) Plan() Result {
	s := m.scenario
	return m.Eval(s.PlanValues(), RiskDraws{}, false, m.NewWorkspace(), nil)
}

// Deterministic computes the plan case, the TEI row and the tornado (P10 and
// P90 of each uncertain input, others at plan, no risk, correlations ignored;
// then each risk event off and forced on: riskRows), sorted by swing, largest
// first; ties keep the canonical input order, the risk rows after the inputs.
func (m *CRM) Deterministic() Deterministic {
	s := m.scenario
	ws := m.NewWorkspace()
	x := s.PlanValues()
	var d Deterministic
	d.PlanCumulative = make([]float64, m.h)
	d.Plan = m.Eval(x, RiskDraws{}, false, ws, d.PlanCumulative)
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
	d.Tornado = append(d.Tornado, m.riskRows(x, d.Plan.NPV, ws)...)
	sort.SliceStable(d.Tornado, func(a, b int) bool { return d.Tornado[a].Swing > d.Tornado[b].Swing })
	return d
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// NonFiniteError reports a deterministic case (the plan case or a tornado
// end) in which an analyst's expression is not a finite number.
type NonFiniteError struct {
	Case   string // "plan case", or "tornado: NAME at its P10"
	Expr   string // the custom line or output responsible
	Value  float64
	Inputs []string // "name=value" of the uncertain inputs in that case
}

// Error names the case, the expression and the inputs, so it can be reproduced.
func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("%s: %s is %v; inputs: %s", e.Case, e.Expr, e.Value, strings.Join(e.Inputs, ", "))
}

// Analyze computes the deterministic cases of scenario s compiled as m: for
// the CRM model the plan case, TEI row and tornado of Deterministic; for a
// formula model the plan case of every output and the tornado of the primary
// output (P10 and P90 of each uncertain input, others at plan, correlations
// ignored). An expression of the analyst's that is not a finite number in any
// of these cases is an error naming it.
func Analyze(s *Scenario, m Model) (Deterministic, error) {
	var d Deterministic
	crm, isCRM := m.(*CRM)
	if isCRM {
		d = crm.Deterministic()
	}
	info := m.Outputs()
	for _, o := range info {
		d.Outputs = append(d.Outputs, o.Name)
	}
	ev := m.NewEvaluator()
	nf, reports := ev.(NonFiniteReporter)
	out := make([]float64, len(info))
	x := s.PlanValues()
	// eval evaluates the case with inputs x into out and checks it.
	eval := func(what string) error {
		ev.Eval(x, RiskDraws{}, false, out, nil)
		if !reports {
			return nil
		}
		if msg, v := nf.NonFinite(); msg != "" {
			e := &NonFiniteError{Case: what, Expr: msg, Value: v}
			for _, i := range s.Uncertain() {
				e.Inputs = append(e.Inputs, fmt.Sprintf("%s=%v", s.Inputs[i].Path, x[i]))
			}
			return e
		}
		return nil
	}
	if err := eval("plan case"); err != nil {
		return d, err
	}
	d.PlanValues = append([]float64(nil), out...)
	d.TEIValues = make([]float64, len(info))
	for k, o := range info {
		d.TEIValues[k] = nanValue()
		if isCRM && o.TEI {
			d.TEIValues[k] = d.TEI.value(o.Name)
		}
	}
	if isCRM {
		d.PlanValues = crm.OutputValues(d.Plan)
		if len(s.Custom) == 0 {
			return d, nil
		}
	}
	var rows []TornadoRow
	for _, i := range s.Uncertain() {
		dist := s.Inputs[i].Dist
		row := TornadoRow{Input: s.Inputs[i].Path, Plan: x[i], LowValue: dist.Quantile(0.1), HighValue: dist.Quantile(0.9)}
		x[i] = row.LowValue
		if err := eval(fmt.Sprintf("tornado, %s at its P10 (others at plan)", row.Input)); err != nil {
			return d, err
		}
		row.NPVLow = out[0]
		x[i] = row.HighValue
		if err := eval(fmt.Sprintf("tornado, %s at its P90 (others at plan)", row.Input)); err != nil {
			return d, err
		}
		row.NPVHigh = out[0]
		x[i] = row.Plan
		row.Swing = abs(row.NPVHigh - row.NPVLow)
		rows = append(rows, row)
	}
	if !isCRM { // the CRM model's tornado is Deterministic's; here it was only checked
		sort.SliceStable(rows, func(a, b int) bool { return rows[a].Swing > rows[b].Swing })
		d.Tornado = rows
	}
	return d, nil
}
