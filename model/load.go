package model

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/distributions"
	"go.yaml.in/yaml/v3"
	"gonum.org/v1/gonum/mat"
)

// Set is a parameter override from the command line, --set NAME=VALUE.
type Set struct {
	Name, Value string
	N           int // 1-based number of the --set flag, for error positions
}

// ParseSet splits "NAME=VALUE"; n is the flag's 1-based number.
func ParseSet(arg string, n int) (Set, error) {
	name, value, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return Set{}, &Error{Pos: Pos{File: "--set", Line: n, Col: 1}, Msg: fmt.Sprintf("expected NAME=VALUE, got %q", arg), Key: MsgBadSet, Args: []any{arg}}
	}
	return Set{Name: name, Value: value, N: n}, nil
}

// loader collects the errors of one file.
type loader struct {
	file   string
	lines  []string // the file's text, for the places of errors in expressions
	errs   ErrorList
	setPos map[*yaml.Node]Set
	data   *dataCache        // empirical inputs' data, read once (model/empirical.go)
	files  map[string][]byte // when not nil, the data files (by resolved path): the only ones, unless record is set too
	record map[string][]byte // when not nil, receives the data files read from the disk
	warns  ErrorList         // warnings with their places (domain cuts, implausible values)
	notes  []string          // cuts too small for a warning
}

// warnAt records a warning at pos.
func (l *loader) warnAt(pos Pos, path, msg string) {
	l.warns = append(l.warns, &Error{Pos: pos, Path: path, Msg: msg})
}

func (l *loader) pos(n *yaml.Node) Pos {
	if s, ok := l.setPos[n]; ok {
		return Pos{File: "--set", Line: s.N, Col: len(s.Name) + 2}
	}
	return Pos{File: l.file, Line: n.Line, Col: n.Column}
}

// keyed reports at n an error whose message has a translation (MsgKey):
// key and kargs for it, format and args for the English message.
func (l *loader) keyed(n *yaml.Node, path string, key MsgKey, kargs []any, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.pos(n), Path: path, Msg: fmt.Sprintf(format, args...), Key: key, Args: kargs})
}

func (l *loader) errorf(n *yaml.Node, path, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.pos(n), Path: path, Msg: fmt.Sprintf(format, args...)})
}

// unknownf reports at n a name that is no parameter, setting, section, key or
// input (Code UnknownName).
func (l *loader) unknownf(n *yaml.Node, path, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.pos(n), Path: path, Msg: fmt.Sprintf(format, args...), Code: UnknownName})
}

// Scenario applies the overrides sets to a copy of the document's tree, as
// if written in the file, and validates every value: the second of a
// scenario's jobs (document.go). Every error found is returned, as an
// ErrorList, in file order.
func (d *Document) Scenario(sets []Set) (*Scenario, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := &loader{file: d.src.File, setPos: map[*yaml.Node]Set{}, lines: d.lines, files: d.src.Data}
	if d.disk {
		l.record = d.src.Data
	}
	root := d.root
	if len(sets) > 0 { // applySets writes into the tree
		root = cloneTree(root)
	}
	m := l.mapping(root, "")
	l.applySets(root, m, sets)
	s := l.scenario(root, m)
	if len(l.errs) > 0 {
		sortErrors(l.errs, l.file)
		return nil, l.errs
	}
	s.File = l.file
	if !s.IsFormula() {
		l.crossChecks(s)
		l.planCheck(s)
	}
	l.attachWarnings(s)
	s.doc, s.sets = d, append([]Set(nil), sets...)
	return s, nil
}

// With returns the scenario s with the overrides sets applied after those it
// was made with (each Set's N numbering it among all of them), made from the
// same Document: nothing is read or decoded again, and every value is
// validated as Document.Scenario does. s is not changed.
func (s *Scenario) With(sets ...Set) (*Scenario, error) {
	if s.doc == nil {
		return nil, errors.New("model: Scenario.With needs a scenario made from a Document")
	}
	return s.doc.Scenario(append(append([]Set(nil), s.sets...), sets...))
}

