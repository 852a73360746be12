package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/distributions"
)

// Plausible ranges (distributions.md, "Domains"): beside its hard domain each
// parameter has a range its value or plan value is expected in. A value
// outside runs, with a warning that names the parameter and its likely
// meaning; --strict makes it an error.

// plausibleKind says how a parameter's value is read, for the warning.
type plausibleKind int

const (
	relativeEffect plausibleKind = iota // +25% written 0.25
	annualRate                          // 20% a year written 0.20
	multiplier                          // ×1.2
	monthsCount                         // a duration in months
)

// plausibleRange is the range a parameter's value or plan value is expected in.
type plausibleRange struct {
	Domain
	kind plausibleKind
}

// PlausibleMaxROI is the plan-case ROI (and annual IRR) above which a
// scenario is suspected of a wrong unit: 1,000%.
const PlausibleMaxROI = 10

// MaxPlausibleMonths is the longest plausible adoption ramp or build, in months.
const MaxPlausibleMonths = 60

// plausibleRanges are the plausible ranges of the parameters that have one
// of their own (shares have their domain [0, 1]; money is checked against
// the revenue by crossChecks).
var plausibleRanges = map[string]plausibleRange{
	"discount_rate":              {Domain{Lo: 0, Hi: 1}, annualRate},
	"company.growth":             {Domain{Lo: -0.5, Hi: 1}, annualRate},
	"subscription_escalation":    {Domain{Lo: -0.5, Hi: 1}, annualRate},
	"benefits.conversion_uplift": {Domain{Lo: -0.5, Hi: 1}, relativeEffect},
	"benefits.capacity_gain":     {Domain{Lo: -0.5, Hi: 1}, relativeEffect},
	"benefits.churn_reduction":   {Domain{Lo: -0.5, Hi: 1}, relativeEffect},
	"tei.cost_uplift":            {Domain{Lo: 0, Hi: 1}, relativeEffect},
	"costs.overrun":              {Domain{Lo: 0.5, Hi: 5}, multiplier},
	"costs.schedule_slip":        {Domain{Lo: 0.5, Hi: 5}, multiplier},
	"adoption.ramp_months":       {Domain{Lo: 0, Hi: MaxPlausibleMonths, LoOpen: true}, monthsCount},
	"implementation_months":      {Domain{Lo: 0, Hi: MaxPlausibleMonths}, monthsCount},
	// Software and servers depreciated over more than 30 years: more likely
	// years written for months, or a slip of a digit.
	"finance.depreciation_months": {Domain{Lo: 1, Hi: 360}, monthsCount},
}

// PlausibleRange returns the plausible range of a parameter (its path) and
// whether it has one beyond its domain.
func PlausibleRange(path string) (Domain, bool) {
	r, ok := plausibleRanges[path]
	return r.Domain, ok
}

// fmtPercent writes a share as a percentage with thousands separators and at
// most one decimal: 25 → "2,500%", 0.125 → "12.5%".
func fmtPercent(v float64) string {
	prec := 1
	if math.Abs(v) >= 1 {
		prec = 0
	}
	s := strconv.FormatFloat(100*v, 'f', prec, 64)
	s = strings.TrimSuffix(s, ".0")
	return groupThousands(s) + "%"
}

// groupThousands puts commas between groups of three digits of the integer part.
func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// fmtAmount writes an amount rounded to whole units with thousands separators.
func fmtAmount(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return fmtNum(v)
	}
	return groupThousands(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}

