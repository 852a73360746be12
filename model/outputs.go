package model

import "math"

// This file describes every output once: what the engine counts for it and
// how every result file names, formats and qualifies it. Adding an output to
// the CRM model means adding its description to crmOutputs (and computing its
// value in Result and the evaluator); no other package names it.

// Text is a text for a reader, in each language crmroi speaks.
type Text struct{ En, Ru string }

// In returns the text in language lang ("en" or "ru"); English where there
// is no Russian.
func (t Text) In(lang string) string {
	if lang == "ru" && t.Ru != "" {
		return t.Ru
	}
	return t.En
}

// Unit is what an output's values measure; it decides how they are printed.
type Unit int

// The units of outputs.
const (
	UnitNumber Unit = iota // a plain number (formula outputs)
	UnitMoney              // an amount in the scenario's currency
	UnitShare              // a fraction, printed as a percentage (roi, revenue_uplift)
	UnitRate               // a fraction per year, printed as a percentage (irr_annual)
	UnitMonths             // a number of months; +Inf reads as OutputInfo.NotReached
	UnitCount              // a whole number of things
)

// Percent reports whether values of the unit print as percentages.
func (u Unit) Percent() bool { return u == UnitShare || u == UnitRate }

// Compare is how a threshold compares an output's value with its bound.
type Compare int

// The comparisons of thresholds. NaN (undefined) satisfies none.
const (
	Below  Compare = iota // value < At
	AtMost                // value ≤ At
	Above                 // value > At (with At = math.MaxFloat64: "not reached", +Inf)
)

// Threshold is a probability reported for an output: the share of all
// iterations whose value satisfies Cmp At. The engine counts it exactly,
// block by block, for every output that asks for it.
type Threshold struct {
	Key   string // its key in summary.json, summary.csv and summary.xlsx
	Cmp   Compare
	At    float64
	Label Text // for a reader: "Payback within 12 months"
}

// Holds reports whether value v satisfies the threshold.
func (t Threshold) Holds(v float64) bool {
	switch t.Cmp {
	case Below:
		return v < t.At
	case AtMost:
		return v <= t.At
	}
	return v > t.At
}

// ProbNegative is the key of the threshold P(value < 0).
const ProbNegative = "prob_negative"

// negative is the threshold P(value < 0) with its reader's label.
func negative(label Text) Threshold {
	return Threshold{Key: ProbNegative, Cmp: Below, At: 0, Label: label}
}

// UndefinedReport is how an undefinable output reports its undefined iterations.
type UndefinedReport int

// The ways undefined iterations are reported.
const (
	UndefinedSilent UndefinedReport = iota // only in the statistics' n
	UndefinedCount                         // "undefined": their number, and a warning giving UndefinedWhy
	ShareDefined                           // "share_defined": the share of iterations where it is defined
)

// OutputInfo describes one output of a model: what the engine lets it be and
// counts for it, and how every result file names, formats and qualifies it.
type OutputInfo struct {
	Name  string // its key in every file
	Label Text   // for a reader ("Peak funding"); without the currency
	Unit  Unit
	// Undefinable outputs may be NaN in an iteration, meaning undefined
	// (ROI without costs, IRR without a sign change): such values are
	// excluded from the statistics and counted.
	Undefinable bool
	// Unreachable outputs may be +Inf, meaning "not reached" (payback);
	// NotReached is how such a value reads.
	Unreachable bool
	NotReached  Text
	// NoMoments outputs have no mean, sd or standard error (payback, whose
	// "not reached" iterations have no value to average).
	NoMoments bool
	// Thresholds are the probabilities reported for the output, in order.
	Thresholds []Threshold
	// Undefined says how undefined iterations are reported; UndefinedWhy
	// is the reason they are undefined, for the warning ("no costs").
	Undefined    UndefinedReport
	UndefinedWhy string
	// Key outputs are the key figures: the terminal table's and the
	// report's rows, and the first entries of summary.json's plan.
	Key bool
	// TEI outputs have a value in the TEI row (Deterministic.TEIValues).
	TEI bool
	// LowerBetter outputs are better the lower they are (payback, peak
	// funding): a comparison of options marks the lowest as the best.
	LowerBetter bool
	// Internal outputs are simulated and counted like the others (their
	// statistics and thresholds are in the result) but no table, samples
	// file or chart shows them: a section's own summary reads them (the
	// gate's npv without the gate). They come after every other output.
	Internal bool
}