// entry is one key of a mapping with its nodes.
type entry struct {
	key, val *yaml.Node
}

// mapping reads a mapping node into its entries, reporting duplicate and non-scalar keys.
func (l *loader) mapping(n *yaml.Node, path string) map[string]entry {
	out := map[string]entry{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.errorf(k, path, "keys must be plain names")
			continue
		}
		if k.Value == "<<" {
			l.errorf(k, path, "YAML merge keys (<<) are not supported in scenarios")
			continue
		}
		if prev, dup := out[k.Value]; dup {
			l.errorf(k, join(path, k.Value), "given twice (first at line %d)", prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
	}
	return out
}

// deref follows a YAML alias to its anchor (no copying, so alias bombs cost nothing).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func join(section, name string) string {
	if section == "" {
		return name
	}
	return section + "." + name
}

var sections = []string{"company", "benefits", "adoption", "costs"}

// topKeys are the keys a CRM scenario may have at the top level.
var topKeys = []string{"name", "description", "model", "currency", "discount_rate",
	"horizon_months", "seats", "implementation_months", "sales_lag_months",
	"subscription_escalation", "presale_seat_share",
	"company", "benefits", "adoption", "costs", "risks", "correlations", "tei", "inputs", "custom", "groups", "finance", "gate"}

// settable lists every path --set may name.
func settable() []string {
	p := []string{"name", "currency"}
	for _, s := range Settings {
		p = append(p, s.Path)
	}
	for _, b := range Builtin {
		p = append(p, b.Path)
	}
	for _, r := range riskParams {
		p = append(p, r.Path)
	}
	for _, t := range teiParams {
		p = append(p, t.Path)
	}
	for _, f := range FinanceParams {
		p = append(p, f.Path)
	}
	for _, g := range gateParams {
		p = append(p, g.Path)
	}
	return append(p, "gate.stop_if")
}

// applySets puts the --set values into the document, as if written in the file.
func (l *loader) applySets(root *yaml.Node, top map[string]entry, sets []Set) {
	known := settable()
	for _, s := range sets {
		ok := false
		for _, k := range known {
			if k == s.Name {
				ok = true
				break
			}
		}
		val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.TrimSpace(s.Value)}
		if !ok && l.setInput(top, s, val) { // an extra input of the file
			l.setPos[val] = s
			continue
		}
		if !ok {
			candidates := append(known, l.inputNames(top)...)
			msg := "unknown parameter" + suggest(s.Name, candidates)
			key, args := MsgUnknownSetting, []any{s.Name, nearest(s.Name, candidates)}
			if sec, name, nested := strings.Cut(s.Name, "."); nested && contains(sections, sec) && nearest(s.Name, candidates) == "" {
				var names []string
				for _, b := range Builtin {
					if b.Section == sec {
						names = append(names, b.Name)
					}
				}
				msg = unknownParam(sec, name, names, entry{val: val})
				key, args = MsgUnknownParam, unknownParamArgs(sec, name, names)
			}
			l.errs = append(l.errs, &Error{Pos: Pos{File: "--set", Line: s.N, Col: 1}, Path: s.Name, Msg: msg, Code: UnknownName, Key: key, Args: args})
			continue
		}
		l.setPos[val] = s
		section, name, nested := strings.Cut(s.Name, ".")
		if !nested {
			setKey(root, top, section, val)
			continue
		}
		sec, exists := top[section]
		if !exists || sec.val == nil || sec.val.Kind != yaml.MappingNode {
			if exists && sec.val != nil && sec.val.Kind != yaml.MappingNode && sec.val.Tag != "!!null" {
				continue // the section's own error is reported later
			}
			m := &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
			setKey(root, top, section, m)
			sec = top[section]
		}
		sub := l.mapping(sec.val, section)
		setKey(sec.val, sub, name, val)
	}
}

