package model

import (
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The optional gate: section of model.md section 7, a go/no-go decision
// after the pilot months (a real option):
//
//	gate:
//	  run_month: 3               # decide at the end of run month 3
//	  threshold: 0.3             # optional number, the variable threshold
//	  stop_if: "A < threshold"   # stop where this holds
//
// At the end of run month m, in each iteration whose project is still
// running, stop_if is evaluated over what is known then (GateVars and every
// parameter and input). Where it is true the project is stopped as an
// abandonment at run month m: the iteration is evaluated again with the
// outcome abandoned and ka = m (its adoption factor unchanged), so benefits,
// support and it_staff stop after month m, the subscription runs to the end
// of its yearly term and, with capitalisation, the remaining book value is
// written off in run month m + 1. The ungated npv of the same draws is kept
// beside it, so that the value of the gate is a paired difference.
//
// Not gated: cancelled iterations (they never go live), iterations
// abandoned before run month m (ka < m; at ka = m the gate and the
// abandonment stop the project at the same month, and it counts as stopped)
// and iterations whose run month m lies beyond the horizon (G + m > H).
// Without the section none of this code runs.

// Gate is a scenario's gate: section.
type Gate struct {
	// RunMonth is m: the gate decides at the end of run month m (≥ 1).
	RunMonth int
	// StopIf is the stopping rule, over GateEnv's slots.
	StopIf *Expr
	Pos    Pos // where stop_if is written
	// Threshold is the number the expression reads as threshold (NaN where
	// the section has none); --set gate.threshold and sweep vary it.
	Threshold float64
}

// Month variables of the gate, in the order of their slots after the inputs.
const (
	gateA = iota
	gateS
	gateBenefit
	gateCost
	gateCum
	gateUplift
	gateT
	gateThreshold
	numGateVars
)

// GateVars names the variables stop_if sees besides the parameters and
// inputs, all at the end of run month m of the iteration: A (adoption
// A(m)), S (sales-lagged adoption S(m)), benefit and cost (B_t and C_t of
// that month, t = G + m: with custom lines, and with VAT under a finance:
// section), cum (the cumulative cash flow Cum_t, after tax under a finance:
// section), uplift (Σ(R − Rb)/Σ Rb over run months 1..m: the revenue
// uplift so far), t (the month number G + m) and threshold (gate.threshold).
var GateVars = [numGateVars]string{"A", "S", "benefit", "cost", "cum", "uplift", "t", "threshold"}

// gateKeys are the keys of the gate: section.
var gateKeys = []string{"run_month", "stop_if", "threshold"}

// gateParams are the gate's numeric settings, for --set and the schema.
var gateParams = []ParamInfo{
	{Path: "gate.run_month", Label: Text{"Gate month", "Месяц контрольной точки"}, DocRu: "контрольная точка решает в конце этого месяца работы (1 = первый месяц после запуска)", Section: "gate", Name: "run_month", Unit: "months", Doc: "the gate decides at the end of this run month (1 = the first month after go-live)",
		Domain: Domain{Lo: 1, Hi: MaxHorizon}, NumberOnly: true, Integer: true, Index: -1},
	{Path: "gate.threshold", Label: Text{"Gate threshold", "Порог контрольной точки"}, DocRu: "порог, с которым сравнивает правило остановки", Section: "gate", Name: "threshold", Unit: "number", Doc: "a number stop_if can read as threshold, for --set and sweep",
		Domain: anyReal, NumberOnly: true, Index: -1},
}

// GateParams describes the gate's numeric settings (gate.run_month,
// gate.threshold), which --set and sweep may name.
func GateParams() []ParamInfo { return gateParams }

// GateEnv is the environment of the gate's stop_if for s: the inputs of s
// by path (slot i is s.Inputs[i]), then GateVars. threshold is usable only
// where the section gives one (given).
func GateEnv(s *Scenario, given bool) *ExprEnv {
	env := inputsEnv(s, GateVars[:gateThreshold])
	for _, n := range []string{"threshold", "gate.threshold"} {
		if given {
			env.Define(n, len(s.Inputs)+gateThreshold)
		} else {
			env.Explain(n, "is not given: add threshold: NUMBER to the gate: section to use it")
		}
	}
	for _, st := range Settings {
		env.Explain(st.Path, "is a number-only setting, not a variable; write its value")
	}
	for _, p := range riskParams {
		env.Explain(p.Path, "is a risk probability, not a variable: an iteration the risk events stopped before run month m is not gated")
	}
	for _, v := range MonthVars {
		if _, ok := env.slots[v]; !ok {
			env.Explain(v, "is a variable of custom lines; the gate sees "+strings.Join(GateVars[:], ", ")+" at the end of run month m")
		}
	}
	return env
}

// gateSection reads the optional gate: section of a CRM scenario into
// s.Gate; the inputs must be read already.
func (l *loader) gateSection(s *Scenario, top map[string]entry) {
	e, ok := top["gate"]
	if !ok {
		return
	}
	if e.val == nil || e.val.Kind != yaml.MappingNode {
		l.errorf(e.key, "gate", "must be a mapping with run_month: (a whole number ≥ 1), stop_if: (an expression) and, optionally, threshold: (a number)")
		return
	}
	m := l.mapping(e.val, "gate")
	for _, k := range sortedKeys(m) {
		if !contains(gateKeys, k) {
			l.errorf(m[k].key, join("gate", k), "unknown key of the gate%s; the gate has run_month, stop_if and threshold", suggest(k, gateKeys))
		}
	}
	g := &Gate{Threshold: math.NaN()}
	bad := false
	for _, k := range []string{"run_month", "stop_if"} {
		if _, ok := m[k]; !ok {
			l.errorf(e.key, join("gate", k), "missing; the gate needs run_month: (a whole number ≥ 1) and stop_if: (an expression, e.g. \"A < 0.3\")")
			bad = true
		}
	}
	if _, ok := m["run_month"]; ok {
		v, ok := l.number(m, "gate", gateParams[0], 0, false)
		g.RunMonth = int(v)
		bad = bad || !ok
	}
	_, given := m["threshold"]
	if given {
		v, ok := l.number(m, "gate", gateParams[1], 0, false)
		g.Threshold = v
		bad = bad || !ok
	}
	for i, in := range s.Inputs {
		for _, v := range GateVars {
			if i >= NumBuiltin && in.Path == v {
				l.errorf(e.key, "gate", "the extra input %s has the name of a variable of stop_if (%s); rename the input", v, strings.Join(GateVars[:], ", "))
				bad = true
			}
		}
	}
	if se, ok := m["stop_if"]; ok {
		g.StopIf = l.compileAt(se, "gate.stop_if", GateEnv(s, given))
		if g.StopIf == nil {
			bad = true
		} else {
			g.Pos = l.pos(se.val)
			if given && !g.StopIf.reads(len(s.Inputs)+gateThreshold) {
				l.warnAt(l.pos(m["threshold"].val), "gate.threshold", "is given but stop_if does not read threshold: it changes nothing")
			}
		}
	}
	if bad {
		return
	}
	if g.RunMonth >= s.Horizon {
		l.warnAt(l.pos(m["run_month"].val), "gate.run_month", fmt.Sprintf("run month %d is beyond the horizon of %d months in every iteration (go-live is month 1 at the earliest): the gate never decides", g.RunMonth, s.Horizon))
	}
	s.Gate = g
}

// reads reports whether the expression reads slot.
func (x *Expr) reads(slot int) bool {
	for _, s := range x.slots {
		if s == slot {
			return true
		}
	}
	return false
}

// The outputs a gate: section adds, after those of the finance: section.
// They are Internal: the summary's gate object reads them, no table shows them.
const (
	// OutputNPVWithoutGate is the npv of the same draws without the gate.
	OutputNPVWithoutGate = "npv_without_gate"
	// OutputGateValue is npv − npv_without_gate of an iteration.
	OutputGateValue = "gate_value"
	// OutputStoppedAtGate is 1 where the gate stopped the iteration, else 0.
	OutputStoppedAtGate = "stopped_at_gate"
	// ShareStopped is the key of the share of iterations the gate stopped.
	ShareStopped = "share_stopped"
)

// gateOutputs describe the outputs a gate: section adds.
var gateOutputs = []OutputInfo{
	{Name: OutputNPVWithoutGate, Label: Text{"NPV without the gate", "NPV без контрольной точки"}, Unit: UnitMoney, Internal: true,
		Thresholds: []Threshold{negative(Text{"P(loss) without the gate", "P(убытка) без контрольной точки"})}},
	{Name: OutputGateValue, Label: Text{"Value of the gate", "Ценность контрольной точки"}, Unit: UnitMoney, Internal: true},
	{Name: OutputStoppedAtGate, Label: Text{"Stopped at the gate", "Остановлен в контрольной точке"}, Unit: UnitShare, Internal: true,
		Thresholds: []Threshold{{Key: ShareStopped, Cmp: Above, At: 0.5, Label: Text{"Share stopped at the gate", "Доля остановленных в контрольной точке"}}}},
}

// GateOutputs describes the outputs a gate: section adds (all Internal).
func GateOutputs() []OutputInfo { return gateOutputs }

// gateValue is the value of a gate output of r by name.
func (r *Result) gateValue(name string) float64 {
	switch name {
	case OutputNPVWithoutGate:
		return r.NPVWithoutGate
	case OutputGateValue:
		return r.GateValue
	}
	return r.StoppedAtGate
}

// gateFault is fault.line of a stop_if that was not a number.
const gateFault = math.MaxInt32

// evalGated is evalInto with a gate: the iteration without the gate, then,
// where it is alive at the end of run month m and stop_if holds, again
// stopped at m. cum receives the gated iteration's Cum_t.
func (m *CRM) evalGated(res *Result, x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) {
	if cum == nil {
		cum = ws.cum
	}
	if len(m.custom) == 0 {
		ws.fault.line = -1 // customPass resets it where there are custom lines
	}
	ws.stop = 0
	m.evalFlows(res, x, r, withRisk, ws, cum)
	without := res.NPV
	// The iteration's go-live and outcome, as fill finds them.
	g := m.GoLive(x[ScheduleSlip])
	outcome, ka := OK, 0
	if withRisk {
		outcome, _, ka, _ = m.outcome(r, g)
	}
	mo := m.gate.RunMonth
	idx := g + mo - 1 // 0-based month of run month m
	stopped := 0.0
	alive := idx < m.h && outcome != Cancelled && (outcome != Abandoned || ka >= mo)
	if alive && !(len(m.custom) > 0 && ws.fault.line >= 0) {
		v, n := ws.gvars, len(x)
		copy(v, x)
		v[n+gateA], v[n+gateS] = ws.ad[idx], ws.sl[idx]
		v[n+gateBenefit], v[n+gateCost], v[n+gateCum] = ws.ben[idx], ws.cost[idx], cum[idx]
		grow := math.Exp(math.Log1p(x[Growth]) / 12) // as fill's
		v[n+gateUplift], v[n+gateT], v[n+gateThreshold] = m.upliftSoFar(x, ws, g, idx, grow), float64(idx+1), m.gate.Threshold
		switch c := m.gate.StopIf.eval(v); {
		case c != c:
			// Not a number: the run stops, naming the gate (NonFinite).
			ws.fault = fault{line: gateFault, month: idx + 1, value: c}
			res.NPV = math.NaN()
		case c != 0:
			ws.stop = mo
			m.evalFlows(res, x, r, withRisk, ws, cum)
			ws.stop = 0
			stopped = 1
		}
	}
	res.NPVWithoutGate, res.GateValue, res.StoppedAtGate = without, res.NPV-without, stopped
}

// upliftSoFar is Σ (R_t − Rb_t) / Σ Rb_t over the run months from go-live
// (month g, 0-based) to month last, as runFlows computes R_t − Rb_t; 0
// where the baseline is 0.
func (m *CRM) upliftSoFar(x []float64, ws *Workspace, g, last int, grow float64) float64 {
	convUp, upSales := x[ConversionUplift], x[CapacityGain]*x[CapacityToSales]
	rb := x[Revenue] * powInt(grow, g)
	num, den := 0.0, 0.0
	for t := g; t <= last; t++ {
		s := ws.sl[t]
		num += rb * (ws.base[t]*(1+convUp*s)*(1+upSales*s) - 1)
		den += rb
		rb *= grow
	}
	if den == 0 {
		return 0
	}
	return num / den
}