// Threshold returns the output's threshold with the given key.
func (o *OutputInfo) Threshold(key string) (Threshold, bool) {
	for _, t := range o.Thresholds {
		if t.Key == key {
			return t, true
		}
	}
	return Threshold{}, false
}

// crmOutputs describe the outputs of the CRM model (model.md sections 3 and
// 5), in the order of Result.Values and of every table and file. This is the
// one place where an output of the CRM model is declared.
var crmOutputs = []OutputInfo{
	{Name: "npv", Label: Text{"NPV", "NPV"}, Unit: UnitMoney, Key: true, TEI: true,
		Thresholds: []Threshold{negative(Text{"P(loss)", "P(убытка)"})}},
	{Name: "roi", Label: Text{"ROI", "ROI"}, Unit: UnitShare, Key: true, TEI: true,
		Undefinable: true, Undefined: UndefinedCount, UndefinedWhy: "no costs"},
	{Name: "pv_benefits", Label: Text{"PV of benefits", "Дисконтированные выгоды"}, Unit: UnitMoney},
	{Name: "pv_costs", Label: Text{"PV of costs", "Дисконтированные затраты"}, Unit: UnitMoney},
	{Name: "payback_months", Label: Text{"Payback, months", "Срок окупаемости, мес."}, Unit: UnitMonths, Key: true, LowerBetter: true,
		Unreachable: true, NotReached: Text{"not reached", "не окупается"}, NoMoments: true,
		Thresholds: []Threshold{
			{Key: "prob_within_12", Cmp: AtMost, At: 12, Label: Text{"Payback within 12 months", "Окупаемость за 12 мес."}},
			{Key: "prob_within_24", Cmp: AtMost, At: 24, Label: Text{"Payback within 24 months", "Окупаемость за 24 мес."}},
			{Key: "prob_within_36", Cmp: AtMost, At: 36, Label: Text{"Payback within 36 months", "Окупаемость за 36 мес."}},
			{Key: "prob_not_reached", Cmp: Above, At: math.MaxFloat64, Label: Text{"Payback not reached", "Не окупается"}},
		}},
	{Name: "peak_funding", Label: Text{"Peak funding", "Пиковая потребность в финансировании"}, Unit: UnitMoney, Key: true, LowerBetter: true},
	{Name: "revenue_uplift", Label: Text{"Revenue uplift", "Прирост выручки"}, Unit: UnitShare},
	{Name: "irr_annual", Label: Text{"IRR, annual", "IRR, годовая"}, Unit: UnitRate,
		Undefinable: true, Undefined: ShareDefined},
}

// CRMOutputs describes the CRM model's outputs, in the order of Outputs.
func CRMOutputs() []OutputInfo { return crmOutputs }

// Outputs names the per-iteration outputs of the CRM model, in the order of
// Result.Values and of every table and file.
var Outputs = func() []string {
	names := make([]string, len(crmOutputs))
	for i, o := range crmOutputs {
		names[i] = o.Name
	}
	return names
}()

// formulaOutput describes an output of a formula model: its name is its
// label, its unit a plain number, and P(value < 0) is reported.
func formulaOutput(name string) OutputInfo {
	return OutputInfo{Name: name, Label: Text{En: name}, Unit: UnitNumber,
		Thresholds: []Threshold{negative(Text{"P(" + name + " < 0)", "P(" + name + " < 0)"})}}
}