// setKey sets key to val in mapping node n whose entries are m.
func setKey(n *yaml.Node, m map[string]entry, key string, val *yaml.Node) {
	if e, ok := m[key]; ok {
		for i := 1; i < len(n.Content); i += 2 {
			if n.Content[i-1] == e.key {
				n.Content[i] = val
			}
		}
		m[key] = entry{e.key, val}
		return
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: 1, Column: 1}
	n.Content = append(n.Content, k, val)
	m[key] = entry{k, val}
}

// scalar returns the text of a scalar value, reporting anything else.
func (l *loader) scalar(e entry, path string) (string, bool) {
	v := e.val
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		l.errorf(e.key, path, "has no value")
		return "", false
	}
	if v.Kind != yaml.ScalarNode {
		l.errorf(v, path, "expected a number or a distribution expression, got a %s", kindName(v.Kind))
		return "", false
	}
	return v.Value, true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// dist parses the value of an uncertain parameter and checks it against the parameter's domain.
func (l *loader) dist(e entry, p ParamInfo) (distributions.Dist, bool) {
	text, ok := l.scalar(e, p.Path)
	if !ok {
		return nil, false
	}
	d, err := l.parseDist(text)
	if err != nil {
		pos := l.pos(e.val)
		var se *distributions.SyntaxError
		if errors.As(err, &se) {
			if _, fromSet := l.setPos[e.val]; fromSet || e.val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				pos.Col += se.Offset
				if e.val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
					pos.Col++
				}
			}
			l.errs = append(l.errs, &Error{Pos: pos, Path: p.Path, Msg: se.Msg, Key: MsgDistribution, Args: []any{se.Msg}})
		} else {
			l.errs = append(l.errs, &Error{Pos: pos, Path: p.Path, Msg: err.Error(), Key: MsgDistribution, Args: []any{err.Error()}})
		}
		return nil, false
	}
	if p.NumberOnly && !d.Fixed() {
		l.keyed(e.val, p.Path, MsgPlainNumber, []any{text}, "must be a plain number, not a distribution (got %s)", text)
		return nil, false
	}
	if d.Fixed() {
		v := d.Plan()
		if !p.Domain.Contains(v) {
			msg := fmt.Sprintf("must lie in %s (%s), got %s", p.Domain, p.Unit, fmtNum(v))
			var fixes []string
			altText := ""
			if alt, ok := l.percentReading(p, d); ok {
				msg += "; did you mean " + alt.text + "?"
				fixes = append(fixes, alt.fixes...)
				altText = alt.text
			}
			l.errs = append(l.errs, &Error{Pos: l.pos(e.val), Path: p.Path, Msg: msg, Fixes: fixes, Key: MsgNotInDomain, Args: []any{fmtNum(v), altText}})
			return nil, false
		}
		if p.Integer && v != math.Trunc(v) {
			l.keyed(e.val, p.Path, MsgWholeNumber, []any{fmtNum(v)}, "must be a whole number, got %s", fmtNum(v))
			return nil, false
		}
		if !l.withinLimit(e, p, d) {
			return nil, false
		}
		l.plausible(e, p, d, text)
		return d, true
	}
	d, ok = l.inDomain(e, p, d, text)
	if !ok || !l.withinLimit(e, p, d) {
		return nil, false
	}
	l.plausible(e, p, d, text)
	return d, true
}

// number reads a number-only setting, or its default when absent (hasDefault).
func (l *loader) number(m map[string]entry, section string, p ParamInfo, def float64, hasDefault bool) (float64, bool) {
	e, ok := m[p.Name]
	if !ok {
		return def, hasDefault
	}
	d, ok := l.dist(e, p)
	if !ok {
		return def, false
	}
	return d.Plan(), true
}

func (l *loader) text(m map[string]entry, key, def string) string {
	e, ok := m[key]
	if !ok {
		return def
	}
	if e.val == nil || e.val.Kind != yaml.ScalarNode {
		l.errorf(e.key, key, "expected text")
		return def
	}
	if e.val.Tag == "!!null" {
		return def
	}
	return e.val.Value
}

