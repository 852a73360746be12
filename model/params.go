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
	// Label is the parameter's short name for a reader (tables, charts).
	Label Text
	// DocRu is Doc in Russian.
	DocRu  string
	Domain Domain
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
	{Path: "discount_rate", Label: Text{"Discount rate", "Ставка дисконтирования"}, DocRu: "годовая ставка дисконтирования; помесячная — (1 + r)^(1/12) − 1", Name: "discount_rate", Unit: "per year", Doc: "annual discount rate; monthly r_m = (1+r)^(1/12) − 1", Domain: aboveMinus1},
	{Path: "company.revenue", Label: Text{"Revenue", "Выручка"}, DocRu: "оборот в 1-й месяц без CRM", Section: "company", Name: "revenue", Unit: "money/month", Doc: "turnover in month 1 without CRM", Domain: nonNegative},
	{Path: "company.sales_payroll", Label: Text{"Sales payroll", "ФОТ отдела продаж"}, DocRu: "полная стоимость отдела продаж", Section: "company", Name: "sales_payroll", Unit: "money/month", Doc: "loaded cost of the sales team", Domain: nonNegative},
	{Path: "company.growth", Label: Text{"Baseline growth", "Базовый рост"}, DocRu: "базовый рост, в обоих мирах", Section: "company", Name: "growth", Unit: "per year", Doc: "baseline growth, in both worlds", Domain: aboveMinus1},
	{Path: "company.margin", Label: Text{"Margin", "Маржа"}, DocRu: "что остаётся после затрат на производство и логистику", Section: "company", Name: "margin", Unit: "share of revenue", Doc: "what stays after production and logistics costs", Domain: Domain{Lo: -1, Hi: 1}},
	{Path: "company.bonus_rate", Label: Text{"Sales bonus rate", "Бонус продавцов"}, DocRu: "мотивационная часть продавцов с дополнительной выручки", Section: "company", Name: "bonus_rate", Unit: "share of revenue", Doc: "sales staff motivational component paid on extra revenue", Domain: share},
	{Path: "company.repeat_share", Label: Text{"Repeat share", "Доля повторных продаж"}, DocRu: "выручка от существующих (повторных) клиентов", Section: "company", Name: "repeat_share", Unit: "share of revenue", Doc: "revenue from existing (repeat) clients", Domain: share},
	{Path: "company.churn", Label: Text{"Churn", "Отток клиентов"}, DocRu: "доля клиентов, теряемых за год", Section: "company", Name: "churn", Unit: "per year", Doc: "share of clients lost per year", Domain: share},
	{Path: "benefits.conversion_uplift", Label: Text{"Conversion uplift", "Рост конверсии"}, DocRu: "больше лидов перезвонено и закрыто", Section: "benefits", Name: "conversion_uplift", Unit: "relative", Doc: "more leads called back and closed", Domain: Domain{Lo: -1, Hi: math.Inf(1), HiOpen: true}},
	{Path: "benefits.capacity_gain", Label: Text{"Capacity gain", "Рост производительности"}, DocRu: "та же команда делает больше", Section: "benefits", Name: "capacity_gain", Unit: "relative", Doc: "the same team does more work", Domain: Domain{Lo: -1, Hi: math.Inf(1), HiOpen: true}},
	{Path: "benefits.capacity_to_sales", Label: Text{"Capacity to sales", "Доля времени на продажи"}, DocRu: "часть высвобожденного времени, ставшая дополнительными продажами", Section: "benefits", Name: "capacity_to_sales", Unit: "share", Doc: "part of the freed capacity that becomes extra sales", Domain: share},
	{Path: "benefits.savings_realization", Label: Text{"Savings realisation", "Реализация экономии"}, DocRu: "часть оставшегося высвобожденного времени, обращённая в деньги", Section: "benefits", Name: "savings_realization", Unit: "share", Doc: "part of the remaining freed capacity turned into cash", Domain: share},
	{Path: "benefits.churn_reduction", Label: Text{"Churn reduction", "Снижение оттока"}, DocRu: "относительное снижение оттока", Section: "benefits", Name: "churn_reduction", Unit: "relative", Doc: "relative cut in churn", Domain: Domain{Lo: -1, Hi: 1}},
	{Path: "benefits.other_savings", Label: Text{"Other savings", "Прочая экономия"}, DocRu: "ассортимент, телефония, выведенные из работы инструменты", Section: "benefits", Name: "other_savings", Unit: "money/month", Doc: "assortment, telephony, retired tools", Domain: anyReal},
	{Path: "benefits.golive_dip", Label: Text{"Go-live dip", "Просадка при запуске"}, DocRu: "выручка, потерянная в первые два месяца после запуска", Section: "benefits", Name: "golive_dip", Unit: "relative", Doc: "revenue lost in the first two months after go-live", Domain: share},
	{Path: "adoption.max", Label: Text{"Adoption ceiling", "Потолок использования"}, DocRu: "предельная доля сотрудников, работающих в системе", Section: "adoption", Name: "max", Unit: "share", Doc: "adoption ceiling", Domain: share},
	{Path: "adoption.ramp_months", Label: Text{"Adoption ramp", "Срок освоения"}, DocRu: "месяцев от запуска до 0,9 логистической кривой", Section: "adoption", Name: "ramp_months", Unit: "months", Doc: "months from go-live to 0.9 of the logistic curve", Domain: positive},
	{Path: "costs.one_off", Label: Text{"One-off costs", "Разовые затраты"}, DocRu: "интегратор, интеграция, миграция, обучение, оборудование", Section: "costs", Name: "one_off", Unit: "money", Doc: "integrator, integration, migration, training, hardware", Domain: nonNegative},
	{Path: "costs.overrun", Label: Text{"Cost overrun", "Перерасход"}, DocRu: "множитель разовых затрат: 1,2 — перерасход на 20 %", Section: "costs", Name: "overrun", Unit: "multiplier", Doc: "cost overrun on one_off", Domain: nonNegative},
	{Path: "costs.schedule_slip", Label: Text{"Schedule slip", "Сдвиг сроков"}, DocRu: "множитель планового срока внедрения: 1,5 — на половину дольше", Section: "costs", Name: "schedule_slip", Unit: "multiplier", Doc: "slip of implementation_months", Domain: nonNegative},
	{Path: "costs.subscription", Label: Text{"Subscription", "Подписка"}, DocRu: "лицензия или плата за облачный сервис", Section: "costs", Name: "subscription", Unit: "money/seat/month", Doc: "licence or SaaS fee", Domain: nonNegative},
	{Path: "costs.support", Label: Text{"Support", "Сопровождение"}, DocRu: "поддержка интегратора, доработки настройки", Section: "costs", Name: "support", Unit: "money/month", Doc: "integrator support, extra configuration", Domain: nonNegative},
	{Path: "costs.it_staff", Label: Text{"IT staff", "ИТ-персонал"}, DocRu: "сисадмин, администратор БД, обслуживание оборудования", Section: "costs", Name: "it_staff", Unit: "money/month", Doc: "sysadmin, DBA, hardware staff", Domain: nonNegative},
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
	{ParamInfo{Path: "horizon_months", Label: Text{"Horizon", "Горизонт"}, DocRu: "сколько месяцев моделируется", Name: "horizon_months", Unit: "months", Doc: "months simulated, t = 1..H", Domain: Domain{Lo: 1, Hi: MaxHorizon}, NumberOnly: true, Integer: true, Index: -1}, 36},
	{ParamInfo{Path: "seats", Label: Text{"Seats", "Число лицензий"}, DocRu: "оплачиваемые места в CRM", Name: "seats", Unit: "users", Doc: "paid CRM seats", Domain: nonNegative, NumberOnly: true, Index: -1}, 30},
	{ParamInfo{Path: "implementation_months", Label: Text{"Implementation", "Срок внедрения"}, DocRu: "плановый срок внедрения до запуска", Name: "implementation_months", Unit: "months", Doc: "planned build time before go-live", Domain: nonNegative, NumberOnly: true, Index: -1}, 4},
	{ParamInfo{Path: "sales_lag_months", Label: Text{"Sales lag", "Лаг продаж"}, DocRu: "эффект в продажах ждёт один цикл сделки", Name: "sales_lag_months", Unit: "months", Doc: "sales effects wait one sales cycle", Domain: Domain{Lo: 0, Hi: MaxHorizon}, NumberOnly: true, Integer: true, Index: -1}, 1},
	{ParamInfo{Path: "subscription_escalation", Label: Text{"Subscription escalation", "Индексация подписки"}, DocRu: "рост цены подписки каждые 12 месяцев", Name: "subscription_escalation", Unit: "per year", Doc: "price rise of the subscription each 12 months", Domain: aboveMinus1, NumberOnly: true, Index: -1}, 0.10},
	{ParamInfo{Path: "presale_seat_share", Label: Text{"Presale seat share", "Доля мест до запуска"}, DocRu: "доля мест, оплачиваемых во время внедрения", Name: "presale_seat_share", Unit: "share", Doc: "share of seats paid during the build", Domain: share, NumberOnly: true, Index: -1}, 0.3},
}

