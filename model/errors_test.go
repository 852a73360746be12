package model

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorCodes: each kind of mistake carries its Code, wherever the loader
// finds it — a name that is no parameter, setting, section, key or input
// (UnknownName) in every place a name is read, a file that is not UTF-8 YAML
// (Syntax), one that cannot be read (Unreadable) — and a bad value stays
// Invalid, so that no caller needs to read the message.
func TestErrorCodes(t *testing.T) {
	def := string(DefaultYAML)
	edit := func(old, new string) string {
		if !strings.Contains(def, old) {
			t.Fatalf("the default scenario has no %q", old)
		}
		return strings.Replace(def, old, new, 1)
	}
	cases := []struct {
		name string
		text string
		sets []Set
		want Code
		path string
	}{
		{"top-level key", def + "\ndiscount_rat: 0.1\n", nil, UnknownName, "discount_rat"},
		{"key of a section", edit("  capacity_gain:", "  capacity_gains:"), nil, UnknownName, "benefits.capacity_gains"},
		{"risk", edit("  cancel: 0.10", "  cancle: 0.10"), nil, UnknownName, "risks.cancle"},
		{"TEI setting", edit("  cost_uplift: 0.10", "  cost_uplifts: 0.10"), nil, UnknownName, "tei.cost_uplifts"},
		{"correlated parameter", edit("[costs.overrun, costs.schedule_slip", "[costs.overrun, costs.schedule_slips"), nil, UnknownName, "correlations"},
		{"finance key", def + "\nfinance:\n  profit_taxes: 0.2\n", nil, UnknownName, "finance.profit_taxes"},
		{"group member", def + "\ngroups:\n  g: [benefits.capacity_gian]\n", nil, UnknownName, "groups.g"},
		{"custom line key", def + "\ncustom:\n  - name: x\n    kind: benefit\n    monthly: 1\n    colour: red\n", nil, UnknownName, ".colour"},
		{"--set name", def, []Set{{Name: "benefits.capacity_gian", Value: "0.2", N: 1}}, UnknownName, "benefits.capacity_gian"},
		{"formula model key", "name: f\nmodel: formula\ninputs:\n  a: 1\noutputs:\n  y: a\nhorizon_month: 3\n", nil, UnknownName, "horizon_month"},
		{"YAML syntax", def + "\n  : [\n", nil, Syntax, ""},
		{"not UTF-8", def + "\n# \xff\n", nil, Syntax, ""},
		{"a bad value", edit("discount_rate: 0.20", "discount_rate: -3"), nil, Invalid, "discount_rate"},
		{"a bad --set value", def, []Set{{Name: "discount_rate", Value: "pert(", N: 1}}, Invalid, "discount_rate"},
	}
	for _, c := range cases {
		_, err := Parse("s.yaml", []byte(c.text), c.sets)
		var el ErrorList
		if !errors.As(err, &el) || len(el) == 0 {
			t.Errorf("%s: error %v, want an ErrorList", c.name, err)
			continue
		}
		found := false
		for _, e := range el {
			if e.Path == c.path || c.path == "" || strings.HasPrefix(c.path, ".") && strings.HasSuffix(e.Path, c.path) {
				found = true
				if e.Code != c.want {
					t.Errorf("%s: %v has code %d, want %d", c.name, e, e.Code, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no error at %q in %v", c.name, c.path, el)
		}
	}
	dir := t.TempDir()
	for _, file := range []string{filepath.Join(dir, "missing.yaml"), dir} {
		_, err := Load(file, nil)
		var el ErrorList
		if !errors.As(err, &el) || len(el) != 1 || el[0].Code != Unreadable {
			t.Errorf("Load(%s): %v, want one Unreadable error", file, err)
		}
		_, _, err = LoadSource(file, nil)
		if !errors.As(err, &el) || len(el) != 1 || el[0].Code != Unreadable {
			t.Errorf("LoadSource(%s): %v, want one Unreadable error", file, err)
		}
	}
}
