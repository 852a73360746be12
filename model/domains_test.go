package model

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
)

// withValue returns the default scenario's text with parameter path set to
// value (written in place, so that positions are real).
func withValue(t *testing.T, path, value string) []byte {
	t.Helper()
	section, name, nested := strings.Cut(path, ".")
	lines := strings.Split(string(DefaultYAML), "\n")
	in := ""
	for i, line := range lines {
		indented := strings.HasPrefix(line, " ")
		if !indented && line != "" && !strings.HasPrefix(line, "#") {
			in, _, _ = strings.Cut(line, ":")
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case !nested && !indented && strings.HasPrefix(line, section+":"):
			lines[i] = section + ": " + strconv.Quote(value)
		case nested && indented && in == section && strings.HasPrefix(trimmed, name+":"):
			lines[i] = line[:len(line)-len(trimmed)] + name + ": " + strconv.Quote(value)
		default:
			continue
		}
		// no correlation, so that any parameter may be a fixed number
		text := strings.Join(lines, "\n")
		text = strings.Replace(text, "correlations: ", "# correlations: ", 1)
		text = strings.Replace(text, "  - [costs.overrun, costs.schedule_slip, 0.6]", "", 1)
		return []byte(text)
	}
	if section == "finance" && nested {
		return []byte(string(DefaultYAML) + "\nfinance:\n  " + name + ": " + strconv.Quote(value) + "\n")
	}
	t.Fatalf("no line for %s in the default scenario", path)
	return nil
}

// parseWith parses the default scenario with path set to value.
func parseWith(t *testing.T, path, value string) (*Scenario, ErrorList) {
	t.Helper()
	s, err := Parse("s.yaml", withValue(t, path, value), nil)
	if err != nil {
		var el ErrorList
		if !errors.As(err, &el) {
			t.Fatalf("%s: %s: not an ErrorList: %v", path, value, err)
		}
		return nil, el
	}
	return s, nil
}

// family is a distribution expression with a location L and a scale W.
type family struct {
	name string
	expr func(L, W float64) string
}