func (l *loader) scenario(root *yaml.Node, top map[string]entry) *Scenario {
	if l.text(top, "model", ModelCRM) == ModelFormula {
		return l.formulaScenario(root, top)
	}
	s := &Scenario{Model: ModelCRM, Inputs: make([]Input, NumBuiltin)}
	for _, k := range sortedKeys(top) {
		if !contains(topKeys, k) {
			known := append(append([]string{}, topKeys...), settable()...)
			l.unknownf(top[k].key, k, "unknown setting or section%s", suggest(k, known))
			l.errs[len(l.errs)-1].Key, l.errs[len(l.errs)-1].Args = MsgUnknownSetting, []any{k, nearest(k, known)}
		}
	}
	s.Name = l.text(top, "name", "")
	s.Currency = l.text(top, "currency", "RUB")
	if mdl := l.text(top, "model", ModelCRM); mdl != ModelCRM {
		l.errorf(top["model"].val, "model", "unknown model %q; this version knows: crm, formula", mdl)
	}
	vals := map[string]float64{}
	for _, st := range Settings {
		v, _ := l.number(top, "", st.ParamInfo, st.Default, true)
		vals[st.Path] = v
	}
	s.Horizon = int(vals["horizon_months"])
	s.Seats = vals["seats"]
	s.ImplementationMonths = vals["implementation_months"]
	s.SalesLag = int(vals["sales_lag_months"])
	s.SubscriptionEscalation = vals["subscription_escalation"]
	s.PresaleSeatShare = vals["presale_seat_share"]

	secs := map[string]map[string]entry{}
	for _, sec := range sections {
		e, ok := top[sec]
		switch {
		case !ok:
			l.errs = append(l.errs, &Error{Pos: Pos{File: l.file, Line: root.Line, Col: root.Column}, Path: sec,
				Msg: "missing section; every parameter of company, benefits, adoption and costs must be given"})
		case e.val == nil || e.val.Kind != yaml.MappingNode:
			l.errorf(e.key, sec, "must be a mapping of parameters")
		default:
			secs[sec] = l.mapping(e.val, sec)
		}
	}
	// Unknown keys in the sections; a parameter one of them misspells is not
	// reported missing as well.
	misspelt := map[string]bool{}
	for _, sec := range sections {
		m := secs[sec]
		var names []string
		for _, b := range Builtin {
			if b.Section == sec {
				names = append(names, b.Name)
			}
		}
		for _, k := range sortedKeys(m) {
			if !contains(names, k) {
				l.unknownf(m[k].key, join(sec, k), "%s", unknownParam(sec, k, names, m[k]))
				l.errs[len(l.errs)-1].Key, l.errs[len(l.errs)-1].Args = MsgUnknownParam, unknownParamArgs(sec, k, names)
				if near := nearest(k, names); near != "" {
					if _, given := m[near]; !given {
						misspelt[join(sec, near)] = true
					}
				}
			}
		}
	}
	for i, b := range Builtin {
		in := Input{Path: b.Path}
		var m map[string]entry
		if b.Section == "" {
			m = top
		} else {
			var ok bool
			if m, ok = secs[b.Section]; !ok {
				s.Inputs[i] = in
				continue
			}
		}
		e, ok := m[b.Name]
		switch {
		case ok:
			if d, ok := l.dist(e, b); ok {
				in.Dist, in.Pos = d, l.pos(e.val)
			}
		case b.Section == "": // discount_rate has a default
			in.Dist, _ = distributions.Parse("0.2")
			in.Pos = Pos{File: l.file}
		case misspelt[b.Path]:
		default:
			sec := top[b.Section]
			l.keyed(sec.key, b.Path, MsgMissing, []any{b.Section}, "missing; every parameter of %s must be given (a business case must not rest on silent defaults)", b.Section)
		}
		s.Inputs[i] = in
	}
	l.extraInputs(s, top)
	l.financeSection(s, top)
	l.customLines(s, top)
	l.gateSection(s, top)
	l.warnUnusedInputs(s)
	l.risks(s, top)
	l.tei(s, top)
	l.correlations(s, top)
	l.groups(s, top)
	return s
}