// MaxHorizon is the longest horizon a scenario may ask for, in months.
const MaxHorizon = 600

// Numeric settings of the risks and tei sections (numbers only).
var (
	riskParams = []ParamInfo{
		{Path: "risks.cancel", Label: Text{"Cancellation probability", "Вероятность отмены"}, DocRu: "проект остановлен до запуска", Section: "risks", Name: "cancel", Unit: "probability", Doc: "the project is stopped before go-live", Domain: share, NumberOnly: true, Index: -1},
		{Path: "risks.abandon", Label: Text{"Abandonment probability", "Вероятность отказа"}, DocRu: "если не отменён: система запущена, но позже заброшена", Section: "risks", Name: "abandon", Unit: "probability", Doc: "given it was not cancelled, the system goes live but is dropped later", Domain: share, NumberOnly: true, Index: -1},
	}
	teiParams = []struct {
		ParamInfo
		Default float64
	}{
		{ParamInfo{Path: "tei.benefit_haircut", Label: Text{"TEI benefit haircut", "TEI: поправка выгод"}, DocRu: "поправка TEI на риск выгод", Section: "tei", Name: "benefit_haircut", Unit: "share", Doc: "TEI risk adjustment of benefits", Domain: share, NumberOnly: true, Index: -1}, 0.15},
		{ParamInfo{Path: "tei.cost_uplift", Label: Text{"TEI cost uplift", "TEI: надбавка к затратам"}, DocRu: "поправка TEI на риск затрат", Section: "tei", Name: "cost_uplift", Unit: "share", Doc: "TEI risk adjustment of costs", Domain: nonNegative, NumberOnly: true, Index: -1}, 0.10},
	}
)

