package model

import (
	"strings"
	"testing"
)

// TestEveryLabelInBothLanguages fails when a parameter, output, group or
// risk event lacks a label (or a parameter its meaning or unit) in either
// language.
var standardAbbrev = map[string]bool{"NPV": true, "ROI": true, "IRR": true}

func TestEveryLabelInBothLanguages(t *testing.T) {
	check := func(what, name string, l Text) {
		t.Helper()
		if strings.TrimSpace(l.En) == "" || strings.TrimSpace(l.Ru) == "" {
			t.Errorf("%s %s: label %+v lacks a language", what, name, l)
		}
		if l.En == l.Ru && !standardAbbrev[l.En] {
			t.Errorf("%s %s: Russian label %q is the English one", what, name, l.Ru)
		}
		if got, ok := LabelOf(name); !ok || got != l {
			t.Errorf("LabelOf(%q) = %+v, %v; want %+v", name, got, ok, l)
		}
	}
	units := map[string]bool{}
	for _, u := range ParamUnits() {
		units[u] = true
	}
	for _, p := range AllParams() {
		check("parameter", p.Path, p.Label)
		if p.Doc == "" || p.DocRu == "" || p.DocIn("ru") == p.Doc {
			t.Errorf("parameter %s: meaning %q / %q", p.Path, p.Doc, p.DocRu)
		}
		if !units[p.Unit] {
			t.Errorf("parameter %s: unit %q has no Russian", p.Path, p.Unit)
		}
		if strings.Contains(p.UnitIn("ru", "₽"), "money") {
			t.Errorf("parameter %s: unit %q", p.Path, p.UnitIn("ru", "₽"))
		}
	}
	all := append(CRMOutputs(), terminalValueOutput, npvBeforeTaxOutput)
	all = append(all, gateOutputs...)
	for _, o := range all {
		check("output", o.Name, o.Label)
	}
	for _, r := range append(RiskNames[:], RiskCancel, RiskAbandon) {
		l, ok := RiskLabels()[r]
		if !ok {
			t.Errorf("risk %s has no label", r)
		}
		check("risk", r, l)
	}
	for _, g := range []string{SettingsGroup, "company", "benefits", "adoption", "costs", "finance", CustomGroup, RiskGroup, OtherGroup} {
		l, ok := GroupLabels()[g]
		if !ok {
			t.Errorf("group %s has no label", g)
		}
		check("group", g, l)
	}
	// Every section of a built-in parameter is a default group with a label.
	for _, p := range Builtin {
		if p.Section != "" {
			if _, ok := GroupLabels()[p.Section]; !ok {
				t.Errorf("section %s has no group label", p.Section)
			}
		}
	}
	// What the analyst named is its own label.
	if l, ok := LabelOf("my.own_input"); ok || l.Ru != "my.own_input" {
		t.Errorf("custom input: %+v, %v", l, ok)
	}
	if got := Label("company.revenue", "ru"); got != "Выручка" {
		t.Errorf("Label = %q", got)
	}
	p, _ := Param("costs.subscription")
	if got := p.UnitIn("ru", "₽"); got != "₽/место/мес" {
		t.Errorf("UnitIn = %q", got)
	}
}
