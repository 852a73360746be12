package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scenarioFacts is everything of a scenario a run shows: its canonical form
// (every value), warnings, flagged places and notes.
func scenarioFacts(s *Scenario) string {
	return s.Canonical() + "\n--\n" + strings.Join(s.Warnings, "\n") + "\n--\n" + s.Flagged.Error() + "\n--\n" + strings.Join(s.Notes, "\n")
}

// TestWithIsParseWithTheSets: a scenario derived with Scenario.With is the
// one the file's text gives with the same overrides, values, warnings and
// errors alike, in CRM, gated, finance and formula scenarios.
func TestWithIsParseWithTheSets(t *testing.T) {
	for _, c := range []struct {
		file string
		base []Set // the --set flags it is loaded with
		more [][]Set
	}{
		{"default.yaml", nil, [][]Set{
			{{Name: "benefits.capacity_gain", Value: "0.3", N: 1}},
			{{Name: "seats", Value: "80", N: 1}, {Name: "adoption.max", Value: "pert(0.5, 0.7, 0.9)", N: 2}},
			{{Name: "benefits.capacity_gain", Value: "7", N: 1}},                                         // outside its domain
			{{Name: "benefits.capacity_gian", Value: "0.3", N: 1}},                                       // an unknown name
			{{Name: "costs.one_off", Value: "pert(1, 2", N: 1}},                                          // a syntax error
			{{Name: "risks.cancel", Value: "0.95", N: 1}},                                                // implausible: a warning
			{{Name: "horizon_months", Value: "24", N: 1}, {Name: "sales_lag_months", Value: "30", N: 2}}, // invalid together
		}},
		{"custom_lines.yaml", []Set{{Name: "assortment_gain", Value: "pert(0.1, 0.2, 0.4)", N: 1}}, [][]Set{
			{{Name: "positions_cut", Value: "pert(0, 2, 3)", N: 2}},
			{{Name: "costs.support", Value: "0", N: 2}},
		}},
		{"pilot_gate.yaml", nil, [][]Set{
			{{Name: "gate.threshold", Value: "0.3", N: 1}},
			{{Name: "gate.run_month", Value: "6", N: 1}, {Name: "gate.stop_if", Value: "A < 0.2", N: 2}},
		}},
		{"onprem_after_tax.yaml", nil, [][]Set{
			{{Name: "finance.profit_tax", Value: "0.2", N: 1}},
			{{Name: "finance.terminal_growth", Value: "0.03", N: 1}},
		}},
		{"formula_nps.yaml", nil, [][]Set{{{Name: "customers", Value: "5000", N: 1}}}},
	} {
		file := filepath.Join("..", "examples", c.file)
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		base, err := Load(file, c.base)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		before := scenarioFacts(base)
		for _, more := range c.more {
			all := append(append([]Set(nil), c.base...), more...)
			want, werr := Parse(file, text, all)
			got, gerr := base.With(more...)
			switch {
			case (werr == nil) != (gerr == nil):
				t.Errorf("%s %v: With gives error %v, Parse %v", c.file, more, gerr, werr)
			case werr != nil:
				if gerr.Error() != werr.Error() {
					t.Errorf("%s %v: With's errors\n%v\nwant\n%v", c.file, more, gerr, werr)
				}
			case scenarioFacts(got) != scenarioFacts(want):
				t.Errorf("%s %v: With gives\n%s\nwant\n%s", c.file, more, scenarioFacts(got), scenarioFacts(want))
			}
		}
		if after := scenarioFacts(base); after != before {
			t.Errorf("%s: With changed the scenario it started from:\n%s\nwas\n%s", c.file, after, before)
		}
		again, err := base.With()
		if err != nil || scenarioFacts(again) != before {
			t.Errorf("%s: With() = %v, %v; want the scenario itself", c.file, again, err)
		}
	}
}

// TestWithReadsAndDecodesNothing: once a Document is made, scenarios derived
// from it need neither the file nor its text: both are destroyed here, and
// With still gives the values the text had, overrides on top.
func TestWithReadsAndDecodesNothing(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(file, DefaultYAML, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := ReadDocument(file)
	if err != nil {
		t.Fatal(err)
	}
	base, err := d.Scenario([]Set{{Name: "seats", Value: "70", N: 1}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(file, DefaultYAML, []Set{{Name: "seats", Value: "70", N: 1}, {Name: "benefits.capacity_gain", Value: "0.25", N: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	copy(d.Source().Text, "not: [a scenario")
	got, err := base.With(Set{Name: "benefits.capacity_gain", Value: "0.25", N: 2})
	if err != nil {
		t.Fatalf("With after the file and its text are gone: %v", err)
	}
	if scenarioFacts(got) != scenarioFacts(want) {
		t.Errorf("With gives\n%s\nwant\n%s", scenarioFacts(got), scenarioFacts(want))
	}
}

// TestDocumentErrors: the errors of the text itself come from reading the
// Document, with their codes, before any override or validation.
func TestDocumentErrors(t *testing.T) {
	for _, c := range []struct {
		text string
		code Code
		want string
	}{
		{"name: [a\n", Syntax, "s.yaml:1:1: YAML syntax"},
		{"name: a\n---\nname: b\n", Syntax, "s.yaml:3:1: a second YAML document"},
		{"name: \xff\n", Syntax, "s.yaml:1: the file is not valid UTF-8 text"},
		{"- a\n- b\n", Invalid, "s.yaml:1:1: a scenario must be a mapping"},
	} {
		_, err := ParseDocument("s.yaml", []byte(c.text))
		el, ok := err.(ErrorList)
		if !ok || len(el) != 1 || el[0].Code != c.code || !strings.HasPrefix(el[0].Error(), c.want) {
			t.Errorf("%q: %v (%T), want one error %q with code %d", c.text, err, err, c.want, c.code)
		}
	}
	_, err := ReadDocument(filepath.Join(t.TempDir(), "none.yaml"))
	if el, ok := err.(ErrorList); !ok || len(el) != 1 || el[0].Code != Unreadable {
		t.Errorf("a missing file: %v, want one Unreadable error", err)
	}
}
