package model

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Custom lines are monthly benefit or cost lines of the analyst's own, added
// to B_t or C_t of a CRM scenario:
//
//	custom:
//	  - name: Assortment policy savings
//	    kind: benefit            # benefit or cost
//	    monthly: assortment_gain * 400e3 * A
//
// The expression sees every parameter by its full name, the extra inputs and
// the month variables MonthVars. A benefit line counts only in months where
// live = 1; a cost line is paid in every month except after a cancellation
// (t > tc) and, after an abandonment, beyond the yearly subscription term
// (k > 12·⌈ka/12⌉), the last months in which model.md still has costs run;
// multiply by (build or live) for a cost that stops with the project like
// support. A line is evaluated only in the months where it counts.

// CustomKind says whether a custom line adds to the benefits or to the costs.
type CustomKind string

// The kinds of custom lines.
const (
	Benefit CustomKind = "benefit"
	Cost    CustomKind = "cost"
)

// CustomLine is one monthly line of the analyst's own in a CRM scenario.
type CustomLine struct {
	Name string
	Kind CustomKind
	// Expr is the monthly value, over CustomEnv's slots.
	Expr *Expr
	Pos  Pos // where the monthly expression is written
}

// customKeys are the keys of a custom line.
var customKeys = []string{"name", "kind", "monthly"}

// CustomEnv is the environment of custom-line expressions for s: the inputs
// of s by path (slot i is s.Inputs[i]), then MonthVars.
func CustomEnv(s *Scenario) *ExprEnv {
	env := inputsEnv(s, MonthVars[:])
	for _, st := range Settings {
		env.Explain(st.Path, "is a number-only setting, not a variable; write its value, or make it an extra input")
	}
	for _, p := range riskParams {
		env.Explain(p.Path, "is a risk probability, not a variable: the risk events are in live and build")
	}
	return env
}

// inputsEnv is an environment of s's inputs by path (slot i is
// s.Inputs[i]), then the names in after, in the slots that follow.
func inputsEnv(s *Scenario, after []string) *ExprEnv {
	env := NewExprEnv()
	for i, in := range s.Inputs {
		env.Define(in.Path, i)
	}
	for j, name := range after {
		env.Define(name, len(s.Inputs)+j)
	}
	return env
}

// customLines reads the custom: list of a CRM scenario; the inputs must be read already.
func (l *loader) customLines(s *Scenario, top map[string]entry) {
	e, ok := top["custom"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		return
	}
	if e.val == nil || e.val.Kind != yaml.SequenceNode {
		l.errorf(e.key, "custom", "must be a list of lines, each with name:, kind: (benefit or cost) and monthly:")
		return
	}
	env := CustomEnv(s)
	seen := map[string]int{}
	for i, item := range e.val.Content {
		item = deref(item)
		path := fmt.Sprintf("custom[%d]", i+1)
		if item.Kind != yaml.MappingNode {
			l.errorf(item, path, "each line must be a mapping with name:, kind: (benefit or cost) and monthly:")
			continue
		}
		m := l.mapping(item, path)
		line := CustomLine{}
		bad := false
		if ne, ok := m["name"]; ok {
			line.Name = strings.TrimSpace(l.text(m, "name", ""))
			switch {
			case line.Name == "":
				l.errorf(ne.key, join(path, "name"), "a custom line needs a name")
				bad = true
			case seen[line.Name] > 0:
				l.errorf(ne.val, join(path, "name"), "the name %q is already used by the line at line %d", line.Name, seen[line.Name])
				bad = true
			default:
				seen[line.Name] = ne.key.Line
				path = fmt.Sprintf("custom[%d] (%s)", i+1, line.Name)
			}
		}
		for _, k := range sortedKeys(m) {
			if !contains(customKeys, k) {
				l.unknownf(m[k].key, join(path, k), "unknown key of a custom line%s; a line has name, kind and monthly", suggest(k, customKeys))
			}
		}
		for _, k := range customKeys {
			if _, ok := m[k]; !ok {
				l.errorf(item, join(path, k), "missing; a custom line has name:, kind: (benefit or cost) and monthly:")
				bad = true
			}
		}
		if ke, ok := m["kind"]; ok {
			kind := l.text(m, "kind", "")
			switch CustomKind(kind) {
			case Benefit, Cost:
				line.Kind = CustomKind(kind)
			default:
				at := ke.val
				if at == nil {
					at = ke.key
				}
				l.errorf(at, join(path, "kind"), "kind must be benefit or cost, got %q", kind)
				bad = true
			}
		}
		if me, ok := m["monthly"]; ok {
			line.Expr = l.compileAt(me, path+".monthly", env)
			if line.Expr == nil {
				bad = true
			} else {
				line.Pos = l.pos(me.val)
			}
		}
		if !bad {
			s.Custom = append(s.Custom, line)
		}
	}
}

