package model

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A formula model (model: formula) is a Monte Carlo model of the analyst's own
// that is not about CRM: named uncertain inputs, one or more outputs written
// as expressions (the first is the primary output), optional correlations.
//
//	model: formula
//	inputs:
//	  x1: uniform(-3.141592653589793, 3.141592653589793)
//	outputs:
//	  y: sin(x1) + 1
//
// An output may use the inputs and the other outputs (not in a cycle).

// The models a scenario may ask for with model:.
const (
	ModelCRM     = "crm"
	ModelFormula = "formula"
)

// IsFormula reports whether s is a formula model.
func (s *Scenario) IsFormula() bool { return s.Model == ModelFormula }

// FormulaOutput is one output of a formula model.
type FormulaOutput struct {
	Name string
	// Expr is over FormulaEnv's slots: the inputs, then the outputs.
	Expr *Expr
	Pos  Pos // where its expression is written
}

// formulaKeys are the top-level keys of a formula scenario.
var formulaKeys = []string{"name", "description", "model", "inputs", "outputs", "correlations", "groups"}

// FormulaEnv is the environment of a formula model's expressions: the inputs
// of s (slot i is s.Inputs[i]), then the outputs named in outputs.
func FormulaEnv(s *Scenario, outputs []string) *ExprEnv {
	env := inputsEnv(s, outputs)
	for _, v := range MonthVars {
		env.Explain(v, "is a variable of the custom lines of a CRM scenario; a formula model sees only its inputs and outputs")
	}
	for _, b := range Builtin {
		env.Explain(b.Path, "is a parameter of the CRM model; a formula model sees only its inputs and outputs")
	}
	return env
}

// formulaScenario reads a scenario with model: formula.
func (l *loader) formulaScenario(root *yaml.Node, top map[string]entry) *Scenario {
	s := &Scenario{Model: ModelFormula}
	for _, k := range sortedKeys(top) {
		if contains(formulaKeys, k) {
			continue
		}
		if contains(topKeys, k) || contains(settable(), k) || k == "custom" {
			l.errorf(top[k].key, k, "is part of the CRM model; a formula model (model: formula) has only %s", strings.Join(formulaKeys, ", "))
			continue
		}
		l.unknownf(top[k].key, k, "unknown setting or section of a formula model%s; it has only %s", suggest(k, formulaKeys), strings.Join(formulaKeys, ", "))
	}
	s.Name = l.text(top, "name", "")
	l.extraInputs(s, top)
	l.formulaOutputs(s, root, top)
	l.correlations(s, top)
	l.groups(s, top)
	return s
}

// formulaOutputs reads the outputs: mapping, compiles every expression and
// checks that no output depends on itself.
func (l *loader) formulaOutputs(s *Scenario, root *yaml.Node, top map[string]entry) {
	e, ok := top["outputs"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		at := root
		if ok {
			at = e.key
		}
		l.errs = append(l.errs, &Error{Pos: l.pos(at), Path: "outputs",
			Msg: "a formula model needs outputs: a mapping of names to expressions, e.g. profit: price * volume - cost"})
		return
	}
	if e.val.Kind != yaml.MappingNode {
		l.errorf(e.key, "outputs", "must be a mapping of names to expressions, e.g. profit: price * volume - cost")
		return
	}
	if len(e.val.Content) == 0 {
		l.errorf(e.val, "outputs", "is empty; a formula model needs at least one output, e.g. profit: price * volume - cost")
		return
	}
	m := l.mapping(e.val, "outputs")
	keys := sortedKeys(m)
	var names []string
	var entries []entry
	for _, k := range keys {
		en := m[k]
		if !l.checkName(s, en.key, "outputs", "output") {
			continue
		}
		if s.InputIndex(k) >= 0 {
			l.errorf(en.key, join("outputs", k), "%s is already an input; an output needs a name of its own", k)
			continue
		}
		names = append(names, k)
		entries = append(entries, en)
	}
	env := FormulaEnv(s, names)
	outs := make([]FormulaOutput, len(names))
	ok = true
	for j, en := range entries {
		x := l.compileAt(en, join("outputs", names[j]), env)
		if x == nil {
			ok = false
			continue
		}
		outs[j] = FormulaOutput{Name: names[j], Expr: x, Pos: l.pos(en.val)}
	}
	if !ok {
		return
	}
	if _, cyc := formulaOrder(len(s.Inputs), outs); cyc != nil {
		path := make([]string, len(cyc))
		for i, j := range cyc {
			path[i] = outs[j].Name
		}
		first := outs[cyc[0]]
		l.errs = append(l.errs, &Error{Pos: first.Pos, Path: join("outputs", first.Name),
			Msg: "the outputs depend on each other in a cycle: " + strings.Join(path, " → ")})
		return
	}
	s.FormulaOutputs = outs
	var exprs []*Expr
	for _, o := range outs {
		exprs = append(exprs, o.Expr)
	}
	warnUnused(s, 0, exprs, "output")
}

