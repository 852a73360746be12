package model

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Extra inputs (the inputs: section) are uncertain values of the analyst's
// own. They follow the built-in parameters in Scenario.Inputs, with their bare
// name as Path, so sampling, correlations, samples.csv, the tornado and the
// common random numbers (a stream per name) treat them like the built-ins.

// inputNameRE is the form of an extra input's name.
var inputNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// MaxInputNameLen is the longest name an extra input may have.
const MaxInputNameLen = 64

// Month variables of a custom line, in the order of their slots after the inputs.
const (
	varT = iota
	varK
	varA
	varS
	varRb
	varBuild
	varLive
	numMonthVars
)

// MonthVars names the variables a custom line sees for each month:
// t (month), k (run month, ≤ 0 while building), A (adoption A(k)), S
// (sales-lagged adoption), Rb (baseline revenue), build (1 in build months)
// and live (1 in run months where benefits count).
var MonthVars = [numMonthVars]string{"t", "k", "A", "S", "Rb", "build", "live"}

// reservedName says why name cannot name an extra input or a formula output,
// or returns "" when it can. In a CRM scenario (crm) a name may not shadow a
// built-in parameter, setting or section either.
func reservedName(name string, crm bool) string {
	for _, v := range MonthVars {
		if name == v {
			return "is a variable of custom lines (t, k, A, S, Rb, build, live)"
		}
	}
	if _, ok := exprConstants[name]; ok {
		return "is a constant of the expression language"
	}
	if _, ok := exprFuncs[name]; ok {
		return "is a function of the expression language"
	}
	for _, k := range exprKeywords {
		if name == k {
			return "is a word of the expression language"
		}
	}
	if !crm {
		return ""
	}
	for _, b := range Builtin {
		if name == b.Name || name == b.Section {
			return fmt.Sprintf("shadows the built-in parameter %s", b.Path)
		}
	}
	for _, st := range Settings {
		if name == st.Name {
			return "shadows the built-in setting " + st.Path
		}
	}
	for _, k := range append(append([]string{}, topKeys...), "custom", "inputs", "outputs") {
		if name == k {
			return "is the name of a scenario setting or section"
		}
	}
	for _, p := range append(append([]ParamInfo{}, riskParams...), teiParams[0].ParamInfo, teiParams[1].ParamInfo) {
		if name == p.Name {
			return "shadows the built-in parameter " + p.Path
		}
	}
	return ""
}

// checkName validates the name of an extra input or formula output of s,
// written at node k; what is "input" or "output".
func (l *loader) checkName(s *Scenario, k *yaml.Node, section, what string) bool {
	name := k.Value
	path := join(section, name)
	switch {
	case !inputNameRE.MatchString(name):
		l.errorf(k, path, "an %s name is made of letters, digits and _, and does not start with a digit", what)
		return false
	case len(name) > MaxInputNameLen:
		l.errorf(k, path, "an %s name has at most %d characters", what, MaxInputNameLen)
		return false
	}
	if why := reservedName(name, !s.IsFormula()); why != "" {
		l.errorf(k, path, "%s cannot be an %s name: it %s; choose another name", name, what, why)
		return false
	}
	return true
}

// inputsSection returns the entries of the inputs: mapping (nil when absent),
// reporting a value that is not a mapping.
func (l *loader) inputsSection(top map[string]entry) (*yaml.Node, map[string]entry) {
	e, ok := top["inputs"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		return nil, nil
	}
	if e.val == nil || e.val.Kind != yaml.MappingNode {
		l.errorf(e.key, "inputs", "must be a mapping of names to numbers or distributions, e.g. assortment_gain: pert(0.1, 0.3, 0.5)")
		return nil, nil
	}
	return e.val, l.mapping(e.val, "inputs")
}

// extraInputs reads the inputs: section into s.Inputs, after what is there.
func (l *loader) extraInputs(s *Scenario, top map[string]entry) {
	node, m := l.inputsSection(top)
	for _, k := range sortedKeys(m) {
		e := m[k]
		if !l.checkName(s, e.key, "inputs", "input") {
			if node.Style&yaml.FlowStyle != 0 && !inputNameRE.MatchString(k) {
				l.errorf(e.key, "inputs", "in a {…} mapping, commas separate entries: quote a distribution that has commas, e.g. {a: 'normal(0, 1)'}, or write one input per line")
			}
			continue
		}
		p := ParamInfo{Path: k, Name: k, Section: "inputs", Unit: "analyst's own", Domain: anyReal, Index: len(s.Inputs)}
		in := Input{Path: k}
		if d, ok := l.dist(e, p); ok {
			in.Dist, in.Pos = d, l.pos(e.val)
		}
		s.Inputs = append(s.Inputs, in)
	}
}