func (l *loader) risks(s *Scenario, top map[string]entry) {
	e, ok := top["risks"]
	var m map[string]entry
	switch {
	case !ok || (e.val != nil && e.val.Tag == "!!null"):
		m = map[string]entry{}
	case e.val == nil || e.val.Kind != yaml.MappingNode:
		l.errorf(e.key, "risks", "must be a mapping (cancel:, abandon:)")
		return
	default:
		m = l.mapping(e.val, "risks")
	}
	names := []string{"cancel", "abandon"}
	for _, k := range sortedKeys(m) {
		if !contains(names, k) {
			l.unknownf(m[k].key, join("risks", k), "unknown risk%s", suggest(k, names))
		}
	}
	var missing []string
	for i, p := range riskParams {
		v, given := l.number(m, "risks", p, 0, false)
		if _, present := m[p.Name]; !present {
			missing = append(missing, p.Path)
		}
		_ = given
		if i == 0 {
			s.Risks.Cancel = v
		} else {
			s.Risks.Abandon = v
		}
	}
	if len(missing) > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%s not given: taken as probability 0, so no %s risk was modelled",
			strings.Join(missing, " and "), map[bool]string{true: "failure", false: "such"}[len(missing) == 2]))
	}
}

func (l *loader) tei(s *Scenario, top map[string]entry) {
	s.TEI = TEI{BenefitHaircut: teiParams[0].Default, CostUplift: teiParams[1].Default}
	e, ok := top["tei"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		return
	}
	if e.val == nil || e.val.Kind != yaml.MappingNode {
		l.errorf(e.key, "tei", "must be a mapping (benefit_haircut:, cost_uplift:)")
		return
	}
	m := l.mapping(e.val, "tei")
	names := []string{"benefit_haircut", "cost_uplift"}
	for _, k := range sortedKeys(m) {
		if !contains(names, k) {
			l.unknownf(m[k].key, join("tei", k), "unknown TEI setting%s", suggest(k, names))
		}
	}
	s.TEI.BenefitHaircut, _ = l.number(m, "tei", teiParams[0].ParamInfo, teiParams[0].Default, true)
	s.TEI.CostUplift, _ = l.number(m, "tei", teiParams[1].ParamInfo, teiParams[1].Default, true)
}

func (l *loader) correlations(s *Scenario, top map[string]entry) {
	e, ok := top["correlations"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		return
	}
	if e.val == nil || e.val.Kind != yaml.SequenceNode {
		l.errorf(e.key, "correlations", "must be a list of [name_a, name_b, rho]")
		return
	}
	var paths []string
	for _, in := range s.Inputs {
		paths = append(paths, in.Path)
	}
	seen := map[[2]int]bool{}
	for _, item := range e.val.Content {
		item = deref(item)
		if item.Kind != yaml.SequenceNode || len(item.Content) != 3 {
			l.errorf(item, "correlations", "each entry must be [name_a, name_b, rho]")
			continue
		}
		a, b, r := deref(item.Content[0]), deref(item.Content[1]), deref(item.Content[2])
		if a.Kind != yaml.ScalarNode || b.Kind != yaml.ScalarNode || r.Kind != yaml.ScalarNode {
			l.errorf(item, "correlations", "each entry must be [name_a, name_b, rho]")
			continue
		}
		c := Correlation{A: a.Value, B: b.Value, I: s.InputIndex(a.Value), J: s.InputIndex(b.Value), Pos: l.pos(item)}
		bad := false
		for _, side := range []struct {
			n   *yaml.Node
			idx int
		}{{a, c.I}, {b, c.J}} {
			switch {
			case side.idx < 0:
				l.unknownf(side.n, "correlations", "unknown parameter %q%s", side.n.Value, suggest(side.n.Value, paths))
				bad = true
			case s.Inputs[side.idx].Dist == nil:
				bad = true // its own error is already reported
			case s.Inputs[side.idx].Dist.Fixed():
				l.errorf(side.n, "correlations", "%s is a fixed number and cannot be correlated", side.n.Value)
				bad = true
			}
		}
		rho, err := strconv.ParseFloat(strings.ReplaceAll(r.Value, "_", ""), 64)
		if err != nil || math.IsNaN(rho) || rho <= -1 || rho >= 1 {
			l.errorf(r, "correlations", "rho must be a number in (−1, 1), got %s", r.Value)
			bad = true
		}
		if !bad && c.I == c.J {
			l.errorf(item, "correlations", "%s is correlated with itself", c.A)
			bad = true
		}
		if bad {
			continue
		}
		key := [2]int{min(c.I, c.J), max(c.I, c.J)}
		if seen[key] {
			l.errorf(item, "correlations", "the pair %s, %s is given twice", c.A, c.B)
			continue
		}
		seen[key] = true
		c.Rho = rho
		s.Correlations = append(s.Correlations, c)
	}
	if len(l.errs) == 0 {
		l.checkPD(s)
	}
	if len(l.errs) == 0 {
		l.warnAttenuated(s)
	}
}