func g(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

var shiftFamilies = []family{
	{"normal", func(L, W float64) string { return fmt.Sprintf("normal(%s, %s)", g(L), g(0.1*W)) }},
	{"uniform", func(L, W float64) string { return fmt.Sprintf("uniform(%s, %s)", g(L-0.3*W), g(L+0.1*W)) }},
	{"triangular", func(L, W float64) string {
		return fmt.Sprintf("triangular(%s, %s, %s)", g(L-0.3*W), g(L-0.1*W), g(L+0.1*W))
	}},
	{"pert", func(L, W float64) string { return fmt.Sprintf("pert(%s, %s, %s)", g(L-0.3*W), g(L-0.1*W), g(L+0.1*W)) }},
	{"lognormal-by-percentiles", func(L, W float64) string {
		return fmt.Sprintf("normal(p5=%s, p95=%s)", g(L-0.2*W), g(L+0.05*W))
	}},
	{"gamma-shifted-cut", func(L, W float64) string { return fmt.Sprintf("normal(%s, %s, min=%s)", g(L), g(0.05*W), g(L-0.3*W)) }},
}

// massOutside is the probability d puts beyond the edge of dom on side (+1 above, -1 below).
func massOutside(d distributions.Dist, dom Domain, side int) float64 {
	b, a := domainMass(d, dom)
	if side > 0 {
		return a
	}
	return b
}

// locate finds the location L at which fam puts mass m beyond the edge
// (side +1: above hi, -1: below lo) of dom, by bisection.
func locate(t *testing.T, fam family, dom Domain, side int, W, m float64) string {
	t.Helper()
	edge := dom.Hi
	if side < 0 {
		edge = dom.Lo
	}
	// mass beyond grows with L above, falls with L below
	a, b := edge-W, edge+W
	f := func(L float64) float64 {
		d, err := distributions.Parse(fam.expr(L, W))
		if err != nil {
			t.Fatalf("%s: %v", fam.expr(L, W), err)
		}
		return massOutside(d, dom, side) - m
	}
	if side < 0 {
		a, b = b, a
	}
	for range 200 {
		mid := a + (b-a)/2
		if f(mid) > 0 {
			b = mid
		} else {
			a = mid
		}
	}
	return fam.expr(a, W)
}

// TestDomainsByProbability checks the rule of distributions.md over every
// parameter with a finite domain edge and several families: at most 1% outside
// is cut at the edge with a warning (a note below 1e-6); more is an error
// whose every suggestion is accepted as the parameter's value.
func TestDomainsByProbability(t *testing.T) {
	for _, p := range Builtin {
		for _, side := range []int{-1, 1} {
			edge := p.Domain.Hi
			if side < 0 {
				edge = p.Domain.Lo
			}
			if math.IsInf(edge, 0) {
				continue
			}
			W := 1.0
			if !math.IsInf(p.Domain.Hi-p.Domain.Lo, 0) {
				W = p.Domain.Hi - p.Domain.Lo
			}
			for _, fam := range shiftFamilies {
				for _, m := range []float64{0.005, 1e-8, 0.03} {
					expr := locate(t, fam, p.Domain, side, W, m)
					d, _ := distributions.Parse(expr)
					if massOutside(d, p.Domain, side) == 0 {
						continue // this family cannot reach beyond the edge here
					}
					below, above := domainMass(d, p.Domain)
					got := below + above
					low, high := outside(d, p.Domain)
					name := fmt.Sprintf("%s %s side %d mass %g", p.Path, fam.name, side, m)
					s, errs := parseWith(t, p.Path, expr)
					switch {
					case got <= MaxCutMass:
						if errs != nil {
							t.Errorf("%s: %s refused: %v", name, expr, errs)
							continue
						}
						in := s.Inputs[p.Index].Dist
						if !within(in, p.Domain) {
							lo, hi := in.Support()
							t.Errorf("%s: cut distribution %s reaches [%g, %g], beyond %s", name, in, lo, hi, p.Domain)
						}
						lo0, hi0 := edges(p.Domain, low, high)
						want, err := cutTo(d, lo0, hi0)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						if in.Plan() != want.Plan() || in.String() != want.String() {
							t.Errorf("%s: plan %v (%s), want the cut distribution's %v (%s)", name, in.Plan(), in, want.Plan(), want)
						}
						warned := hasWarning(s, p.Path, expr+" cut ")
						noted := false
						for _, n := range s.Notes {
							noted = noted || strings.HasPrefix(n, p.Path+": "+expr+" cut ")
						}
						if got >= WarnCutMass && (!warned || noted) {
							t.Errorf("%s: %s cut with %g outside: want a warning, got warnings %q notes %q", name, expr, got, s.Warnings, s.Notes)
						}
						if got < WarnCutMass && (warned || !noted) {
							t.Errorf("%s: %s cut with %g outside: want only a note, got warnings %q notes %q", name, expr, got, s.Warnings, s.Notes)
						}
					default:
						e := findError(errs, p.Path)
						if e == nil {
							t.Errorf("%s: %s with %g outside accepted, want an error (errors %v)", name, expr, got, errs)
							continue
						}
						if e.Pos.File != "s.yaml" || e.Pos.Line == 0 || e.Pos.Col == 0 {
							t.Errorf("%s: error without file:line:col: %v", name, e)
						}
						checkFixes(t, name, p.Path, e)
					}
				}
			}
		}
	}
}

// within reports whether d's support lies in dom, an open edge allowed where
// d has no probability on it.
func within(d distributions.Dist, dom Domain) bool {
	lo, hi := d.Support()
	return (lo > dom.Lo || lo == dom.Lo && (!dom.LoOpen || math.IsInf(lo, -1) || d.CDF(lo) == 0)) &&
		(hi < dom.Hi || hi == dom.Hi && (!dom.HiOpen || math.IsInf(hi, 1) || d.CDF(math.Nextafter(hi, math.Inf(-1))) == 1))
}

func hasWarning(s *Scenario, path, part string) bool {
	for _, w := range s.Warnings {
		if strings.HasPrefix(w, path+": ") && strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func findError(errs ErrorList, path string) *Error {
	for _, e := range errs {
		if e.Path == path {
			return e
		}
	}
	return nil
}

// checkFixes pastes every suggestion of e into the file: each must be
// printed in the message and be accepted.
func checkFixes(t *testing.T, name, path string, e *Error) {
	t.Helper()
	for _, fix := range e.Fixes {
		if !strings.Contains(e.Msg, fix) {
			t.Errorf("%s: suggestion %q is not in the message %q", name, fix, e.Msg)
		}
		if _, errs := parseWith(t, path, fix); errs != nil {
			t.Errorf("%s: suggestion %q of %q is refused: %v", name, fix, e.Msg, errs)
		}
	}
}

// TestIssueValuesAccepted: the natural inputs of issue 19 are accepted.
func TestIssueValuesAccepted(t *testing.T) {
	for _, c := range []struct{ path, value string }{
		{"adoption.max", "0.7 to 0.9"},
		{"company.margin", "0.18 to 0.24"},
		{"benefits.churn_reduction", "0.05 to 0.25"},
		{"company.growth", "normal(0.10, 0.03)"},
		{"company.churn", "lognormal(mu=-1.5756, sigma=0.196039)"},
	} {
		s, errs := parseWith(t, c.path, c.value)
		if errs != nil {
			t.Errorf("%s: %s refused: %v", c.path, c.value, errs)
			continue
		}
		i := s.InputIndex(c.path)
		if d := s.Inputs[i].Dist; !within(d, Builtin[i].Domain) {
			t.Errorf("%s: %s not cut into its domain: support [%g, %g]", c.path, c.value, d.Quantile(0), d.Quantile(1))
		}
	}
	s, _ := parseWith(t, "adoption.max", "0.7 to 0.9")
	if s != nil && !hasWarning(s, "adoption.max", "0.7 to 0.9 cut at 1 (0.12% of its mass lay above)") {
		t.Errorf("adoption.max: 0.7 to 0.9: warnings %q", s.Warnings)
	}
}

// TestFixedOutsideDomain: a number outside the domain is still refused, with
// the percent reading as a suggestion where it fits.
func TestFixedOutsideDomain(t *testing.T) {
	for _, c := range []struct{ path, value, fix string }{
		{"company.churn", "25", "25%"},
		{"company.churn", "25", "0.25"},
		{"adoption.max", "80", "80%"},
		{"company.margin", "-30", "-30%"},
		{"company.margin", "15 to 30", "15% to 30%"},
		{"benefits.golive_dip", "pert(1, 2, 3)", "pert(1%, 2%, 3%)"},
		{"benefits.golive_dip", "pert(1, 2, 3)", "pert(0.01, 0.02, 0.03)"},
		{"adoption.ramp_months", "-3", ""},
		{"costs.one_off", "-1", ""},
	} {
		_, errs := parseWith(t, c.path, c.value)
		e := findError(errs, c.path)
		if e == nil {
			t.Errorf("%s: %s accepted", c.path, c.value)
			continue
		}
		if e.Pos.Line == 0 || e.Pos.Col == 0 {
			t.Errorf("%s: no line:col in %v", c.path, e)
		}
		if c.fix != "" && !contains(e.Fixes, c.fix) {
			t.Errorf("%s: %s: suggestions %q, want %q among them (%s)", c.path, c.value, e.Fixes, c.fix, e.Msg)
		}
		checkFixes(t, c.path, c.path, e)
	}
}