// formulaOrder returns an order in which every output comes after the outputs
// it uses, or, when there is none, a cycle (first output repeated at its end).
func formulaOrder(nIn int, outs []FormulaOutput) (order, cycle []int) {
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(outs))
	var stack []int
	var visit func(j int) []int
	visit = func(j int) []int {
		switch state[j] {
		case done:
			return nil
		case active:
			for i, k := range stack {
				if k == j {
					return append(append([]int{}, stack[i:]...), j)
				}
			}
		}
		state[j] = active
		stack = append(stack, j)
		for _, slot := range outs[j].Expr.Slots() {
			if slot >= nIn {
				if c := visit(slot - nIn); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[j] = done
		order = append(order, j)
		return nil
	}
	for j := range outs {
		if c := visit(j); c != nil {
			return nil, c
		}
	}
	return order, nil
}

// canonicalFormula is Canonical for a formula model.
func (s *Scenario) canonicalFormula() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model: %s\n", ModelFormula)
	fmt.Fprintf(&b, "name: %s\n", strconv.Quote(s.Name))
	for _, in := range s.Inputs {
		fmt.Fprintf(&b, "input %s: %s\n", in.Path, in.Dist.String())
	}
	for _, o := range s.FormulaOutputs {
		fmt.Fprintf(&b, "output %s: %s\n", o.Name, strconv.Quote(o.Expr.Text))
	}
	for _, c := range s.Correlations {
		fmt.Fprintf(&b, "correlation: [%s, %s, %s]\n", c.A, c.B, fmtNum(c.Rho))
	}
	return b.String()
}

// Formula is a compiled formula model. It is read-only and safe for concurrent use.
type Formula struct {
	s     *Scenario
	nIn   int
	order []int
	evals []func(v []float64) float64
	outs  []OutputInfo
}

// NewFormula compiles a validated formula scenario.
func NewFormula(s *Scenario) *Formula {
	f := &Formula{s: s, nIn: len(s.Inputs)}
	order, cyc := formulaOrder(f.nIn, s.FormulaOutputs)
	if cyc != nil {
		panic("model: formula outputs in a cycle after validation")
	}
	f.order = order
	for _, o := range s.FormulaOutputs {
		f.evals = append(f.evals, o.Expr.eval)
		f.outs = append(f.outs, formulaOutput(o.Name))
	}
	return f
}

// Outputs lists the outputs, the primary one first.
func (f *Formula) Outputs() []OutputInfo { return f.outs }

// Horizon is 0: a formula model has no month axis.
func (f *Formula) Horizon() int { return 0 }

// NewEvaluator returns an evaluator of the formula model.
func (f *Formula) NewEvaluator() Evaluator {
	return &formulaEvaluator{f: f, v: make([]float64, f.nIn+len(f.outs)), fault: -1}
}

type formulaEvaluator struct {
	f     *Formula
	v     []float64
	fault int // the first output, in evaluation order, that was not finite; −1 for none
}

// Eval implements Evaluator: risk draws and cum are ignored.
func (e *formulaEvaluator) Eval(x []float64, _ RiskDraws, _ bool, out, _ []float64) Outcome {
	f, v := e.f, e.v
	copy(v, x)
	e.fault = -1
	for _, j := range f.order {
		y := f.evals[j](v)
		if y-y != 0 && e.fault < 0 {
			e.fault = j
		}
		v[f.nIn+j] = y
	}
	copy(out, v[f.nIn:])
	return OK
}

// NonFinite implements NonFiniteReporter.
func (e *formulaEvaluator) NonFinite() (string, float64) {
	if e.fault < 0 {
		return "", 0
	}
	o := e.f.s.FormulaOutputs[e.fault]
	return fmt.Sprintf("output %s (%s)", o.Name, o.Pos), e.v[e.f.nIn+e.fault]
}