// checkPD checks that the normal-score correlation matrix of each connected
// group of correlated inputs is positive definite, naming the pairs of a group that is not.
func (l *loader) checkPD(s *Scenario) {
	for _, group := range CorrelationGroups(s) {
		if _, ok := NormalScoreCholesky(s, group); ok {
			continue
		}
		var pairs []string
		pos := Pos{}
		for _, c := range s.Correlations {
			if contains(groupPaths(s, group), c.A) {
				pairs = append(pairs, fmt.Sprintf("[%s, %s, %s]", c.A, c.B, fmtNum(c.Rho)))
				if pos.File == "" {
					pos = c.Pos
				}
			}
		}
		l.errs = append(l.errs, &Error{Pos: pos, Path: "correlations",
			Msg: "these correlations cannot hold together (their matrix is not positive definite): " + strings.Join(pairs, ", ")})
	}
}

func groupPaths(s *Scenario, group []int) []string {
	p := make([]string, len(group))
	for i, g := range group {
		p[i] = s.Inputs[g].Path
	}
	return p
}

// CorrelationGroups returns the connected groups of correlated inputs (indices
// in Scenario.Inputs, ascending), in order of their first member.
func CorrelationGroups(s *Scenario) [][]int {
	parent := map[int]int{}
	var find func(int) int
	find = func(i int) int {
		if p, ok := parent[i]; ok && p != i {
			r := find(p)
			parent[i] = r
			return r
		}
		parent[i] = i
		return i
	}
	for _, c := range s.Correlations {
		a, b := find(c.I), find(c.J)
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	byRoot := map[int][]int{}
	for i := range parent {
		r := find(i)
		byRoot[r] = append(byRoot[r], i)
	}
	var groups [][]int
	for _, g := range byRoot {
		sort.Ints(g)
		groups = append(groups, g)
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a][0] < groups[b][0] })
	return groups
}