// setInput applies --set NAME=VALUE to an extra input NAME of the file; it
// reports whether the file has such an input.
func (l *loader) setInput(top map[string]entry, s Set, val *yaml.Node) bool {
	if strings.Contains(s.Name, ".") {
		return false
	}
	e, ok := top["inputs"]
	if !ok || e.val == nil || e.val.Kind != yaml.MappingNode {
		return false
	}
	m := l.mappingQuiet(e.val)
	if _, ok := m[s.Name]; !ok {
		return false
	}
	setKey(e.val, m, s.Name, val)
	return true
}

// mappingQuiet reads a mapping's entries without reporting anything (the
// mapping's errors are reported when it is read for real).
func (l *loader) mappingQuiet(n *yaml.Node) map[string]entry {
	out := map[string]entry{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if _, dup := out[k.Value]; !dup {
			out[k.Value] = entry{k, deref(n.Content[i+1])}
		}
	}
	return out
}

// warnUnused adds a warning for each extra input (from index first of
// s.Inputs) that no expression in exprs reads.
func warnUnused(s *Scenario, first int, exprs []*Expr, where string) {
	used := map[int]bool{}
	for _, x := range exprs {
		if x == nil {
			continue
		}
		for _, slot := range x.Slots() {
			used[slot] = true
		}
	}
	for i := first; i < len(s.Inputs); i++ {
		if _, fin := FinanceParam(s.Inputs[i].Path); fin {
			continue // a parameter of the model, not an extra input
		}
		if !used[i] {
			s.Warnings = append(s.Warnings, fmt.Sprintf("input %s is not used by any %s: it changes no result", s.Inputs[i].Path, where))
		}
	}
}

// inputNames lists the extra inputs of the file, for suggestions.
func (l *loader) inputNames(top map[string]entry) []string {
	e, ok := top["inputs"]
	if !ok || e.val == nil || e.val.Kind != yaml.MappingNode {
		return nil
	}
	var names []string
	for i := 0; i+1 < len(e.val.Content); i += 2 {
		names = append(names, e.val.Content[i].Value)
	}
	return names
}

// exprPos is the place in the file of an error at (line, col) of the
// expression written in node n: exact for a one-line value and for a literal
// block (|), the value's own place otherwise.
func (l *loader) exprPos(n *yaml.Node, ee *ExprError) Pos {
	pos := l.pos(n)
	if _, fromSet := l.setPos[n]; fromSet {
		pos.Col += ee.Col - 1
		return pos
	}
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		// The text starts on the line after the indicator, indented as its first line.
		if first := l.srcLine(n.Line + 1); strings.TrimSpace(first) != "" {
			indent := len(first) - len(strings.TrimLeft(first, " "))
			return Pos{File: l.file, Line: n.Line + ee.Line, Col: indent + ee.Col}
		}
	case n.Style&yaml.FoldedStyle != 0:
	case ee.Line == 1:
		col := n.Column
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			col++
		}
		// Check that the text really is there as written (no escapes, one line).
		src := []rune(l.srcLine(n.Line))
		text := []rune(n.Value)
		if col-1+ee.Col-1 <= len(src) && ee.Col-1 <= len(text) &&
			strings.HasPrefix(string(src[min(col-1, len(src)):]), string(text[:ee.Col-1])) {
			return Pos{File: l.file, Line: n.Line, Col: col + ee.Col - 1}
		}
	}
	return pos
}

// srcLine returns line (1-based) of the file being loaded, or "".
func (l *loader) srcLine(line int) string {
	if line < 1 || line > len(l.lines) {
		return ""
	}
	return l.lines[line-1]
}

// compileAt compiles the expression of entry e (at path) over env, reporting
// an error at its place in the file.
func (l *loader) compileAt(e entry, path string, env *ExprEnv) *Expr {
	n := e.val
	if n == nil || n.Tag == "!!null" {
		l.errorf(e.key, path, "has no expression")
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		l.errorf(n, path, "expected an expression, e.g. 0.3 * A * 400e3, got a %s", kindName(n.Kind))
		return nil
	}
	x, err := CompileExpr(n.Value, env)
	if err != nil {
		ee, ok := err.(*ExprError)
		if !ok {
			l.errorf(n, path, "%v", err)
			return nil
		}
		l.errs = append(l.errs, &Error{Pos: l.exprPos(n, ee), Path: path, Msg: ee.Msg})
		return nil
	}
	return x
}
