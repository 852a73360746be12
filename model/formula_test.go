package model

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

const linearYAML = `name: Linear
model: formula
inputs:
  a: normal(1, 2)
  b: uniform(0, 6)
  c: 4
outputs:
  y: 3 + 2*a - 0.5*b + c*1.5
  double: 2 * y
  z: y - double / 2 + b
`

func TestFormulaLoadAndEval(t *testing.T) {
	s := mustParse(t, linearYAML)
	if !s.IsFormula() || len(s.Inputs) != 3 || len(s.FormulaOutputs) != 3 || s.Horizon != 0 {
		t.Fatalf("scenario: %+v", s)
	}
	m := Compile(s)
	if m.Horizon() != 0 || len(m.Outputs()) != 3 || m.Outputs()[0].Name != "y" || m.Outputs()[2].Name != "z" {
		t.Fatalf("model outputs %+v", m.Outputs())
	}
	ev := m.NewEvaluator()
	out := make([]float64, 3)
	ev.Eval([]float64{2, 4, 4}, RiskDraws{}, false, out, nil)
	if y := 3 + 4 - 2 + 6.0; out[0] != y || out[1] != 2*y || out[2] != 4 {
		t.Errorf("outputs %v", out)
	}
	x := []float64{2, 4, 4}
	if a := testing.AllocsPerRun(100, func() { ev.Eval(x, RiskDraws{}, false, out, nil) }); a != 0 {
		t.Errorf("%v allocations per iteration", a)
	}
	d, err := Analyze(s, m)
	if err != nil {
		t.Fatal(err)
	}
	// Plan: a at its mean 1, b at its mean 3: y = 3 + 2 − 1.5 + 6 = 9.5.
	if len(d.PlanValues) != 3 || d.PlanValues[0] != 9.5 || d.PlanValues[1] != 19 || d.PlanValues[2] != 3 {
		t.Errorf("plan %v", d.PlanValues)
	}
	if len(d.Tornado) != 2 || d.Tornado[0].Input != "a" || d.Tornado[1].Input != "b" {
		t.Fatalf("tornado %+v", d.Tornado)
	}
	// a's P10 and P90 are 1 ∓ 2·1.2816; y moves by 2 per unit of a.
	ta := d.Tornado[0]
	if math.Abs(ta.Swing-2*(ta.HighValue-ta.LowValue)) > 1e-9 || math.Abs(ta.NPVLow-(9.5+2*(ta.LowValue-1))) > 1e-9 {
		t.Errorf("tornado row of a: %+v", ta)
	}
	if tb := d.Tornado[1]; math.Abs(tb.NPVHigh-(9.5-0.5*(tb.HighValue-3))) > 1e-9 {
		t.Errorf("tornado row of b: %+v", tb)
	}
	if c := s.Canonical(); !strings.Contains(c, "model: formula") || !strings.Contains(c, `output double: "2 * y"`) {
		t.Errorf("canonical:\n%s", c)
	}
	s2 := mustParse(t, strings.Replace(linearYAML, "2 * y", "2.0 * y", 1))
	if s2.SHA256() == s.SHA256() {
		t.Error("the hash does not change with an output")
	}
}

func TestFormulaOrder(t *testing.T) {
	s := mustParse(t, "model: formula\ninputs: {x: 1}\noutputs:\n  a: b + c\n  b: c * 2\n  c: x + 1\n")
	order, cyc := formulaOrder(len(s.Inputs), s.FormulaOutputs)
	if cyc != nil || fmt.Sprint(order) != "[2 1 0]" {
		t.Errorf("order %v cycle %v", order, cyc)
	}
	out := make([]float64, 3)
	Compile(s).NewEvaluator().Eval([]float64{1}, RiskDraws{}, false, out, nil)
	if fmt.Sprint(out) != "[6 4 2]" {
		t.Errorf("outputs %v", out)
	}
}

