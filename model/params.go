package model

import "math"

// Index of a built-in uncertain parameter in Scenario.Inputs and in the value
// vector an iteration is evaluated with. The order is the canonical order of
// model.md: the uncertain setting, then company, benefits, adoption, costs.
const (
	DiscountRate = iota
	Revenue
	SalesPayroll
	Growth
	Margin
	BonusRate
	RepeatShare
	Churn
	ConversionUplift
	CapacityGain
	CapacityToSales
	SavingsRealization
	ChurnReduction
	OtherSavings
	GoliveDip
	AdoptionMax
	RampMonths
	OneOff
	Overrun
	ScheduleSlip
	Subscription
	Support
	ITStaff
	// NumBuiltin is the number of built-in uncertain parameters.
	NumBuiltin
)

// Domain is the set of values a parameter may take: [Lo, Hi], with either end
// open where LoOpen or HiOpen is set.
type Domain struct {
	Lo, Hi         float64
	LoOpen, HiOpen bool
}

// Contains reports whether x lies in the domain.
func (d Domain) Contains(x float64) bool {
	if math.IsNaN(x) {
		return false
	}
	if x < d.Lo || (d.LoOpen && x == d.Lo) {
		return false
	}
	if x > d.Hi || (d.HiOpen && x == d.Hi) {
		return false
	}
	return true
}

// String writes the domain in interval notation, e.g. "[0, 1)".
func (d Domain) String() string {
	l, r := "[", "]"
	if d.LoOpen {
		l = "("
	}
	if d.HiOpen {
		r = ")"
	}
	return l + fmtNum(d.Lo) + ", " + fmtNum(d.Hi) + r
}

var (
	anyReal     = Domain{Lo: math.Inf(-1), Hi: math.Inf(1), LoOpen: true, HiOpen: true}
	nonNegative = Domain{Lo: 0, Hi: math.Inf(1), HiOpen: true}
	positive    = Domain{Lo: 0, Hi: math.Inf(1), LoOpen: true, HiOpen: true}
	share       = Domain{Lo: 0, Hi: 1}
	aboveMinus1 = Domain{Lo: -1, Hi: math.Inf(1), LoOpen: true, HiOpen: true}
)

// ParamInfo describes one parameter of the CRM model: its path, unit,
// meaning and the values it may take.
type ParamInfo struct {
	Path    string // section.name, or name for a top-level setting
	Section string // "" for top-level settings
	Name    string
	Unit    string
	Doc     string
	Domain  Domain
	// NumberOnly parameters must be plain numbers, never distributions.
	NumberOnly bool
	// Integer parameters must be whole numbers.
	Integer bool
	// Index is the parameter's index in Scenario.Inputs, or -1 for a
	// number-only setting.
	Index int
}

