package model

import (
	"strings"
	"testing"
)

func TestGroupsParse(t *testing.T) {
	base := string(DefaultYAML)
	s, err := Parse("g.yaml", []byte(base+"groups:\n  Market: [company.growth, company.churn, company.revenue]\n  Money: [costs.one_off]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Groups) != 2 || s.Groups[0].Name != "Market" || len(s.Groups[0].Members) != 3 || s.Groups[1].Pos.Line == 0 {
		t.Fatalf("groups %+v", s.Groups)
	}
	g := SensitivityGroups(s, true)
	var names []string
	for _, x := range g {
		names = append(names, x.Name+"="+strings.Join(x.Members, "+"))
	}
	got := strings.Join(names, " ")
	// company.revenue is a fixed number: not a member for the analysis.
	if !strings.HasPrefix(got, "Market=company.growth+company.churn Money=costs.one_off other inputs=company.margin+") ||
		!strings.HasSuffix(got, "risk events=risk.outcome+risk.cancel_month+risk.abandon_month+risk.abandon_factor") {
		t.Errorf("sensitivity groups: %s", got)
	}
	def := SensitivityGroups(Default(), false)
	names = nil
	for _, x := range def {
		names = append(names, x.Name)
	}
	if strings.Join(names, ",") != "company,benefits,adoption,costs" {
		t.Errorf("default groups %v", names)
	}
	// Every uncertain input is in exactly one default group.
	seen := map[string]int{}
	for _, x := range def {
		for _, m := range x.Members {
			seen[m]++
		}
	}
	for _, i := range Default().Uncertain() {
		if seen[Default().Inputs[i].Path] != 1 {
			t.Errorf("%s in %d groups", Default().Inputs[i].Path, seen[Default().Inputs[i].Path])
		}
	}
}

func TestGroupsErrors(t *testing.T) {
	base := string(DefaultYAML)
	for _, c := range []struct{ yaml, want string }{
		{"groups: [a, b]", "groups: must be a mapping"},
		{"groups:\n  A: company.growth", "groups.A: must be a list of inputs"},
		{"groups:\n  A: []", "groups.A: is empty"},
		{"groups:\n  A: [company.grwth]", "groups.A: unknown input \"company.grwth\" (did you mean company.growth?)"},
		{"groups:\n  A: [company.growth]\n  B: [company.growth]", "groups.B: company.growth is already in group \"A\""},
		{"groups:\n  A: [company.growth, company.growth]", "groups.A: company.growth is listed twice"},
		{"groups:\n  risk events: [company.growth]", "is the name of a group made automatically"},
		{"groups:\n  A: [[x]]", "each member must be the name of an input"},
	} {
		text := base + c.yaml + "\n"
		_, err := Parse("g.yaml", []byte(text), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), "g.yaml:") {
			t.Errorf("%q: no position in %v", c.yaml, err)
		}
	}
	// A group of fixed numbers only is a warning, not an error.
	s, err := Parse("g.yaml", []byte(base+"groups:\n  Fixed: [company.revenue]\n"), nil)
	if err != nil || len(s.Warnings) == 0 || !strings.Contains(strings.Join(s.Warnings, ";"), "no uncertain input") {
		t.Errorf("fixed group: %v %v", err, s.Warnings)
	}
}