// TestScenarioErrors: errors in inputs, custom lines and formula models are
// reported at their file:line:col, with the path, all of them, before anything runs.
func TestScenarioErrors(t *testing.T) {
	crm := func(extra string) string { return withText(t, "risks:", extra+"risks:") }
	// at is a place relative to the line after risks: in the default scenario,
	// where crm inserts its text.
	risks := 2 + strings.Count(string(DefaultYAML[:strings.Index(string(DefaultYAML), "\nrisks:")+1]), "\n")
	at := func(line, col int) string { return fmt.Sprintf("test.yaml:%d:%d", risks+line, col) }
	cases := []struct {
		name, text string
		sets       []string
		pos, path  string
		want       string
	}{
		{"unknown variable", crm("custom:\n  - name: X\n    kind: benefit\n    monthly: 2 * compny.margin\n"),
			nil, at(2, 18), "custom[1] (X).monthly", "did you mean company.margin"},
		{"quoted", crm("custom:\n  - name: X\n    kind: benefit\n    monthly: \"A * foo(2)\"\n"),
			nil, at(2, 19), "custom[1] (X).monthly", "unknown function foo"},
		{"literal block", crm("custom:\n  - name: X\n    kind: benefit\n    monthly: |\n      A *\n        (2 +)\n"),
			nil, at(4, 13), "custom[1] (X).monthly", "syntax error"},
		{"flow mapping", crm("custom:\n  - {name: X, kind: cost, monthly: A + Rbb}\n"),
			nil, at(0, 40), "custom[1] (X).monthly", "did you mean Rb"},
		{"bad kind", crm("custom:\n  - {name: X, kind: saving, monthly: A}\n"),
			nil, at(0, 21), "custom[1] (X).kind", "benefit or cost"},
		{"missing monthly", crm("custom:\n  - {name: X, kind: cost}\n"),
			nil, at(0, 5), "custom[1] (X).monthly", "missing"},
		{"duplicate line", crm("custom:\n  - {name: X, kind: cost, monthly: 1}\n  - {name: X, kind: cost, monthly: 2}\n"),
			nil, at(1, 12), "custom[2].name", "already used"},
		{"unknown key", crm("custom:\n  - {name: X, kind: cost, monthly: 1, montly: 2}\n"),
			nil, at(0, 39), "custom[1] (X).montly", "did you mean monthly"},
		{"constant NaN", crm("custom:\n  - {name: X, kind: cost, monthly: sqrt(-4) * A}\n"),
			nil, at(0, 36), "custom[1] (X).monthly", "NaN whatever the inputs"},
		{"shadowing input", crm("inputs:\n  margin: 0.3\n"),
			nil, at(0, 3), "inputs.margin", "shadows the built-in parameter company.margin"},
		{"month variable as input", crm("inputs:\n  A: 0.3\n"),
			nil, at(0, 3), "inputs.A", "variable of custom lines"},
		{"function as input", crm("inputs:\n  log: 0.3\n"),
			nil, at(0, 3), "inputs.log", "function"},
		{"section as input", crm("inputs:\n  company: 0.3\n"),
			nil, at(0, 3), "inputs.company", "shadows the built-in parameter"},
		{"bad input name", crm("inputs:\n  2x: 0.3\n"),
			nil, at(0, 3), "inputs.2x", "letters, digits and _"},
		{"bad input value", crm("inputs:\n  gain: pert(1, 2)\n"),
			nil, at(0, 9), "gain", "pert"},
		{"set unknown input", crm("inputs:\n  gain: 0.3\n"),
			[]string{"gian=0.2"}, "--set:1:1", "gian", "did you mean gain"},
		{"set bad input", crm("inputs:\n  gain: 0.3\n"),
			[]string{"gain=normal(1)"}, "--set:1", "gain", ""},
		{"formula cycle", "model: formula\ninputs: {x: 1}\noutputs:\n  a: b + x\n  b: a * 2\n",
			nil, "test.yaml:4:6", "outputs.a", "cycle: a → b → a"},
		{"formula self", "model: formula\ninputs: {x: 1}\noutputs:\n  a: a + x\n",
			nil, "test.yaml:4:6", "outputs.a", "cycle: a → a"},
		{"formula CRM section", "model: formula\ninputs: {x: 1}\noutputs: {y: x}\ncompany: {revenue: 1}\n",
			nil, "test.yaml:4:1", "company", "part of the CRM model"},
		{"formula month variable", "model: formula\ninputs: {x: 1}\noutputs:\n  y: x * A\n",
			nil, "test.yaml:4:10", "outputs.y", "custom lines of a CRM scenario"},
		{"formula CRM parameter", "model: formula\ninputs: {x: 1}\noutputs:\n  y: x * company.margin\n",
			nil, "test.yaml:4:10", "outputs.y", "parameter of the CRM model"},
		{"formula no outputs", "model: formula\ninputs: {x: 1}\n",
			nil, "test.yaml:1:1", "outputs", "needs outputs"},
		{"formula output named as input", "model: formula\ninputs: {x: 1}\noutputs: {x: 2}\n",
			nil, "test.yaml:3:11", "outputs.x", "already an input"},
		{"formula correlation", "model: formula\ninputs:\n  x: uniform(0, 1)\n  y: uniform(0, 1)\noutputs: {z: x + y}\ncorrelations: [[x, w, 0.5]]\n",
			nil, "test.yaml:6:20", "correlations", "unknown parameter \"w\""},
		{"unknown model", "model: formulas\n", nil, "test.yaml:1:8", "model", "crm, formula"},
	}
	for _, c := range cases {
		var sets []Set
		for i, a := range c.sets {
			s, err := ParseSet(a, i+1)
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, s)
		}
		_, err := Parse("test.yaml", []byte(c.text), sets)
		var el ErrorList
		if !errors.As(err, &el) {
			t.Errorf("%s: got %v, want an ErrorList", c.name, err)
			continue
		}
		found := false
		for _, e := range el {
			if strings.HasPrefix(e.Pos.String(), c.pos) && e.Path == c.path && strings.Contains(e.Msg, c.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: got\n%v\nwant %s: %s: …%s…", c.name, err, c.pos, c.path, c.want)
		}
	}
}

// TestUnusedInputWarning: an extra input that no expression reads is worth a warning.
func TestUnusedInputWarning(t *testing.T) {
	s := mustParse(t, "model: formula\ninputs:\n  a: normal(0, 1)\n  b: 3\noutputs:\n  y: 2 * a\n")
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "input b is not used by any output") {
		t.Errorf("warnings %q", s.Warnings)
	}
	c := mustParse(t, withText(t, "risks:", "inputs:\n  g: pert(0, 1, 2)\n  h: 1\ncustom:\n  - {name: x, kind: cost, monthly: g * 1e3}\nrisks:"))
	found := 0
	for _, w := range c.Warnings {
		if strings.Contains(w, "input h is not used by any custom line") {
			found++
		}
		if strings.Contains(w, "input g") {
			t.Errorf("g is used: %q", w)
		}
	}
	if found != 1 {
		t.Errorf("warnings %q", c.Warnings)
	}
}
