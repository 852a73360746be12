package model

import (
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
)

// warningFor returns the flagged warning about path, or nil.
func warningFor(s *Scenario, path string) *Error {
	for _, e := range s.Flagged {
		if e.Path == path {
			return e
		}
	}
	return nil
}

// TestPlausibleRanges: for every parameter with a plausible range, a value
// inside runs without a warning about it; a value or a plan value outside
// runs with a warning that names the parameter, is in Warnings and becomes an
// error under --strict; every suggested value is accepted and plausible.
func TestPlausibleRanges(t *testing.T) {
	for path, r := range plausibleRanges {
		var info ParamInfo
		for _, p := range allParams() {
			if p.Path == path {
				info = p
			}
		}
		if info.Path == "" {
			t.Fatalf("%s: no such parameter", path)
		}
		inside := fmtNum(roundSig((max(r.Lo, 0)+r.Hi)/2, 3))
		if info.Integer {
			inside = fmtNum(float64(int(r.Hi / 2)))
		}
		values := []string{fmtNum(r.Hi * 3), fmtNum(r.Lo - 0.2)}
		if r.Lo > 0 {
			values = append(values, fmtNum(r.Lo/2))
		}
		if !info.NumberOnly {
			values = append(values, "pert("+fmtNum(r.Hi*2)+", "+fmtNum(r.Hi*3)+", "+fmtNum(r.Hi*4)+")")
		}
		if r.kind == relativeEffect || r.kind == annualRate {
			values = append(values, "25")
			if !info.NumberOnly {
				values = append(values, "5 to 25")
			}
		}
		s, errs := parseWith(t, path, inside)
		if errs != nil {
			t.Fatalf("%s: %s refused: %v", path, inside, errs)
		}
		if w := warningFor(s, path); w != nil {
			t.Errorf("%s: %s warned: %v", path, inside, w)
		}
		for _, v := range values {
			if d, err := distributions.Parse(v); err != nil {
				t.Fatal(err)
			} else if b, a := domainMass(d, info.Domain); b+a > MaxCutMass {
				continue // outside the domain: an error, see TestFixedOutsideDomain
			}
			s, errs := parseWith(t, path, v)
			if errs != nil {
				t.Errorf("%s: %s refused: %v", path, v, errs)
				continue
			}
			w := warningFor(s, path)
			if w == nil {
				t.Errorf("%s: %s: no warning (warnings %q)", path, v, s.Warnings)
				continue
			}
			if w.Pos.File != "s.yaml" || w.Pos.Line == 0 || w.Pos.Col == 0 {
				t.Errorf("%s: %s: warning without its place: %v", path, v, w)
			}
			if !hasWarning(s, path, w.Msg) {
				t.Errorf("%s: %s: warning %q not among the scenario's warnings %q", path, v, w.Msg, s.Warnings)
			}
			if e := findError(s.StrictErrors(), path); e == nil {
				t.Errorf("%s: %s: --strict does not make the warning an error", path, v)
			}
			for _, fix := range w.Fixes {
				if !strings.Contains(w.Msg, fix) {
					t.Errorf("%s: suggestion %q not in %q", path, fix, w.Msg)
				}
				fs, errs := parseWith(t, path, fix)
				if errs != nil {
					t.Errorf("%s: suggestion %q of %q refused: %v", path, fix, w.Msg, errs)
				} else if fw := warningFor(fs, path); fw != nil {
					t.Errorf("%s: suggestion %q of %q warns in turn: %v", path, fix, w.Msg, fw)
				}
			}
		}
	}
}

// allParams are the built-in parameters and the number-only settings.
func allParams() []ParamInfo {
	ps := append([]ParamInfo{}, Builtin[:]...)
	for _, s := range Settings {
		ps = append(ps, s.ParamInfo)
	}
	for _, t := range teiParams {
		ps = append(ps, t.ParamInfo)
	}
	for _, f := range FinanceParams {
		ps = append(ps, f.ParamInfo)
	}
	return append(ps, riskParams...)
}

// TestIssueImplausible: the wrong units of issue 19 each warn, naming the
// parameter and the likely meaning.
func TestIssueImplausible(t *testing.T) {
	for _, c := range []struct{ path, value, want string }{
		{"benefits.capacity_gain", "25", "25 means +2,500%; did you mean 25% (0.25)?"},
		{"discount_rate", "21", "21 means +2,100% a year; did you mean 21% (0.21)?"},
		{"benefits.conversion_uplift", "5 to 25", "5 to 25 has plan value 12.6, which means +1,260%; did you mean 5% to 25% (0.05 to 0.25)?"},
		{"costs.overrun", "20", "did you mean 1.2 (+20%)?"},
		{"costs.overrun", "0.2", "did you mean 1.2 (+20%)?"},
		{"adoption.ramp_months", "90", "90 means 90 months"},
	} {
		s, errs := parseWith(t, c.path, c.value)
		if errs != nil {
			t.Errorf("%s: %s refused: %v", c.path, c.value, errs)
			continue
		}
		if w := warningFor(s, c.path); w == nil || !strings.Contains(w.Msg, c.want) {
			t.Errorf("%s: %s: warning %v, want one with %q", c.path, c.value, w, c.want)
		}
	}
}

// TestCrossChecks: money that contradicts the company's size warns.
func TestCrossChecks(t *testing.T) {
	for _, c := range []struct{ path, value, want string }{
		{"costs.subscription", "2e6", "more than the monthly revenue per seat"},
		{"costs.support", "60e6", "more than the monthly revenue"},
		{"benefits.other_savings", "pert(40e6, 60e6, 90e6)", "more than the monthly revenue"},
	} {
		s, errs := parseWith(t, c.path, c.value)
		if errs != nil {
			t.Fatalf("%s: %v", c.path, errs)
		}
		if w := warningFor(s, c.path); w == nil || !strings.Contains(w.Msg, c.want) {
			t.Errorf("%s: %s: warning %v, want %q", c.path, c.value, w, c.want)
		}
	}
	s, _ := parseWith(t, "costs.subscription", "1500")
	if w := warningFor(s, "costs.subscription"); w != nil {
		t.Errorf("subscription 1500: %v", w)
	}
}

// TestPlanCheck: a plan-case ROI above 1,000% warns; the default does not.
func TestPlanCheck(t *testing.T) {
	s, errs := parseWith(t, "benefits.capacity_gain", "25")
	if errs != nil {
		t.Fatal(errs)
	}
	found := false
	for _, w := range s.Warnings {
		found = found || strings.Contains(w, "the plan case gives ROI")
	}
	if !found {
		t.Errorf("capacity_gain 25: no plan-case warning in %q", s.Warnings)
	}
	if d := Default(); len(d.Warnings) != 0 || len(d.StrictErrors()) != 0 {
		t.Errorf("the default scenario warns: %q", d.Warnings)
	}
}