// Finance parameters of the optional finance: section (model.md section 6).
// Every one but depreciation_months may be a distribution.
var FinanceParams = []struct {
	ParamInfo
	Default float64
}{
	{ParamInfo{Path: "finance.profit_tax", Label: Text{"Profit tax", "Налог на прибыль"}, DocRu: "ставка налога на дополнительную прибыль", Section: "finance", Name: "profit_tax", Unit: "share", Doc: "tax rate on the incremental profit", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.capitalized_share", Label: Text{"Capitalised share", "Капитализируемая доля"}, DocRu: "часть разовых затрат с перерасходом (и НДС), учитываемая как актив", Section: "finance", Name: "capitalized_share", Unit: "share", Doc: "part of one_off × overrun (with its VAT) capitalised as an asset", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.depreciation_months", Label: Text{"Depreciation", "Срок амортизации"}, DocRu: "линейная амортизация с первого месяца работы", Section: "finance", Name: "depreciation_months", Unit: "months", Doc: "straight-line depreciation, from the first run month", Domain: Domain{Lo: 1, Hi: MaxDepreciationMonths}, NumberOnly: true, Integer: true, Index: -1}, 36},
	{ParamInfo{Path: "finance.nonrecoverable_vat", Label: Text{"Non-recoverable VAT", "Невозмещаемый НДС"}, DocRu: "НДС, который нельзя возместить: к разовым затратам, подписке и сопровождению (не к ИТ-персоналу)", Section: "finance", Name: "nonrecoverable_vat", Unit: "share", Doc: "VAT that cannot be recovered, added to one_off, subscription and support (not it_staff)", Domain: share, Index: -1}, 0},
	{ParamInfo{Path: "finance.terminal_growth", Label: Text{"Terminal growth", "Рост после горизонта"}, DocRu: "рост после горизонта для остаточной стоимости (нет: без неё)", Section: "finance", Name: "terminal_growth", Unit: "per year", Doc: "growth after the horizon for a terminal value (absent: none)", Domain: aboveMinus1, Index: -1}, math.NaN()},
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
