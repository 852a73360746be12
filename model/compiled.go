package model

// OutputInfo describes one output of a model.
type OutputInfo struct {
	Name string
	// Undefinable outputs may be NaN in an iteration, meaning undefined
	// (ROI without costs, IRR without a sign change): such values are
	// excluded from the statistics and counted.
	Undefinable bool
	// Unreachable outputs may be +Inf, meaning "not reached" (payback).
	Unreachable bool
}

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

// NonFiniteReporter is implemented by evaluators whose outputs come from the
// analyst's expressions. After an iteration with an output that is not a
// finite number, NonFinite names the expression responsible (a custom line
// and its month, or a formula output) and gives its value, or returns ""
// when none was. The engine asks only when an iteration fails its check.
type NonFiniteReporter interface {
	NonFinite() (expr string, value float64)
}

// crmOutputs are the outputs of the CRM model, in the order of Outputs.
var crmOutputs = func() []OutputInfo {
	info := make([]OutputInfo, len(Outputs))
	for i, name := range Outputs {
		info[i] = OutputInfo{Name: name, Undefinable: name == "roi" || name == "irr_annual", Unreachable: name == "payback_months"}
	}
	return info
}()

// Outputs lists the CRM model's outputs (model.md section 3).
func (m *CRM) Outputs() []OutputInfo { return crmOutputs }

// NewEvaluator returns an evaluator of the CRM model.
func (m *CRM) NewEvaluator() Evaluator { return &crmEvaluator{m: m, ws: m.NewWorkspace()} }

type crmEvaluator struct {
	m  *CRM
	ws *Workspace
}

// Eval implements Evaluator.
func (e *crmEvaluator) Eval(x []float64, r RiskDraws, withRisk bool, out, cum []float64) Outcome {
	res := e.m.Eval(x, r, withRisk, e.ws, cum)
	out[0], out[1], out[2], out[3] = res.NPV, res.ROI, res.PVBenefits, res.PVCosts
	out[4], out[5], out[6], out[7] = res.Payback, res.PeakFunding, res.RevenueUplift, res.IRR
	return res.Outcome
}

// NonFinite implements NonFiniteReporter: the custom line that was not a
// finite number in the last iteration, if any.
func (e *crmEvaluator) NonFinite() (string, float64) {
	return e.m.describeFault(e.ws.fault), e.ws.fault.value
}

// Compile compiles a validated scenario into its model: the CRM model, or a
// formula model for model: formula.
func Compile(s *Scenario) Model {
	if s.IsFormula() {
		return NewFormula(s)
	}
	return NewCRM(s)
}