// Builtin lists the uncertain built-in parameters in canonical order; Builtin[i].Index == i.
var Builtin = [NumBuiltin]ParamInfo{
	{Path: "discount_rate", Name: "discount_rate", Unit: "per year", Doc: "annual discount rate; monthly r_m = (1+r)^(1/12) − 1", Domain: aboveMinus1},
	{Path: "company.revenue", Section: "company", Name: "revenue", Unit: "money/month", Doc: "turnover in month 1 without CRM", Domain: nonNegative},
	{Path: "company.sales_payroll", Section: "company", Name: "sales_payroll", Unit: "money/month", Doc: "loaded cost of the sales team", Domain: nonNegative},
	{Path: "company.growth", Section: "company", Name: "growth", Unit: "per year", Doc: "baseline growth, in both worlds", Domain: aboveMinus1},
	{Path: "company.margin", Section: "company", Name: "margin", Unit: "share of revenue", Doc: "what stays after production and logistics costs", Domain: Domain{Lo: -1, Hi: 1}},
	{Path: "company.bonus_rate", Section: "company", Name: "bonus_rate", Unit: "share of revenue", Doc: "sales staff motivational component paid on extra revenue", Domain: share},
	{Path: "company.repeat_share", Section: "company", Name: "repeat_share", Unit: "share of revenue", Doc: "revenue from existing (repeat) clients", Domain: share},
	{Path: "company.churn", Section: "company", Name: "churn", Unit: "per year", Doc: "share of clients lost per year", Domain: share},
	{Path: "benefits.conversion_uplift", Section: "benefits", Name: "conversion_uplift", Unit: "relative", Doc: "more leads called back and closed", Domain: Domain{Lo: -1, Hi: math.Inf(1), HiOpen: true}},
	{Path: "benefits.capacity_gain", Section: "benefits", Name: "capacity_gain", Unit: "relative", Doc: "the same team does more work", Domain: Domain{Lo: -1, Hi: math.Inf(1), HiOpen: true}},
	{Path: "benefits.capacity_to_sales", Section: "benefits", Name: "capacity_to_sales", Unit: "share", Doc: "part of the freed capacity that becomes extra sales", Domain: share},
	{Path: "benefits.savings_realization", Section: "benefits", Name: "savings_realization", Unit: "share", Doc: "part of the remaining freed capacity turned into cash", Domain: share},
	{Path: "benefits.churn_reduction", Section: "benefits", Name: "churn_reduction", Unit: "relative", Doc: "relative cut in churn", Domain: Domain{Lo: -1, Hi: 1}},
	{Path: "benefits.other_savings", Section: "benefits", Name: "other_savings", Unit: "money/month", Doc: "assortment, telephony, retired tools", Domain: anyReal},
	{Path: "benefits.golive_dip", Section: "benefits", Name: "golive_dip", Unit: "relative", Doc: "revenue lost in the first two months after go-live", Domain: share},
	{Path: "adoption.max", Section: "adoption", Name: "max", Unit: "share", Doc: "adoption ceiling", Domain: share},
	{Path: "adoption.ramp_months", Section: "adoption", Name: "ramp_months", Unit: "months", Doc: "months from go-live to 0.9 of the logistic curve", Domain: positive},
	{Path: "costs.one_off", Section: "costs", Name: "one_off", Unit: "money", Doc: "integrator, integration, migration, training, hardware", Domain: nonNegative},
	{Path: "costs.overrun", Section: "costs", Name: "overrun", Unit: "multiplier", Doc: "cost overrun on one_off", Domain: nonNegative},
	{Path: "costs.schedule_slip", Section: "costs", Name: "schedule_slip", Unit: "multiplier", Doc: "slip of implementation_months", Domain: nonNegative},
	{Path: "costs.subscription", Section: "costs", Name: "subscription", Unit: "money/seat/month", Doc: "licence or SaaS fee", Domain: nonNegative},
	{Path: "costs.support", Section: "costs", Name: "support", Unit: "money/month", Doc: "integrator support, extra configuration", Domain: nonNegative},
	{Path: "costs.it_staff", Section: "costs", Name: "it_staff", Unit: "money/month", Doc: "sysadmin, DBA, hardware staff", Domain: nonNegative},
}

func init() {
	for i := range Builtin {
		Builtin[i].Index = i
	}
}

// Settings lists the number-only top-level settings, with their defaults.
var Settings = []struct {
	ParamInfo
	Default float64
}{
	{ParamInfo{Path: "horizon_months", Name: "horizon_months", Unit: "months", Doc: "months simulated, t = 1..H", Domain: Domain{Lo: 1, Hi: MaxHorizon}, NumberOnly: true, Integer: true, Index: -1}, 36},
	{ParamInfo{Path: "seats", Name: "seats", Unit: "users", Doc: "paid CRM seats", Domain: nonNegative, NumberOnly: true, Index: -1}, 30},
	{ParamInfo{Path: "implementation_months", Name: "implementation_months", Unit: "months", Doc: "planned build time before go-live", Domain: nonNegative, NumberOnly: true, Index: -1}, 4},
	{ParamInfo{Path: "sales_lag_months", Name: "sales_lag_months", Unit: "months", Doc: "sales effects wait one sales cycle", Domain: Domain{Lo: 0, Hi: MaxHorizon}, NumberOnly: true, Integer: true, Index: -1}, 1},
	{ParamInfo{Path: "subscription_escalation", Name: "subscription_escalation", Unit: "per year", Doc: "price rise of the subscription each 12 months", Domain: aboveMinus1, NumberOnly: true, Index: -1}, 0.10},
	{ParamInfo{Path: "presale_seat_share", Name: "presale_seat_share", Unit: "share", Doc: "share of seats paid during the build", Domain: share, NumberOnly: true, Index: -1}, 0.3},
}