// warnUnusedInputs warns of extra inputs of a CRM scenario that no custom line uses.
func (l *loader) warnUnusedInputs(s *Scenario) {
	if len(l.errs) > 0 || len(s.Inputs) == NumBuiltin {
		return
	}
	var exprs []*Expr
	for _, c := range s.Custom {
		exprs = append(exprs, c.Expr)
	}
	where := "custom line"
	if s.Gate != nil {
		exprs = append(exprs, s.Gate.StopIf)
		where = "custom line or the gate"
	}
	warnUnused(s, NumBuiltin, exprs, where)
}

// compiledLine is a custom line ready to evaluate.
type compiledLine struct {
	eval    func(v []float64) float64
	benefit bool
}

// fault records the first custom line that gave a value that is not a finite number.
type fault struct {
	line  int // index in CRM.custom, −1 for none
	month int
	value float64
}

// customPass evaluates the custom lines for months 1..H of one iteration and
// adds them to ws.ben (benefits) and ws.cost (costs), each line only where it counts.
// Months t are 0-based here; runEnd is the first month (0-based) in which
// benefits no longer count and costEnd the first in which costs no longer run.
func (m *CRM) customPass(x []float64, ws *Workspace, g, runEnd, costEnd int, cancelled bool, revenue, grow float64) {
	H := m.h
	v := ws.vars
	copy(v, x)
	n := len(x)
	ben, cost, ad, sl := ws.ben[:H], ws.cost[:H], ws.ad[:H], ws.sl[:H]
	ws.fault = fault{line: -1}
	rb := revenue
	for t := 0; t < H; t++ {
		k := t + 1 - g
		live := !cancelled && k >= 1 && t < runEnd
		build := t < g
		v[n+varT], v[n+varK], v[n+varRb] = float64(t+1), float64(k), rb
		v[n+varA], v[n+varS], v[n+varBuild], v[n+varLive] = ad[t], 0, b2f(build), b2f(live)
		if live {
			v[n+varS] = sl[t]
		}
		costs := t < costEnd
		b, c := 0.0, 0.0
		for i := range m.custom {
			cl := &m.custom[i]
			if cl.benefit && !live || !cl.benefit && !costs {
				continue
			}
			y := cl.eval(v)
			if y-y != 0 && ws.fault.line < 0 {
				ws.fault = fault{line: i, month: t + 1, value: y}
			}
			if cl.benefit {
				b += y
			} else {
				c += y
			}
		}
		ben[t] += b
		cost[t] += c
		rb *= grow
	}
}

// describeFault names the custom line that went wrong, or returns "".
func (m *CRM) describeFault(f fault) string {
	if f.line < 0 {
		return ""
	}
	if f.line == gateFault {
		g := m.gate
		return fmt.Sprintf("gate.stop_if %q (%s) at the end of run month %d (month %d)", g.StopIf.Text, g.Pos, g.RunMonth, f.month)
	}
	l := m.scenario.Custom[f.line]
	return fmt.Sprintf("custom %s line %q (%s) in month %d", l.Kind, l.Name, l.Pos, f.month)
}