// plausible checks the value (or plan value) of parameter p against its
// plausible range and records a warning when it lies outside.
func (l *loader) plausible(e entry, p ParamInfo, d distributions.Dist, text string) {
	r, ok := plausibleRanges[p.Path]
	if !ok {
		return
	}
	v := d.Plan()
	if r.Contains(v) {
		return
	}
	text = strings.TrimSpace(text)
	what := text
	if !d.Fixed() {
		what = text + " has plan value " + fmtNum(roundSig(v, 4)) + ", which"
	}
	var msg string
	switch r.kind {
	case relativeEffect:
		msg = fmt.Sprintf("%s means %s%s", what, sign(v), fmtPercent(v))
	case annualRate:
		msg = fmt.Sprintf("%s means %s%s a year", what, sign(v), fmtPercent(v))
	case multiplier:
		msg = fmt.Sprintf("%s multiplies by %s (%s%s)", what, fmtNum(roundSig(v, 4)), sign(v-1), fmtPercent(v-1))
	case monthsCount:
		msg = fmt.Sprintf("%s means %s months (%s years), outside the plausible %s months", what, fmtNum(roundSig(v, 4)), fmtNum(roundSig(v/12, 2)), r.Domain)
	}
	var fixes []string
	switch {
	case r.kind == multiplier && d.Fixed() && v >= r.Hi && v <= 100:
		alt := fmtNum(roundSig(1+v/100, 12))
		if l.accepts(p, alt) {
			msg += "; did you mean " + alt + " (+" + fmtNum(v) + "%)?"
			fixes = append(fixes, alt)
		}
	case r.kind == multiplier && d.Fixed() && v > 0 && v < r.Lo:
		alt := fmtNum(roundSig(1+v, 12))
		if l.accepts(p, alt) {
			msg += "; did you mean " + alt + " (+" + fmtPercent(v) + ")?"
			fixes = append(fixes, alt)
		}
	case r.kind == relativeEffect || r.kind == annualRate:
		if alt, ok := l.percentReading(p, d); ok {
			msg += "; did you mean " + alt.text + "?"
			fixes = alt.fixes
		}
	case r.kind == monthsCount:
		msg += "; is it in months (not days or weeks)?"
	}
	l.warns = append(l.warns, &Error{Pos: l.pos(e.val), Path: p.Path, Msg: msg, Fixes: fixes})
}

func sign(v float64) string {
	if v > 0 {
		return "+"
	}
	return ""
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	return r
}

// crossChecks warns where money parameters contradict the company's size:
// a subscription per seat above the monthly revenue per seat, a monthly cost
// or saving above the monthly revenue.
func (l *loader) crossChecks(s *Scenario) {
	rev := s.Inputs[Revenue]
	if rev.Dist == nil {
		return
	}
	r := rev.Dist.Plan()
	if !(r > 0) {
		return
	}
	if sub := s.Inputs[Subscription]; sub.Dist != nil && s.Seats > 0 {
		perSeat := r / s.Seats
		if v := sub.Dist.Plan(); v > perSeat {
			l.warnAt(sub.Pos, sub.Path, fmt.Sprintf("%s per seat per month is more than the monthly revenue per seat (%s / %s seats = %s); is it per seat and per month?",
				fmtAmount(v), fmtAmount(r), fmtNum(s.Seats), fmtAmount(perSeat)))
		}
	}
	for _, i := range []int{SalesPayroll, OtherSavings, Support, ITStaff} {
		in := s.Inputs[i]
		if in.Dist == nil {
			continue
		}
		if v := in.Dist.Plan(); v > r {
			l.warnAt(in.Pos, in.Path, fmt.Sprintf("%s a month is more than the monthly revenue (company.revenue %s); is it per month?", fmtAmount(v), fmtAmount(r)))
		}
	}
}

// planCheck warns where the plan case's ROI or IRR lies above
// PlausibleMaxROI, the sign of a share written as a percentage.
func (l *loader) planCheck(s *Scenario) {
	if s.IsFormula() || len(l.errs) > 0 {
		return
	}
	plan := NewCRM(s).Plan()
	pos := Pos{File: l.file}
	for _, c := range []struct {
		name string
		v    float64
	}{{"ROI", plan.ROI}, {"IRR", plan.IRR}} {
		if c.v > PlausibleMaxROI {
			l.warnAt(pos, "", fmt.Sprintf("the plan case gives %s %s, above %s: check the units of the inputs (a share or effect written as a percentage, 25 for 25%%, is 100 times too large)",
				c.name, fmtPercent(c.v), fmtPercent(PlausibleMaxROI)))
		}
	}
}