// MaxHorizon is the longest horizon a scenario may ask for, in months.
const MaxHorizon = 600

// Numeric settings of the risks and tei sections (numbers only).
var (
	riskParams = []ParamInfo{
		{Path: "risks.cancel", Section: "risks", Name: "cancel", Unit: "probability", Doc: "the project is stopped before go-live", Domain: share, NumberOnly: true, Index: -1},
		{Path: "risks.abandon", Section: "risks", Name: "abandon", Unit: "probability", Doc: "given it was not cancelled, the system goes live but is dropped later", Domain: share, NumberOnly: true, Index: -1},
	}
	teiParams = []struct {
		ParamInfo
		Default float64
	}{
		{ParamInfo{Path: "tei.benefit_haircut", Section: "tei", Name: "benefit_haircut", Unit: "share", Doc: "TEI risk adjustment of benefits", Domain: share, NumberOnly: true, Index: -1}, 0.15},
		{ParamInfo{Path: "tei.cost_uplift", Section: "tei", Name: "cost_uplift", Unit: "share", Doc: "TEI risk adjustment of costs", Domain: nonNegative, NumberOnly: true, Index: -1}, 0.10},
	}
)

// Finance parameters of the optional finance: section (model.md section 6).
// Every one but depreciation_months may be a distribution.
var FinanceParams = []struct {
	ParamInfo
	Default float64
}{
	{ParamInfo{Path: "finance.profit_tax", Section: "finance", Name: "profit_tax", Unit: "share", Doc: "tax rate on the incremental profit", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.capitalized_share", Section: "finance", Name: "capitalized_share", Unit: "share", Doc: "part of one_off × overrun (with its VAT) capitalised as an asset", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.depreciation_months", Section: "finance", Name: "depreciation_months", Unit: "months", Doc: "straight-line depreciation, from the first run month", Domain: Domain{Lo: 1, Hi: MaxDepreciationMonths}, NumberOnly: true, Integer: true, Index: -1}, 36},
	{ParamInfo{Path: "finance.nonrecoverable_vat", Section: "finance", Name: "nonrecoverable_vat", Unit: "share", Doc: "VAT that cannot be recovered, added to one_off, subscription and support (not it_staff)", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.terminal_growth", Section: "finance", Name: "terminal_growth", Unit: "per year", Doc: "growth after the horizon for a terminal value (absent: none)", Domain: aboveMinus1, Index: -1}, math.NaN()},
}

// MaxDepreciationMonths is the longest depreciation period, in months.
const MaxDepreciationMonths = 1200

// FinanceParam returns the description of the finance parameter with that
// path (e.g. finance.profit_tax).
func FinanceParam(path string) (ParamInfo, bool) {
	for _, p := range FinanceParams {
		if p.Path == path {
			return p.ParamInfo, true
		}
	}
	return ParamInfo{}, false
}

// InputParam returns the description of the parameter behind an input path
// of a CRM scenario: a built-in or a finance parameter; false for an extra
// input of the analyst's own.
func InputParam(path string) (ParamInfo, bool) {
	for _, b := range Builtin {
		if b.Path == path {
			return b, true
		}
	}
	return FinanceParam(path)
}

// Outputs a finance: section adds after Outputs: the present value of the
// terminal value (with finance.terminal_growth) and the npv the iteration
// would have without profit tax (where profit_tax is not the number 0).
const (
	OutputTerminalValue = "terminal_value"
	OutputNPVBeforeTax  = "npv_before_tax"
)
