package model

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Group is a named set of inputs whose joint effect the sensitivity analysis
// measures (grouped Sobol indices, shares of variance over time).
type Group struct {
	Name    string
	Members []string // input paths, or RiskNames for the risk-events group
	Pos     Pos      // where the group was defined; zero for a default group
}

// Names of the groups the sensitivity analysis makes on its own.
const (
	// RiskGroup holds the risk events' random draws (outcome, timing, abandonment factor).
	RiskGroup = "risk events"
	// OtherGroup holds the uncertain inputs that no user-defined group names.
	OtherGroup = "other inputs"
	// CustomGroup holds a CRM scenario's own inputs in the default grouping.
	CustomGroup = "custom inputs"
	// SettingsGroup holds an uncertain top-level setting (discount_rate) in the default grouping.
	SettingsGroup = "settings"
)

// groups reads the optional top-level groups: mapping, {Name: [input, …]}:
// every name must be an input of the scenario, and no input may be in two groups.
func (l *loader) groups(s *Scenario, top map[string]entry) {
	e, ok := top["groups"]
	if !ok || (e.val != nil && e.val.Tag == "!!null") {
		return
	}
	if e.val == nil || e.val.Kind != yaml.MappingNode {
		l.errorf(e.key, "groups", "must be a mapping of group names to lists of inputs, e.g. {Costs: [costs.one_off, costs.overrun]}")
		return
	}
	var paths []string
	for _, in := range s.Inputs {
		paths = append(paths, in.Path)
	}
	type owner struct {
		group string
		line  int
	}
	owners := map[string]owner{}
	m := l.mapping(e.val, "groups")
	for _, name := range sortedKeys(m) {
		g := m[name]
		path := "groups." + name
		switch strings.TrimSpace(name) {
		case "":
			l.errorf(g.key, path, "a group needs a name")
			continue
		case RiskGroup, OtherGroup:
			l.errorf(g.key, path, "%q is the name of a group made automatically; choose another name", name)
			continue
		}
		if g.val == nil || g.val.Kind != yaml.SequenceNode {
			l.errorf(g.key, path, "must be a list of inputs, e.g. [costs.one_off, costs.overrun]")
			continue
		}
		if len(g.val.Content) == 0 {
			l.errorf(g.val, path, "is empty; list at least one input")
			continue
		}
		grp := Group{Name: name, Pos: l.pos(g.key)}
		uncertain := 0
		for _, item := range g.val.Content {
			item = deref(item)
			if item.Kind != yaml.ScalarNode {
				l.errorf(item, path, "each member must be the name of an input")
				continue
			}
			idx := s.InputIndex(item.Value)
			if idx < 0 {
				l.unknownf(item, path, "unknown input %q%s", item.Value, suggest(item.Value, paths))
				continue
			}
			if o, dup := owners[item.Value]; dup {
				if o.group == name {
					l.errorf(item, path, "%s is listed twice", item.Value)
				} else {
					l.errorf(item, path, "%s is already in group %q (line %d); an input may be in one group only", item.Value, o.group, o.line)
				}
				continue
			}
			owners[item.Value] = owner{name, item.Line}
			grp.Members = append(grp.Members, item.Value)
			if d := s.Inputs[idx].Dist; d != nil && !d.Fixed() {
				uncertain++
			}
		}
		if len(grp.Members) > 0 && uncertain == 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf("group %q has no uncertain input: its sensitivity indices are 0", name))
		}
		s.Groups = append(s.Groups, grp)
	}
}

// SensitivityGroups partitions the uncertain inputs of s (and, with risk, the
// risk draws) into the groups of the sensitivity analysis, listing only
// uncertain members. With groups: in the scenario those groups, in file order,
// then OtherGroup for the uncertain inputs they leave out; otherwise the
// sections of the CRM model (SettingsGroup for an uncertain discount_rate,
// company, benefits, adoption, costs, finance) and CustomGroup for the analyst's own
// inputs; a formula scenario without groups: has none. RiskGroup comes last.
// Groups without an uncertain member are left out.
func SensitivityGroups(s *Scenario, risk bool) []Group {
	uncertain := map[string]bool{}
	for _, i := range s.Uncertain() {
		uncertain[s.Inputs[i].Path] = true
	}
	var out []Group
	add := func(g Group) {
		var m []string
		for _, p := range g.Members {
			if uncertain[p] {
				m = append(m, p)
			}
		}
		if len(m) > 0 {
			g.Members = m
			out = append(out, g)
		}
	}
	if len(s.Groups) > 0 {
		seen := map[string]bool{}
		for _, g := range s.Groups {
			add(g)
			for _, p := range g.Members {
				seen[p] = true
			}
		}
		other := Group{Name: OtherGroup}
		for _, i := range s.Uncertain() {
			if p := s.Inputs[i].Path; !seen[p] {
				other.Members = append(other.Members, p)
			}
		}
		add(other)
	} else {
		order := []string{SettingsGroup, "company", "benefits", "adoption", "costs", "finance", CustomGroup}
		bySection := map[string][]string{}
		builtinCount := 0
		for i, in := range s.Inputs {
			sec := CustomGroup
			if i < NumBuiltin && Builtin[i].Path == in.Path {
				builtinCount++
				sec = Builtin[i].Section
				if sec == "" {
					sec = SettingsGroup
				}
			}
			if _, fin := FinanceParam(in.Path); fin {
				sec = "finance"
			}
			bySection[sec] = append(bySection[sec], in.Path)
		}
		if builtinCount > 0 {
			for _, sec := range order {
				add(Group{Name: sec, Members: bySection[sec]})
			}
		}
	}
	if risk {
		out = append(out, Group{Name: RiskGroup, Members: RiskNames[:]})
	}
	return out
}