// NormalScoreCholesky returns the lower Cholesky factor of the normal-score
// correlation matrix 2·sin(π·rho/6) of a group of inputs, and false if the
// matrix is not positive definite.
func NormalScoreCholesky(s *Scenario, group []int) (*mat.TriDense, bool) {
	n := len(group)
	pos := map[int]int{}
	for k, g := range group {
		pos[g] = k
	}
	sym := mat.NewSymDense(n, nil)
	for k := 0; k < n; k++ {
		sym.SetSym(k, k, 1)
	}
	for _, c := range s.Correlations {
		i, ok1 := pos[c.I]
		j, ok2 := pos[c.J]
		if ok1 && ok2 {
			sym.SetSym(i, j, 2*math.Sin(math.Pi*c.Rho/6))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, false
	}
	var lower mat.TriDense
	ch.LTo(&lower)
	return &lower, true
}

func sortedKeys(m map[string]entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		return m[keys[a]].key.Line < m[keys[b]].key.Line || (m[keys[a]].key.Line == m[keys[b]].key.Line && keys[a] < keys[b])
	})
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// synonyms maps words an analyst may use for a built-in parameter to it.
var synonyms = map[string]string{
	"maintenance": "costs.support", "support_fee": "costs.support", "consulting": "costs.support",
	"licence": "costs.subscription", "license": "costs.subscription", "licenses": "costs.subscription", "saas": "costs.subscription", "fee": "costs.subscription",
	"hosting": "costs.it_staff", "servers": "costs.it_staff", "admin": "costs.it_staff", "sysadmin": "costs.it_staff", "dba": "costs.it_staff",
	"implementation": "costs.one_off", "integration": "costs.one_off", "migration": "costs.one_off", "training": "costs.one_off", "capex": "costs.one_off",
	"delay": "costs.schedule_slip", "slip": "costs.schedule_slip", "budget_overrun": "costs.overrun",
	"productivity": "benefits.capacity_gain", "efficiency": "benefits.capacity_gain", "conversion": "benefits.conversion_uplift",
	"retention": "benefits.churn_reduction", "savings": "benefits.other_savings", "dip": "benefits.golive_dip",
	"ceiling": "adoption.max", "rate": "adoption.max", "ramp": "adoption.ramp_months",
	"turnover": "company.revenue", "sales": "company.revenue", "payroll": "company.sales_payroll", "bonus": "company.bonus_rate",
}

// nearParam is the parameter of names nearest to key by spelling, else the
// built-in parameter nearest by meaning (synonyms), one of them "".
func nearParam(key string, names []string) (spelling, meaning string) {
	if near := nearest(key, names); near != "" {
		return near, ""
	}
	if syn, ok := synonyms[strings.ToLower(key)]; ok {
		return "", syn
	}
	for word, syn := range synonyms {
		if strings.Contains(strings.ToLower(key), word) && (meaning == "" || syn < meaning) {
			meaning = syn
		}
	}
	return "", meaning
}

// unknownParamArgs are the Args of MsgUnknownParam for key in section sec.
func unknownParamArgs(sec, key string, names []string) []any {
	spelling, meaning := nearParam(key, names)
	return []any{sec, key, spelling, meaning, strings.Join(names, ", ")}
}

// unknownParam is the message for an unknown key of a section: the nearest
// parameter (by spelling, else by meaning), the section's parameters, and
// where a line or input of the analyst's own goes.
func unknownParam(sec, key string, names []string, e entry) string {
	msg := "unknown parameter of " + sec
	near, meaning := nearParam(key, names)
	spelt := near != "" // a misspelling of one of names
	if spelt {
		msg += " (did you mean " + near + "?)"
	} else {
		near = meaning
	}
	switch {
	case spelt:
	case near != "":
		for _, b := range Builtin {
			if b.Path == near {
				msg += "; the nearest is " + near + " (" + b.Doc + ")"
			}
		}
	default:
		msg += "; its parameters are " + strings.Join(names, ", ")
	}
	if sec != "costs" && sec != "benefits" {
		return msg
	}
	kind := map[string]string{"costs": "cost", "benefits": "benefit"}[sec]
	value := "…"
	if e.val != nil && e.val.Kind == yaml.ScalarNode && e.val.Value != "" {
		value = e.val.Value
	}
	name := key
	if !inputNameRE.MatchString(name) {
		name = "my_" + kind
	}
	if d, err := distributions.Parse(value); err == nil && d.Fixed() {
		return msg + fmt.Sprintf("; a monthly %s of your own goes in a custom: line, e.g. custom: [{name: %s, kind: %s, monthly: %s}]", kind, key, kind, value)
	}
	return msg + fmt.Sprintf("; a monthly %s of your own goes in a custom: line, its uncertain value under inputs:, e.g. inputs: {%s: '%s'} and custom: [{name: %s, kind: %s, monthly: %s}]", kind, name, value, key, kind, name)
}
