package model

// Model is a compiled scenario: what the engine needs to simulate it. A Model
// is read-only and safe for concurrent use; each goroutine evaluates through
// its own Evaluator.
type Model interface {
	// Outputs lists the per-iteration outputs; the first is the primary one.
	Outputs() []OutputInfo
	// Horizon is the number of months whose cumulative cash flow each
	// iteration reports (0 for a model without a month axis).
	Horizon() int
	// NewEvaluator returns an evaluator with its own scratch memory.
	NewEvaluator() Evaluator
}

// Evaluator evaluates iterations of a Model; it is not safe for concurrent use.
type Evaluator interface {
	// Eval evaluates one iteration with input values x (indexed as
	// Scenario.Inputs) and risk draws r (ignored when withRisk is false),
	// writes the outputs into out (len(Outputs())) and, when cum is not nil,
	// the cumulative cash flow of months 1..Horizon into cum. It must not allocate.
	Eval(x []float64, r RiskDraws, withRisk bool, out, cum []float64) Outcome
}

// BlockEvaluator is implemented by evaluators that evaluate a block of
// iterations faster than one at a time. EvalBlock evaluates iterations
// i = 0..n−1, with inputs rows[i·stride : i·stride+stride] (stride is
// len(Scenario.Inputs)) and risk draws risk[0..3][i] (with risk), writing
// output k into outs[k][i], the outcome into outc[i] and the cumulative
// cash flow into cum[i·H : (i+1)·H]: the values, bit for bit, that Eval
// gives. Afterwards NonFinite, where implemented, need not describe any of
// them.
type BlockEvaluator interface {
	Evaluator
	EvalBlock(n int, rows []float64, stride int, risk [4][]float64, outs [][]float64, outc []Outcome, cum []float64)
}

// NonFiniteReporter is implemented by evaluators whose outputs come from the
// analyst's expressions. After an iteration with an output that is not a
// finite number, NonFinite names the expression responsible (a custom line
// and its month, or a formula output) and gives its value, or returns ""
// when none was. The engine asks only when an iteration fails its check.
type NonFiniteReporter interface {
	NonFinite() (expr string, value float64)
}

// Outputs lists the CRM model's outputs (model.md section 3).
func (m *CRM) Outputs() []OutputInfo { return m.outputs }

// NewEvaluator returns an evaluator of the CRM model.
func (m *CRM) NewEvaluator() Evaluator { return &crmEvaluator{m: m, ws: m.NewWorkspace()} }

type crmEvaluator struct {
	m   *CRM
	ws  *Workspace
	res Result
}

// EvalBlock implements BlockEvaluator: the iterations one after the other,
// with neither an interface call nor a copy of the result between them.
func (e *crmEvaluator) EvalBlock(n int, rows []float64, stride int, risk [4][]float64, outs [][]float64, outc []Outcome, cum []float64) {
	h, res := e.m.h, &e.res
	o0, o1, o2, o3 := outs[0][:n], outs[1][:n], outs[2][:n], outs[3][:n]
	o4, o5, o6, o7 := outs[4][:n], outs[5][:n], outs[6][:n], outs[7][:n]
	r0, r1, r2, r3 := risk[0][:n], risk[1][:n], risk[2][:n], risk[3][:n]
	outc = outc[:n]
	gated := e.m.gate != nil
	for i := range outc {
		r := RiskDraws{Outcome: r0[i], CancelMonth: r1[i], AbandonMonth: r2[i], AbandonFactor: r3[i]}
		if gated {
			e.m.evalGated(res, rows[i*stride:i*stride+stride], r, true, e.ws, cum[i*h:(i+1)*h])
		} else {
			e.m.evalFlows(res, rows[i*stride:i*stride+stride], r, true, e.ws, cum[i*h:(i+1)*h])
		}
		o0[i], o1[i], o2[i], o3[i] = res.NPV, res.ROI, res.PVBenefits, res.PVCosts
		o4[i], o5[i], o6[i], o7[i] = res.Payback, res.PeakFunding, res.RevenueUplift, res.IRR
		outc[i] = res.Outcome
		if len(e.m.outputs) > len(crmOutputs) {
			e.m.sectionValues(res, outs, i)
		}
	}
}

// Eval implements Evaluator.
func (e *crmEvaluator) Eval(x []float64, r RiskDraws, withRisk bool, out, cum []float64) Outcome {
	res := e.m.Eval(x, r, withRisk, e.ws, cum)
	out[0], out[1], out[2], out[3] = res.NPV, res.ROI, res.PVBenefits, res.PVCosts
	out[4], out[5], out[6], out[7] = res.Payback, res.PeakFunding, res.RevenueUplift, res.IRR
	for k, o := range e.m.outputs[len(crmOutputs):] {
		out[len(crmOutputs)+k] = res.sectionValue(o.Name)
	}
	return res.Outcome
}

// NonFinite implements NonFiniteReporter: the custom line that was not a
// finite number in the last iteration, if any.
func (e *crmEvaluator) NonFinite() (string, float64) {
	return e.m.describeFault(e.ws.fault), e.ws.fault.value
}

// Dims returns the number of outputs and the horizon of the model Compile
// would return, without compiling it (for a memory estimate).
func Dims(s *Scenario) (outputs, horizon int) {
	if s.IsFormula() {
		return len(s.FormulaOutputs), 0
	}
	n := len(crmOutputs)
	if s.Finance != nil {
		n += len(financeOutputs(s))
	}
	if s.Gate != nil {
		n += len(gateOutputs)
	}
	return n, s.Horizon
}

// Compile compiles a validated scenario into its model: the CRM model, or a
// formula model for model: formula.
func Compile(s *Scenario) Model {
	if s.IsFormula() {
		return NewFormula(s)
	}
	return NewCRM(s)
}
